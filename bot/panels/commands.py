"""/panel …: plan, start and end a panel; the floor, questions, pączki; and its buttons.

Moderators plan panels anywhere, an initiator in their own group's channel. The floor is
moved (and the panel started and ended) by the panel's own moderator, its creator, or a
server moderator or admin; everyone else may raise a hand, ask, vote and give pączki.
"""

from __future__ import annotations

from datetime import timedelta

from bot.commands import (
    ChannelKind,
    Choice,
    Command,
    Invocation,
    Limit,
    Option,
    OptionType,
    Registry,
)
from bot.errors import UserError
from bot.groups.directory import GroupDirectory
from bot.i18n import t
from bot.panels import messages
from bot.panels.model import (
    DEFAULT_DURATION,
    DEFAULT_TURN_MINUTES,
    EARLY_START,
    MAX_DURATION,
    MAX_QUESTION,
    MAX_SLOWMODE,
    MAX_TOPIC,
    MAX_TURN_MINUTES,
    MIN_DURATION,
    MIN_TURN_MINUTES,
    Panel,
    PanelStatus,
    check_topic,
    mentions_in,
)
from bot.panels.wiring import Panels
from bot.refs import ChannelRef, UserRef
from bot.replies import Button, ButtonStyle, Reply
from bot.roles import Role
from bot.text import inert, normalize
from bot.timelang.durations import parse_duration
from bot.timelang.timestamps import when as when_text
from bot.timelang.understand import understand_when
from bot.visibility import Viewer

LIVE = (PanelStatus.LIVE,)
NOT_ENDED = (PanelStatus.SCHEDULED, PanelStatus.LIVE)
# Ids are numbers people type; no panel of ours gets near this many questions.
MAX_ID = 100_000


