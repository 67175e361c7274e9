"""A PNG map of the local groups: Poland with its voivodeships, one marker per group.

Pillow only, no network. `render_map(markers)` draws all of Poland (or, with
`region="śląskie"`, one voivodeship and its surroundings) in an equirectangular
projection corrected by cos(latitude), so shapes look right at Polish latitudes.
Groups in the Netherlands or Bulgaria get an inset frame at the side with the
country's outline (Natural Earth) headed "Nederland" / "България".

Labels never overlap each other or any marker: `layout_labels` tries 8 positions
around each marker, then the same directions further out with a leader line, and
when nothing fits numbers the marker and lists its name in a legend under the map.

The projected base map (sea, neighbours, Poland, borders, inset frames) is drawn once
per view at twice the size, downsampled for smooth edges, and cached; a render then
only copies it and adds markers, labels and the title. Output is deterministic.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw

from bot.fonts import Font, drawable, font
from bot.geography import regions

WIDTH, HEIGHT = 1200, 1100
SUPERSAMPLE = 2  # base map drawn this much bigger, then scaled down: anti-aliased edges
TITLE_HEIGHT = 64
INSET_WIDTH = 300
MARGIN = 14
MARKER_RADIUS = 10
BADGE_RADIUS = 12
LABEL_GAP = 5  # between a marker's edge and its label
LABEL_MAX_CHARS = 32
LEGEND_LINE = 32
LABEL_SIZE = 24
HALO_WIDTH = 3

SEA = (214, 229, 240)
LAND = (236, 234, 227)
LAND_BORDER = (184, 181, 172)
POLAND = (253, 250, 240)
REGION_FOCUS = (255, 244, 214)
VOIVODESHIP_BORDER = (160, 160, 160)
POLAND_BORDER = (95, 95, 95)
FRAME = (120, 120, 120)
PAPER = (255, 255, 255)
TEXT = (28, 28, 28)
HALO = (255, 255, 255)
LEADER = (80, 80, 80)
MARKER_FILL = (206, 32, 48)
MARKER_RING = (255, 255, 255)
MARKER_EDGE = (70, 12, 18)

INSET_COUNTRIES = {"NL": "Nederland", "BG": "България"}
_VIEW_MARGIN_DEG = 0.22  # around Poland
_REGION_MARGIN = 0.12  # share of a voivodeship's span added on each side


@dataclass(frozen=True)
class Marker:
    lat: float
    lon: float
    label: str


# --- geometry helpers --------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def intersects(self, other: Box) -> bool:
        return (
            self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1
        )

    def within(self, outer: Box) -> bool:
        return (
            self.x0 >= outer.x0
            and self.y0 >= outer.y0
            and self.x1 <= outer.x1
            and self.y1 <= outer.y1
        )

    def nearest(self, x: float, y: float) -> tuple[float, float]:
        return (min(max(x, self.x0), self.x1), min(max(y, self.y0), self.y1))


Segment = tuple[float, float, float, float]
Colour = tuple[int, int, int] | int


def _segment_hits(seg: Segment, box: Box) -> bool:
    """Liang–Barsky: does the segment pass through the box's interior?"""
    x0, y0, x1, y1 = seg
    dx, dy = x1 - x0, y1 - y0
    lo, hi = 0.0, 1.0
    for p, q in ((-dx, x0 - box.x0), (dx, box.x1 - x0), (-dy, y0 - box.y0), (dy, box.y1 - y0)):
        if p == 0:
            if q <= 0:
                return False
            continue
        t = q / p
        if p < 0:
            lo = max(lo, t)
        else:
            hi = min(hi, t)
        if lo >= hi:
            return False
    return True


@dataclass(frozen=True)
class Projection:
    """Equirectangular, x scaled by cos of the view's middle latitude, fitted into `box`
    (centred; the view grows on the short side so the box is filled)."""

    west: float
    south: float
    east: float
    north: float
    box: Box

    @functools.cached_property
    def _params(self) -> tuple[float, float, float, float]:
        k = math.cos(math.radians((self.south + self.north) / 2))
        width, height = self.box.x1 - self.box.x0, self.box.y1 - self.box.y0
        scale = min(width / ((self.east - self.west) * k), height / (self.north - self.south))
        cx, cy = (self.west + self.east) / 2, (self.south + self.north) / 2
        return k, scale, cx, cy

    @property
    def px_per_degree(self) -> float:
        """Pixels per degree of latitude (a degree of longitude is cos(lat) of that)."""
        return self._params[1]

    def __call__(self, lat: float, lon: float) -> tuple[float, float]:
        k, scale, cx, cy = self._params
        x = (self.box.x0 + self.box.x1) / 2 + (lon - cx) * k * scale
        y = (self.box.y0 + self.box.y1) / 2 - (lat - cy) * scale
        return x, y

    def sees(self, lat: float, lon: float) -> bool:
        x, y = self(lat, lon)
        return self.box.x0 <= x <= self.box.x1 and self.box.y0 <= y <= self.box.y1


