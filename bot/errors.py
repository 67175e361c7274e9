"""Errors a user can act on. Each carries a catalog key and renders in the user's language."""

from __future__ import annotations

from typing import Any

from babel.lists import format_list

from bot.i18n import current_locale, has_key, t, tn
from bot.replies import Button
from bot.roles import Role


class UserError(Exception):
    """Bad input or a refused action: answered with a short localized message."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def render(self) -> str:
        return t(self.key, **self.params)

    def buttons(self) -> tuple[Button, ...]:
        """What the person may do instead, in one press (none by default)."""
        return ()


class Refused(UserError):
    """The actor lacks the role a command needs; the answer names that role."""

    def __init__(self, needed: Role) -> None:
        super().__init__("error.role_needed")
        self.needed = needed

    def render(self) -> str:
        return t(self.key, role=t(f"role.{self.needed.key}"))


class MissingOptions(UserError):
    """Required options left out: all of them named in one answer, with a working example,
    so nobody needs a round trip per option."""

    def __init__(self, command: str, names: list[str], example_key: str) -> None:
        super().__init__("error.missing_options", command=command)
        self.command = command
        self.names = names
        self.example_key = example_key

    def render(self) -> str:
        locale = current_locale()
        listed = format_list([f"`{name}:`" for name in self.names], locale=locale)
        text = tn("error.missing_options", len(self.names), command=self.command, names=listed)
        if has_key(self.example_key, locale):
            text += "\n" + t("help.example", example=t(self.example_key))
        return text
