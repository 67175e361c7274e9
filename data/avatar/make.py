"""Draws data/avatar/avatar.png, the bot's Matrix avatar: an open book on a teal disc with an
arrow passing over it ("podaj dalej": pass it on). Run `python data/avatar/make.py` after a
change; the PNG is committed, so the bot never draws it at start."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 256
SCALE = 4  # drawn large, scaled down: smooth edges without an anti-aliasing pass
TEAL = (31, 122, 110, 255)
WHITE = (255, 255, 255, 255)
AMBER = (255, 193, 77, 255)
OUT = Path(__file__).with_name("avatar.png")


def draw() -> Image.Image:
    big = SIZE * SCALE

    def at(*points: float) -> list[float]:
        return [p * SCALE for p in points]

    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.ellipse(at(0, 0, SIZE, SIZE), fill=TEAL)
    # The open book: two pages meeting at the spine.
    pen.polygon(at(48, 118, 124, 132, 124, 200, 48, 186), fill=WHITE)
    pen.polygon(at(132, 132, 208, 118, 208, 186, 132, 200), fill=WHITE)
    # The arrow over it, from left to right.
    pen.line(at(64, 96, 176, 96), fill=AMBER, width=18 * SCALE)
    pen.polygon(at(168, 68, 212, 96, 168, 124), fill=AMBER)
    return image.resize((SIZE, SIZE), Image.Resampling.LANCZOS)


if __name__ == "__main__":
    draw().save(OUT, optimize=True)