class PanelCommands:
    def __init__(self, panels: Panels, groups: GroupDirectory) -> None:
        self._desk = panels.desk
        self._lifecycle = panels.lifecycle
        self._floor = panels.floor
        self._audience = panels.audience
        self._groups = groups

    def register(self, registry: Registry) -> None:
        panel = Option("panel", autocomplete=self._complete, max_length=200)
        registry.add(
            Command(
                "panel create",
                Role.INITIATOR,
                self.create,
                (
                    Option("topic", required=True, max_length=MAX_TOPIC),
                    Option("when", required=True, max_length=200),
                    Option("panelists", required=True, max_length=1000, lists_people=True),
                    Option("moderator", OptionType.USER),
                    Option(
                        "turn_minutes",
                        OptionType.INTEGER,
                        min_value=MIN_TURN_MINUTES,
                        max_value=MAX_TURN_MINUTES,
                    ),
                    Option("duration", max_length=20),
                    Option("channel", OptionType.CHANNEL, channel_kinds=(ChannelKind.TEXT,)),
                ),
                limit=Limit(10, timedelta(days=1)),
            ),
            Command(
                "panel start",
                Role.DIRECTOR,
                self.start,
                (
                    panel,
                    Option("slowmode", OptionType.INTEGER, min_value=0, max_value=MAX_SLOWMODE),
                    Option("thread", OptionType.BOOLEAN),
                ),
            ),
            Command("panel end", Role.DIRECTOR, self.end, (panel,)),
            Command("panel list", Role.DIRECTOR, self.listing),
            Command(
                "panel hand",
                Role.DIRECTOR,
                self.hand,
                (panel,),
                limit=Limit(10, timedelta(minutes=10)),
            ),
            Command("panel lower", Role.DIRECTOR, self.lower, (panel,)),
            Command("panel next", Role.DIRECTOR, self.next, (panel,)),
            Command(
                "panel floor",
                Role.DIRECTOR,
                self.floor,
                (Option("user", OptionType.USER, required=True), panel),
            ),
            Command("panel round", Role.DIRECTOR, self.round, (panel,)),
            Command(
                "panel ask",
                Role.DIRECTOR,
                self.ask,
                (Option("text", required=True, max_length=MAX_QUESTION), panel),
                limit=Limit(5, timedelta(minutes=10)),
            ),
            Command(
                "panel upvote",
                Role.DIRECTOR,
                self.upvote,
                (
                    Option(
                        "question", OptionType.INTEGER, required=True, min_value=1, max_value=MAX_ID
                    ),
                    panel,
                ),
            ),
            Command("panel question next", Role.DIRECTOR, self.question_next, (panel,)),
            Command(
                "panel question pick",
                Role.DIRECTOR,
                self.question_pick,
                (
                    Option("id", OptionType.INTEGER, required=True, min_value=1, max_value=MAX_ID),
                    panel,
                ),
            ),
            Command(
                "panel paczek", Role.DIRECTOR, self.paczek, (Option("user", OptionType.USER), panel)
            ),
        )
        registry.add_button(
            r"panel:(?P<action>hand|lower|paczek|next):(?P<panel_id>\d{1,12})",
            self.press,
            counts_as="panel {action}",
        )
        # On Discord this button opens a form; elsewhere it says which command to use.
        registry.add_button(r"panel-ask-(?P<panel_id>\d{1,12})", self.press_ask)
        registry.add_button(
            r"panel:early:(?P<panel_id>\d{1,12}):(?P<slowmode>\d{1,5}):(?P<thread>[01])",
            self.press_early,
            counts_as="panel start",
        )

    # -- who may run a panel ---------------------------------------------------------

    async def _require_creator(self, ctx: Invocation, channel: ChannelRef) -> None:
        """Moderators anywhere; initiators in the channel of a group they run."""
        if ctx.role >= Role.MODERATOR:
            return
        group = await self._groups.by_channel(channel.home)
        if group is None or not await self._groups.is_initiator(group, ctx.actor.user.id):
            raise UserError("error.panel.initiator_scope")

    @staticmethod
    def _require_runner(ctx: Invocation, panel: Panel) -> None:
        if ctx.role >= Role.MODERATOR or panel.runs(ctx.actor.user.id):
            return
        raise UserError("error.panel.not_moderator", moderator=inert(panel.moderator_name))

    async def _find(
        self, ctx: Invocation, ref: str | None, statuses: tuple[PanelStatus, ...] = LIVE
    ) -> Panel:
        return await self._desk.find(Viewer.of(ctx), ref, ctx.channel.id, statuses=statuses)

    async def _complete(self, ctx: Invocation, current: str) -> list[Choice]:
        needle = normalize(current.lstrip("#"))
        return [
            Choice(f"#{p.id} {p.topic}"[:100], str(p.id))
            for p in await self._desk.panels(Viewer.of(ctx))
            if needle in normalize(p.topic) or needle == str(p.id)
        ][:25]

    # -- planning, starting, ending --------------------------------------------------

    async def create(
        self,
        ctx: Invocation,
        topic: str,
        when: str,
        panelists: str,
        moderator: UserRef | None = None,
        turn_minutes: int = DEFAULT_TURN_MINUTES,
        duration: str | None = None,
        channel: ChannelRef | None = None,
    ) -> Reply:
        where = channel or ctx.channel
        await self._require_creator(ctx, where)
        clean = check_topic(topic)
        starts_at = understand_when(when, ctx)
        if starts_at < ctx.now - timedelta(minutes=1):
            raise UserError("error.panel.in_past", when=when_text(starts_at))
        length = DEFAULT_DURATION
        if duration:
            parsed = parse_duration(duration)
            if parsed is None or not MIN_DURATION <= parsed <= MAX_DURATION:
                raise UserError("error.panel.bad_duration", value=inert(duration))
            length = parsed
        people = mentions_in(panelists, ctx.platform)
        panel = await self._lifecycle.create(
            ctx.guild_id,
            topic=clean,
            starts_at=starts_at,
            panelists=people,
            moderator=moderator or ctx.actor.user,
            turn=timedelta(minutes=turn_minutes),
            duration=length,
            channel=where,
            creator=ctx.actor.user,
        )
        return messages.created(panel)

    async def start(
        self,
        ctx: Invocation,
        panel: str | None = None,
        slowmode: int = 0,
        thread: bool = True,
    ) -> Reply:
        # Named, it may be any (a live one is answered as such); else the planned one here.
        found = await self._find(ctx, panel, NOT_ENDED if panel else (PanelStatus.SCHEDULED,))
        self._require_runner(ctx, found)
        if found.status is PanelStatus.SCHEDULED and found.starts_at - ctx.now > EARLY_START:
            raise StartsLater(found, slowmode=slowmode, thread=thread)
        started = await self._lifecycle.start(found, thread=thread, slowmode=slowmode)
        return messages.started(started)

    async def press_early(
        self, ctx: Invocation, panel_id: str, slowmode: str, thread: str
    ) -> Reply:
        """ "Start it now anyway", under the answer that the panel is planned for later."""
        found = await self._desk.get(int(panel_id), Viewer.of(ctx))
        if found.guild_id != ctx.guild_id:
            raise UserError("error.unknown_button")
        self._require_runner(ctx, found)
        slow = min(int(slowmode), MAX_SLOWMODE)
        started = await self._lifecycle.start(found, thread=thread == "1", slowmode=slow)
        return messages.started(started)

    async def end(self, ctx: Invocation, panel: str | None = None) -> Reply:
        found = await self._find(ctx, panel)
        self._require_runner(ctx, found)
        ended, where = await self._lifecycle.end(found)
        return messages.ended(ended, where)

    async def listing(self, ctx: Invocation) -> Reply:
        return messages.listing(await self._desk.panels(Viewer.of(ctx)))

    # -- the floor -------------------------------------------------------------------

    async def hand(self, ctx: Invocation, panel: str | None = None) -> Reply:
        return await self._hand(ctx, await self._find(ctx, panel))

    async def _hand(self, ctx: Invocation, panel: Panel) -> Reply:
        position = await self._floor.raise_hand(panel, ctx.actor.user)
        return messages.hand_raised(position)

    async def lower(self, ctx: Invocation, panel: str | None = None) -> Reply:
        return await self._lower(ctx, await self._find(ctx, panel))

    async def _lower(self, ctx: Invocation, panel: Panel) -> Reply:
        await self._floor.lower_hand(panel, ctx.actor.user.id)
        return messages.hand_lowered()

    async def next(self, ctx: Invocation, panel: str | None = None) -> Reply:
        return await self._next(ctx, await self._find(ctx, panel))

    async def _next(self, ctx: Invocation, panel: Panel) -> Reply:
        self._require_runner(ctx, panel)
        return messages.given(await self._floor.next(panel))

    async def floor(self, ctx: Invocation, user: UserRef, panel: str | None = None) -> Reply:
        found = await self._find(ctx, panel)
        self._require_runner(ctx, found)
        return messages.given(await self._floor.give_floor(found, user))

    async def round(self, ctx: Invocation, panel: str | None = None) -> Reply:
        found = await self._find(ctx, panel)
        self._require_runner(ctx, found)
        speaking = await self._floor.round(found)
        if speaking is not None:
            return messages.round_waits(len(found.panelists), speaking)
        return messages.round_started(len(found.panelists))

    # -- questions -------------------------------------------------------------------

    async def ask(self, ctx: Invocation, text: str, panel: str | None = None) -> Reply:
        found = await self._find(ctx, panel)
        return messages.asked(await self._audience.ask(found, ctx.actor.user, text))

    async def upvote(self, ctx: Invocation, question: int, panel: str | None = None) -> Reply:
        found = await self._find(ctx, panel)
        return messages.upvoted(await self._audience.upvote(found, question, ctx.actor.user.id))

    async def question_next(self, ctx: Invocation, panel: str | None = None) -> Reply:
        found = await self._find(ctx, panel)
        self._require_runner(ctx, found)
        return messages.picked(await self._audience.pick_question(found, None))

    async def question_pick(self, ctx: Invocation, id: int, panel: str | None = None) -> Reply:
        found = await self._find(ctx, panel)
        self._require_runner(ctx, found)
        return messages.picked(await self._audience.pick_question(found, id))

    # -- pączki and opting out -------------------------------------------------------

    async def paczek(
        self, ctx: Invocation, user: UserRef | None = None, panel: str | None = None
    ) -> Reply:
        return await self._paczek(ctx, await self._find(ctx, panel), user)

    async def _paczek(self, ctx: Invocation, panel: Panel, user: UserRef | None) -> Reply:
        name, count = await self._audience.paczek(panel, ctx.actor.user, user)
        return messages.paczek_given(name, count)

    # -- buttons ---------------------------------------------------------------------

    async def press(self, ctx: Invocation, action: str, panel_id: str) -> Reply:
        panel = await self._desk.get(int(panel_id), Viewer.of(ctx))
        if panel.guild_id != ctx.guild_id:
            raise UserError("error.unknown_button")
        if action == "hand":
            return await self._hand(ctx, panel)
        if action == "lower":
            return await self._lower(ctx, panel)
        if action == "paczek":
            return await self._paczek(ctx, panel, None)
        return await self._next(ctx, panel)

    async def press_ask(self, ctx: Invocation, panel_id: str) -> Reply:
        panel = await self._desk.get(int(panel_id), Viewer.of(ctx))
        if panel.guild_id != ctx.guild_id:
            raise UserError("error.unknown_button")
        return messages.ask_by_command(panel.id)


class StartsLater(UserError):
    """A planned panel started more than EARLY_START before its time: most likely the wrong
    one. The answer says when it is planned, with a button that starts it anyway."""

    def __init__(self, panel: Panel, *, slowmode: int, thread: bool) -> None:
        super().__init__(
            "error.panel.starts_later", topic=inert(panel.topic), when=when_text(panel.starts_at)
        )
        self.custom_id = f"panel:early:{panel.id}:{slowmode}:{int(thread)}"

    def buttons(self) -> tuple[Button, ...]:
        return (Button(self.custom_id, t("panel.button.start_now"), ButtonStyle.PRIMARY),)
