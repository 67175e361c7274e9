"""What each command is, in words: for `/help command:…`, the missing-option answer and
the generated command reference (`python -m bot docs` → docs/commands/<locale>.md).

Everything here is read from the registry and the catalogs, so the help a person reads,
the reference in docs/ and the Discord payloads cannot tell different stories.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel.lists import format_list

from bot.commands import ChannelKind, Command, Option, OptionType
from bot.i18n import SUPPORTED_LOCALES, current_locale, format_number, has_key, t, tn, use_locale
from bot.roles import Role

# Features in the order a newcomer meets them; a command's feature is the package that
# declares it (bot/<feature>/commands.py), so a new command lands in its section by itself.
FEATURES = (
    "community",
    "welcome",
    "reminders",
    "groups",
    "signups",
    "polls",
    "events",
    "learning",
    "panels",
    "privacy",
    "console",
)
# Where `python -m bot docs` writes, from the repository root.
DOCS = Path("docs") / "commands"


@dataclass(frozen=True)
class OptionDoc:
    name: str
    required: bool
    takes: str
    description: str


@dataclass(frozen=True)
class CommandDoc:
    path: str
    description: str
    who: str
    options: tuple[OptionDoc, ...]
    example: str


def feature_of(command: Command) -> str:
    """'bot.reminders.commands' → 'reminders'; the console's own commands → 'console'."""
    module = getattr(command.handler, "__module__", "") or ""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "bot" else "console"


def describe(command: Command) -> CommandDoc:
    """The command in the current language."""
    return CommandDoc(
        path=command.path,
        description=t(command.key + ".desc"),
        who=who(command),
        options=tuple(
            OptionDoc(o.name, o.required, takes(o), t(f"{command.key}.opt.{o.name}"))
            for o in command.options
        ),
        example=example(command),
    )


def example(command: Command) -> str:
    return t(command.example_key) if has_key(command.example_key, current_locale()) else ""


def who(command: Command) -> str:
    """Who may run it: roles are ranked, so a role names everyone above it too."""
    if command.role is Role.DIRECTOR:
        text = t("reference.who.everyone")
    else:
        roles = [t(f"role.{role.key}") for role in Role if role >= command.role]
        text = format_list(roles, locale=current_locale())
    if command.platforms is not None and "console" in command.platforms:
        text += " · " + t("reference.console_only")
    return text


def takes(option: Option) -> str:
    """What an option accepts, with its limits: 'tekst, do 200 znaków', 'liczba od 1 do 12'."""
    if option.choices:
        return t("reference.takes.choice", choices=", ".join(_choice(c) for c in option.choices))
    if option.type is OptionType.STRING:
        if option.max_length is None:
            return t("reference.takes.text")
        return tn("reference.takes.text_max", option.max_length)
    if option.type is OptionType.INTEGER:
        return _number(option.min_value, option.max_value)
    if option.type is OptionType.BOOLEAN:
        return t("reference.takes.yes_no")
    if option.type is OptionType.USER:
        return t("reference.takes.user")
    if option.type is OptionType.ROLE:
        return t("reference.takes.role")
    if option.channel_kinds == (ChannelKind.FORUM,):
        return t("reference.takes.forum")
    if option.channel_kinds == (ChannelKind.TEXT,):
        return t("reference.takes.text_channel")
    return t("reference.takes.channel")


def _number(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return t("reference.takes.number_range", min=format_number(low), max=format_number(high))
    if low is not None:
        return t("reference.takes.number_from", min=format_number(low))
    if high is not None:
        return t("reference.takes.number_to", max=format_number(high))
    return t("reference.takes.number")


def _choice(value: str) -> str:
    """A choice as typed (`going`) with its name in the reader's language when it differs."""
    key = f"choice.{value}"
    name = t(key) if has_key(key, current_locale()) else value
    return f"`{value}`" if name.casefold() == value.casefold() else f"`{value}` ({name})"


# -- the reference in docs/ ------------------------------------------------------------


def markdown(commands: Iterable[Command], locale: str) -> str:
    """The whole command reference in one language, grouped by feature."""
    by_feature: dict[str, list[Command]] = {}
    for command in commands:
        by_feature.setdefault(feature_of(command), []).append(command)
    order = [f for f in FEATURES if f in by_feature] + sorted(set(by_feature) - set(FEATURES))
    with use_locale(locale):
        lines = [f"# {t('reference.title')}", "", f"> {t('reference.generated')}", ""]
        lines += [t("reference.intro"), ""]
        for feature in order:
            title = t(f"reference.feature.{feature}")
            links = ", ".join(f"[`/{c.path}`](#{_anchor(c.path)})" for c in by_feature[feature])
            lines.append(f"- [{title}](#{_anchor(title)}): {links}")
        lines.append("")
        for feature in order:
            lines += [f"## {t(f'reference.feature.{feature}')}", ""]
            for command in by_feature[feature]:
                lines += _section(describe(command))
    return "\n".join(lines).rstrip() + "\n"


def _section(doc: CommandDoc) -> list[str]:
    lines = [f"### `/{doc.path}`", "", doc.description, "", f"**{t('reference.who')}** {doc.who}"]
    lines.append("")
    if doc.options:
        header = (
            t("reference.column.option"),
            t("reference.column.required"),
            t("reference.column.takes"),
            t("reference.column.description"),
        )
        lines += [_row(header), "|---|---|---|---|"]
        for option in doc.options:
            required = t("reference.yes") if option.required else t("reference.no")
            lines.append(_row((f"`{option.name}`", required, option.takes, option.description)))
    else:
        lines.append(t("reference.no_options"))
    lines.append("")
    if doc.example:
        lines += [f"**{t('reference.example')}** `{doc.example}`", ""]
    return lines


def _anchor(heading: str) -> str:
    """The link GitHub gives a heading: lower case, punctuation dropped, spaces as '-'."""
    kept = "".join(c for c in heading.lower() if c.isalnum() or c in " -_")
    return kept.replace(" ", "-")


def _row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def write(commands: Iterable[Command], folder: Path) -> list[Path]:
    """<folder>/<locale>.md for every language; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    listed = list(commands)
    written = []
    for locale in SUPPORTED_LOCALES:
        path = folder / f"{locale}.md"
        path.write_text(markdown(listed, locale), encoding="utf-8")
        written.append(path)
    return written
