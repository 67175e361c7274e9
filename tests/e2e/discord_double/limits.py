"""The limits Discord enforces on what a bot sends; violations answer 400 50035 Invalid Form Body.

Numbers from the Discord developer documentation (message, embed, component, interaction,
application command, poll, channel, guild scheduled event resources).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from .errors import EMPTY_MESSAGE, DiscordError, FormErrors

CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELDS_MAX = 25
EMBED_FIELD_NAME_MAX = 256
EMBED_FIELD_VALUE_MAX = 1024
EMBED_FOOTER_MAX = 2048
EMBED_AUTHOR_NAME_MAX = 256
EMBED_TOTAL_MAX = 6000
ACTION_ROWS_MAX = 5
BUTTONS_PER_ROW_MAX = 5
CUSTOM_ID_MAX = 100
BUTTON_LABEL_MAX = 80
SELECT_OPTIONS_MAX = 25
SELECT_OPTION_TEXT_MAX = 100
SELECT_PLACEHOLDER_MAX = 150
COMPONENTS_V2_TOTAL_MAX = 40
TEXT_DISPLAY_TOTAL_MAX = 4000
MODAL_TITLE_MAX = 45
MODAL_COMPONENTS_MAX = 5
TEXT_INPUT_LABEL_MAX = 45
TEXT_INPUT_VALUE_MAX = 4000
LABEL_MAX = 45
AUTOCOMPLETE_CHOICES_MAX = 25
CHOICE_TEXT_MAX = 100
POLL_QUESTION_MAX = 300
POLL_ANSWERS_MAX = 10
POLL_ANSWER_MAX = 55
POLL_DURATION_MAX_HOURS = 768

LINK_URL_MAX = 512
EMBED_COLOR_MAX = 0xFFFFFF
ALLOWED_MENTION_IDS_MAX = 100
FILES_MAX = 10
FILE_SIZE_MAX = 10 * 1024 * 1024  # bots, outside boosted servers
TEXT_INPUT_PLACEHOLDER_MAX = 100
COMMAND_TOTAL_MAX = 8000
OPTION_LENGTH_MAX = 6000
USER_COMMANDS_MAX = MESSAGE_COMMANDS_MAX = 15
OPTION_TYPES = frozenset(range(1, 12))
CHANNEL_TYPES = frozenset({0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15, 16})
# https://discord.com/developers/docs/reference#locales
LOCALES = frozenset(
    [
        "id",
        "da",
        "de",
        "en-GB",
        "en-US",
        "es-ES",
        "es-419",
        "fr",
        "hr",
        "it",
        "lt",
        "hu",
        "nl",
        "no",
        "pl",
        "pt-BR",
        "ro",
        "fi",
        "sv-SE",
        "vi",
        "tr",
        "cs",
        "el",
        "bg",
        "ru",
        "uk",
        "hi",
        "th",
        "zh-CN",
        "ja",
        "zh-TW",
        "ko",
    ]
)
# Component types by where they may appear.
ROW_CHILDREN = frozenset({2, 3, 5, 6, 7, 8})
V2_TOP_LEVEL = frozenset({1, 9, 10, 12, 13, 14, 17})
MODAL_LABEL_CHILDREN = frozenset({3, 4, 5, 6, 7, 8, 19, 21, 22, 23})

IS_COMPONENTS_V2 = 1 << 15

COMMAND_NAME = re.compile(r"^[-_'\w]{1,32}$")

BUTTON, ACTION_ROW, STRING_SELECT, TEXT_INPUT = 2, 1, 3, 4
SELECT_TYPES = frozenset({3, 5, 6, 7, 8})
TEXT_DISPLAY, LABEL = 10, 18


def check_message(body: dict[str, Any], *, creating: bool, has_files: bool = False) -> None:
    """Content, embeds, components and poll of a message create/edit (or interaction reply)."""
    errs = FormErrors()
    content = body.get("content")
    if content is not None:
        errs.max_length(("content",), content, CONTENT_MAX)
    embeds = body.get("embeds")
    if embeds is not None:
        check_embeds(errs, embeds)
    v2 = bool(_int(body.get("flags")) & IS_COMPONENTS_V2)
    if v2:
        # https://discord.com/developers/docs/components/reference ("IS_COMPONENTS_V2 …
        # content, embeds, poll and stickers cannot be sent").
        for key in ("content", "embeds", "poll", "sticker_ids"):
            if body.get(key):
                errs.add(
                    (key,),
                    "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
                    f"The '{key}' field cannot be used when using MessageFlags.IS_COMPONENTS_V2",
                )
    components = body.get("components")
    if components is not None:
        check_components(errs, components, v2=v2)
    poll = body.get("poll")
    if poll is not None:
        check_poll(errs, poll)
    mentions = body.get("allowed_mentions")
    if isinstance(mentions, dict):
        check_allowed_mentions(errs, mentions)
    errs.raise_if_any()
    # Whitespace alone is no content: https://discord.com/developers/docs/resources/message
    # ("at least one of content, embeds, sticker_ids, components, files or poll").
    has_text = isinstance(content, str) and content.strip() != ""
    if creating and not (
        has_text or embeds or components or poll or has_files or body.get("sticker_ids")
    ):
        raise DiscordError(400, EMPTY_MESSAGE, "Cannot send an empty message")


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def check_allowed_mentions(errs: FormErrors, mentions: dict[str, Any]) -> None:
    """https://discord.com/developers/docs/resources/message#allowed-mentions-object"""
    parse = mentions.get("parse") or []
    for kind in ("users", "roles"):
        ids = mentions.get(kind) or []
        if kind in parse and ids:
            errs.add(
                ("allowed_mentions",),
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                f'parse:["{kind}"] and {kind}: [ids] are mutually exclusive.',
            )
        errs.max_items(("allowed_mentions", kind), ids, ALLOWED_MENTION_IDS_MAX)


