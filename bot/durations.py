"""Compact durations as people type them in options: 2h, 90m, 1d12h, 1w, 45s."""

from __future__ import annotations

import re
from datetime import timedelta

_PART = re.compile(r"(\d{1,6})\s*(w|d|h|m|s)", re.IGNORECASE)
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
_LIMIT = timedelta(days=3660)


def parse_duration(text: str) -> timedelta | None:
    """A positive duration of at most ten years, or None."""
    compact = text.strip().replace(" ", "")
    if not compact or _PART.sub("", compact):
        return None
    total = timedelta()
    for amount, unit in _PART.findall(compact):
        total += timedelta(**{_UNITS[unit.lower()]: int(amount)})
    return total if timedelta() < total <= _LIMIT else None
