"""A director's profile: the name they go by, and the library and town shown beside it.

`Profiles` saves and reads it, and whether the person lets the public web page show their
name beside the groups they initiate.
"""

from __future__ import annotations

from bot.clock import Clock
from bot.community.service import CommunityService
from bot.groups.model import Profile
from bot.groups.store import GroupStore
from bot.refs import UserRef
from bot.text import clean_name


class Profiles:
    def __init__(self, store: GroupStore, clock: Clock, community: CommunityService) -> None:
        self._store = store
        self._clock = clock
        self._community = community

    async def set_profile(
        self,
        user: UserRef,
        library: str | None,
        town: str | None,
        show_name: bool | None = None,
        full_name: str | None = None,
    ) -> Profile:
        current = await self._store.profile(user.id) or Profile(user.id, "", "")
        profile = Profile(
            user.id,
            clean_name(library, option="library") if library is not None else current.library,
            clean_name(town, option="town") if town is not None else current.town,
            current.show_name if show_name is None else show_name,
            clean_name(full_name, option="name") if full_name is not None else current.full_name,
        )
        await self._community.remember(user)
        await self._store.save_profile(profile, self._clock.now())
        return profile

    async def profile(self, user_id: str) -> Profile | None:
        return await self._store.profile(user_id)

    async def full_name(self, user_id: str) -> str | None:
        """The name the person chose in their profile, if they chose one."""
        profile = await self._store.profile(user_id)
        return profile.full_name if profile and profile.full_name else None