# --- label layout ------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelPlacement:
    index: int  # which marker
    text: str  # what is drawn: the label, or the legend number
    box: Box | None  # None: not even the number fitted; it goes inside the marker
    leader: Segment | None = None  # a line from the marker to a label set further out
    number: int | None = None  # set when the label went to the legend


# Unit directions in order of preference: right, upper right, lower right, left, ...
_DIRECTIONS = ((1, 0), (1, -1), (1, 1), (-1, 0), (-1, -1), (-1, 1), (0, -1), (0, 1))
_LEADER_REACH = (2.6, 4.0, 5.5)  # leader-line distances, in label gaps from the marker
_NUMBER_REACH = (2.6, 4.0, 5.5, 7.0, 9.0)  # a number tag may go further out...
# ... and in between the 8 directions too (it is small, room is easier to find).
_NUMBER_DIRECTIONS = (
    *_DIRECTIONS,
    (2, -1),
    (2, 1),
    (-2, -1),
    (-2, 1),
    (1, -2),
    (1, 2),
    (-1, -2),
    (-1, 2),
)


def _candidate(x: float, y: float, w: float, h: float, d: tuple[int, int], gap: float) -> Box:
    """The box of size w×h on side `d` of (x, y), `gap` away from it."""
    dx, dy = d
    if abs(dx) != abs(dy) and dx and dy:  # an in-between direction: centre on the ray
        norm = math.hypot(dx, dy)
        cx = x + dx / norm * (gap + w / 2)
        cy = y + dy / norm * (gap + h / 2)
        return Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
    diagonal = 0.75 if dx and dy else 1.0
    if dx > 0:
        left = x + gap * diagonal
    elif dx < 0:
        left = x - gap * diagonal - w
    else:
        left = x - w / 2
    if dy > 0:
        top = y + gap * diagonal
    elif dy < 0:
        top = y - gap * diagonal - h
    else:
        top = y - h / 2
    return Box(left, top, left + w, top + h)


def _segments_cross(a: Segment, b: Segment) -> bool:
    def side(ax: float, ay: float, bx: float, by: float, cx: float, cy: float) -> float:
        return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)

    d1 = side(b[0], b[1], b[2], b[3], a[0], a[1])
    d2 = side(b[0], b[1], b[2], b[3], a[2], a[3])
    d3 = side(a[0], a[1], a[2], a[3], b[0], b[1])
    d4 = side(a[0], a[1], a[2], a[3], b[2], b[3])
    return d1 * d2 < 0 and d3 * d4 < 0


class _Layout:
    """The state of one greedy placement: markers, labels and leader lines so far."""

    def __init__(self, points: Sequence[tuple[float, float]], bounds: Box, radius: float) -> None:
        self.points = points
        self.bounds = bounds
        self.radius = radius
        self.gap = radius + LABEL_GAP
        self.markers = [
            Box(x - radius - 1, y - radius - 1, x + radius + 1, y + radius + 1) for x, y in points
        ]
        self.taken: list[Box] = []
        self.leaders: list[Segment] = []

    def fits(self, box: Box) -> bool:
        return (
            box.within(self.bounds)
            and not any(box.intersects(b) for b in self.markers)
            and not any(box.intersects(b) for b in self.taken)
            and not any(_segment_hits(s, box) for s in self.leaders)
        )

    def leader_fits(self, leader: Segment, own: int, over_markers: bool) -> bool:
        if any(_segment_hits(leader, b) for b in self.taken):
            return False
        if any(_segments_cross(leader, s) for s in self.leaders):
            return False
        # A label's leader must not pass over another marker (whose label would it be?);
        # a number tag's may, as it is drawn under the markers and names no place.
        return over_markers or not any(
            _segment_hits(leader, b) for i, b in enumerate(self.markers) if i != own
        )

    def beside(self, i: int, size: tuple[float, float]) -> Box | None:
        """One of the 8 positions right around marker i."""
        x, y = self.points[i]
        for d in _DIRECTIONS:
            box = _candidate(x, y, *size, d, self.gap)
            if self.fits(box):
                return box
        return None

    def away(
        self,
        i: int,
        size: tuple[float, float],
        reaches: Sequence[float],
        directions: Sequence[tuple[int, int]] = _DIRECTIONS,
        *,
        over_markers: bool = False,
    ) -> tuple[Box, Segment] | None:
        """Positions further out, joined to the marker by a leader line."""
        x, y = self.points[i]
        for reach in reaches:
            for d in directions:
                box = _candidate(x, y, *size, d, self.gap * reach)
                tx, ty = box.nearest(x, y)
                length = math.hypot(tx - x, ty - y) or 1.0
                sx, sy = x + (tx - x) * self.radius / length, y + (ty - y) * self.radius / length
                leader = (sx, sy, tx, ty)
                if self.fits(box) and self.leader_fits(leader, i, over_markers):
                    return box, leader
        return None

    def take(self, box: Box, leader: Segment | None = None) -> None:
        self.taken.append(box)
        if leader is not None:
            self.leaders.append(leader)

    def crowd(self, i: int) -> int:
        """How many markers (itself included) sit where its label would go."""
        x, y = self.points[i]
        return sum(1 for u, v in self.points if abs(u - x) < 160 and abs(v - y) < 60)


