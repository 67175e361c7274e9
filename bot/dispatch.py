"""Runs commands, button presses and autocompletion for every front end.

The single place where the acting user's role, language and zone are resolved, options
are checked, and errors become short localized answers (tracebacks go to the log only).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, cast

from bot.audit.service import AuditLog, describe
from bot.clock import Clock
from bot.commands import Choice, Command, Invocation, Option, OptionType, Registry
from bot.community.service import CommunityService
from bot.errors import MissingOptions, Refused, UserError
from bot.i18n import current_locale, format_number, has_key, t, use_locale, use_words
from bot.ratelimit import Limiter
from bot.refs import Actor, ChannelRef, RoleRef, UserRef
from bot.replies import Reply
from bot.text import clean_text, is_blank, is_text, parse_int

log = logging.getLogger(__name__)

# Discord allows 6000 characters in an option; nothing we store needs more than this.
MAX_TEXT = 4000
# Discord's integers are exact up to 2^53 (its largest safe integer): an option with no
# bound on a side still stops there, on every front end.
SAFE_INTEGER = 2**53
_TRUE = {"true", "yes", "1", "on", "tak", "ja", "да"}
_FALSE = {"false", "no", "0", "off", "nie", "nee", "не"}
_REF_TYPES = {OptionType.USER: UserRef, OptionType.CHANNEL: ChannelRef, OptionType.ROLE: RoleRef}


@dataclass(frozen=True)
class Request:
    """Where and by whom, as the front end saw it."""

    platform: str
    guild_id: str
    channel: ChannelRef
    actor: Actor
    locale_hint: str | None = None


class Dispatcher:
    def __init__(
        self,
        registry: Registry,
        community: CommunityService,
        clock: Clock,
        audit: AuditLog | None = None,
        limits: Limiter | None = None,
    ) -> None:
        self.registry = registry
        self._community = community
        self._clock = clock
        self._audit = audit
        # The one place where per-person limits are counted, for commands and buttons alike.
        self.limits = limits or Limiter(clock)

    async def invocation(self, request: Request) -> Invocation:
        user_id = request.actor.user.id
        return Invocation(
            platform=request.platform,
            guild_id=request.guild_id,
            channel=request.channel,
            actor=request.actor,
            role=await self._community.effective_role(request.guild_id, request.actor),
            locale=await self._community.locale_for(user_id, request.guild_id, request.locale_hint),
            timezone=await self._community.timezone_for(user_id, request.guild_id),
            now=self._clock.now(),
            locale_hint=request.locale_hint,
        )

    async def run(self, request: Request, path: str, args: dict[str, Any]) -> Reply:
        """Run a command; never raises."""
        ctx = await self.invocation(request)
        with use_locale(ctx.locale), use_words(request.platform):
            try:
                command = self.registry.get(path)
                if command is None or not command.available_on(ctx.platform):
                    raise self.registry.unknown(path)
                if ctx.role < command.role:
                    raise Refused(command.role)
                checked = _checked(command, args)
                with self.limits.use(ctx.actor.user.id, ctx.role, command.path, command.limit):
                    reply = await command.handler(ctx, **checked)
                if command.audit:
                    await self._record(ctx, command, checked)
                return reply
            except UserError as exc:
                return Reply(exc.render(), buttons=exc.buttons(), ephemeral=True, refused=True)
            except Exception:
                log.exception("command /%s failed for %s", path, request.actor.user.id)
                return Reply(t("error.internal"), ephemeral=True)

    async def _record(self, ctx: Invocation, command: Command, args: dict[str, Any]) -> None:
        if self._audit is None:
            return
        try:
            await self._audit.record(ctx.guild_id, ctx.actor.user, command.path, describe(args))
        except Exception:
            # The action is done and the user told; a lost audit line must not undo that.
            log.exception("audit of /%s failed", command.path)

    async def press(self, request: Request, custom_id: str) -> Reply:
        """Run the button whose custom id is given; never raises."""
        ctx = await self.invocation(request)
        with use_locale(ctx.locale), use_words(request.platform):
            try:
                found = self.registry.button_route(custom_id)
                if found is None:
                    raise UserError("error.unknown_button")
                route, params = found
                # A button that does what a limited command does counts as that command.
                same = self.registry.counted_as(route, params)
                if same is None:
                    return await route.handler(ctx, **params)
                with self.limits.use(ctx.actor.user.id, ctx.role, same.path, same.limit):
                    return await route.handler(ctx, **params)
            except UserError as exc:
                return Reply(exc.render(), buttons=exc.buttons(), ephemeral=True, refused=True)
            except Exception:
                log.exception("button %s failed for %s", custom_id, request.actor.user.id)
                return Reply(t("error.internal"), ephemeral=True)

    async def complete(
        self, request: Request, path: str, option_name: str, current: str
    ) -> list[Choice]:
        """Autocomplete suggestions (at most 25, as Discord allows); never raises."""
        command = self.registry.get(path)
        option = command.option(option_name) if command else None
        if option is None or option.autocomplete is None:
            return []
        ctx = await self.invocation(request)
        with use_locale(ctx.locale), use_words(request.platform):
            try:
                return (await option.autocomplete(ctx, current[:100]))[:25]
            except Exception:
                log.exception("autocomplete /%s %s failed", path, option_name)
                return []


def _checked(command: Command, args: dict[str, Any]) -> dict[str, Any]:
    """Options by name, converted and checked against the command's declaration."""
    unknown = sorted(set(args) - {o.name for o in command.options})
    if unknown:
        raise UserError("error.unknown_option", name=unknown[0], command=command.path)
    given = {name: value for name, value in args.items() if value is not None and value != ""}
    missing = [o.name for o in command.options if o.required and o.name not in given]
    if missing:
        raise MissingOptions(command.path, missing, command.example_key)
    checked: dict[str, Any] = {}
    for option in command.options:
        if option.name not in given:
            continue
        converted = convert_option(option, given[option.name])
        if isinstance(converted, str) and is_blank(converted):
            # Only spaces and invisible characters: a required option is answered as
            # empty; an optional one counts as left out, as an empty value does.
            if option.required:
                raise UserError("error.blank", name=option.name)
            continue
        checked[option.name] = converted
    return checked


