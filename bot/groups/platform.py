"""A group's role and channel as the other parts of the feature use them.

`GroupPlatform` gives a group's role to people and takes it back, and says things in the
group's channel in the server's language. Management, membership and meetings share it.
A refused role is logged, never raised: the member rows stay the truth, and `/group
repair` gives the roles again.
"""

from __future__ import annotations

import logging

from bot.groups.model import Group
from bot.i18n import t
from bot.notify import Build, Notifier
from bot.ports import Access, DeliveryFailed, Members
from bot.text import command_value

log = logging.getLogger(__name__)


class GroupPlatform:
    def __init__(self, members: Members, notify: Notifier) -> None:
        self._members = members
        self._notify = notify

    async def give_role(self, group: Group, user_id: str) -> Access | None:
        """What giving the group's role came to (a group without a role has nothing more to
        give than its member row: GIVEN); None when the platform refused it."""
        if not group.role_id:
            return Access.GIVEN
        try:
            return await self._members.add_role(group.guild_id, user_id, group.role_id)
        except DeliveryFailed as exc:
            log.warning("could not give the role of %s to %s: %s", group.name, user_id, exc)
            return None

    async def take_role(self, group: Group, user_id: str) -> None:
        """Someone left the group (at their own request: nobody else takes a group's role
        away from a member), which the platform is told with the change."""
        await self._remove(group, user_id, "group.left.reason")

    async def show_out(self, group: Group, user_id: str) -> None:
        """Take out of the group's channel someone who came in without being a member (a
        guest another member let into a group by approval): what is said there is for
        its members only. The reason says how to ask."""
        await self._remove(group, user_id, "group.guest.reason")

    async def _remove(self, group: Group, user_id: str, reason_key: str) -> None:
        if group.role_id:
            reason = t(reason_key, name=group.name, typed=command_value(group.name))
            try:
                await self._members.remove_role(
                    group.guild_id, user_id, group.role_id, reason=reason
                )
            except DeliveryFailed as exc:
                log.warning("could not take the role of %s from %s: %s", group.name, user_id, exc)

    async def post(self, group: Group, build: Build) -> None:
        """Say something in the group's channel, in the server's language."""
        if group.channel_id:
            await self._notify.post(group.channel_id, group.guild_id, build)
