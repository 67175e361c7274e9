"""Build data/geo/ne-countries.geojson and ne-land.geojson for the map, from Natural Earth.

Run by hand (never at run time):

    .venv/bin/python data/geo/build.py            # `npm pack world-atlas@2.0.2`
    .venv/bin/python data/geo/build.py --src DIR  # or uses DIR/world-atlas-2.0.2.tgz

`world-atlas` (npm registry) redistributes Natural Earth 4.1.0 admin-0 countries
(public domain) as TopoJSON; this decodes its 1:10m file and keeps

* the Netherlands (European part) and Bulgaria, whole, for the map's insets;
* every other country that reaches into a window around Poland, clipped to it, so the
  main map can draw the neighbours' borders;

and, in ne-land.geojson, the land (1:10m land polygons) in those three windows: the
map paints land first, so no sliver of sea shows where Natural Earth's borders and
Poland's finer Geoportal outline disagree by a few hundred metres.

Rings are simplified (Douglas–Peucker, ~300 m) and rounded to 4 decimals. Poland itself
comes from the finer Geoportal outline, pl-country.geojson.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "ne-countries.geojson"
LAND_OUT = HERE / "ne-land.geojson"
PACKAGE = "world-atlas@2.0.2"

Point = tuple[float, float]  # (lon, lat)
Ring = list[Point]
Box = tuple[float, float, float, float]  # (west, south, east, north)

NEIGHBOURHOOD: Box = (11.0, 47.5, 27.0, 56.5)  # wider than any view the map draws
WHOLE: dict[str, tuple[str, Box]] = {
    "528": ("NL", (3.0, 50.6, 7.5, 53.8)),  # clip away the Caribbean islands
    "100": ("BG", (22.0, 41.0, 29.0, 44.5)),
}
# Land is cut a little wider than the views the map draws, insets included.
LAND_WINDOWS: dict[str, Box] = {
    "PL": NEIGHBOURHOOD,
    "NL": (1.5, 49.8, 9.0, 54.5),
    "BG": (20.5, 40.3, 30.5, 45.3),
}
ISO = {  # ISO 3166 numeric -> alpha-2, for the countries near Poland
    "040": "AT", "112": "BY", "203": "CZ", "208": "DK", "276": "DE", "348": "HU",
    "428": "LV", "440": "LT", "498": "MD", "616": "PL", "642": "RO", "643": "RU", "703": "SK",
    "752": "SE", "804": "UA",
}  # fmt: skip
TOLERANCE = 0.003  # degrees


def say(text: str) -> None:
    sys.stdout.write(text + "\n")


def decode_arcs(topology: dict) -> list[Ring]:
    """TopoJSON arcs are quantized and delta-encoded."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_from(indices: list[int], arcs: list[Ring]) -> Ring:
    """Join arcs; a negative index ~i means arc i reversed."""
    ring: Ring = []
    for index in indices:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points[1:] if ring else points)
    return ring


def polygons_of(geometry: dict, arcs: list[Ring]) -> list[list[Ring]]:
    if geometry["type"] == "Polygon":
        return [[ring_from(r, arcs) for r in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [[ring_from(r, arcs) for r in poly] for poly in geometry["arcs"]]
    return []


def clip(ring: Ring, box: Box) -> Ring:
    """Sutherland–Hodgman against an axis-aligned box."""
    west, south, east, north = box
    edges = [
        (lambda p: p[0] >= west, lambda a, b: _cut_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _cut_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _cut_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _cut_y(a, b, north)),
    ]
    out = ring
    for inside, cut in edges:
        points, out = out, []
        for i, cur in enumerate(points):
            prev = points[i - 1]
            if inside(cur):
                if not inside(prev):
                    out.append(cut(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cut(prev, cur))
        if not out:
            return []
    return out


def _cut_x(a: Point, b: Point, x: float) -> Point:
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cut_y(a: Point, b: Point, y: float) -> Point:
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def simplify(points: Ring, tolerance: float) -> Ring:
    """Douglas–Peucker, iterative (rings can be long)."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        best, index = 0.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            if norm:
                dist = abs(dy * (px - x1) - dx * (py - y1)) / norm
            else:  # a closed ring: its ends are one point
                dist = ((px - x1) ** 2 + (py - y1) ** 2) ** 0.5
            if dist > best:
                best, index = dist, i
        if best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def tidy(polygons: list[list[Ring]], box: Box) -> list[list[list[list[float]]]]:
    out = []
    for rings in polygons:
        kept = []
        for ring in rings:
            ring = simplify(clip(ring, box), TOLERANCE)
            if len(ring) >= 4:
                kept.append([[round(x, 4), round(y, 4)] for x, y in ring])
        if kept and len(kept[0]) >= 4:  # an outer ring clipped away drops its holes too
            out.append(kept)
    return out


def load_topology(tgz: Path, member: str) -> dict:
    with tarfile.open(tgz) as tar:
        handle = tar.extractfile(f"package/{member}")
        assert handle is not None
        return json.load(handle)


def country_features(topology: dict) -> list[dict]:
    arcs = decode_arcs(topology)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        number = geometry.get("id", "")
        if number == "616":
            continue  # Poland: the Geoportal outline is finer
        iso, box = WHOLE.get(number, (ISO.get(number, number), NEIGHBOURHOOD))
        polygons = tidy(polygons_of(geometry, arcs), box)
        if polygons:
            features.append(feature({"iso": iso, "name": geometry["properties"]["name"]}, polygons))
    return sorted(features, key=lambda f: f["properties"]["iso"])


def land_features(topology: dict) -> list[dict]:
    arcs = decode_arcs(topology)
    features = []
    for window, box in sorted(LAND_WINDOWS.items()):
        polygons = []
        for geometry in topology["objects"]["land"]["geometries"]:
            polygons += tidy(polygons_of(geometry, arcs), box)
        features.append(feature({"window": window, "bounds": list(box)}, polygons))
    return features


def feature(properties: dict, polygons: list) -> dict:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "MultiPolygon", "coordinates": polygons},
    }


def write(path: Path, features: list[dict], what: str) -> None:
    collection = {
        "type": "FeatureCollection",
        "meta": f"{what}: Natural Earth 4.1.0 (1:10m) via npm world-atlas 2.0.2; public domain",
        "features": features,
    }
    path.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n")
    say(f"wrote {path} ({path.stat().st_size} bytes, {len(features)} features)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", type=Path, help="folder holding world-atlas-2.0.2.tgz")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if args.src:
            tgz = args.src / "world-atlas-2.0.2.tgz"
        else:
            subprocess.run(
                ["npm", "pack", PACKAGE, "--pack-destination", tmp, "--silent"],
                check=True,
                capture_output=True,
            )
            tgz = Path(tmp) / "world-atlas-2.0.2.tgz"
        countries = load_topology(tgz, "countries-10m.json")
        land = load_topology(tgz, "land-10m.json")
    write(OUT, country_features(countries), "admin-0 countries")
    write(LAND_OUT, land_features(land), "land")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