def convert_option(option: Option, value: Any) -> Any:
    """One option's value, converted and checked against its declaration."""
    if option.type in _REF_TYPES:
        if not isinstance(value, _REF_TYPES[option.type]):
            raise UserError("error.bad_reference", name=option.name)
        ref = cast(UserRef | ChannelRef | RoleRef, value)
        if not (is_text(ref.id) and is_text(ref.name)):
            raise UserError("error.bad_reference", name=option.name)
        return value
    if option.type is OptionType.BOOLEAN:
        return _boolean(option, value)
    if option.type is OptionType.INTEGER:
        return _integer(option, value)
    text = clean_text(str(value), option=option.name)
    limit = option.max_length or MAX_TEXT
    if len(text) > limit:
        raise UserError(
            "error.too_long",
            name=option.name,
            max=format_number(limit),
            length=format_number(len(text)),
        )
    if option.choices:
        return _choice(option, text)
    return text


def _choice(option: Option, text: str) -> str:
    """A choice by its value or by its name in the reader's language (`tak` for `yes`):
    Discord shows the names in a list, elsewhere people type them."""
    typed = text.casefold()
    for choice in option.choices:
        if typed in (choice.casefold(), _choice_name(choice).casefold()):
            return choice
    raise UserError("error.bad_choice", name=option.name, choices=", ".join(option.choices))


def _choice_name(value: str) -> str:
    key = f"choice.{value}"
    return t(key) if has_key(key, current_locale()) else value


def _boolean(option: Option, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise UserError("error.not_yes_no", name=option.name)


def _integer(option: Option, value: Any) -> int:
    # ASCII digits only: int() would take '٣' and '３' but not '²', which look alike.
    number = value if isinstance(value, int) else parse_int(str(value))
    if number is None:
        raise UserError("error.not_a_number", name=option.name)
    low, high = option.min_value, option.max_value
    if (low is not None and number < low) or (high is not None and number > high):
        raise _out_of_range(option)
    if not -SAFE_INTEGER <= number <= SAFE_INTEGER:
        raise UserError("error.number_too_long", name=option.name)
    return number


def _out_of_range(option: Option) -> UserError:
    """The bounds the option declares, and only those: a side left open means "any"
    (an id, say), and Discord's own end of it is no number for people to read."""
    low, high = option.min_value, option.max_value
    if low is not None and high is not None:
        return UserError("error.out_of_range", name=option.name, min=low, max=high)
    if low is not None:
        return UserError("error.out_of_range_from", name=option.name, min=low)
    return UserError("error.out_of_range_to", name=option.name, max=high)
