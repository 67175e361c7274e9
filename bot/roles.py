"""The four roles of DESIGN.md, ordered by what they may do."""

from __future__ import annotations

from enum import IntEnum


class Role(IntEnum):
    DIRECTOR = 0
    INITIATOR = 1
    MODERATOR = 2
    ADMIN = 3

    @property
    def key(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Role | None:
        return cls.__members__.get(value.strip().upper())


GRANTABLE = (Role.INITIATOR, Role.MODERATOR, Role.ADMIN)