def layout_labels(
    points: Sequence[tuple[float, float]],
    texts: Sequence[str],
    measure: Callable[[str], tuple[float, float]],
    *,
    bounds: Box,
    radius: float = MARKER_RADIUS,
    first_number: int = 1,
) -> list[LabelPlacement]:
    """Place one label per marker (x, y) so that no label overlaps another label, any
    marker or a leader line, no leader crosses another, and all stay inside `bounds`.

    Greedy in three rounds, most crowded markers first: (1) the 8 positions right
    around each marker; (2) for the rest, the same directions further out with a
    leader line; (3) a marker still without a label gets a number (`first_number`,
    then up, in marker order) placed the same way, even further out if need be, and its text goes to
    the legend. A number that fits nowhere has `box` None and is drawn in the marker.
    Rounds keep leader lines from taking space a plain label could have used.
    Returns one placement per marker, in marker order.
    """
    layout = _Layout(points, bounds, radius)
    order = sorted(range(len(points)), key=lambda i: (-layout.crowd(i), i))
    placements: dict[int, LabelPlacement] = {}
    for i in order:
        box = layout.beside(i, measure(texts[i]))
        if box is not None:
            layout.take(box)
            placements[i] = LabelPlacement(i, texts[i], box)
    for i in order:
        if i in placements:
            continue
        spot = layout.away(i, measure(texts[i]), _LEADER_REACH)
        if spot is not None:
            layout.take(*spot)
            placements[i] = LabelPlacement(i, texts[i], *spot)
    failed = [i for i in range(len(points)) if i not in placements]
    for number, i in enumerate(failed, start=first_number):
        tag = str(number)
        size = measure(tag)
        box = layout.beside(i, size)
        numbered: tuple[Box, tuple[float, float, float, float] | None] | None = (
            (box, None)
            if box
            else layout.away(i, size, _NUMBER_REACH, _NUMBER_DIRECTIONS, over_markers=True)
        )
        if numbered is not None:
            layout.take(*numbered)
        box, leader = numbered if numbered else (None, None)
        placements[i] = LabelPlacement(i, tag, box, leader, number)
    return [placements[i] for i in range(len(points))]


def _shorten(text: str) -> str:
    return text if len(text) <= LABEL_MAX_CHARS else text[: LABEL_MAX_CHARS - 1].rstrip() + "…"


# --- base map ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MapArea:
    """One map area of the image: the main map or an inset."""

    key: str  # "PL" or an inset country code
    projection: Projection
    frame: Box  # the area labels must stay inside


@dataclass(frozen=True)
class Base:
    image: Image.Image
    parts: tuple[MapArea, ...]


def view_bounds(region: str | None) -> tuple[float, float, float, float]:
    """(west, south, east, north) the main map must show: Poland, or one voivodeship,
    with a margin. The projection then widens it to fill the frame."""
    if region is None:
        w, s, e, n = regions.poland().bounds
        m = _VIEW_MARGIN_DEG
        return w - m, s - m, e + m, n + m
    area = regions.voivodeship(region)
    if area is None:
        names = ", ".join(a.name for a in regions.voivodeships())
        raise ValueError(f"unknown voivodeship {region!r}; one of: {names}")
    w, s, e, n = area.bounds
    m = max(e - w, n - s) * _REGION_MARGIN
    return w - m, s - m, e + m, n + m


