"""What a user saw after an interaction, as the harness hands it to a test."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import state as st
from .runners import WAIT_TIMEOUT

if TYPE_CHECKING:
    from .harness import Harness


class InteractionTimeout(AssertionError):
    """The bot did not answer an interaction in time (Discord's 3 seconds)."""


class Response:
    """What a user saw after an interaction: the reply (or modal / choices) and followups."""

    def __init__(self, harness: Harness, record: st.InteractionRecord) -> None:
        self.harness = harness
        self.record = record

    def __repr__(self) -> str:
        return (
            f"<Response type={self.type} ephemeral={self.ephemeral} text={self.text!r} "
            f"followups={[m.content for m in self.followups]!r}>"
        )

    @property
    def type(self) -> int | None:
        return self.record.response_type

    @property
    def data(self) -> dict[str, Any]:
        return self.record.response_data or {}

    @property
    def message(self) -> st.Message | None:
        """The @original message (for a component update: the message the component is on)."""
        if self.record.original_id is None:
            return None
        return self.harness.double.state.messages.get(self.record.original_id)

    @property
    def text(self) -> str:
        message = self.message
        return message.content if message is not None else ""

    content = text

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self.message.embeds if self.message else []

    @property
    def components(self) -> list[dict[str, Any]]:
        return self.message.components if self.message else []

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return self.message.buttons if self.message else []

    @property
    def selects(self) -> list[dict[str, Any]]:
        return self.message.selects if self.message else []

    @property
    def files(self) -> list[st.Attachment]:
        return self.message.attachments if self.message else []

    @property
    def ephemeral(self) -> bool:
        if self.message is not None:
            return self.message.ephemeral
        return bool((self.data.get("flags") or 0) & st.EPHEMERAL)

    @property
    def deferred(self) -> bool:
        return self.type in (5, 6)

    @property
    def loading(self) -> bool:
        return bool(self.message and self.message.flags & st.LOADING)

    @property
    def choices(self) -> list[dict[str, Any]]:
        """Autocomplete choices (callback type 8)."""
        return list(self.data.get("choices") or [])

    @property
    def modal(self) -> dict[str, Any] | None:
        """The modal the bot opened (callback type 9): custom_id, title, components."""
        return self.data if self.type == 9 else None

    @property
    def followups(self) -> list[st.Message]:
        messages = self.harness.double.state.messages
        return [messages[i] for i in self.record.followup_ids if not messages[i].deleted]

    @property
    def late(self) -> bool:
        return self.record.late

    @property
    def latency(self) -> float | None:
        """Seconds from INTERACTION_CREATE on the wire to the bot's callback."""
        if self.record.dispatched_at is None or self.record.responded_at is None:
            return None
        return self.record.responded_at - self.record.dispatched_at

    async def done(self, within: float = WAIT_TIMEOUT) -> Response:
        """Waits until a deferred answer arrived (loading message filled in, or a followup)."""
        if self.type == 5:
            await self.harness.wait_until(
                lambda: not self.loading,
                within=within,
                what=f"deferred answer to {self}",
                event=self.record.changed,
            )
        elif self.type == 6:
            source = self.message
            before = None if source is None else len(source.history)
            await self.harness.wait_until(
                lambda: (
                    bool(self.followups) or (source is not None and len(source.history) != before)
                ),
                within=within,
                what=f"update after deferred component answer {self}",
                event=self.record.changed,
            )
        return self

    async def followup(self, n: int = 1, within: float = WAIT_TIMEOUT) -> st.Message:
        """The n-th followup message (1-based), waiting for it if needed."""
        await self.harness.wait_until(
            lambda: len(self.followups) >= n,
            within=within,
            what=f"followup #{n} to {self}",
            event=self.record.changed,
        )
        return self.followups[n - 1]


@dataclass
class ForumPost:
    thread: st.Channel
    message: st.Message | None
    tags: list[str]

    @property
    def title(self) -> str:
        return self.thread.name or ""

    @property
    def text(self) -> str:
        return self.message.content if self.message else ""
