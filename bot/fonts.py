"""The letters drawn into images (the group map, certificates): DejaVu Sans, shipped in
data/fonts so every machine draws the same letters, else the system's copy, else Pillow's
own Latin-only font with text transliterated to fit it."""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

from PIL import ImageFont

FONT_DIRS = (
    # The copy shipped with the project first, so every machine draws the same letters.
    Path(__file__).resolve().parent.parent / "data" / "fonts",
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
)

Font = ImageFont.FreeTypeFont


@functools.cache
def _font_file(bold: bool) -> Path | None:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return next((d / name for d in FONT_DIRS if (d / name).exists()), None)


@functools.cache
def font(size: int, bold: bool = False) -> Font:
    """DejaVu Sans from the system (it has Polish and Cyrillic letters); else Pillow's
    own scalable font, whose letters are Latin only (see `drawable`)."""
    path = _font_file(bold) or _font_file(False)
    if path is not None:
        return ImageFont.truetype(str(path), size)
    fallback = ImageFont.load_default(size=size)
    # Every Pillow wheel has FreeType; without it labels could not be measured.
    if not isinstance(fallback, ImageFont.FreeTypeFont):
        raise RuntimeError("Pillow was built without FreeType, which the map needs")
    return fallback


def has_full_font() -> bool:
    return _font_file(False) is not None


_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "sht", "ъ": "a", "ь": "y", "ю": "yu", "я": "ya",
}  # fmt: skip


_PUNCTUATION = str.maketrans({"—": "-", "–": "-", "„": '"', "”": '"', "“": '"', "’": "'"})


def latin(text: str) -> str:
    """Łódź → Lodz, България → Balgariya: for a font without those letters."""
    out = []
    for ch in text.translate(_PUNCTUATION).replace("ł", "l").replace("Ł", "L"):
        low = ch.lower()
        if low in _CYRILLIC:
            spelled = _CYRILLIC[low]
            out.append(spelled.capitalize() if ch != low else spelled)
            continue
        bare = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(bare if bare.isascii() else "?")
    return "".join(out)


def drawable(text: str) -> str:
    return text if has_full_font() else latin(text)
