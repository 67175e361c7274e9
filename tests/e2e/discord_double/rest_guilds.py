"""Guild, roles, members (and their roles) and guild scheduled events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiohttp import web

from . import limits
from . import state as st
from .errors import (
    UNKNOWN_GUILD,
    UNKNOWN_MEMBER,
    UNKNOWN_ROLE,
    UNKNOWN_SCHEDULED_EVENT,
    DiscordError,
    FormErrors,
    missing_permissions,
    not_found,
)
from .gateway import GUILD_MEMBERS
from .http_util import Routes, json_response, no_content, query_limit, read_body, read_json, route
from .permissions import bit, top_role_position


class GuildRoutes(Routes):
    def guild(self, request: web.Request) -> st.Guild:
        guild = self.state.guilds.get(int(request.match_info["guild_id"]))
        if guild is None:
            raise not_found(UNKNOWN_GUILD, "Guild")
        return guild

    def role(self, guild: st.Guild, request: web.Request) -> st.Role:
        role = guild.roles.get(int(request.match_info["role_id"]))
        if role is None:
            raise not_found(UNKNOWN_ROLE, "Role")
        return role

    def member(self, guild: st.Guild, request: web.Request) -> st.Member:
        raw = request.match_info.get("user_id", "0")
        member = guild.members.get(int(raw))
        if member is None:
            raise not_found(UNKNOWN_MEMBER, "Member")
        return member

    def _check_hierarchy(self, guild: st.Guild, role: st.Role) -> None:
        # Discord: a bot can only manage roles below its own highest role.
        if self.double.bot_user.id == guild.owner_id:
            return
        if role.position >= top_role_position(guild, self.double.bot_user.id) or role.managed:
            raise missing_permissions()

    def _member_update(self, guild: st.Guild, member: st.Member) -> None:
        self.double.dispatch(
            "GUILD_MEMBER_UPDATE", {**self.payloads.member(member), "guild_id": str(guild.id)}
        )

    @route("GET", "/guilds/{guild_id}")
    async def get_guild(self, request: web.Request) -> web.Response:
        guild = self.guild(request)
        counts = request.query.get("with_counts") in ("true", "1")
        return json_response(self.payloads.guild(guild, counts=counts))

    # roles -------------------------------------------------------------------------------

    @route("GET", "/guilds/{guild_id}/roles")
    async def list_roles(self, request: web.Request) -> web.Response:
        guild = self.guild(request)
        return json_response([self.payloads.role(r) for r in guild.roles.values()])

    @route("GET", "/guilds/{guild_id}/roles/{role_id}")
    async def get_role(self, request: web.Request) -> web.Response:
        guild = self.guild(request)
        return json_response(self.payloads.role(self.role(guild, request)))

    @route("POST", "/guilds/{guild_id}/roles")
    async def create_role(self, request: web.Request) -> web.Response:
        guild = self.guild(request)
        self.double.require_guild(guild, "manage_roles")
        body = await read_json(request)
        limits.check_role(body)
        permissions = int(body.get("permissions") or guild.everyone.permissions)
        if permissions & ~self.double.guild_permissions(guild):
            raise missing_permissions()
        # New roles go just above @everyone; everything else moves up one.
        for other in guild.roles.values():
            if other.id != guild.id:
                other.position += 1
        role = st.Role(
            id=self.double.snowflakes.next(),
            guild_id=guild.id,
            name=body.get("name") or "new role",
            permissions=permissions,
            position=1,
            color=int(body.get("color") or 0),
            hoist=bool(body.get("hoist", False)),
            mentionable=bool(body.get("mentionable", False)),
        )
        guild.roles[role.id] = role
        data = self.payloads.role(role)
        self.double.dispatch("GUILD_ROLE_CREATE", {"guild_id": str(guild.id), "role": data})
        return json_response(data)

    @route("PATCH", "/guilds/{guild_id}/roles/{role_id}")
    async def edit_role(self, request: web.Request) -> web.Response:
        guild = self.guild(request)
        self.double.require_guild(guild, "manage_roles")
        role = self.role(guild, request)
        self._check_hierarchy(guild, role)
        body = await read_json(request)
        limits.check_role(body)
        if "permissions" in body and body["permissions"] is not None:
            permissions = int(body["permissions"])
            if permissions & ~self.double.guild_permissions(guild):
                raise missing_permissions()
            role.permissions = permissions
        for key in ("name", "color", "hoist", "mentionable"):
            if key in body and body[key] is not None:
                setattr(role, key, body[key])
        data = self.payloads.role(role)
        self.double.dispatch("GUILD_ROLE_UPDATE", {"guild_id": str(guild.id), "role": data})
        return json_response(data)

    @route("PATCH", "/guilds/{guild_id}/roles")
    async def move_roles(self, request: web.Request) -> web.Response:
        guild = self.guild(request)
        self.double.require_guild(guild, "manage_roles")
        payload, _ = await read_body(request)
        for entry in payload.get("_list", []):
            role = guild.roles.get(int(entry["id"]))
            if role is None:
                raise not_found(UNKNOWN_ROLE, "Role")
            self._check_hierarchy(guild, role)
            role.position = int(entry["position"])
            data = self.payloads.role(role)
            self.double.dispatch("GUILD_ROLE_UPDATE", {"guild_id": str(guild.id), "role": data})
        return json_response([self.payloads.role(r) for r in guild.roles.values()])

    @route("DELETE", "/guilds/{guild_id}/roles/{role_id}")
    async def delete_role(self, request: web.Request) -> web.Response:
        guild = self.guild(request)
        self.double.require_guild(guild, "manage_roles")
        role = self.role(guild, request)
        if role.id == guild.id:
            raise DiscordError(400, 50028, "Invalid role")
        self._check_hierarchy(guild, role)
        del guild.roles[role.id]
        for member in guild.members.values():
            if role.id in member.roles:
                member.roles.remove(role.id)
        self.double.dispatch(
            "GUILD_ROLE_DELETE", {"guild_id": str(guild.id), "role_id": str(role.id)}
        )
        return no_content()

    # members -----------------------------------------------------------------------------

    @route("GET", "/guilds/{guild_id}/members")
    async def list_members(self, request: web.Request) -> web.Response:
        """Only for an application with the GUILD_MEMBERS intent switched on in the portal;
        otherwise 403 Missing Access. https://discord.com/developers/docs/resources/guild#list-guild-members
        """
        guild = self.guild(request)
        if not self.double.gateway.allowed_privileged_intents & GUILD_MEMBERS:
            raise DiscordError(403, 50001, "Missing Access")
        after = int(request.query.get("after", 0))
        limit = query_limit(request, default=1, most=1000)
        members = sorted(
            (m for m in guild.members.values() if m.user_id > after), key=lambda m: m.user_id
        )
        return json_response([self.payloads.member(m) for m in members[:limit]])

    @route("GET", "/guilds/{guild_id}/members/{user_id}")
    async def get_member(self, request: web.Request) -> web.Response:
        guild = self.guild(request)
        return json_response(self.payloads.member(self.member(guild, request)))

    @route("PATCH", "/guilds/{guild_id}/members/{user_id}")
    async def edit_member(self, request: web.Request) -> web.Response:
        guild = self.guild(request)
        member = self.member(guild, request)
        body = await read_json(request)
        if "roles" in body:
            self.double.require_guild(guild, "manage_roles")
            new = [int(r) for r in body["roles"] or []]
            for role_id in set(new) ^ set(member.roles):
                role = guild.roles.get(role_id)
                if role is None:
                    errs = FormErrors()
                    errs.add(("roles",), "UNKNOWN_ROLE", f"Unknown role {role_id}.")
                    errs.raise_if_any()
                    raise AssertionError("unreachable")
                self._check_hierarchy(guild, role)
            member.roles = new
        if "nick" in body:
            self.double.require_guild(guild, "manage_nicknames")
            member.nick = body["nick"]
        self._member_update(guild, member)
        return json_response(self.payloads.member(member))

    @route("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}")
    async def add_member_role(self, request: web.Request) -> web.Response:
        guild = self.guild(request)
        self.double.require_guild(guild, "manage_roles")
        member = self.member(guild, request)
        role = self.role(guild, request)
        self._check_hierarchy(guild, role)
        if role.id not in member.roles:
            member.roles.append(role.id)
            self._member_update(guild, member)
        return no_content()

    @route("DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}")
    async def remove_member_role(self, request: web.Request) -> web.Response:
        guild = self.guild(request)
        self.double.require_guild(guild, "manage_roles")
        member = self.member(guild, request)
        role = self.role(guild, request)
        self._check_hierarchy(guild, role)
        if role.id in member.roles:
            member.roles.remove(role.id)
            self._member_update(guild, member)
        return no_content()

    # scheduled events --------------------------------------------------------------------

    def event(self, guild: st.Guild, request: web.Request) -> st.ScheduledEvent:
        event = guild.scheduled_events.get(int(request.match_info["guild_scheduled_event_id"]))
        if event is None or event.deleted:
            raise not_found(UNKNOWN_SCHEDULED_EVENT, "Guild Scheduled Event")
        return event

    @route("GET", "/guilds/{guild_id}/scheduled-events")
    async def list_events(self, request: web.Request) -> web.Response:
        guild = self.guild(request)
        events = [e for e in guild.scheduled_events.values() if not e.deleted]
        return json_response([self.payloads.scheduled_event(e) for e in events])

    @route("GET", "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}")
    async def get_event(self, request: web.Request) -> web.Response:
        guild = self.guild(request)
        return json_response(self.payloads.scheduled_event(self.event(guild, request)))

    def _require_events(self, guild: st.Guild, *, creating: bool) -> None:
        perms = self.double.guild_permissions(guild)
        if perms & bit("manage_events"):
            return
        if creating and perms & bit("create_events"):
            return
        raise missing_permissions()

    def _check_event_channel(self, guild: st.Guild, entity_type: Any, channel_id: Any) -> None:
        """Stage events need a stage channel, voice events a voice channel.

        https://discord.com/developers/docs/resources/guild-scheduled-event#guild-scheduled-event-object-field-requirements-by-entity-type
        """
        wanted = {1: st.GUILD_STAGE_VOICE, 2: st.GUILD_VOICE}.get(entity_type)
        if wanted is None or not channel_id:
            return
        channel = self.state.channels.get(int(channel_id))
        if channel is None or channel.guild_id != guild.id or channel.type != wanted:
            errs = FormErrors()
            errs.add(
                ("channel_id",),
                "GUILD_SCHEDULED_EVENT_INVALID_CHANNEL_TYPE",
                "The channel type is not valid for this entity type.",
            )
            errs.raise_if_any()

    @route("POST", "/guilds/{guild_id}/scheduled-events")
    async def create_event(self, request: web.Request) -> web.Response:
        guild = self.guild(request)
        self._require_events(guild, creating=True)
        body = await read_json(request)
        limits.check_scheduled_event(body, now=self.double.now(), creating=True)
        channel_id = body.get("channel_id")
        self._check_event_channel(guild, body.get("entity_type"), channel_id)
        event = st.ScheduledEvent(
            id=self.double.snowflakes.next(),
            guild_id=guild.id,
            name=body["name"],
            description=body.get("description"),
            scheduled_start_time=datetime.fromisoformat(body["scheduled_start_time"]),
            scheduled_end_time=_time(body.get("scheduled_end_time")),
            entity_type=int(body["entity_type"]),
            privacy_level=int(body["privacy_level"]),
            channel_id=int(channel_id) if channel_id else None,
            entity_metadata=body.get("entity_metadata"),
            creator_id=self.double.bot_user.id,
            recurrence_rule=body.get("recurrence_rule"),
        )
        guild.scheduled_events[event.id] = event
        data = self.payloads.scheduled_event(event)
        self.double.dispatch("GUILD_SCHEDULED_EVENT_CREATE", data)
        return json_response(data)

    @route("PATCH", "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}")
    async def edit_event(self, request: web.Request) -> web.Response:
        guild = self.guild(request)
        self._require_events(guild, creating=False)
        event = self.event(guild, request)
        body = await read_json(request)
        limits.check_scheduled_event(
            {"entity_type": event.entity_type, **body}, now=self.double.now(), creating=False
        )
        status = body.get("status")
        if status is not None:
            allowed = {1: {2, 4}, 2: {3}}.get(event.status, set())
            if int(status) not in allowed:
                errs = FormErrors()
                errs.add(
                    ("status",),
                    "GUILD_SCHEDULED_EVENT_INVALID_STATUS",
                    "Invalid status transition.",
                )
                errs.raise_if_any()
            event.status = int(status)
        for key in ("name", "description", "entity_metadata", "entity_type"):
            if key in body:
                setattr(event, key, body[key])
        if "scheduled_start_time" in body:
            event.scheduled_start_time = datetime.fromisoformat(body["scheduled_start_time"])
        if "scheduled_end_time" in body:
            event.scheduled_end_time = _time(body["scheduled_end_time"])
        if "channel_id" in body:
            event.channel_id = int(body["channel_id"]) if body["channel_id"] else None
        data = self.payloads.scheduled_event(event)
        self.double.dispatch("GUILD_SCHEDULED_EVENT_UPDATE", data)
        return json_response(data)

    @route("DELETE", "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}")
    async def delete_event(self, request: web.Request) -> web.Response:
        guild = self.guild(request)
        self._require_events(guild, creating=False)
        event = self.event(guild, request)
        event.deleted = True
        self.double.dispatch("GUILD_SCHEDULED_EVENT_DELETE", self.payloads.scheduled_event(event))
        return no_content()


def _time(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
