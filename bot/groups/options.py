"""Options more than one group command takes: what describes a new group, and places."""

from __future__ import annotations

from bot.commands import Choice, Completer, Invocation, Option
from bot.groups.directory import GroupDirectory
from bot.groups.model import MAX_DESCRIPTION, MAX_NAME


def place_completer(directory: GroupDirectory) -> Completer:
    """Autocomplete of places from the gazetteer."""

    async def complete(ctx: Invocation, current: str) -> list[Choice]:
        if not current.strip():
            return []
        # The id as the value: two villages may share a label, never an id.
        return [Choice(p.label(), p.id) for p in directory.places(current)][:25]

    return complete


def new_group_options(directory: GroupDirectory) -> tuple[Option, ...]:
    """What describes a new group, for `/group create` and `/group propose` alike."""
    return (
        Option("name", required=True, max_length=MAX_NAME),
        Option("city", required=True, autocomplete=place_completer(directory), max_length=100),
        Option("description", max_length=MAX_DESCRIPTION),
        Option("join", choices=("open", "approval")),
    )