def _inset_parts(countries: tuple[str, ...], column: Box) -> list[MapArea]:
    parts = []
    top = column.y0
    for code in countries:
        w, s, e, n = regions.country_outlines()[code].bounds
        m = 0.15
        w, s, e, n = w - m, s - m, e + m, n + m
        inner_w = column.x1 - column.x0 - 2 * MARGIN
        aspect = (n - s) / ((e - w) * math.cos(math.radians((s + n) / 2)))
        header = 40
        frame = Box(
            column.x0 + MARGIN,
            top + header,
            column.x1 - MARGIN,
            top + header + round(inner_w * aspect),
        )
        parts.append(MapArea(code, Projection(w, s, e, n, frame), frame))
        top = frame.y1 + MARGIN
    return parts


def _shifted(proj: Projection, k: int) -> Projection:
    """The same view drawn on its own canvas, `k` times bigger, origin at its corner."""
    b = proj.box
    return Projection(
        proj.west,
        proj.south,
        proj.east,
        proj.north,
        Box(0, 0, (b.x1 - b.x0) * k, (b.y1 - b.y0) * k),
    )


def _ring_points(
    ring: Sequence[tuple[float, float]], proj: Projection
) -> list[tuple[float, float]]:
    return [proj(lat, lon) for lon, lat in ring]


def _paint(
    draw: ImageDraw.ImageDraw,
    area: regions.Area,
    proj: Projection,
    fill: Colour | None,
    outline: Colour | None,
    width: int,
) -> None:
    """Fill and/or outline an area; colours are RGB, or 0–255 on a mask."""
    if fill is not None:
        hole_fill = SEA if isinstance(fill, tuple) else 0
        for poly in area.polygons:
            draw.polygon(_ring_points(poly.outer, proj), fill=fill)
            for hole in poly.holes:
                draw.polygon(_ring_points(hole, proj), fill=hole_fill)
    if outline is None:
        return
    for poly in area.polygons:
        for ring in (poly.outer, *poly.holes):
            points = _ring_points(ring, proj)
            # Round joints only where a wide stroke would show notches: they cost time.
            joint = "curve" if width >= 8 else None
            draw.line([*points, points[0]], fill=outline, width=width, joint=joint)


def _part_image(part: MapArea, focus: str | None) -> Image.Image:
    """One map area, drawn SUPERSAMPLE times bigger and scaled down (smooth edges)."""
    k = SUPERSAMPLE
    proj = _shifted(part.projection, k)
    size = (round(proj.box.x1), round(proj.box.y1))  # frames are whole pixels
    image = Image.new("RGB", size, SEA)
    draw = ImageDraw.Draw(image)
    # Land first: where Natural Earth's borders and Poland's finer outline disagree
    # by a few hundred metres, land shows through rather than a sliver of sea.
    _paint(draw, regions.land()[part.key], proj, LAND, None, 0)
    if part.key == "PL":
        clean = image.copy()
        for code, area in regions.country_outlines().items():
            if code not in INSET_COUNTRIES:
                _paint(draw, area, proj, None, LAND_BORDER, k)
        # Natural Earth's borders stray up to ~2 km from Poland's finer outline and
        # would show as a second, wobbly line beside it: rub them out within ~4 km of
        # it (10 px at least) by pasting back the border-less land and sea there.
        mask = Image.new("L", image.size, 0)
        reach = max(10 * k, round(0.04 * proj.px_per_degree))
        _paint(ImageDraw.Draw(mask), regions.poland(), proj, 255, 255, reach)
        image.paste(clean, (0, 0), mask)
        for area in regions.voivodeships():
            fill = REGION_FOCUS if area.name == focus else POLAND
            _paint(draw, area, proj, fill, VOIVODESHIP_BORDER, k)
        _paint(draw, regions.poland(), proj, None, POLAND_BORDER, 2 * k)
    else:
        _paint(draw, regions.country_outlines()[part.key], proj, POLAND, POLAND_BORDER, 2 * k)
    return image.reduce(k)  # a box filter: exact for a whole-number factor, and fast


