"""Regions: the names people call them by, and Polish voivodeships as polygons.

`region_named` turns what a person types for a region into the name the gazetteer gives
it (a voivodeship's official adjective "małopolskie", a Dutch province "Zuid-Holland", a
Bulgarian oblast "Пловдив"), from any of the names in `REGION_NAMES`: official and
colloquial Polish ("Małopolska"), English ("Lesser Poland"), Dutch ("Klein-Polen") and
Bulgarian ("Малополско войводство").

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


# Every region's common names, keyed by the gazetteer's name for it (places.tsv.gz's
# `region` column, which groups store). Hand-written and reviewed: the official name,
# the colloquial ones, then English, Dutch and Bulgarian. A word such as "województwo",
# "voivodeship", "provincie" or "област" around a name may be left out or added
# (`_GENERIC`), so "Lesser Poland Voivodeship" and "Малополско войводство" need no line.
REGION_NAMES: dict[str, tuple[str, ...]] = {
    # Polish voivodeships
    "dolnośląskie": (
        "Dolny Śląsk", "Lower Silesia", "Lower Silesian", "Neder-Silezië", "Долносилезко",
        "Долна Силезия",
    ),
    "kujawsko-pomorskie": (
        "Kujawy", "Kujawy i Pomorze", "Kuyavia-Pomerania", "Kuyavian-Pomeranian",
        "Koejavië-Pommeren", "Куявско-Поморско",
    ),
    "lubelskie": ("Lubelszczyzna", "ziemia lubelska", "Lublin", "Люблинско"),
    "lubuskie": ("Ziemia Lubuska", "Lubusz", "Lubusz Land", "Любушко"),
    "łódzkie": ("ziemia łódzka", "Łódź", "Лодзко"),
    "małopolskie": ("Małopolska", "Lesser Poland", "Klein-Polen", "Малополско", "Малополша"),
    "mazowieckie": ("Mazowsze", "Masovia", "Masovian", "Mazovië", "Мазовецко", "Мазовия"),
    "opolskie": ("Opolszczyzna", "Śląsk Opolski", "Opole", "Ополско"),
    "podkarpackie": (
        "Podkarpacie", "Subcarpathia", "Subcarpathian", "Subkarpaten", "Подкарпатско",
    ),
    "podlaskie": ("Podlasie", "Podlachia", "Podlachië", "Подляско", "Подлясие"),
    "pomorskie": ("Pomorze", "Pomerania", "Pomeranian", "Pommeren", "Поморско", "Померания"),
    "śląskie": ("Śląsk", "Silesia", "Silesian", "Silezië", "Силезко", "Силезия"),
    "świętokrzyskie": (
        "ziemia świętokrzyska", "Kielecczyzna", "Święty Krzyż", "Holy Cross", "Heilig Kruis",
        "Швентокшиско",
    ),
    "warmińsko-mazurskie": (
        "Warmia i Mazury", "Warmia", "Mazury", "Warmia-Masuria", "Warmian-Masurian", "Masuria",
        "Ermland-Mazurië", "Варминско-Мазурско", "Вармия и Мазурия",
    ),
    "wielkopolskie": (
        "Wielkopolska", "Greater Poland", "Groot-Polen", "Великополско", "Великополша",
    ),
    "zachodniopomorskie": (
        "Pomorze Zachodnie", "West Pomerania", "West Pomeranian", "West-Pommeren",
        "Западнопоморско", "Западна Померания",
    ),
    # Dutch provinces: Polish, English (mostly the Dutch name), Bulgarian
    "Drenthe": ("Дренте",),
    "Fryslân": ("Friesland", "Fryzja", "Фрисландия", "Фризия"),
    "Gelderland": ("Geldria", "Гелдерланд"),
    "Groningen": ("Гронинген",),
    "Limburg": ("Limburgia", "Лимбург"),
    "Noord-Brabant": ("Brabancja Północna", "North Brabant", "Северен Брабант"),
    "Noord-Holland": ("Holandia Północna", "North Holland", "Северна Холандия"),
    "Utrecht": ("Утрехт",),
    "Zeeland": ("Zelandia", "Зеландия"),
    "Zuid-Holland": ("Holandia Południowa", "South Holland", "Южна Холандия"),
    "Overijssel": ("Оверейсел",),
    "Flevoland": ("Флеволанд",),
    # Bulgarian oblasts: Latin (English, Dutch), Polish, the Bulgarian adjective
    "Благоевград": ("Blagoevgrad", "Błagojewgrad", "Благоевградска"),
    "Бургас": ("Burgas", "Бургаска"),
    "Добрич": ("Dobrich", "Dobricz", "Добричка"),
    "Габрово": ("Gabrovo", "Gabrowo", "Габровска"),
    "София-град": (
        "Sofia", "София", "Sofia City", "Sofia-grad", "Sofiya-grad", "Sofia-Stad",
        "Sofia-miasto", "Столична",
    ),
    "Хасково": ("Haskovo", "Khaskovo", "Chaskowo", "Хасковска"),
    "Кърджали": ("Kardzhali", "Kurdzhali", "Kyrdżali", "Кърджалийска"),
    "Кюстендил": ("Kyustendil", "Kiustendił", "Кюстендилска"),
    "Ловеч": ("Lovech", "Łowecz", "Ловешка"),
    "Монтана": ("Montana", "Монтанска"),
    "Пазарджик": ("Pazardzhik", "Pazardżik", "Пазарджишка"),
    "Перник": ("Pernik", "Пернишка"),
    "Плевен": ("Pleven", "Plewen", "Плевенска"),
    "Пловдив": ("Plovdiv", "Płowdiw", "Пловдивска"),
    "Разград": ("Razgrad", "Разградска"),
    "Русе": ("Ruse", "Rousse", "Русенска"),
    "Шумен": ("Shumen", "Szumen", "Шуменска"),
    "Силистра": ("Silistra", "Силистренска"),
    "Сливен": ("Sliven", "Sliwen", "Сливенска"),
    "Смолян": ("Smolyan", "Smolan", "Смолянска"),
    "Софийска": (
        "Sofia Province", "Sofia Oblast", "Sofiyska", "Sofia-Provincie", "Sofijski",
        "obwód sofijski",
    ),
    "Стара Загора": ("Stara Zagora", "Старозагорска"),
    "Търговище": ("Targovishte", "Tyrgowiszte", "Търговищка"),
    "Варна": ("Varna", "Warna", "Варненска"),
    "Велико Търново": ("Veliko Tarnovo", "Veliko Turnovo", "Wielkie Tyrnowo", "Великотърновска"),
    "Видин": ("Vidin", "Widyń", "Видинска"),
    "Враца": ("Vratsa", "Wraca", "Врачанска"),
    "Ямбол": ("Yambol", "Jamboł", "Ямболска"),
}  # fmt: skip

# Words that say "region" around a region's name.
_GENERIC = frozenset(
    normalize(word)
    for word in (
        "województwo", "woj", "voivodeship", "voivodship", "province", "provincie",
        "prowincja", "woiwodschap", "oblast", "obwód", "region", "regio", "войводство",
        "провинция", "област", "регион",
    )
)  # fmt: skip


def region_named(text: str) -> str | None:
    """The gazetteer's name of the region `text` names ("Małopolska", "Lesser Poland",
    "woj. małopolskie" → "małopolskie"; "Den Haag"'s province "South Holland" →
    "Zuid-Holland"), case- and diacritics-insensitively; None if no region is called so."""
    key = normalize(text)
    return _by_name().get(key) or _by_name().get(_bare(key))


def region_names(region: str) -> tuple[str, ...]:
    """Every name of a region (its gazetteer name first), for autocomplete to match."""
    return (region, *REGION_NAMES.get(region, ()))


def _bare(key: str) -> str:
    """A normalized name without the words that only say it is a region."""
    words = key.split()
    while words and words[0] in _GENERIC:
        words.pop(0)
    while words and words[-1] in _GENERIC:
        words.pop()
    return " ".join(words)


@functools.cache
def _by_name() -> dict[str, str]:
    """Every name's key -> its region. A name as written wins over another one bared of
    "province" ("Sofia" is the capital's oblast even though "Sofia Province" is not)."""
    names: dict[str, str] = {}
    for region, others in REGION_NAMES.items():
        for name in (region, *others):
            if names.setdefault(normalize(name), region) != region:
                raise ValueError(f"{name!r} names both {names[normalize(name)]} and {region}")
    for region, others in REGION_NAMES.items():
        for name in (region, *others):
            names.setdefault(_bare(normalize(name)), region)
    return names


def voivodeship_of(lat: float, lon: float) -> str | None:
    """The voivodeship ("śląskie") a point lies in, or None outside Poland."""
    for area in voivodeships():
        if area.contains(lat, lon):
            return area.name
    return None


def voivodeship(name: str) -> Area | None:
    """A voivodeship by any of its names ("slaskie", "województwo śląskie", "Śląsk",
    "Silesia"), case- and diacritics-insensitively."""
    region = region_named(name)
    return next((a for a in voivodeships() if a.name == region), None)


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
