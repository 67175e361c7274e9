"""Errors a user can act on. Each carries a catalog key and renders in the user's language."""

from __future__ import annotations

from typing import Any

from bot.i18n import t
from bot.roles import Role


class UserError(Exception):
    """Bad input or a refused action: answered with a short localized message."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def render(self) -> str:
        return t(self.key, **self.params)


class Refused(UserError):
    """The actor lacks the role a command needs; the answer names that role."""

    def __init__(self, needed: Role) -> None:
        super().__init__("error.role_needed")
        self.needed = needed

    def render(self) -> str:
        return t(self.key, role=t(f"role.{self.needed.key}"))