def check_uploads(sizes: list[int]) -> None:
    """At most 10 files, each at most 10 MiB (the size limit answers 413 40005)."""
    if len(sizes) > FILES_MAX:
        errs = FormErrors()
        errs.add(
            ("attachments",), "BASE_TYPE_MAX_LENGTH", f"Must be {FILES_MAX} or fewer in length."
        )
        errs.raise_if_any()
    if any(size > FILE_SIZE_MAX for size in sizes):
        raise DiscordError(413, 40005, "Request entity too large")


def check_embeds(errs: FormErrors, embeds: list[dict[str, Any]]) -> None:
    errs.max_items(("embeds",), embeds, EMBEDS_MAX)
    total = 0
    for i, embed in enumerate(embeds):
        path: tuple[str | int, ...] = ("embeds", i)
        errs.max_length((*path, "title"), embed.get("title"), EMBED_TITLE_MAX)
        errs.max_length((*path, "description"), embed.get("description"), EMBED_DESCRIPTION_MAX)
        fields = embed.get("fields") or []
        errs.max_items((*path, "fields"), fields, EMBED_FIELDS_MAX)
        for j, fld in enumerate(fields):
            errs.max_length((*path, "fields", j, "name"), fld.get("name"), EMBED_FIELD_NAME_MAX)
            errs.max_length((*path, "fields", j, "value"), fld.get("value"), EMBED_FIELD_VALUE_MAX)
            if not fld.get("name"):
                errs.required((*path, "fields", j, "name"))
            if not fld.get("value"):
                errs.required((*path, "fields", j, "value"))
        color = embed.get("color")
        if isinstance(color, int) and not 0 <= color <= EMBED_COLOR_MAX:
            errs.add(
                (*path, "color"),
                "NUMBER_TYPE_MAX",
                f"int value should be less than or equal to {EMBED_COLOR_MAX}.",
            )
        footer = embed.get("footer") or {}
        errs.max_length((*path, "footer", "text"), footer.get("text"), EMBED_FOOTER_MAX)
        author = embed.get("author") or {}
        errs.max_length((*path, "author", "name"), author.get("name"), EMBED_AUTHOR_NAME_MAX)
        total += sum(
            len(x or "")
            for x in (
                embed.get("title"),
                embed.get("description"),
                footer.get("text"),
                author.get("name"),
                *(f.get("name") for f in fields),
                *(f.get("value") for f in fields),
            )
        )
    if total > EMBED_TOTAL_MAX:
        errs.add(
            ("embeds",),
            "MAX_EMBED_SIZE_EXCEEDED",
            f"Embed size exceeds maximum size of {EMBED_TOTAL_MAX}",
        )


