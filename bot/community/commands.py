"""/help, /settings, /role and /setup: the commands every guild starts with (the weekly
digest's day and its DMs are set here too, and kept by bot/digest)."""

from __future__ import annotations

from typing import Protocol

from bot.commands import ChannelKind, Choice, Command, Invocation, Option, OptionType, Registry
from bot.community.model import GuildConfig
from bot.community.service import CommunityService
from bot.digest import messages as digest_messages
from bot.digest.service import DigestService
from bot.errors import Refused, UserError
from bot.i18n import SUPPORTED_LOCALES, format_when, language_name, t, tn, use_locale
from bot.reference import describe
from bot.refs import ChannelRef, RoleRef, UserRef
from bot.replies import Embed, EmbedField, Reply
from bot.roles import GRANTABLE, Role
from bot.text import command_value, inert
from bot.timelang.zones import choosable
from bot.visibility import Viewer

_ROLE_CHOICES = tuple(r.key for r in GRANTABLE)
_PREFERRED_ZONES = ("Europe/Warsaw", "Europe/Amsterdam", "Europe/Sofia", "Europe/Brussels", "UTC")


def _zones() -> tuple[str, ...]:
    return choosable()


async def complete_timezone(ctx: Invocation, current: str) -> list[Choice]:
    needle = current.strip().lower().replace(" ", "_")
    if not needle:
        return [Choice(z, z) for z in _PREFERRED_ZONES]
    starts = [z for z in _zones() if z.lower().startswith(needle)]
    contains = [z for z in _zones() if needle in z.lower() and z not in starts]
    return [Choice(z, z) for z in (starts + contains)[:25]]


def role_name(role: Role) -> str:
    return t(f"role.{role.key}")


def _detail(command: Command) -> Embed:
    """One command in full, from the same description as the generated reference."""
    doc = describe(command)
    fields = [
        EmbedField(
            f"{o.name} ("
            + (t("help.option.required") if o.required else t("help.option.optional"))
            + ")",
            f"{o.description} — {o.takes}",
        )
        for o in doc.options
    ]
    if doc.example:
        fields.append(EmbedField(t("help.example.title"), f"`{doc.example}`"))
    group = command.path.rsplit(" ", 1)[0] if " " in command.path else None
    footer = t("help.footer.command", group=command_value(group)) if group else t("help.footer.top")
    description = doc.description + "\n" + t("help.who", who=doc.who)
    return Embed(
        title=f"/{command.path}", description=description, fields=tuple(fields), footer=footer
    )


class StartHere(Protocol):
    """The server's "Start here" message (bot/welcome), placed with /setup server welcome:."""

    async def check_start_here(self, channel: ChannelRef) -> None: ...

    async def place_start_here(self, guild_id: str, channel: ChannelRef | None) -> None: ...

    async def start_here(self, guild_id: str) -> ChannelRef | None: ...


