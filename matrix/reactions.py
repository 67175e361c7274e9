"""Buttons as reactions: each button on a message gets its own emoji.

A label that starts with an emoji ("📅 Dodaj do kalendarza") is pressed with that emoji, so
the text and the reactions agree. Otherwise the emoji says what the button does where one
is obvious (✅ join or going, ❌ leave or not going, 🤔 maybe — as event cards write the
answers); numbered choices get keycaps; anything else, or a second button wanting an
emoji already taken on the same message, gets a letter (🇦, 🇧, …). The message's legend
lists each emoji once with the rest of the button's label, so the choice is always
explained and no emoji is named twice.

A reaction can work both ways: on a sign-up sheet 1️⃣ signs up for the first slot and
taking the 1️⃣ back signs out of it (the sheet's "leave" buttons are not reactions of their
own). And some buttons are answers of which one stands (going, maybe, not going): a
person's newer answer makes the reaction of their older one stale.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.replies import Button

# By the custom id's leading parts ("signup:join:4:1" → "signup:join").
_BY_ACTION = {
    "signup:join": "✅",
    "signup:leave": "❌",
    "signup:accept": "✅",
    "signup:decline": "❌",
    "signup:approve": "✅",
    "signup:reject": "❌",
    "group:approve": "✅",
    "group:decline": "❌",
    "group:guide": "📖",
    "group:repair": "🔧",
    "event:ics": "📅",
    "event:reg": "📝",
    "remind:done": "✅",
    "panel:hand": "✋",
    "panel:lower": "👇",
    "panel:paczek": "🍩",
    "panel:next": "⏭️",
    "privacy:forget": "🗑️",
}
# By the whole id's shape where the last part decides.
_BY_ANSWER = {
    "going": "✅",
    "maybe": "🤔",
    "no": "❌",
    "10m": "💤",
    "1h": "🕐",
    "morning": "🌅",
}
_NUMBERED = ("poll:date", "poll:quick", "signup:join")
# A button pressed by taking back the reaction of another: (its action, the other's).
_TAKEN_BACK = {"signup:leave": "signup:join"}
# Words in a custom id that name one of several answers to the same question: of buttons
# that differ only in these words, only a person's latest answer stands.
_ANSWERS = frozenset(
    {"going", "maybe", "no", "accept", "decline", "approve", "reject", "confirm", "cancel"}
    | {"hand", "lower", "snooze", "done", "10m", "1h", "morning"}
)
_KEYCAPS = ("1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣", "🔟")
_LETTERS = tuple(chr(0x1F1E6 + i) for i in range(26))
_ASK_PREFIX = "panel-ask-"


def normalized(key: str) -> str:
    """Clients differ in whether they send the emoji variation selector; ignore it."""
    return key.replace("\ufe0f", "")


@dataclass(frozen=True)
class Offered:
    """One reaction on a message: the button adding it presses (None when that button is
    disabled now) and the button taking it back presses, if any."""

    emoji: str
    press: Button | None
    undo: Button | None = None

    @property
    def key(self) -> str:
        return normalized(self.emoji)


def assign(buttons: Sequence[Button]) -> list[Offered]:
    """The reactions for a message's buttons, each emoji used once. A button pressed by
    taking a reaction back rides on its partner's emoji."""
    partners = {_partner(b.custom_id): b for b in buttons if _partner(b.custom_id)}
    taken: set[str] = set()
    chosen: list[Offered] = []
    letters = iter(_LETTERS)
    for button in buttons:
        undo = partners.get(button.custom_id)
        live_undo = undo if undo is not None and not undo.disabled else None
        if (button.disabled and live_undo is None) or _partner(button.custom_id):
            continue
        own, rest = leading_emoji(button.label)
        emoji = own or _preferred(button.custom_id)
        if emoji is None or normalized(emoji) in taken:
            emoji = next((e for e in letters if normalized(e) not in taken), None)
            if emoji is None:
                break  # 26 letters: no message of ours has that many buttons
        taken.add(normalized(emoji))
        # The label's own emoji is not named again beside the one that presses it.
        press = None if button.disabled else replace(button, label=rest) if own else button
        chosen.append(Offered(emoji, press, live_undo))
    return chosen


def _partner(custom_id: str) -> str | None:
    """For a button pressed by taking a reaction back, the id of the button whose
    reaction it is ("signup:leave:4:1" → "signup:join:4:1")."""
    parts = custom_id.split(":")
    other = _TAKEN_BACK.get(":".join(parts[:2]))
    return ":".join([other, *parts[2:]]) if other else None


def answer_of(custom_id: str) -> str | None:
    """The question a button answers when only one answer may stand ("event:rsvp:3:going"
    → "event:rsvp:3"); None for buttons that stand on their own."""
    parts = custom_id.split(":")
    question = [part for part in parts if part not in _ANSWERS]
    return ":".join(question) if len(question) < len(parts) else None


# Inside one emoji: variation selectors, the zero-width joiner, the keycap mark, skin tones.
_JOINERS = {"\ufe0f", "\ufe0e", "\u200d", "\u20e3", *map(chr, range(0x1F3FB, 0x1F400))}


def leading_emoji(label: str) -> tuple[str | None, str]:
    """The emoji a label starts with and the label without it, or (None, label)."""
    first, _, rest = label.strip().partition(" ")
    keycap = "\u20e3" in first and all(c in "0123456789#*" or c in _JOINERS for c in first)
    if first and (keycap or all(unicodedata.category(c) == "So" or c in _JOINERS for c in first)):
        return first, rest.strip()
    return None, label


def _preferred(custom_id: str) -> str | None:
    if custom_id.startswith(_ASK_PREFIX):
        return "❓"
    parts = custom_id.split(":")
    action = ":".join(parts[:2])
    if action in _NUMBERED and parts[-1].isdigit() and 1 <= int(parts[-1]) <= len(_KEYCAPS):
        return _KEYCAPS[int(parts[-1]) - 1]
    if action == "event:draft":
        return "❌" if parts[2:3] == ["cancel"] else "✅"
    if action == "group:proposal":
        return "❌" if parts[2:3] == ["decline"] else "✅"
    return _BY_ANSWER.get(parts[-1]) or _BY_ACTION.get(action)


def legend(offered: Sequence[Offered]) -> str:
    """What each reaction does when added ("✅ Będę · 2 · 🤔 Może · 0")."""
    return " · ".join(f"{o.emoji} {o.press.label}" for o in offered if o.press is not None)


def undoable(offered: Sequence[Offered]) -> bool:
    """Whether taking one of these reactions back does something (the legend says so)."""
    return any(o.undo is not None for o in offered)