def check_components(errs: FormErrors, components: list[dict[str, Any]], *, v2: bool) -> None:
    if v2:
        count = _count(components)
        if count > COMPONENTS_V2_TOTAL_MAX:
            errs.add(
                ("components",),
                "MAX_COMPONENTS",
                f"Must be {COMPONENTS_V2_TOTAL_MAX} or fewer in total.",
            )
        text = sum(len(c.get("content") or "") for c in _walk(components) if c.get("type") == 10)
        if text > TEXT_DISPLAY_TOTAL_MAX:
            errs.add(
                ("components",),
                "MAX_TEXT_DISPLAY_LENGTH",
                f"Text display content must be {TEXT_DISPLAY_TOTAL_MAX} or fewer in total.",
            )
    else:
        errs.max_items(("components",), components, ACTION_ROWS_MAX)
    _check_unique_custom_ids(errs, ("components",), components)
    for i, comp in enumerate(components):
        path: tuple[str | int, ...] = ("components", i)
        if v2 and comp.get("type") not in V2_TOP_LEVEL:
            _bad_type(errs, path, V2_TOP_LEVEL)
        elif comp.get("type") == ACTION_ROW:
            _check_action_row(errs, path, comp)
        elif not v2:
            errs.add(
                (*path, "type"),
                "UNION_TYPE_CHOICES",
                "Top-level components must be action rows without the IS_COMPONENTS_V2 flag.",
            )
        else:
            _check_v2(errs, path, comp)


def _bad_type(errs: FormErrors, path: tuple[str | int, ...], allowed: frozenset[int]) -> None:
    errs.add(
        (*path, "type"),
        "UNION_TYPE_CHOICES",
        f'Value of field "type" must be one of {tuple(sorted(allowed))}.',
    )


def _check_unique_custom_ids(
    errs: FormErrors, path: tuple[str | int, ...], components: list[dict[str, Any]]
) -> None:
    # https://discord.com/developers/docs/components/reference ("custom_id … must be unique
    # per message").
    seen: set[str] = set()
    for where, comp in _walk_paths(path, components):
        custom_id = comp.get("custom_id")
        if not isinstance(custom_id, str):
            continue
        if custom_id in seen:
            errs.add(
                (*where, "custom_id"),
                "COMPONENT_CUSTOM_ID_DUPLICATED",
                "Component custom id cannot be duplicated",
            )
        seen.add(custom_id)


def _walk_paths(
    path: tuple[str | int, ...], components: list[dict[str, Any]]
) -> list[tuple[tuple[str | int, ...], dict[str, Any]]]:
    out: list[tuple[tuple[str | int, ...], dict[str, Any]]] = []
    for i, comp in enumerate(components):
        if not isinstance(comp, dict):
            continue
        here = (*path, i)
        out.append((here, comp))
        out.extend(_walk_paths((*here, "components"), comp.get("components") or []))
        for key in ("accessory", "component"):
            child = comp.get(key)
            if isinstance(child, dict):
                out.append(((*here, key), child))
                out.extend(_walk_paths((*here, key, "components"), child.get("components") or []))
    return out


def _check_action_row(errs: FormErrors, path: tuple[str | int, ...], row: dict[str, Any]) -> None:
    children = row.get("components") or []
    if not children:
        errs.add((*path, "components"), "BASE_TYPE_MIN_LENGTH", "Must be 1 or more in length.")
    buttons = [c for c in children if c.get("type") == BUTTON]
    selects = [c for c in children if c.get("type") in SELECT_TYPES]
    if len(buttons) > BUTTONS_PER_ROW_MAX:
        errs.add(
            (*path, "components"),
            "BASE_TYPE_MAX_LENGTH",
            f"Must be {BUTTONS_PER_ROW_MAX} or fewer in length.",
        )
    if selects and len(children) > 1:
        errs.add(
            (*path, "components"),
            "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
            "The specified component exceeds the maximum width",
        )
    for j, child in enumerate(children):
        if child.get("type") not in ROW_CHILDREN:
            _bad_type(errs, (*path, "components", j), ROW_CHILDREN)
            continue
        _check_interactive(errs, (*path, "components", j), child)


