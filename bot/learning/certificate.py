"""A certificate of participation as a PNG, drawn with Pillow in the reader's language.

The letters are DejaVu Sans (shipped in data/fonts, found the way the map finds them), so
Polish and Bulgarian names come out right on every machine.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date
from PIL import Image, ImageDraw

from bot.fonts import Font, font
from bot.i18n import current_locale, t, tn

WIDTH, HEIGHT = 1600, 1131  # A4 landscape at about 137 dpi
PAPER = (252, 249, 240)
INK = (33, 37, 41)
SOFT = (96, 104, 112)
NAVY = (28, 53, 94)
GOLD = (184, 146, 62)
# Where the participant's name is drawn (left, top, right, bottom): tests look there.
NAME_BOX = (120, 330, WIDTH - 120, 430)
MAX_THEME_LINES = 8


@dataclass(frozen=True)
class CertificateData:
    name: str
    program: str
    themes: tuple[tuple[str, int], ...]  # (theme, days attended), in the programme's order
    starts_at: datetime
    ends_at: datetime
    issued_at: datetime
    timezone: str


def _date(at: datetime, tz: str) -> str:
    return format_date(at.astimezone(ZoneInfo(tz)).date(), format="long", locale=current_locale())


def _fit(draw: ImageDraw.ImageDraw, text: str, size: int, width: int, bold: bool) -> Font:
    """The largest font up to `size` that fits `text` into `width`."""
    while size > 14:
        chosen = font(size, bold)
        if draw.textlength(text, font=chosen) <= width:
            return chosen
        size -= 2
    return font(size, bold)


def _centered(
    draw: ImageDraw.ImageDraw, y: float, text: str, face: Font, fill: tuple[int, int, int]
) -> None:
    draw.text((WIDTH / 2, y), text, font=face, fill=fill, anchor="mm")


def render(data: CertificateData) -> bytes:
    """The certificate in the current locale, as PNG bytes."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    # A double frame: navy outside, a thin gold line inside, small corner squares.
    draw.rectangle((36, 36, WIDTH - 37, HEIGHT - 37), outline=NAVY, width=10)
    draw.rectangle((62, 62, WIDTH - 63, HEIGHT - 63), outline=GOLD, width=3)
    for x, y in ((62, 62), (WIDTH - 63, 62), (62, HEIGHT - 63), (WIDTH - 63, HEIGHT - 63)):
        draw.rectangle((x - 9, y - 9, x + 9, y + 9), fill=GOLD)

    inner = WIDTH - 320
    _centered(
        draw,
        150,
        t("learning.certificate.title").upper(),
        _fit(draw, t("learning.certificate.title").upper(), 58, inner, True),
        NAVY,
    )
    draw.line((WIDTH / 2 - 180, 205, WIDTH / 2 + 180, 205), fill=GOLD, width=3)
    _centered(draw, 280, t("learning.certificate.certifies"), font(30), SOFT)
    name_face = _fit(draw, data.name, 76, NAME_BOX[2] - NAME_BOX[0], True)
    _centered(draw, (NAME_BOX[1] + NAME_BOX[3]) / 2, data.name, name_face, INK)
    _centered(draw, 480, t("learning.certificate.took_part"), font(30), SOFT)
    _centered(draw, 545, data.program, _fit(draw, data.program, 50, inner, True), NAVY)
    dates = f"{_date(data.starts_at, data.timezone)} – {_date(data.ends_at, data.timezone)}"
    _centered(draw, 605, dates, font(28), SOFT)

    total = sum(days for _, days in data.themes)
    _centered(draw, 680, tn("learning.certificate.days", total), font(30, True), INK)
    lines = [
        f"{theme} · " + tn("learning.record.days", days) for theme, days in data.themes if days
    ][:MAX_THEME_LINES]
    y = 735
    step = 40 if len(lines) <= 5 else 30
    for line in lines:
        _centered(draw, y, line, _fit(draw, line, 28 if step == 40 else 22, inner, False), INK)
        y += step

    draw.line((WIDTH / 2 - 250, HEIGHT - 170, WIDTH / 2 + 250, HEIGHT - 170), fill=GOLD, width=2)
    _centered(draw, HEIGHT - 135, t("learning.certificate.issuer"), font(26, True), NAVY)
    issued = t("learning.certificate.issued", date=_date(data.issued_at, data.timezone))
    _centered(draw, HEIGHT - 98, issued, font(22), SOFT)

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
