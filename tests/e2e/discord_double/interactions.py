"""Building INTERACTION_CREATE payloads the way the Discord client would.

A slash command is described by its path ("remind me") and option values; the path is
resolved against the commands the bot actually synced, so option names, nesting
(subcommand groups/subcommands) and value types come from the bot's own definitions. A
story that uses an option the bot did not declare fails here, as it would in the client.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import state as st
from .permissions import ALL, channel_permissions

if TYPE_CHECKING:
    from .server import DiscordDouble

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = range(3, 12)
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


class CommandNotFound(LookupError):
    pass


class CommandNotAvailable(PermissionError):
    """The Discord client would not offer this command to this user here."""


@dataclass
class ResolvedCommand:
    command: st.Command
    chain: list[dict[str, Any]]  # subcommand group / subcommand option definitions
    options: list[dict[str, Any]]  # the leaf's option definitions


class InteractionFactory:
    def __init__(self, double: DiscordDouble) -> None:
        self.double = double
        self.state = double.state

    # commands ----------------------------------------------------------------------------

    def resolve(self, guild_id: int | None, path: str, *, command_type: int = 1) -> ResolvedCommand:
        words = path.strip().lstrip("/").split()
        if not words:
            raise CommandNotFound("empty command path")
        scopes = ([guild_id] if guild_id is not None else []) + [None]
        command = None
        for scope in scopes:
            for cmd in self.state.commands.get(scope, []):
                if cmd.name == words[0] and cmd.type == command_type:
                    command = cmd
                    break
            if command is not None:
                break
        if command is None:
            names = sorted({c.name for s in scopes for c in self.state.commands.get(s, [])})
            raise CommandNotFound(f"/{words[0]} is not among the synced commands: {names}")
        node: dict[str, Any] = command.payload
        chain: list[dict[str, Any]] = []
        for word in words[1:]:
            subs = [
                o
                for o in node.get("options") or []
                if o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)
            ]
            match = next((o for o in subs if o["name"] == word), None)
            if match is None:
                have = [o["name"] for o in subs]
                raise CommandNotFound(
                    f"/{' '.join(words)}: {word!r} is not a subcommand; have {have}"
                )
            chain.append(match)
            node = match
        leaf_subs = [
            o for o in node.get("options") or [] if o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)
        ]
        if leaf_subs:
            raise CommandNotFound(
                f"/{' '.join(words)} needs a subcommand: {[o['name'] for o in leaf_subs]}"
            )
        return ResolvedCommand(command, chain, list(node.get("options") or []))

    def ensure_available(
        self, resolved: ResolvedCommand, user: st.User, channel: st.Channel
    ) -> None:
        """Discord hides a command whose default_member_permissions the user lacks in the
        channel, and one whose contexts exclude where the user is (guild vs bot DM)."""
        payload = resolved.command.payload
        context = 0 if channel.guild_id is not None else 1
        contexts = payload.get("contexts")
        if (contexts is not None and context not in contexts) or (
            context == 1 and payload.get("dm_permission") is False
        ):
            where = "a server" if context == 0 else "DMs"
            raise CommandNotAvailable(f"/{resolved.command.name} is not available in {where}")
        needed = payload.get("default_member_permissions")
        if needed is None or channel.guild_id is None:
            return
        guild = self.state.guilds[channel.guild_id]
        has = channel_permissions(guild, user.id, channel)
        if int(needed) & has != int(needed) or (int(needed) == 0 and has != ALL):
            raise CommandNotAvailable(
                f"{user.username} does not see /{resolved.command.name} "
                f"(needs permissions {needed})"
            )

    def command_data(
        self,
        resolved: ResolvedCommand,
        values: dict[str, Any],
        *,
        guild_id: int | None,
        channel: st.Channel,
        user: st.User,
        focused: str | None = None,
    ) -> dict[str, Any]:
        defs = {o["name"]: o for o in resolved.options}
        unknown = set(values) - set(defs)
        if unknown:
            raise ValueError(
                f"options {sorted(unknown)} are not declared; the command has {sorted(defs)}"
            )
        resolved_data: dict[str, dict[str, Any]] = {}
        options: list[dict[str, Any]] = []
        for name, definition in defs.items():
            if name not in values:
                if definition.get("required") and focused is None:
                    raise ValueError(f"option {name!r} is required")
                continue
            if name == focused:
                options.append(
                    {
                        "name": name,
                        "type": definition["type"],
                        "value": str(values[name]),
                        "focused": True,
                    }
                )
                continue
            value = self._convert(definition, values[name], guild_id, channel, user, resolved_data)
            options.append({"name": name, "type": definition["type"], "value": value})
        for sub in reversed(resolved.chain):
            options = [{"name": sub["name"], "type": sub["type"], "options": options}]
        data: dict[str, Any] = {
            "id": str(resolved.command.id),
            "name": resolved.command.name,
            "type": resolved.command.type,
            "options": options,
        }
        if resolved.command.guild_id is not None:
            data["guild_id"] = str(resolved.command.guild_id)
        if resolved_data:
            data["resolved"] = resolved_data
        return data

    def _convert(
        self,
        definition: dict[str, Any],
        value: Any,
        guild_id: int | None,
        channel: st.Channel,
        invoker: st.User,
        resolved: dict[str, dict[str, Any]],
    ) -> Any:
        kind = definition["type"]
        name = definition["name"]
        payloads = self.double.payloads
        if kind in (STRING, INTEGER, NUMBER):
            value = {STRING: str, INTEGER: int, NUMBER: float}[kind](
                self._choice(definition, value) if definition.get("choices") else value
            )
            if kind == STRING:
                low, high = definition.get("min_length", 0), definition.get("max_length", 6000)
                if not low <= len(value) <= high:
                    raise ValueError(f"option {name!r}: length must be {low}..{high}")
            else:
                low, high = definition.get("min_value"), definition.get("max_value")
                if (low is not None and value < low) or (high is not None and value > high):
                    raise ValueError(f"option {name!r}: {value} outside {low}..{high}")
            return value
        if kind == BOOLEAN:
            return bool(value)
        if kind in (USER, MENTIONABLE) and not (
            kind == MENTIONABLE and self._is_role(guild_id, value)
        ):
            user = self._user(value)
            resolved.setdefault("users", {})[str(user.id)] = payloads.user(user)
            if guild_id is not None:
                guild = self.state.guilds[guild_id]
                member = guild.members.get(user.id)
                if member is not None:
                    entry = payloads.member(member, with_user=False)
                    entry["permissions"] = str(channel_permissions(guild, user.id, channel))
                    resolved.setdefault("members", {})[str(user.id)] = entry
            return str(user.id)
        if kind in (ROLE, MENTIONABLE):
            role = self._role(guild_id, value)
            resolved.setdefault("roles", {})[str(role.id)] = payloads.role(role)
            return str(role.id)
        if kind == CHANNEL:
            target = self._channel(guild_id, value)
            allowed = definition.get("channel_types")
            if allowed and target.type not in allowed:
                raise ValueError(f"option {name!r}: channel type {target.type} not in {allowed}")
            # Interactions carry the *invoking user's* view of resolved channels.
            resolved.setdefault("channels", {})[str(target.id)] = payloads.partial_channel(
                target, for_user=invoker.id
            )
            return str(target.id)
        if kind == ATTACHMENT:
            filename, data = value
            att = st.Attachment(self.double.snowflakes.next(), filename, bytes(data))
            self.double.register_attachment(att)
            resolved.setdefault("attachments", {})[str(att.id)] = payloads.attachment(att)
            return str(att.id)
        raise ValueError(f"option type {kind} is not supported by the double")

    def _choice(self, definition: dict[str, Any], value: Any) -> Any:
        choices = definition["choices"]
        for choice in choices:
            if value == choice["value"] or (isinstance(value, str) and value == choice["name"]):
                return choice["value"]
        raise ValueError(
            f"option {definition['name']!r}: {value!r} is not one of {[c['name'] for c in choices]}"
        )

    def _user(self, value: Any) -> st.User:
        if isinstance(value, st.User):
            return value
        if isinstance(value, int):
            return self.state.users[value]
        return self.state.user_by_name(str(value))

    def _is_role(self, guild_id: int | None, value: Any) -> bool:
        if isinstance(value, st.Role):
            return True
        if guild_id is None or not isinstance(value, str):
            return False
        try:
            self.state.role_by_name(guild_id, value)
        except KeyError:
            return False
        return True

    def _role(self, guild_id: int | None, value: Any) -> st.Role:
        if isinstance(value, st.Role):
            return value
        if guild_id is None:
            raise ValueError("roles only exist in guilds")
        if isinstance(value, int):
            return self.state.guilds[guild_id].roles[value]
        return self.state.role_by_name(guild_id, str(value))

    def _channel(self, guild_id: int | None, value: Any) -> st.Channel:
        if isinstance(value, st.Channel):
            return value
        if isinstance(value, int):
            return self.state.channels[value]
        if guild_id is None:
            raise ValueError("channel options by name need a guild")
        return self.state.channel_by_name(guild_id, str(value))

    # interactions ------------------------------------------------------------------------

    def new(
        self,
        kind: int,
        user: st.User,
        channel: st.Channel,
        data: dict[str, Any],
        *,
        source: st.Message | None = None,
    ) -> st.InteractionRecord:
        record = st.InteractionRecord(
            id=self.double.snowflakes.next(),
            token=f"aW50ZXJhY3Rpb24.{secrets.token_urlsafe(48)}",
            type=kind,
            user_id=user.id,
            channel_id=channel.id,
            guild_id=channel.guild_id,
            data=data,
            source_message_id=source.id if source is not None else None,
            created_at=self.double.now(),
        )
        self.state.interactions[record.id] = record
        self.state.interactions_by_token[record.token] = record
        return record

    def payload(self, record: st.InteractionRecord) -> dict[str, Any]:
        payloads = self.double.payloads
        user = self.state.users[record.user_id]
        channel = self.state.channels[record.channel_id or 0]
        data: dict[str, Any] = {
            "id": str(record.id),
            "application_id": str(self.double.application_id),
            "type": record.type,
            "data": record.data,
            "channel_id": str(channel.id),
            "channel": payloads.partial_channel(channel, for_user=user.id),
            "token": record.token,
            "version": 1,
            "app_permissions": payloads.app_permissions(record.guild_id, channel),
            "locale": user.locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        }
        if record.guild_id is not None:
            guild = self.state.guilds[record.guild_id]
            member = payloads.member(guild.members[user.id])
            member["permissions"] = str(channel_permissions(guild, user.id, channel))
            data.update(
                guild_id=str(guild.id),
                guild={"id": str(guild.id), "locale": guild.preferred_locale, "features": []},
                guild_locale=guild.preferred_locale,
                member=member,
                authorizing_integration_owners={"0": str(guild.id)},
                context=0,
            )
        else:
            data.update(
                user=payloads.user(user),
                authorizing_integration_owners={"0": "0"},
                context=1,
            )
        if record.source_message_id is not None:
            source = self.state.messages[record.source_message_id]
            data["message"] = payloads.message(source)
        return data