def _check_interactive(errs: FormErrors, path: tuple[str | int, ...], comp: dict[str, Any]) -> None:
    kind = comp.get("type")
    custom_id = comp.get("custom_id")
    if custom_id is not None:
        errs.length_between((*path, "custom_id"), custom_id, 1, CUSTOM_ID_MAX)
    if kind == BUTTON:
        errs.max_length((*path, "label"), comp.get("label"), BUTTON_LABEL_MAX)
        style = comp.get("style")
        if style == 5:
            if not comp.get("url"):
                errs.required((*path, "url"))
            errs.max_length((*path, "url"), comp.get("url"), LINK_URL_MAX)
            if custom_id is not None:
                errs.add(
                    (*path, "custom_id"),
                    "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED",
                    "A custom id cannot be specified for link buttons",
                )
        elif style != 6 and custom_id is None:
            errs.add(
                (*path, "custom_id"),
                "BUTTON_COMPONENT_CUSTOM_ID_REQUIRED",
                "A custom id is required",
            )
        if not comp.get("label") and not comp.get("emoji"):
            errs.add((*path, "label"), "BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED", "Required")
    elif kind in SELECT_TYPES:
        if custom_id is None:
            errs.required((*path, "custom_id"))
        errs.max_length((*path, "placeholder"), comp.get("placeholder"), SELECT_PLACEHOLDER_MAX)
        if kind == STRING_SELECT:
            options = comp.get("options") or []
            if not options:
                errs.add((*path, "options"), "BASE_TYPE_MIN_LENGTH", "Must be 1 or more.")
            errs.max_items((*path, "options"), options, SELECT_OPTIONS_MAX)
            for k, opt in enumerate(options):
                for key in ("label", "value", "description"):
                    errs.max_length(
                        (*path, "options", k, key), opt.get(key), SELECT_OPTION_TEXT_MAX
                    )
            max_values = comp.get("max_values", 1)
            if isinstance(max_values, int) and options and max_values > len(options):
                errs.add(
                    (*path, "max_values"),
                    "BASE_TYPE_MAX",
                    f"int value should be less than or equal to {len(options)}.",
                )
        low, high = comp.get("min_values", 1), comp.get("max_values", 1)
        if isinstance(low, int) and isinstance(high, int) and low > high:
            errs.add(
                (*path, "min_values"),
                "SELECT_COMPONENT_MIN_VALUES_GREATER_THAN_MAX_VALUES",
                "min_values must be less than or equal to max_values.",
            )
    elif kind == TEXT_INPUT:
        if custom_id is None:
            errs.required((*path, "custom_id"))
        if comp.get("style") not in (1, 2):
            errs.add((*path, "style"), "BASE_TYPE_CHOICES", "Value must be one of (1, 2).")
        errs.max_length((*path, "placeholder"), comp.get("placeholder"), TEXT_INPUT_PLACEHOLDER_MAX)
        errs.max_length((*path, "label"), comp.get("label"), TEXT_INPUT_LABEL_MAX)
        errs.max_length((*path, "value"), comp.get("value"), TEXT_INPUT_VALUE_MAX)
        for key in ("min_length", "max_length"):
            value = comp.get(key)
            if value is not None and not 0 <= value <= TEXT_INPUT_VALUE_MAX:
                errs.add(
                    (*path, key), "NUMBER_TYPE_MAX", f"Must be at most {TEXT_INPUT_VALUE_MAX}."
                )


def _check_v2(errs: FormErrors, path: tuple[str | int, ...], comp: dict[str, Any]) -> None:
    kind = comp.get("type")
    if kind == ACTION_ROW:
        _check_action_row(errs, path, comp)
        return
    if kind in (BUTTON, *SELECT_TYPES, TEXT_INPUT):
        _check_interactive(errs, path, comp)
        return
    for j, child in enumerate(comp.get("components") or []):
        _check_v2(errs, (*path, "components", j), child)
    for key in ("accessory", "component"):
        child = comp.get(key)
        if isinstance(child, dict):
            _check_v2(errs, (*path, key), child)