@functools.lru_cache(maxsize=24)
def _base(region: str | None, insets: tuple[str, ...], titled: bool) -> Base:
    """Everything but the markers, labels and title for one view (cached)."""
    top = TITLE_HEIGHT if titled else 0
    right = WIDTH - (INSET_WIDTH if insets else 0)
    main_frame = Box(0, top, right, HEIGHT)
    main = MapArea("PL", Projection(*view_bounds(region), main_frame), main_frame)
    parts = [main, *_inset_parts(insets, Box(right, top, WIDTH, HEIGHT))]
    focus_area = regions.voivodeship(region) if region else None
    focus = focus_area.name if focus_area else None

    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    for part in parts:
        image.paste(_part_image(part, focus), (round(part.frame.x0), round(part.frame.y0)))
    if insets:
        draw.line([(right, top), (right, HEIGHT)], fill=FRAME, width=2)
        heading = font(22, bold=True)
        for part in parts[1:]:
            f = part.frame
            draw.rectangle([f.x0, f.y0, f.x1 - 1, f.y1 - 1], outline=FRAME, width=1)
            name = drawable(INSET_COUNTRIES[part.key])
            draw.text((f.x0, f.y0 - 10), name, font=heading, fill=TEXT, anchor="ls")
    if titled:
        draw.line([(0, top - 1), (WIDTH, top - 1)], fill=FRAME, width=1)
    return Base(image, tuple(parts))


# --- rendering ---------------------------------------------------------------------------


def _label_measure(label_font: Font) -> Callable[[str], tuple[float, float]]:
    ascent, descent = label_font.getmetrics()

    def measure(text: str) -> tuple[float, float]:
        return (label_font.getlength(text) + 2 * HALO_WIDTH, ascent + descent + 2 * HALO_WIDTH)

    return measure


@functools.cache
def _marker_sprite(radius: int) -> Image.Image:
    """An anti-aliased marker: dark edge, white ring, red fill (drawn 4x, scaled down)."""
    k = 4
    size = 2 * radius + 5
    big = Image.new("RGBA", (size * k, size * k), (0, 0, 0, 0))
    draw = ImageDraw.Draw(big)
    c = size * k / 2
    for r, colour in (
        (radius + 2, MARKER_EDGE),
        (radius + 1, MARKER_RING),
        (radius - 2, MARKER_FILL),
    ):
        draw.ellipse([c - r * k, c - r * k, c + r * k, c + r * k], fill=colour)
    return big.resize((size, size), Image.Resampling.LANCZOS)


def _draw_marker(image: Image.Image, x: float, y: float) -> None:
    sprite = _marker_sprite(MARKER_RADIUS)
    half = sprite.width // 2
    image.paste(sprite, (round(x) - half, round(y) - half), sprite)


def _draw_badge(image: Image.Image, x: float, y: float, number: str) -> None:
    """A bigger marker with its legend number in it: for the legend, and for a marker
    whose number found no room beside it."""
    sprite = _marker_sprite(BADGE_RADIUS)
    half = sprite.width // 2
    image.paste(sprite, (round(x) - half, round(y) - half), sprite)
    size = 14 if len(number) < 3 else 11
    draw = ImageDraw.Draw(image)
    draw.text((round(x), round(y)), number, font=font(size, bold=True), fill=PAPER, anchor="mm")


def _draw_label(draw: ImageDraw.ImageDraw, placement: LabelPlacement, label_font: Font) -> None:
    assert placement.box is not None
    if placement.leader is not None:
        x0, y0, x1, y1 = placement.leader
        draw.line([(x0, y0), (x1, y1)], fill=LEADER, width=2)
    ascent, _ = label_font.getmetrics()
    x, y = placement.box.x0 + HALO_WIDTH, placement.box.y0 + HALO_WIDTH + ascent
    draw.text(
        (x, y),
        placement.text,
        font=label_font,
        fill=TEXT,
        anchor="ls",
        stroke_width=HALO_WIDTH,
        stroke_fill=HALO,
    )


def _inset_of(marker: Marker) -> str | None:
    for code in INSET_COUNTRIES:
        w, s, e, n = regions.country_outlines()[code].bounds
        if w - 0.3 <= marker.lon <= e + 0.3 and s - 0.3 <= marker.lat <= n + 0.3:
            return code
    return None


