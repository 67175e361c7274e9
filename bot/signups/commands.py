"""/signup …: sheets with slots, joining and leaving, offers, and the moderators' tools.

Moderators run sheets anywhere; an initiator runs them in their own group's channel.
"""

from __future__ import annotations

from datetime import timedelta

from bot.commands import Choice, Command, Invocation, Limit, Option, OptionType, Registry
from bot.errors import Refused, UserError
from bot.groups.directory import GroupDirectory
from bot.refs import UserRef
from bot.replies import Reply
from bot.roles import Role
from bot.signups import messages
from bot.signups.model import MAX_CAPACITY, MAX_SLOTS, MAX_TITLE, MAX_TOPIC, Sheet, Slot
from bot.signups.wiring import Signups
from bot.text import clean_name, looks_same, normalize
from bot.timelang.timestamps import when
from bot.timelang.understand import understand_when
from bot.visibility import Viewer


class SignupCommands:
    def __init__(self, signups: Signups, groups: GroupDirectory) -> None:
        self._sheets = signups.sheets
        self._seats = signups.seats
        self._groups = groups

    def register(self, registry: Registry) -> None:
        sheet = Option("sheet", required=True, autocomplete=self._complete_live, max_length=120)
        open_sheet = Option(
            "sheet", required=True, autocomplete=self._complete_open, max_length=120
        )
        slot = Option("slot", OptionType.INTEGER, required=True, min_value=1, max_value=MAX_SLOTS)
        user = Option("user", OptionType.USER, required=True)
        registry.add(
            Command(
                "signup create",
                Role.INITIATOR,
                self.create,
                (
                    Option("title", required=True, max_length=MAX_TITLE),
                    Option("slots", required=True, max_length=1500),
                    Option(
                        "capacity",
                        OptionType.INTEGER,
                        required=True,
                        min_value=1,
                        max_value=MAX_CAPACITY,
                    ),
                    Option("max_per_person", OptionType.INTEGER, min_value=1, max_value=MAX_SLOTS),
                    Option("opens", max_length=200),
                    Option("closes", max_length=200),
                    Option("approval", OptionType.BOOLEAN),
                    Option("waitlist", OptionType.BOOLEAN),
                ),
                limit=Limit(10, timedelta(days=1)),
            ),
            # With approval, each request goes to the organiser; each join edits the sheet.
            Command(
                "signup join",
                Role.DIRECTOR,
                self.join,
                (open_sheet, slot),
                limit=Limit(10, timedelta(hours=1)),
            ),
            Command("signup leave", Role.DIRECTOR, self.leave, (sheet, slot)),
            Command("signup status", Role.DIRECTOR, self.status, (sheet,)),
            Command("signup accept", Role.DIRECTOR, self.accept, (sheet, slot)),
            Command("signup decline", Role.DIRECTOR, self.decline, (sheet, slot)),
            # Initiators manage only the sheets in their groups' channels (checked below).
            Command("signup close", Role.INITIATOR, self.close, (sheet,), audit=True),
            Command("signup reopen", Role.INITIATOR, self.reopen, (sheet,), audit=True),
            Command("signup add", Role.INITIATOR, self.add, (sheet, slot, user), audit=True),
            Command("signup remove", Role.INITIATOR, self.remove, (sheet, slot, user), audit=True),
            Command(
                "signup move",
                Role.INITIATOR,
                self.move,
                (
                    sheet,
                    user,
                    Option(
                        "from_slot",
                        OptionType.INTEGER,
                        required=True,
                        min_value=1,
                        max_value=MAX_SLOTS,
                    ),
                    Option(
                        "to_slot",
                        OptionType.INTEGER,
                        required=True,
                        min_value=1,
                        max_value=MAX_SLOTS,
                    ),
                ),
                audit=True,
            ),
            Command("signup export", Role.INITIATOR, self.export, (sheet,), audit=True),
            Command("signup delete", Role.INITIATOR, self.delete, (sheet,), audit=True),
        )
        registry.add_button(
            r"signup:(?P<action>join|leave|accept|decline):(?P<sheet_id>\d{1,12}):(?P<slot>\d{1,2})",
            self.press,
            counts_as="signup {action}",
        )
        registry.add_button(
            r"signup:(?P<decision>approve|reject):(?P<sheet_id>\d{1,12}):(?P<slot>\d{1,2}):"
            r"(?P<user_id>.+)",
            self.press_decision,
        )

    # -- who may run a sheet ---------------------------------------------------------

    async def _require_creator(self, ctx: Invocation) -> None:
        """Moderators anywhere; initiators in the channel of a group they run."""
        if ctx.role >= Role.MODERATOR:
            return
        group = await self._groups.by_channel(ctx.channel.home)
        if group is None or not await self._groups.is_initiator(group, ctx.actor.user.id):
            raise UserError("error.signup.initiator_scope")

    async def _may_manage(self, ctx: Invocation, sheet: Sheet) -> bool:
        if ctx.role >= Role.MODERATOR:
            return True
        if ctx.role < Role.INITIATOR:
            return False
        group = await self._groups.by_id(sheet.group_id) if sheet.group_id else None
        return group is not None and await self._groups.is_initiator(group, ctx.actor.user.id)

    async def _managed(self, ctx: Invocation, ref: str) -> Sheet:
        sheet = await self._sheets.find(Viewer.of(ctx), ref)
        await self._require_manager(ctx, sheet)
        return sheet

    async def _require_manager(self, ctx: Invocation, sheet: Sheet) -> None:
        if ctx.role < Role.INITIATOR:
            raise Refused(Role.INITIATOR)
        if not await self._may_manage(ctx, sheet):
            raise UserError("error.signup.not_yours")

    async def _complete_live(self, ctx: Invocation, current: str) -> list[Choice]:
        return await self._complete(ctx, current, open_only=False)

    async def _complete_open(self, ctx: Invocation, current: str) -> list[Choice]:
        return await self._complete(ctx, current, open_only=True)

    async def _complete(self, ctx: Invocation, current: str, *, open_only: bool) -> list[Choice]:
        needle = normalize(current.lstrip("#"))
        sheets = await self._sheets.sheets(Viewer.of(ctx), open_only=open_only)
        return [
            Choice(f"#{s.id} {s.title}"[:100], str(s.id))
            for s in sheets
            if needle in normalize(s.title) or needle == str(s.id)
        ][:25]

    # -- creating and managing -------------------------------------------------------

    async def create(
        self,
        ctx: Invocation,
        title: str,
        slots: str,
        capacity: int,
        max_per_person: int = 1,
        opens: str | None = None,
        closes: str | None = None,
        approval: bool = False,
        waitlist: bool = True,
    ) -> Reply:
        await self._require_creator(ctx)
        if not normalize(title):
            raise UserError("error.signup.bad_title")
        parsed = _slots(slots, ctx)
        opens_at = understand_when(opens, ctx, option="opens") if opens else None
        closes_at = understand_when(closes, ctx, option="closes") if closes else None
        if opens_at and closes_at and closes_at <= opens_at:
            raise UserError("error.signup.closes_before_opens")
        last = max(slot.starts_at for slot in parsed)
        if closes_at and closes_at > last:
            # Signing up for a slot ends when it starts, so a later closing would leave
            # the sheet open with nothing to sign up for.
            raise UserError(
                "error.signup.closes_after_slots", closes=when(closes_at), last=when(last)
            )
        sheet = await self._sheets.create(
            ctx.guild_id,
            title=title,
            channel=ctx.channel,
            creator=ctx.actor.user,
            slots=parsed,
            capacity=capacity,
            max_per_person=max_per_person,
            waitlist=waitlist,
            approval=approval,
            opens=opens_at,
            closes=closes_at,
            timezone=ctx.timezone,
        )
        return messages.created(sheet, len(parsed))

    async def close(self, ctx: Invocation, sheet: str) -> Reply:
        return messages.closed(await self._sheets.close(await self._managed(ctx, sheet)))

    async def reopen(self, ctx: Invocation, sheet: str) -> Reply:
        return messages.reopened(await self._sheets.reopen(await self._managed(ctx, sheet)))

    async def delete(self, ctx: Invocation, sheet: str) -> Reply:
        return messages.deleted(await self._sheets.delete(await self._managed(ctx, sheet)))

    async def export(self, ctx: Invocation, sheet: str) -> Reply:
        found = await self._managed(ctx, sheet)
        return messages.exported(found, await self._sheets.export(found))

    async def add(self, ctx: Invocation, sheet: str, slot: int, user: UserRef) -> Reply:
        found = await self._managed(ctx, sheet)
        result = await self._seats.add(found, slot, user)
        return messages.added(found, user.name, result)

    async def remove(self, ctx: Invocation, sheet: str, slot: int, user: UserRef) -> Reply:
        found = await self._managed(ctx, sheet)
        await self._seats.remove(found, slot, user.id)
        return messages.removed(found, user.name, slot)

    async def move(
        self, ctx: Invocation, sheet: str, user: UserRef, from_slot: int, to_slot: int
    ) -> Reply:
        found = await self._managed(ctx, sheet)
        _, placed = await self._seats.move(found, user.id, from_slot, to_slot)
        return messages.moved(found, user.name, from_slot, placed)

    async def press_decision(
        self, ctx: Invocation, decision: str, sheet_id: str, slot: str, user_id: str
    ) -> Reply:
        """Approve or reject a request on a sheet with approval (the same as add/remove)."""
        sheet = await self._sheets.get(int(sheet_id), Viewer.of(ctx))
        await self._require_manager(ctx, sheet)
        number = int(slot)
        entries = await self._sheets.entries_of(sheet, user_id)
        name = next((e.name for e in entries if e.slot == number), user_id)
        if decision == "approve":
            result = await self._seats.add(sheet, number, UserRef(user_id, name))
            return messages.added(sheet, name, result)
        await self._seats.remove(sheet, number, user_id)
        return messages.removed(sheet, name, number)

    # -- taking part -----------------------------------------------------------------

    async def join(self, ctx: Invocation, sheet: str, slot: int) -> Reply:
        found = await self._sheets.find(Viewer.of(ctx), sheet)
        return await self._join(ctx, found.id, slot)

    async def _join(self, ctx: Invocation, sheet_id: int, slot: int) -> Reply:
        result = await self._seats.join(sheet_id, slot, Viewer.of(ctx))
        assert result.sheet is not None
        return messages.placed(result, await self._sheets.slot(result.sheet, slot))

    async def leave(self, ctx: Invocation, sheet: str, slot: int) -> Reply:
        found = await self._sheets.find(Viewer.of(ctx), sheet)
        return await self._leave(ctx, found.id, slot)

    async def _leave(self, ctx: Invocation, sheet_id: int, slot: int) -> Reply:
        change = await self._seats.leave(sheet_id, slot, Viewer.of(ctx))
        return messages.left(change.sheet, slot)

    async def accept(self, ctx: Invocation, sheet: str, slot: int) -> Reply:
        found = await self._sheets.find(Viewer.of(ctx), sheet)
        return await self._accept(ctx, found.id, slot)

    async def _accept(self, ctx: Invocation, sheet_id: int, slot: int) -> Reply:
        change = await self._seats.accept(sheet_id, slot, Viewer.of(ctx))
        return messages.accepted(change.sheet, await self._sheets.slot(change.sheet, slot))

    async def decline(self, ctx: Invocation, sheet: str, slot: int) -> Reply:
        found = await self._sheets.find(Viewer.of(ctx), sheet)
        return await self._decline(ctx, found.id, slot)

    async def _decline(self, ctx: Invocation, sheet_id: int, slot: int) -> Reply:
        change = await self._seats.decline(sheet_id, slot, Viewer.of(ctx))
        return messages.declined(change.sheet, slot)

    async def status(self, ctx: Invocation, sheet: str) -> Reply:
        found = await self._sheets.find(Viewer.of(ctx), sheet)
        view = await self._sheets.view(found)
        own = await self._sheets.entries_of(found, ctx.actor.user.id)
        everyone = await self._sheets.entries(found) if await self._may_manage(ctx, found) else None
        return messages.status(view, ctx.now, own, everyone)

    async def press(self, ctx: Invocation, action: str, sheet_id: str, slot: str) -> Reply:
        handlers = {
            "join": self._join,
            "leave": self._leave,
            "accept": self._accept,
            "decline": self._decline,
        }
        return await handlers[action](ctx, int(sheet_id), int(slot))


def _slots(text: str, ctx: Invocation) -> list[Slot]:
    """'2026-02-20 10:00 | Budżet; 2026-02-27 10:00' → numbered slots, in the order given."""
    pieces = [p.strip() for p in text.split(";") if p.strip()]
    if not 1 <= len(pieces) <= MAX_SLOTS:
        raise UserError("error.signup.bad_slots", max=MAX_SLOTS)
    slots: list[Slot] = []
    for number, piece in enumerate(pieces, start=1):
        at, _, topic = piece.partition("|")
        topic = clean_name(topic, option="slots") if topic.strip() else ""
        if len(topic) > MAX_TOPIC:
            raise UserError("error.signup.topic_too_long", max=MAX_TOPIC)
        slot = Slot(number, understand_when(at.strip(), ctx, option="slots"), topic)
        # The same time with the same topic twice is a slip of the keyboard, not two slots.
        twin = next(
            (s for s in slots if s.starts_at == slot.starts_at and looks_same(s.topic, topic)),
            None,
        )
        if twin is not None:
            raise UserError("error.signup.duplicate_slot", first=twin.number, second=number)
        slots.append(slot)
    return slots
