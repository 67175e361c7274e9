"""A director's profile: the library and town shown beside their name in groups.

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
    ) -> Profile:
        current = await self._store.profile(user.id) or Profile(user.id, "", "")
        profile = Profile(
            user.id,
            clean_name(library, option="library") if library is not None else current.library,
            clean_name(town, option="town") if town is not None else current.town,
            current.show_name if show_name is None else show_name,
        )
        await self._community.remember(user)
        await self._store.save_profile(profile, self._clock.now())
        return profile

    async def profile(self, user_id: str) -> Profile | None:
        return await self._store.profile(user_id)