def _assign(
    markers: Sequence[Marker], region: str | None, titled: bool
) -> tuple[dict[int, str], tuple[str, ...]]:
    """Which map area each marker goes to ("PL", "NL", "BG"), and which insets that needs;
    markers no map area shows (Berlin, or anything abroad on a voivodeship map) are left
    out."""
    view = view_bounds(region)
    top = TITLE_HEIGHT if titled else 0
    wide = Projection(*view, Box(0, top, WIDTH, HEIGHT))
    abroad: dict[int, str] = {}
    if region is None:
        for i, m in enumerate(markers):
            code = None if wide.sees(m.lat, m.lon) else _inset_of(m)
            if code is not None:
                abroad[i] = code
    insets = tuple(c for c in INSET_COUNTRIES if c in abroad.values())
    main = Projection(*view, Box(0, top, WIDTH - (INSET_WIDTH if insets else 0), HEIGHT))
    where = {i: "PL" for i, m in enumerate(markers) if main.sees(m.lat, m.lon)}
    return where | abroad, insets


def render_map(
    markers: list[Marker], *, region: str | None = None, title: str | None = None
) -> bytes:
    """The map as PNG bytes. `region` (a voivodeship, e.g. "śląskie" or "slaskie")
    zooms to it; any other region (a Dutch province, a Bulgarian oblast) gets the
    whole map, where groups abroad (NL, BG) appear in insets."""
    image, _ = render_image(markers, region=region, title=title)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=6)
    return out.getvalue()


def render_image(
    markers: Sequence[Marker], *, region: str | None = None, title: str | None = None
) -> tuple[Image.Image, list[tuple[Marker, tuple[float, float], LabelPlacement]]]:
    """The map as a Pillow image plus, for tests and callers, where each shown marker
    ended up and how its label was placed."""
    area = regions.voivodeship(region) if region else None
    zoom = area.name if area else None  # canonical, so "slaskie" shares the cache
    where, insets = _assign(markers, zoom, title is not None)
    base = _base(zoom, insets, title is not None)
    image = base.image.copy()
    draw = ImageDraw.Draw(image)
    label_font = font(LABEL_SIZE)
    measure = _label_measure(label_font)
    shown: list[tuple[Marker, tuple[float, float], LabelPlacement]] = []
    legend: list[tuple[int, str]] = []
    for part in base.parts:
        members = [i for i in sorted(where) if where[i] == part.key]
        points = [part.projection(markers[i].lat, markers[i].lon) for i in members]
        texts = [drawable(_shorten(markers[i].label)) for i in members]
        placements = layout_labels(
            points, texts, measure, bounds=_inner(part.frame), first_number=len(legend) + 1
        )
        for i, point, placement, text in zip(members, points, placements, texts, strict=True):
            if placement.number is not None:
                legend.append((placement.number, text))
            shown.append((markers[i], point, placement))
    for _, _, placement in shown:  # leader lines and labels go under the markers
        if placement.box is not None:
            _draw_label(draw, placement, label_font)
    for _, (x, y), _placement in shown:
        _draw_marker(image, x, y)
    for _, (x, y), placement in shown:  # numbers with no room outside: on top of all
        if placement.box is None:
            _draw_badge(image, x, y, placement.text)
    if title is not None:
        draw.text(
            (MARGIN + 4, TITLE_HEIGHT / 2),
            drawable(title),
            font=font(30, bold=True),
            fill=TEXT,
            anchor="lm",
        )
    if legend:
        image = _with_legend(image, legend)
    return image, shown


def _inner(frame: Box) -> Box:
    return Box(frame.x0 + 4, frame.y0 + 4, frame.x1 - 4, frame.y1 - 4)


def _with_legend(image: Image.Image, legend: list[tuple[int, str]]) -> Image.Image:
    """A band under the map listing the numbered groups, in columns."""
    entry_font = font(LABEL_SIZE - 2)
    column_width = 380
    per_row = max(1, (WIDTH - 2 * MARGIN) // column_width)
    rows = math.ceil(len(legend) / per_row)
    band = 2 * MARGIN + rows * LEGEND_LINE
    out = Image.new("RGB", (WIDTH, image.height + band), PAPER)
    out.paste(image, (0, 0))
    draw = ImageDraw.Draw(out)
    draw.line([(0, image.height), (WIDTH, image.height)], fill=FRAME, width=1)
    for n, (number, text) in enumerate(legend):
        row, col = divmod(n, per_row)
        x = MARGIN + col * column_width
        y = image.height + MARGIN + row * LEGEND_LINE + LEGEND_LINE / 2
        _draw_badge(out, x + BADGE_RADIUS, y, str(number))
        draw.text((x + 2 * BADGE_RADIUS + 10, y), text, font=entry_font, fill=TEXT, anchor="lm")
    return out
