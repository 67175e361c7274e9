"""`python -m tests.e2e.discord_double serve [--port N]`: the double on its own.

Starts the double on 127.0.0.1 with its sample server (guild "Podaj dalej test", channels,
people, roles) and prints one JSON line: the API base URL, the gateway URL, the bot token and
the ids, e.g. to point any discord.py bot at it:

    discord.http.Route.BASE = info["api_base"]
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(info["gateway_url"])
    await bot.start(info["token"])

Then it serves until SIGINT/SIGTERM. Every problem it records (a request Discord would
refuse, a route it does not implement, a late interaction answer) is logged to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal
import sys
from typing import Any

from .server import DiscordDouble


def describe(double: DiscordDouble) -> dict[str, Any]:
    seeded = double.seeded
    return {
        "api_base": double.api_base,
        "gateway_url": double.gateway_url,
        "token": double.token,
        "application_id": str(double.application_id),
        "bot_user_id": str(seeded.bot_id),
        "guild_id": str(seeded.guild_id),
        "channels": {name: str(ident) for name, ident in seeded.channel_ids.items()},
        "users": {name: str(ident) for name, ident in seeded.user_ids.items()},
        "roles": {name: str(ident) for name, ident in seeded.role_ids.items()},
        "api_description": double.api_description.version,
    }


async def serve(port: int, token: str) -> None:
    double = DiscordDouble(token=token)
    await double.start(port=port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    sys.stdout.write(json.dumps(describe(double)) + "\n")
    sys.stdout.flush()
    try:
        await stop.wait()
    finally:
        await double.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.e2e.discord_double")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="run the double standalone on 127.0.0.1")
    run.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    run.add_argument("--token", default="test-token", help="the bot token it accepts")
    args = parser.parse_args(argv)
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(message)s")
    asyncio.run(serve(args.port, args.token))
    return 0


if __name__ == "__main__":
    sys.exit(main())
