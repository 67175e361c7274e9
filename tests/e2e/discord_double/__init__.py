"""A Discord API double: REST v10 + Gateway on 127.0.0.1, for end-to-end tests of the bot.

See tests/e2e/README.md. `DiscordDouble` is the server; `Harness` (harness.py) drives a
bot through it with user-story helpers.
"""

from .harness import Harness, InteractionTimeout, Response, point_discord_at
from .server import DiscordDouble, RateLimitRule
from .state import Attachment, Channel, InteractionRecord, Message, Problem, Role, User

__all__ = [
    "Attachment",
    "Channel",
    "DiscordDouble",
    "Harness",
    "InteractionRecord",
    "InteractionTimeout",
    "Message",
    "Problem",
    "RateLimitRule",
    "Response",
    "Role",
    "User",
    "point_discord_at",
]
