"""Polish voivodeships as polygons: which one a point lies in, and their outlines.

The shapes are data/geo/pl-voivodeships.geojson (Geoportal boundaries, public domain,
see data/geo/SOURCE.md), ~18k vertices in all. A point is tested against each
voivodeship's bounding box first and ray-cast only against the one or two boxes it
falls in, so a lookup costs microseconds once the file is loaded (on first use).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.text import normalize

GEO = Path(__file__).resolve().parents[2] / "data" / "geo"
VOIVODESHIPS_FILE = GEO / "pl-voivodeships.geojson"
COUNTRY_FILE = GEO / "pl-country.geojson"
OUTLINES_FILE = GEO / "ne-countries.geojson"
LAND_FILE = GEO / "ne-land.geojson"

Point = tuple[float, float]  # (lon, lat), GeoJSON order
Ring = tuple[Point, ...]
Bounds = tuple[float, float, float, float]  # (west, south, east, north)


@dataclass(frozen=True)
class Polygon:
    outer: Ring
    holes: tuple[Ring, ...]
    bounds: Bounds

    def contains(self, lon: float, lat: float) -> bool:
        west, south, east, north = self.bounds
        if not (west <= lon <= east and south <= lat <= north):
            return False
        return _in_ring(self.outer, lon, lat) and not any(
            _in_ring(hole, lon, lat) for hole in self.holes
        )


@dataclass(frozen=True)
class Area:
    """A named shape: a voivodeship ("śląskie", TERYT code "24") or a country."""

    name: str
    code: str
    polygons: tuple[Polygon, ...]
    bounds: Bounds

    def contains(self, lat: float, lon: float) -> bool:
        return any(p.contains(lon, lat) for p in self.polygons)


def voivodeship_of(lat: float, lon: float) -> str | None:
    """The voivodeship ("śląskie") a point lies in, or None outside Poland."""
    for area in voivodeships():
        if area.contains(lat, lon):
            return area.name
    return None


def voivodeship(name: str) -> Area | None:
    """A voivodeship by name, case- and diacritics-insensitively ("slaskie" works)."""
    key = normalize(name.removeprefix("województwo ").removeprefix("woj. "))
    return next((a for a in voivodeships() if normalize(a.name) == key), None)


@functools.cache
def voivodeships() -> tuple[Area, ...]:
    """The 16 voivodeships, in the file's order."""
    return tuple(
        _area(f["properties"]["JPT_NAZWA_"], f["properties"]["JPT_KOD_JE"], f["geometry"])
        for f in _features(VOIVODESHIPS_FILE)
    )


@functools.cache
def poland() -> Area:
    feature = _features(COUNTRY_FILE)[0]
    return _area("Polska", "PL", feature["geometry"])


@functools.cache
def country_outlines() -> dict[str, Area]:
    """Natural Earth outlines keyed by ISO code: NL and BG whole, Poland's neighbours
    clipped to a window around it (data/geo/build.py)."""
    areas = {}
    for feature in _features(OUTLINES_FILE):
        props = feature["properties"]
        areas[props["iso"]] = _area(props["name"], props["iso"], feature["geometry"])
    return areas


@functools.cache
def land() -> dict[str, Area]:
    """Natural Earth land around Poland ("PL"), the Netherlands and Bulgaria, each cut to
    a window a little wider than the map's view of it."""
    return {
        f["properties"]["window"]: _area("land", f["properties"]["window"], f["geometry"])
        for f in _features(LAND_FILE)
    }


# --- internals -------------------------------------------------------------------------


def _features(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def _area(name: str, code: str, geometry: dict) -> Area:
    if geometry["type"] == "Polygon":
        rings_list = [geometry["coordinates"]]
    elif geometry["type"] == "MultiPolygon":
        rings_list = geometry["coordinates"]
    else:
        raise ValueError(f"{name}: unsupported geometry {geometry['type']}")
    polygons = tuple(_polygon(rings) for rings in rings_list)
    return Area(name, code, polygons, _union(p.bounds for p in polygons))


def _polygon(rings: list[list[list[float]]]) -> Polygon:
    outer, *holes = (tuple((float(x), float(y)) for x, y, *_ in ring) for ring in rings)
    xs, ys = [x for x, _ in outer], [y for _, y in outer]
    return Polygon(outer, tuple(holes), (min(xs), min(ys), max(xs), max(ys)))


def _union(boxes: Iterable[Bounds]) -> Bounds:
    west = south = float("inf")
    east = north = float("-inf")
    for w, s, e, n in boxes:
        west, south, east, north = min(west, w), min(south, s), max(east, e), max(north, n)
    return (west, south, east, north)


def _in_ring(ring: Ring, x: float, y: float) -> bool:
    """Even-odd ray casting: count the edges a ray going east from (x, y) crosses."""
    inside = False
    x1, y1 = ring[-1]
    for x2, y2 in ring:
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
        x1, y1 = x2, y2
    return inside
