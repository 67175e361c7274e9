"""The map of groups as inline SVG: the same projection and boundaries as the PNG that
/group map draws (bot/geography/maps.py, bot/geography/regions.py), with markers that are links.

The base (Poland and its voivodeships) is drawn once per process and cached: rounding the
outlines to whole pixels and dropping repeated points keeps it to a few tens of KB.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from markupsafe import Markup, escape

from bot.geography import regions
from bot.geography.maps import Box, Projection, view_bounds

WIDTH = 600
HEIGHT = 560
MARGIN = 8
# Outline points closer than this (px) to the last one kept are dropped: at this size the
# eye cannot tell, and the page stays light.
TOLERANCE = 2.5


@dataclass(frozen=True)
class Pin:
    lat: float
    lon: float
    label: str
    href: str


@cache
def projection() -> Projection:
    west, south, east, north = view_bounds(None)
    return Projection(
        west, south, east, north, Box(MARGIN, MARGIN, WIDTH - MARGIN, HEIGHT - MARGIN)
    )


def _path(rings: Iterable[Sequence[tuple[float, float]]], proj: Projection) -> str:
    parts = []
    for ring in rings:
        points: list[tuple[int, int]] = []
        for lon, lat in ring:
            x, y = proj(lat, lon)
            point = (round(x), round(y))
            if not points or abs(points[-1][0] - x) + abs(points[-1][1] - y) >= TOLERANCE:
                points.append(point)
        if len(points) < 3:
            continue
        first = points[0]
        rest = "".join(f"l{b[0] - a[0]} {b[1] - a[1]}" for a, b in pairwise(points))
        parts.append(f"M{first[0]} {first[1]}{rest}z")
    return "".join(parts)


@cache
def base() -> str:
    """The voivodeships (each with its name as a title) inside Poland's border."""
    proj = projection()
    shapes = []
    for area in regions.voivodeships():
        rings = [ring for polygon in area.polygons for ring in (polygon.outer, *polygon.holes)]
        name = escape(area.name)
        shapes.append(f'<path class="region" d="{_path(rings, proj)}"><title>{name}</title></path>')
    country = regions.poland()
    outline = [p.outer for p in country.polygons]
    shapes.append(f'<path class="border" d="{_path(outline, proj)}"/>')
    return "".join(shapes)


def render(pins: Sequence[Pin], *, title: str) -> Markup:
    """The whole <svg>: the base plus one linked marker per group in view."""
    proj = projection()
    markers = []
    for pin in pins:
        if not proj.sees(pin.lat, pin.lon):
            continue  # Dutch and Bulgarian groups are listed, not drawn on Poland's map
        x, y = proj(pin.lat, pin.lon)
        markers.append(
            f'<a href="{escape(pin.href)}" class="pin"><title>{escape(pin.label)}</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="7"/></a>'
        )
    return Markup(
        f'<svg class="map" viewBox="0 0 {WIDTH} {HEIGHT}" role="group" '
        f'aria-labelledby="map-title" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="map-title">{escape(title)}</title>'
        f"{base()}{''.join(markers)}</svg>"
    )
