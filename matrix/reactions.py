"""Buttons as reactions: each button on a message gets its own emoji.

A label that starts with an emoji ("📅 Dodaj do kalendarza") is pressed with that emoji, so
the text and the reactions agree. Otherwise the emoji says what the button does where one
is obvious (✅ join or going, ❌ leave or not going, 🤔 maybe — as event cards write the
answers); numbered choices get keycaps; anything else, or a second button wanting an
emoji already taken on the same message, gets a letter (🇦, 🇧, …). The message's legend
lists each emoji once with the rest of the button's label, so the choice is always
explained and no emoji is named twice.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import replace

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
_NUMBERED = ("poll:date", "poll:quick")
_KEYCAPS = ("1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣", "🔟")
_LETTERS = tuple(chr(0x1F1E6 + i) for i in range(26))
_ASK_PREFIX = "panel-ask-"


def normalized(key: str) -> str:
    """Clients differ in whether they send the emoji variation selector; ignore it."""
    return key.replace("\ufe0f", "")


def assign(buttons: Sequence[Button]) -> list[tuple[str, Button]]:
    """(emoji, button) for every button that can be pressed, each emoji used once."""
    taken: set[str] = set()
    chosen: list[tuple[str, Button]] = []
    letters = iter(_LETTERS)
    for button in buttons:
        if button.disabled:
            continue
        own, rest = leading_emoji(button.label)
        emoji = own or _preferred(button.custom_id)
        if emoji is None or normalized(emoji) in taken:
            emoji = next((e for e in letters if normalized(e) not in taken), None)
            if emoji is None:
                break  # 26 letters: no message of ours has that many buttons
        taken.add(normalized(emoji))
        # The label's own emoji is not named again beside the one that presses it.
        chosen.append((emoji, replace(button, label=rest) if own else button))
    return chosen


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


def legend(pairs: Sequence[tuple[str, Button]]) -> str:
    return " · ".join(f"{emoji} {button.label}" for emoji, button in pairs)
