"""Who may see what: the one rule for content made in or for a local group.

A group's content — its events and event series, and the sign-up sheets, polls and panels
posted in its channel — is seen by the group's members (initiators are members too), the
server's moderators and its admins, and by nobody else. An event not announced yet is
seen by its creator, the initiators of its group, moderators and admins. Content tied to
no group is seen by everyone in its server.

To anyone else such content does not exist: every service looks content up through this
rule, so a command, a button, a suggestion or a calendar file answers exactly as for an
unknown number, and no title leaks. Feature services hold the rows; this module only
decides, from a `Scope` the row gives (its server, its group, whether it is announced), and
names the groups of content a viewer was already let see (to tell a group's thing from the
whole network's of the same title).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

from bot.refs import Actor, UserRef
from bot.roles import Role

if TYPE_CHECKING:
    from bot.commands import Invocation

T = TypeVar("T")

# A direct message has no server: front ends give it the guild id "<platform>:dm".
_DM = "dm"


@dataclass(frozen=True)
class Viewer:
    """Who looks, where they act from, and their role there."""

    user: UserRef
    guild_id: str
    role: Role
    # The core acting on its own (a scheduled job, one feature using another's rows).
    system: bool = False

    @classmethod
    def of(cls, ctx: Invocation) -> Viewer:
        return cls(ctx.actor.user, ctx.guild_id, ctx.role)

    @property
    def user_id(self) -> str:
        return self.user.id

    @property
    def in_dm(self) -> bool:
        return self.guild_id.partition(":")[2] == _DM


# The core itself: sees everything, in every server.
SYSTEM = Viewer(UserRef("", ""), "", Role.ADMIN, system=True)


def anyone_in(guild_id: str) -> Viewer:
    """Anyone in the server: a director in no group. What is posted for everyone there
    (the weekly digest) is read as them, so nothing of a group's reaches it."""
    return Viewer(UserRef("", ""), guild_id, Role.DIRECTOR)


def core_acting_for(user: UserRef) -> Viewer:
    """The core doing something for a person it already checked (or must do regardless,
    like erasing them): sees everything."""
    return Viewer(user, "", Role.ADMIN, system=True)


@dataclass(frozen=True)
class Scope:
    """What the rule needs to know about one piece of content."""

    guild_id: str
    group_id: int | None = None
    # The creator, while the content is not announced yet (events); None once it is.
    unpublished_by: str | None = None


@dataclass(frozen=True)
class Sight:
    """What one viewer sees in one server, read once: for lists and suggestions."""

    guild_id: str
    user_id: str
    role: Role | None  # None: the viewer acts from another server
    groups: frozenset[int] = frozenset()  # groups they are a member of
    leads: frozenset[int] = frozenset()  # groups they are an initiator of

    def sees(self, scope: Scope) -> bool:
        if self.role is None or scope.guild_id != self.guild_id:
            return False
        if self.role >= Role.MODERATOR:
            return True
        if scope.unpublished_by is not None:
            return scope.unpublished_by == self.user_id or scope.group_id in self.leads
        return scope.group_id is None or scope.group_id in self.groups


class Insiders(Protocol):
    """What the groups feature tells the rule (GroupDirectory)."""

    async def insider(self, group_id: int, user_id: str) -> tuple[bool, bool]:
        """(a member, an initiator) of that group."""
        ...

    async def insider_groups(
        self, guild_id: str, user_id: str
    ) -> tuple[frozenset[int], frozenset[int]]:
        """(the groups they are a member of, those they lead) in that server."""
        ...

    async def group_of_channel(self, channel_id: str) -> int | None: ...

    async def group_name(self, group_id: int) -> str | None:
        """The group's name; None when it is gone."""
        ...


RoleOf = Callable[[str, Actor], Awaitable[Role]]


class Visibility:
    def __init__(self, insiders: Insiders, role_of: RoleOf) -> None:
        self._insiders = insiders
        self._role_of = role_of

    async def role_in(self, viewer: Viewer, guild_id: str) -> Role | None:
        """The viewer's role in the content's server; None when they act from another.
        From a direct message (reminders, offers) only the roles granted in the database
        are known there: a DM carries no server roles."""
        if viewer.system:
            return Role.ADMIN
        if viewer.guild_id == guild_id:
            return viewer.role
        platform = viewer.guild_id.partition(":")[0]
        if viewer.in_dm and guild_id.partition(":")[0] == platform:
            return await self._role_of(guild_id, Actor(viewer.user))
        return None

    async def sees(self, viewer: Viewer, scope: Scope) -> bool:
        """The rule for one piece of content (reads the database only when it must)."""
        role = await self.role_in(viewer, scope.guild_id)
        if role is None:
            return False
        if role >= Role.MODERATOR:
            return True
        if scope.unpublished_by is not None:
            if scope.unpublished_by == viewer.user_id:
                return True
            if scope.group_id is None:
                return False
            return (await self._insiders.insider(scope.group_id, viewer.user_id))[1]
        if scope.group_id is None:
            return True
        return (await self._insiders.insider(scope.group_id, viewer.user_id))[0]

    async def sight(self, viewer: Viewer, guild_id: str) -> Sight:
        role = await self.role_in(viewer, guild_id)
        if role is None or role >= Role.MODERATOR:
            return Sight(guild_id, viewer.user_id, role)
        groups, leads = await self._insiders.insider_groups(guild_id, viewer.user_id)
        return Sight(guild_id, viewer.user_id, role, groups, leads)

    async def keep(
        self, viewer: Viewer, items: Iterable[T], scope_of: Callable[[T], Scope]
    ) -> list[T]:
        """The items the viewer sees, in their order (rows of any servers)."""
        sights: dict[str, Sight] = {}
        kept = []
        for item in items:
            scope = scope_of(item)
            sight = sights.get(scope.guild_id)
            if sight is None:
                sight = sights[scope.guild_id] = await self.sight(viewer, scope.guild_id)
            if sight.sees(scope):
                kept.append(item)
        return kept

    async def group_of_channel(self, channel_id: str) -> int | None:
        """The group whose channel this is: content posted there is that group's."""
        return await self._insiders.group_of_channel(channel_id)

    async def group_names(self, group_ids: Iterable[int | None]) -> dict[int, str]:
        """The names of these groups (None, the whole network's, is skipped). Only for
        content the viewer already sees (`keep`): its group is then theirs to know."""
        names = {}
        for group_id in {g for g in group_ids if g is not None}:
            name = await self._insiders.group_name(group_id)
            if name is not None:
                names[group_id] = name
        return names
