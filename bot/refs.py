"""Platform-neutral references (DESIGN.md rule 7): ids are "platform:id" strings."""

from __future__ import annotations

from dataclasses import dataclass, field


def platform_id(platform: str, native: str | int) -> str:
    return f"{platform}:{native}"


# What /privacy forget puts where a person's id was ("former-member:1a2b3c4d").
FORMER = "former-member"


def is_former(user_id: str) -> bool:
    """An id that /privacy forget anonymized: nobody to message any more."""
    return user_id.startswith(f"{FORMER}:")


def native_id(ref_id: str) -> str:
    """The front end's own id: 'discord:123' → '123', 'matrix:@a:b.org' → '@a:b.org'."""
    return ref_id.split(":", 1)[1]


@dataclass(frozen=True)
class UserRef:
    id: str
    name: str


@dataclass(frozen=True)
class ChannelRef:
    id: str
    name: str
    # A thread's channel: what is made in a thread belongs where its channel belongs.
    parent_id: str | None = None

    @property
    def home(self) -> str:
        """The channel that decides whose this place is (a group's, or nobody's)."""
        return self.parent_id or self.id


@dataclass(frozen=True)
class RoleRef:
    id: str
    name: str


@dataclass(frozen=True)
class Actor:
    """Who is acting, with what the front end knows about their standing in the guild."""

    user: UserRef
    is_admin: bool = False
    platform_roles: frozenset[str] = field(default_factory=frozenset)