class CommunityCommands:
    # /help lists what is registered, so it reads the registry it is registered in.
    _registry: Registry

    def __init__(
        self, service: CommunityService, digest: DigestService, start_here: StartHere
    ) -> None:
        self._service = service
        self._digest = digest
        self._start_here = start_here

    def register(self, registry: Registry) -> None:
        self._registry = registry
        language = Option("language", choices=SUPPORTED_LOCALES)
        zone = Option("timezone", autocomplete=complete_timezone, max_length=64)
        user = Option("user", OptionType.USER, required=True)
        role = Option("role", choices=_ROLE_CHOICES, required=True)
        registry.add(
            Command(
                "help",
                Role.DIRECTOR,
                self.help,
                (Option("command", autocomplete=self._complete_top, max_length=32),),
            ),
            Command("settings show", Role.DIRECTOR, self.settings_show),
            Command(
                "settings language",
                Role.DIRECTOR,
                self.settings_language,
                (Option("language", choices=SUPPORTED_LOCALES, required=True),),
            ),
            Command(
                "settings timezone",
                Role.DIRECTOR,
                self.settings_timezone,
                (Option("timezone", required=True, autocomplete=complete_timezone, max_length=64),),
            ),
            Command(
                "settings digest",
                Role.DIRECTOR,
                self.settings_digest,
                (Option("dm", choices=("on", "off"), required=True),),
            ),
            Command("role grant", Role.ADMIN, self.role_grant, (user, role), audit=True),
            Command("role revoke", Role.ADMIN, self.role_revoke, (user, role), audit=True),
            Command("role list", Role.ADMIN, self.role_list),
            Command(
                "setup server",
                Role.ADMIN,
                self.setup_server,
                (
                    Option("forum", OptionType.CHANNEL, channel_kinds=(ChannelKind.FORUM,)),
                    Option("log", OptionType.CHANNEL, channel_kinds=(ChannelKind.TEXT,)),
                    language,
                    zone,
                    # The public web page: on or off for this server, and the link it offers.
                    Option("public", choices=("yes", "no")),
                    Option("invite", max_length=300),
                    # The weekly digest's day and hour ("poniedziałek 9:00"), or "off".
                    Option("digest", max_length=100),
                    # Where the "Start here" message with the welcome's buttons is posted.
                    Option("welcome", OptionType.CHANNEL, channel_kinds=(ChannelKind.TEXT,)),
                ),
                audit=True,
            ),
            Command(
                "setup role",
                Role.ADMIN,
                self.setup_role,
                (role, Option("guild_role", OptionType.ROLE, required=True)),
                audit=True,
            ),
        )

    # -- /help -----------------------------------------------------------------------

    def _allowed(self, ctx: Invocation) -> dict[str, list[Command]]:
        """What this user may run here, by top-level command."""
        groups: dict[str, list[Command]] = {}
        for command in sorted(self._registry.all(), key=lambda c: c.path):
            if command.available_on(ctx.platform) and ctx.role >= command.role:
                groups.setdefault(command.path.split(" ")[0], []).append(command)
        return groups

    async def _complete_top(self, ctx: Invocation, current: str) -> list[Choice]:
        """Groups and commands this user may run, as `/help command:` takes them: the
        level being typed ('re' → remind), and a group's commands once it is named."""
        typed = " ".join(current.lower().lstrip("/").split())
        names: list[str] = []
        for commands in self._allowed(ctx).values():
            for command in commands:
                words = command.path.split(" ")
                names += [" ".join(words[:size]) for size in range(1, len(words) + 1)]
        depth = max(1, len(typed.split())) + (1 if typed in names else 0)
        shown = [n for n in dict.fromkeys(names) if n.startswith(typed) and n.count(" ") < depth]
        return [Choice(name, name) for name in shown[:25]]

    async def help(self, ctx: Invocation, command: str | None = None) -> Reply:
        """An overview (one line per top-level command, within Discord's embed limits);
        a group's subcommands; or one command in full: options, who, an example."""
        if command is None:
            return self._overview(ctx)
        asked = " ".join(command.strip().lstrip("/!").lower().split())
        found = self._registry.get(asked)
        if found is not None and found.available_on(ctx.platform):
            return Reply(embeds=(_detail(found),), ephemeral=True)
        inside = [c for c in self._registry.under(asked) if c.available_on(ctx.platform)]
        if not inside:
            raise self._registry.unknown(asked or command)
        allowed = [c for c in inside if ctx.role >= c.role]
        if not allowed:
            raise Refused(min(c.role for c in inside))
        lines = [t("cmd." + asked.replace(" ", ".") + ".desc"), ""]
        lines += [f"`/{c.path}` — {t(c.key + '.desc')}" for c in allowed]
        footer = t("help.footer.group", command=command_value(allowed[0].path))
        embed = Embed(title=f"/{asked}", description="\n".join(lines), footer=footer)
        return Reply(embeds=(embed,), ephemeral=True)

    def _overview(self, ctx: Invocation) -> Reply:
        lines = []
        for top, commands in self._allowed(ctx).items():
            subs = ", ".join(c.path.split(" ", 1)[1] for c in commands if " " in c.path)
            summary = t(f"cmd.{top}.desc") + (f": {subs}" if subs else "")
            lines.append(f"`/{top}` — {summary}")
        description = t("help.intro", role=role_name(ctx.role)) + "\n\n" + "\n".join(lines)
        embed = Embed(title=t("help.title"), description=description, footer=t("help.footer"))
        return Reply(embeds=(embed,), ephemeral=True)

    # -- /settings -------------------------------------------------------------------

    async def settings_show(self, ctx: Invocation) -> Reply:
        prefs = await self._service.prefs(ctx.actor.user.id)
        lines = [
            t("settings.show.language", language=language_name(ctx.locale)),
            t("settings.show.timezone", timezone=ctx.timezone),
            t("settings.show.role", role=role_name(ctx.role)),
        ]
        # The digest by DM is a server's, and worth a line only where there is one.
        if not Viewer.of(ctx).in_dm and await self._digest.weekly(ctx.guild_id) is not None:
            on = await self._digest.reads_by_dm(ctx.guild_id, ctx.actor.user.id)
            lines.append(t("settings.show.digest_on" if on else "settings.show.digest_off"))
        if not prefs.locale and not prefs.timezone:
            lines.append(t("settings.show.defaults"))
        return Reply("\n".join(lines), ephemeral=True)

    async def settings_language(self, ctx: Invocation, language: str) -> Reply:
        locale = await self._service.set_language(ctx.actor.user, language)
        return Reply(
            t("settings.language.done", locale=locale, language=language_name(locale)),
            ephemeral=True,
        )

    async def settings_timezone(self, ctx: Invocation, timezone: str) -> Reply:
        zone = await self._service.set_timezone(ctx.actor.user, timezone)
        local_now = format_when(ctx.now, zone)
        return Reply(t("settings.timezone.done", timezone=zone, now=local_now), ephemeral=True)

    async def settings_digest(self, ctx: Invocation, dm: str) -> Reply:
        """The server's weekly digest by DM too, in one's own language and zone."""
        if Viewer.of(ctx).in_dm:  # a DM has no server whose digest it could be
            raise UserError("error.digest.in_dm")
        weekly = await self._digest.set_reader(ctx.guild_id, ctx.actor.user, dm == "on")
        return digest_messages.reader(dm == "on", weekly)

    # -- /role -----------------------------------------------------------------------

    async def role_grant(self, ctx: Invocation, user: UserRef, role: str) -> Reply:
        wanted = Role[role.upper()]
        change = await self._service.grant(ctx.guild_id, user, wanted, by=ctx.actor.user)
        key = "role.granted" if change.changed else "role.already"
        return self._role_reply(key, user, wanted, change.platform_role_failed)

    async def role_revoke(self, ctx: Invocation, user: UserRef, role: str) -> Reply:
        wanted = Role[role.upper()]
        change = await self._service.revoke(ctx.guild_id, user, wanted)
        key = "role.revoked" if change.changed else "role.not_held"
        return self._role_reply(key, user, wanted, change.platform_role_failed)

    def _role_reply(self, key: str, user: UserRef, role: Role, failed: str | None) -> Reply:
        text = t(key, user=inert(user.name), role=role_name(role))
        if failed:
            text += "\n" + t("role.platform_failed", role=inert(failed))
        return Reply(text, ephemeral=True)

    async def role_list(self, ctx: Invocation) -> Reply:
        grants = await self._service.grants(ctx.guild_id)
        if not grants:
            return Reply(t("role.list.empty"), ephemeral=True)
        lines = [f"• {inert(g.display_name)} — {role_name(g.role)}" for g in grants]
        people = len({g.user_id for g in grants})
        return Reply(tn("role.list.title", people) + "\n" + "\n".join(lines), ephemeral=True)

    # -- /setup ----------------------------------------------------------------------

    async def setup_server(
        self,
        ctx: Invocation,
        forum: ChannelRef | None = None,
        log: ChannelRef | None = None,
        language: str | None = None,
        timezone: str | None = None,
        public: str | None = None,
        invite: str | None = None,
        digest: str | None = None,
        welcome: ChannelRef | None = None,
    ) -> Reply:
        changed = any(
            v is not None for v in (forum, log, language, timezone, public, invite, digest, welcome)
        )
        # Read before anything is saved: a phrase refused changes nothing.
        weekly = None if digest is None else self._digest.read(digest, today=ctx.now.date())
        if welcome is not None:
            await self._start_here.check_start_here(welcome)
        config = await self._service.configure(
            ctx.guild_id,
            forum=forum,
            log_channel=log,
            language=language,
            timezone=timezone,
            public=None if public is None else public == "yes",
            invite=invite,
        )
        if digest is not None:
            await self._digest.apply(ctx.guild_id, weekly)
        elif timezone is not None:
            await self._digest.follow_zone(ctx.guild_id)
        if welcome is not None or language is not None:
            # Posted, moved, or worded again in the server's new language.
            await self._start_here.place_start_here(ctx.guild_id, welcome)
        # Answered in the language the admin now gets: the server's new one, unless theirs
        # is their own choice or their client's.
        locale = ctx.locale
        if language is not None:
            locale = await self._service.locale_for(
                ctx.actor.user.id, ctx.guild_id, ctx.locale_hint
            )
        with use_locale(locale):
            return await self._setup_shown(ctx, config, changed=changed)

    async def _setup_shown(self, ctx: Invocation, config: GuildConfig, *, changed: bool) -> Reply:
        """The server's settings as they now are, in the current language."""
        start_here = await self._start_here.start_here(ctx.guild_id)
        mappings = await self._service.mappings(ctx.guild_id)
        unset = t("setup.unset")
        fields = (
            EmbedField(t("setup.forum"), f"#{inert(config.forum.name)}" if config.forum else unset),
            EmbedField(t("setup.log"), f"#{inert(config.log.name)}" if config.log else unset),
            EmbedField(
                t("setup.language"),
                language_name(config.locale or self._service.default_locale),
            ),
            EmbedField(t("setup.timezone"), config.timezone or self._service.default_timezone),
            EmbedField(
                t("setup.roles"),
                "\n".join(f"{role_name(m.role)} → @{inert(m.platform_role.name)}" for m in mappings)
                or unset,
            ),
            EmbedField(
                t("setup.public"),
                t("setup.public.on") if config.public else t("setup.public.off"),
            ),
            EmbedField(t("setup.invite"), inert(config.invite) if config.invite else unset),
            EmbedField(
                t("setup.digest"),
                digest_messages.setting(await self._digest.weekly(ctx.guild_id)),
            ),
            EmbedField(t("setup.welcome"), f"#{inert(start_here.name)}" if start_here else unset),
        )
        title = t("setup.saved") if changed else t("setup.current")
        return Reply(embeds=(Embed(title=title, fields=fields),), ephemeral=True)

    async def setup_role(self, ctx: Invocation, role: str, guild_role: RoleRef) -> Reply:
        mapping = await self._service.map_role(ctx.guild_id, Role[role.upper()], guild_role)
        return Reply(
            t(
                "setup.role.done",
                role=role_name(mapping.role),
                guild_role=inert(mapping.platform_role.name),
            ),
            ephemeral=True,
        )