def _walk(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for comp in components:
        out.append(comp)
        out.extend(_walk(comp.get("components") or []))
        for key in ("accessory", "component"):
            child = comp.get(key)
            if isinstance(child, dict):
                out.extend(_walk([child]))
    return out


def _count(components: list[dict[str, Any]]) -> int:
    return len(_walk(components))


def check_poll(errs: FormErrors, poll: dict[str, Any]) -> None:
    question = (poll.get("question") or {}).get("text")
    if not question:
        errs.required(("poll", "question", "text"))
    errs.max_length(("poll", "question", "text"), question, POLL_QUESTION_MAX)
    answers = poll.get("answers") or []
    if not answers:
        errs.add(("poll", "answers"), "BASE_TYPE_MIN_LENGTH", "Must be 1 or more in length.")
    errs.max_items(("poll", "answers"), answers, POLL_ANSWERS_MAX)
    for i, answer in enumerate(answers):
        text = (answer.get("poll_media") or {}).get("text")
        errs.max_length(("poll", "answers", i, "poll_media", "text"), text, POLL_ANSWER_MAX)
    duration = poll.get("duration", 24)
    # discord.py sends hours as a float (24.0); Discord accepts integral numbers.
    integral = isinstance(duration, int | float) and float(duration).is_integer()
    if not integral or not 1 <= duration <= POLL_DURATION_MAX_HOURS:
        errs.add(
            ("poll", "duration"),
            "NUMBER_TYPE_MAX",
            f"int value should be between 1 and {POLL_DURATION_MAX_HOURS}.",
        )


def check_modal(data: dict[str, Any]) -> None:
    errs = FormErrors()
    if data.get("custom_id") is None:
        errs.required(("data", "custom_id"))
    else:
        errs.length_between(("data", "custom_id"), data.get("custom_id"), 1, CUSTOM_ID_MAX)
    title = data.get("title")
    if not title:
        errs.required(("data", "title"))
    errs.max_length(("data", "title"), title, MODAL_TITLE_MAX)
    components = data.get("components") or []
    if not 1 <= len(components) <= MODAL_COMPONENTS_MAX:
        errs.add(
            ("data", "components"),
            "BASE_TYPE_BAD_LENGTH",
            f"Must be between 1 and {MODAL_COMPONENTS_MAX} in length.",
        )
    for i, comp in enumerate(components):
        path: tuple[str | int, ...] = ("data", "components", i)
        # https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object-modal
        # (action rows hold text inputs only; a label holds one input).
        if comp.get("type") == LABEL:
            errs.max_length((*path, "label"), comp.get("label"), LABEL_MAX)
            child = comp.get("component") or {}
            if child.get("type") not in MODAL_LABEL_CHILDREN:
                _bad_type(errs, (*path, "component"), MODAL_LABEL_CHILDREN)
            else:
                _check_interactive(errs, (*path, "component"), child)
        elif comp.get("type") == ACTION_ROW:
            for j, child in enumerate(comp.get("components") or []):
                if child.get("type") != TEXT_INPUT:
                    _bad_type(errs, (*path, "components", j), frozenset({TEXT_INPUT}))
                else:
                    _check_interactive(errs, (*path, "components", j), child)
        elif comp.get("type") != TEXT_DISPLAY:
            _bad_type(errs, path, frozenset({ACTION_ROW, TEXT_DISPLAY, LABEL}))
    _check_unique_custom_ids(errs, ("data", "components"), components)
    errs.raise_if_any()


def check_choices(choices: list[dict[str, Any]]) -> None:
    errs = FormErrors()
    errs.max_items(("data", "choices"), choices, AUTOCOMPLETE_CHOICES_MAX)
    for i, choice in enumerate(choices):
        errs.length_between(("data", "choices", i, "name"), choice.get("name"), 1, CHOICE_TEXT_MAX)
        errs.max_length(("data", "choices", i, "value"), choice.get("value"), CHOICE_TEXT_MAX)
    errs.raise_if_any()


def check_commands(commands: list[dict[str, Any]]) -> None:
    errs = FormErrors()
    chat_input = [c for c in commands if c.get("type", 1) == 1]
    if len(chat_input) > 100:
        errs.add((), "APPLICATION_COMMANDS_TOO_MANY", "Must be 100 or fewer chat input commands.")
    # https://discord.com/developers/docs/interactions/application-commands#registering-a-command
    for kind, most, what in ((2, USER_COMMANDS_MAX, "user"), (3, MESSAGE_COMMANDS_MAX, "message")):
        if sum(1 for c in commands if c.get("type") == kind) > most:
            errs.add(
                (), "APPLICATION_COMMANDS_TOO_MANY", f"Must be {most} or fewer {what} commands."
            )
    seen: set[tuple[str, int]] = set()
    for i, cmd in enumerate(commands):
        key = (cmd.get("name", ""), cmd.get("type", 1))
        if key in seen:
            errs.add((i, "name"), "APPLICATION_COMMANDS_DUPLICATE_NAME", "Duplicate name.")
        seen.add(key)
        _check_command_node(errs, (i,), cmd, chat_input=cmd.get("type", 1) == 1)
        if _command_size(cmd) > COMMAND_TOTAL_MAX:
            errs.add(
                (i,),
                "APPLICATION_COMMAND_TOO_LARGE",
                f"Command exceeds maximum size ({COMMAND_TOTAL_MAX})",
            )
    errs.raise_if_any()


def _command_size(node: Any) -> int:
    """Discord's 8000: names, descriptions and choice values of a command, its options and
    choices; of a field with localizations only the longest version counts.

    https://discord.com/developers/docs/interactions/application-commands#registering-a-command
    """
    total = 0
    if isinstance(node, dict):
        for key in ("name", "description", "value"):
            value = node.get(key)
            if not isinstance(value, str):
                continue
            localized = node.get(f"{key}_localizations")
            versions = [value]
            if isinstance(localized, dict):
                versions += [v for v in localized.values() if isinstance(v, str)]
            total += max(len(v) for v in versions)
        total += _command_size(node.get("options") or [])
        total += _command_size(node.get("choices") or [])
    elif isinstance(node, list):
        total += sum(_command_size(item) for item in node)
    return total


def _check_localizations(
    errs: FormErrors, path: tuple[str | int, ...], node: dict[str, Any], *, chat_input: bool
) -> None:
    # https://discord.com/developers/docs/interactions/application-commands#localization
    for key, low, high in (("name_localizations", 1, 32), ("description_localizations", 1, 100)):
        values = node.get(key)
        if not isinstance(values, dict):
            continue
        for locale, text in values.items():
            where = (*path, key, locale)
            if locale not in LOCALES:
                errs.add(where, "LOCALE_INVALID", f"Invalid locale {locale!r}.")
                continue
            errs.length_between(where, text, low, high)
            if (
                key == "name_localizations"
                and chat_input
                and isinstance(text, str)
                and (not COMMAND_NAME.match(text) or text != text.lower())
            ):
                errs.add(where, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid.")


def _check_command_node(
    errs: FormErrors, path: tuple[str | int, ...], node: dict[str, Any], *, chat_input: bool
) -> None:
    name = node.get("name", "")
    if chat_input and (not COMMAND_NAME.match(name) or name != name.lower()):
        errs.add(
            (*path, "name"),
            "APPLICATION_COMMAND_INVALID_NAME",
            "Command name is invalid (1-32 lowercase letters, digits, - or _).",
        )
    if chat_input:
        errs.length_between((*path, "description"), node.get("description", ""), 1, 100)
    _check_localizations(errs, path, node, chat_input=chat_input)
    options = node.get("options") or []
    errs.max_items((*path, "options"), options, 25)
    nested = [o for o in options if o.get("type") in (1, 2)]
    if nested and len(nested) != len(options):
        # https://discord.com/developers/docs/interactions/application-commands#subcommands-and-subcommand-groups
        errs.add(
            (*path, "options"),
            "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
            "Sub-commands and sub-command groups cannot be mixed with other options.",
        )
    names: set[str] = set()
    optional_seen = False
    for j, opt in enumerate(options):
        opath = (*path, "options", j)
        if opt.get("name") in names:
            errs.add(
                (*opath, "name"),
                "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                "Option names must be unique.",
            )
        names.add(opt.get("name", ""))
        if opt.get("type") not in OPTION_TYPES:
            errs.add((*opath, "type"), "BASE_TYPE_CHOICES", "Value must be one of 1..11.")
        for k, channel_type in enumerate(opt.get("channel_types") or []):
            if channel_type not in CHANNEL_TYPES:
                errs.add(
                    (*opath, "channel_types", k),
                    "BASE_TYPE_CHOICES",
                    f"Value must be one of {tuple(sorted(CHANNEL_TYPES))}.",
                )
        for key, low in (("min_length", 0), ("max_length", 1)):
            value = opt.get(key)
            if isinstance(value, int) and not low <= value <= OPTION_LENGTH_MAX:
                errs.add(
                    (*opath, key),
                    "NUMBER_TYPE_MAX",
                    f"int value should be between {low} and {OPTION_LENGTH_MAX}.",
                )
        if opt.get("type") in (1, 2):
            _check_command_node(errs, opath, opt, chat_input=True)
            continue
        _check_command_node(errs, opath, {**opt, "options": []}, chat_input=True)
        if opt.get("required"):
            if optional_seen:
                errs.add(
                    (*opath, "required"),
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            optional_seen = True
        choices = opt.get("choices") or []
        errs.max_items((*opath, "choices"), choices, 25)
        if choices and opt.get("autocomplete"):
            errs.add(
                (*opath, "autocomplete"),
                "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_WITH_CHOICES",
                "Autocomplete cannot be set with choices.",
            )
        for k, choice in enumerate(choices):
            errs.length_between((*opath, "choices", k, "name"), choice.get("name"), 1, 100)
            errs.max_length((*opath, "choices", k, "value"), choice.get("value"), 100)
            _check_localizations(errs, (*opath, "choices", k), choice, chat_input=False)


def check_channel(body: dict[str, Any], *, creating: bool) -> None:
    errs = FormErrors()
    if creating or "name" in body:
        errs.length_between(("name",), body.get("name"), 1, 100)
    errs.max_length(("topic",), body.get("topic"), 1024)
    slowmode = body.get("rate_limit_per_user")
    if slowmode is not None and not 0 <= slowmode <= 21600:
        errs.add(
            ("rate_limit_per_user",),
            "NUMBER_TYPE_MAX",
            "int value should be less than or equal to 21600.",
        )
    tags = body.get("available_tags")
    if tags is not None:
        errs.max_items(("available_tags",), tags, 20)
        for i, tag in enumerate(tags):
            errs.length_between(("available_tags", i, "name"), tag.get("name"), 1, 20)
    errs.raise_if_any()


def check_thread(body: dict[str, Any], *, creating: bool) -> None:
    errs = FormErrors()
    if creating or "name" in body:
        errs.length_between(("name",), body.get("name"), 1, 100)
    tags = body.get("applied_tags")
    if tags is not None:
        errs.max_items(("applied_tags",), tags, 5)
    duration = body.get("auto_archive_duration")
    if duration is not None and duration not in (60, 1440, 4320, 10080):
        errs.add(
            ("auto_archive_duration",),
            "BASE_TYPE_CHOICES",
            "Value must be one of {60, 1440, 4320, 10080}.",
        )
    errs.raise_if_any()


def check_role(body: dict[str, Any]) -> None:
    errs = FormErrors()
    errs.max_length(("name",), body.get("name"), 100)
    errs.raise_if_any()


def check_scheduled_event(body: dict[str, Any], *, now: datetime, creating: bool) -> None:
    """Validates a guild scheduled event create/modify against the double's current time."""
    errs = FormErrors()
    if creating or "name" in body:
        errs.length_between(("name",), body.get("name"), 1, 100)
    errs.max_length(("description",), body.get("description"), 1000)
    if creating and body.get("privacy_level") != 2:
        errs.add(("privacy_level",), "BASE_TYPE_CHOICES", "Value must be one of {2}.")
    entity_type = body.get("entity_type")
    if creating and entity_type not in (1, 2, 3):
        errs.add(("entity_type",), "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3}.")
    start = _parse_time(errs, "scheduled_start_time", body.get("scheduled_start_time"))
    end = _parse_time(errs, "scheduled_end_time", body.get("scheduled_end_time"))
    if creating and start is None and "scheduled_start_time" not in errs.errors:
        errs.required(("scheduled_start_time",))
    if start is not None and start <= now and (creating or body.get("status") in (None, 1)):
        errs.add(
            ("scheduled_start_time",),
            "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST",
            "Cannot schedule event in the past.",
        )
    if start is not None and end is not None and end <= start:
        errs.add(
            ("scheduled_end_time",),
            "GUILD_SCHEDULED_EVENT_END_BEFORE_START",
            "Cannot schedule event to end before starting.",
        )
    if entity_type == 3:
        location = (body.get("entity_metadata") or {}).get("location")
        if creating and not location:
            errs.required(("entity_metadata", "location"))
        errs.max_length(("entity_metadata", "location"), location, 100)
        if creating and end is None:
            errs.required(("scheduled_end_time",))
    elif entity_type in (1, 2) and creating and not body.get("channel_id"):
        errs.required(("channel_id",))
    if body.get("recurrence_rule") is not None:
        check_recurrence_rule(errs, body["recurrence_rule"])
    errs.raise_if_any()


# https://discord.com/developers/docs/resources/guild-scheduled-event#guild-scheduled-event-recurrence-rule-object
RECURRENCE_FREQUENCIES = {0: "yearly", 1: "monthly", 2: "weekly", 3: "daily"}
DAILY_WEEKDAY_SETS = ({0, 1, 2, 3, 4}, {1, 2, 3, 4, 5}, {2, 3, 4, 5, 6}, {3, 4, 5, 6, 0}, {4, 5, 6})


def check_recurrence_rule(errs: FormErrors, rule: Any) -> None:
    path: tuple[str | int, ...] = ("recurrence_rule",)
    if not isinstance(rule, dict):
        errs.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return
    _parse_time(errs, "recurrence_rule", rule.get("start"))
    if "start" not in rule:
        errs.required((*path, "start"))
    frequency = rule.get("frequency")
    if frequency not in RECURRENCE_FREQUENCIES:
        errs.add((*path, "frequency"), "BASE_TYPE_CHOICES", "Value must be one of (0, 1, 2, 3).")
        return
    interval = rule.get("interval", 1)
    if not isinstance(interval, int) or interval < 1:
        errs.add((*path, "interval"), "NUMBER_TYPE_MIN", "int value should be at least 1.")
    weekdays = rule.get("by_weekday")
    n_weekdays = rule.get("by_n_weekday")
    months, month_days = rule.get("by_month"), rule.get("by_month_day")
    bad = "GUILD_SCHEDULED_EVENT_INVALID_RECURRENCE_RULE"
    if weekdays is not None and (
        not isinstance(weekdays, list) or any(d not in range(7) for d in weekdays)
    ):
        errs.add((*path, "by_weekday"), "BASE_TYPE_CHOICES", "Values must be weekdays 0-6.")
        return
    name = RECURRENCE_FREQUENCIES[frequency]
    if name == "daily" and weekdays is not None and set(weekdays) not in DAILY_WEEKDAY_SETS:
        errs.add((*path, "by_weekday"), bad, "Invalid weekday set for a daily rule.")
    if name == "weekly" and (weekdays is None or len(weekdays) != 1 or interval not in (1, 2)):
        errs.add(path, bad, "A weekly rule has one weekday and an interval of 1 or 2.")
    if name == "monthly" and (not isinstance(n_weekdays, list) or len(n_weekdays) != 1):
        errs.add(path, bad, "A monthly rule has one by_n_weekday entry.")
    if name == "yearly" and not (
        isinstance(months, list)
        and isinstance(month_days, list)
        and len(months) == 1
        and len(month_days) == 1
    ):
        errs.add(path, bad, "A yearly rule has one by_month and one by_month_day.")
    if name in ("daily", "weekly") and (n_weekdays or months or month_days):
        errs.add(path, bad, f"A {name} rule takes by_weekday only.")


def _parse_time(errs: FormErrors, key: str, value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        errs.add((key,), "DATE_TIME_TYPE_PARSE", "Could not parse the timestamp.")
        return None
    if moment.tzinfo is None:
        errs.add((key,), "DATE_TIME_TYPE_PARSE", "Timestamp needs an offset.")
        return None
    return moment
