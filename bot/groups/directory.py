"""Finding groups and places: the read side of local groups that other features ask.

`GroupDirectory` looks groups up (by name with suggestions, by id, by channel, near a
place), says who is a member or an initiator, and answers what the visibility rule asks
(bot/visibility.py). It only reads: many features take it for their lookups.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from difflib import get_close_matches

from bot.errors import UserError
from bot.geography.places import Gazetteer, Place, distance_km
from bot.geography.regions import region_named, region_names
from bot.groups.model import SERVED_KM, Group, Member, MemberStatus
from bot.groups.store import GroupStore
from bot.text import inert, normalize


@dataclass(frozen=True)
class Nearby:
    place: Place
    groups: list[tuple[Group, float]]  # nearest first, with the distance in km


# Places of one name listed when the name does not tell which (the biggest first).
SHOWN_NAMESAKES = 5


def find_place(gazetteer: Gazetteer, query: str) -> Place:
    """The place a person means, or a UserError that suggests the closest names (shared by
    /group near, creating a group, and the public page's "a group near me")."""
    place = gazetteer.find(query)
    if place is not None:
        namesakes = gazetteer.namesakes(query)
        labels = _labels(gazetteer, namesakes)
        if labels:
            # Never the biggest of a hundred villages silently: the person says which.
            raise UserError(
                "error.place.which",
                place=inert(query.strip()),
                count=len(namesakes),
                options="\n".join(f"• {inert(label)}" for label in labels),
                example=inert(labels[0]),
            )
        return place
    close = [p.label() for p in gazetteer.suggest(query)]
    if close:
        raise UserError("error.place.unknown_suggest", place=query, suggestions="; ".join(close))
    raise UserError("error.place.unknown", place=query)


def _labels(gazetteer: Gazetteer, places: list[Place]) -> list[str]:
    """The first SHOWN_NAMESAKES labels that find their own place when typed back (a few
    read alike, or hold a gmina's own parentheses); biggest first."""
    found: list[str] = []
    for place in places:
        label = place.label()
        if gazetteer.find(label) == place:
            found.append(label)
            if len(found) == SHOWN_NAMESAKES:
                break
    return found


def nearest_served(
    groups: list[Group], here: tuple[float, float], *, besides: int = 0
) -> tuple[Group, float] | None:
    """The nearest of these groups (but `besides`) that meets within SERVED_KM of `here`,
    with its distance in km: the town is served by it already. None when none is."""
    near = sorted(
        ((g, distance_km(here, g.point)) for g in groups if g.id != besides),
        key=lambda pair: pair[1],
    )
    if near and near[0][1] <= SERVED_KM:
        return near[0]
    return None


class GroupDirectory:
    def __init__(self, store: GroupStore, gazetteer: Gazetteer) -> None:
        self._store = store
        self._gazetteer = gazetteer

    # -- finding groups and places ---------------------------------------------------

    async def get(self, guild_id: str, name: str) -> Group:
        """The group of this name, or a UserError that suggests the nearest names."""
        group = await self._store.by_key(guild_id, normalize(name))
        if group is not None:
            return group
        names = [g.name for g in await self._store.all(guild_id, include_archived=True)]
        close = _closest(name, names)
        if close:
            raise UserError("error.group.unknown_suggest", name=name, suggestions=", ".join(close))
        raise UserError("error.group.unknown", name=name)

    async def all(self, guild_id: str, region: str | None = None) -> list[Group]:
        """The guild's groups; only those of `region` (any of its names) when given."""
        groups = await self._store.all(guild_id)
        if region:
            wanted = normalize(self.region(region))
            groups = [g for g in groups if normalize(g.region) == wanted]
        return groups

    def region(self, name: str) -> str:
        """The region's proper name ("małopolskie") for any of its names ("Małopolska",
        "Lesser Poland", "Малополско"), or a UserError when no region is called so."""
        region = region_named(name)
        if region is None:
            raise UserError("error.group.unknown_region", region=name.strip())
        return region

    async def created_since(self, guild_id: str, since: datetime) -> list[Group]:
        """The groups started at or after `since` (the weekly digest's new groups)."""
        return await self._store.created_since(guild_id, since)

    async def regions(self, guild_id: str, typed: str) -> list[str]:
        """The regions that have groups and a name containing `typed`, for autocomplete."""
        needle = normalize(typed)
        have = sorted({g.region for g in await self._store.all(guild_id)})
        return [r for r in have if any(needle in normalize(n) for n in region_names(r))]

    def places(self, query: str) -> list[Place]:
        return self._gazetteer.search(query)

    async def near(self, guild_id: str, query: str, radius_km: float) -> Nearby:
        place = find_place(self._gazetteer, query)
        here = (place.lat, place.lon)
        found = sorted(
            ((g, distance_km(here, g.point)) for g in await self._store.all(guild_id)),
            key=lambda pair: pair[1],
        )
        return Nearby(place, [(g, km) for g, km in found if km <= radius_km])

    async def served_besides(self, group: Group) -> tuple[Group, float] | None:
        """Another active group that already serves this group's town (the nearest, with
        its distance), or None."""
        return nearest_served(await self._store.all(group.guild_id), group.point, besides=group.id)

    async def members(self, group: Group) -> list[Member]:
        return await self._store.members(group.id)

    async def is_initiator(self, group: Group, user_id: str) -> bool:
        membership = await self._store.membership(group.id, user_id)
        return bool(membership and membership[1])

    async def groups_of(self, guild_id: str, user_id: str) -> list[Group]:
        return await self._store.groups_of(guild_id, user_id)

    async def initiated_by(self, guild_id: str, user_id: str) -> list[Group]:
        return await self._store.groups_initiated_by(guild_id, user_id)

    async def leads_channel(self, channel_id: str, user_id: str) -> bool:
        """Whether the user is an initiator of the group whose channel this is."""
        group = await self._store.by_channel(channel_id)
        return group is not None and await self.is_initiator(group, user_id)

    # -- what the visibility rule asks (bot/visibility.py) -----------------------------

    async def insider(self, group_id: int, user_id: str) -> tuple[bool, bool]:
        """(a member, an initiator): a pending request is neither."""
        membership = await self._store.membership(group_id, user_id)
        if membership is None or membership[0] is not MemberStatus.MEMBER:
            return False, False
        return True, membership[1]

    async def insider_groups(
        self, guild_id: str, user_id: str
    ) -> tuple[frozenset[int], frozenset[int]]:
        rows = await self._store.insider_groups(guild_id, user_id)
        return frozenset(g for g, _ in rows), frozenset(g for g, lead in rows if lead)

    async def group_of_channel(self, channel_id: str) -> int | None:
        group = await self._store.by_channel(channel_id)
        return group.id if group else None

    async def by_id(self, group_id: int) -> Group | None:
        return await self._store.get(group_id)

    async def group_name(self, group_id: int) -> str | None:
        group = await self._store.get(group_id)
        return group.name if group else None

    async def by_channel(self, channel_id: str) -> Group | None:
        return await self._store.by_channel(channel_id)


def _closest(name: str, names: list[str], limit: int = 3) -> list[str]:
    keys = {normalize(n): n for n in names}
    return [keys[k] for k in get_close_matches(normalize(name), list(keys), n=limit, cutoff=0.6)]
