"""The offline gazetteer: places of Poland, the Netherlands and Bulgaria, and distances.

`Gazetteer.load()` gives the shipped data/gazetteer/places.tsv.gz (built by
data/gazetteer/build.py, sources and licences in data/gazetteer/SOURCE.md), read at its
first lookup: a start does not pay for it (a quarter of a second, and ~40 MB held), and a
bot nobody asks about places never does. Every lookup goes through
`normalize`, so "Lazy" finds Łazy and "lodz" finds Łódź; Bulgarian places are named in
Cyrillic and also answer to their Latin transliteration ("Plovdiv"), and places of
10,000 people or more to their names in other languages ("Warsaw", "Варшава", "Den
Haag"). Those aliases only find: a place is always shown by its own name, and an own
name outranks an alias wherever both match.

- `search` feeds autocomplete: exact names, then name prefixes, then word prefixes
  ("kalw" → Góra Kalwaria), then substrings; own names before aliases, then bigger
  places first within each tier.
- `find` resolves what the user finally sent: an id, a name, or a qualified name
  ("Łazy (śląskie)", "Łazy (Śląsk)", "Łazy, zawierciański", or a `label()`).
- `suggest` answers "did you mean" for typos with a bounded edit distance.

No network and no discord import: the data ships with the repository.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import gc
import gzip
import heapq
import itertools
import math
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bot.geography.regions import region_named
from bot.text import normalize

DATA = Path(__file__).resolve().parents[2] / "data" / "gazetteer" / "places.tsv.gz"
EARTH_RADIUS_KM = 6371.0088  # the IUGG mean radius

_COUNTRY_WORDS = {
    "PL": ("pl", "polska", "poland", "polen"),
    "NL": ("nl", "nederland", "netherlands", "holland"),
    "BG": ("bg", "bulgaria", "bulgarije", "bulgarien", "balgariya", "българия"),
}
_QUALIFIED = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<quals>[^()]*)\)\s*$")
_SUBSTRING_MIN = 3  # a substring of 1–2 letters matches nearly everything: noise


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points, haversine on a sphere."""
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True, slots=True)
class Place:
    id: str  # "gn-<GeoNames id>", or "pl-<hash of name|powiat|gmina>" for PRNG places
    name: str
    country: str  # "PL" | "NL" | "BG"
    region: str  # voivodeship / province / oblast, in the country's language
    lat: float
    lon: float
    population: int | None
    kind: str = ""  # "city" | "town" | "village" | "" (unknown)
    district: str = ""  # Polish powiat, when known
    detail: str = ""  # what tells same-name places of one region apart, e.g. "pow. bielski"
    aliases: tuple[str, ...] = field(default=(), compare=False)  # "Plovdiv", "Warsaw": find only

    def label(self) -> str:
        """`Łazy (śląskie, PL)`; `Łazy (pow. bielski, śląskie, PL)` for a smaller namesake."""
        parts = [p for p in (self.detail, self.region, self.country) if p]
        return f"{self.name} ({', '.join(parts)})"

    @property
    def point(self) -> tuple[float, float]:
        return (self.lat, self.lon)


_KIND_ORDER = {"city": 0, "town": 1, "": 2, "village": 3}
# How a kind of place outranks another when one name is shared: a city or a town is the
# one meant before villages; a place of unknown kind ranks with the villages.
_KIND_RANK = {"city": 0, "town": 1, "": 2, "village": 2}

# Column positions in a data-file row (see read_cells).
_ID, _NAME, _COUNTRY, _REGION, _DISTRICT, _LAT, _LON, _POP, _KIND, _ALIASES, _DETAIL = range(11)
_WIDTH = 11
_COLUMNS = ["id", "name", "country", "region", "district", "lat", "lon", "population"]
_COLUMNS += ["kind", "aliases", "detail"]


class Gazetteer:
    """Places plus the indexes that make lookups fast; build once, share freely.

    Places are kept as the data file's cells in one flat list (row i is
    cells[i * 11 : i * 11 + 11]), biggest place first, so a row's number is its size
    rank; a `Place` object is made only when a lookup returns it. That keeps loading
    ~46k places around a quarter of a second.

    The shipped one is made deferred: its file is read and indexed by the first lookup
    (`_ready`), once, whichever thread or task asks first."""

    # Reads the cells of a deferred gazetteer; None once they are indexed.
    _pending: Callable[[], list[str]] | None = None

    def __init__(self, places: Iterable[Place]) -> None:
        ordered = sorted(
            places,
            key=lambda p: (-(p.population or 0), _KIND_ORDER.get(p.kind, 2), p.name, p.id),
        )
        self._setup([cell for p in ordered for cell in _row_of(p)])
        self._made.update(enumerate(ordered))

    @classmethod
    def _from_cells(cls, cells: list[str]) -> Gazetteer:
        """Cells of rows already in size order, as data/gazetteer/build.py writes them."""
        gazetteer = cls.__new__(cls)
        with _gc_paused():
            gazetteer._setup(cells)
        return gazetteer

    @classmethod
    def _deferred(cls, read: Callable[[], list[str]]) -> Gazetteer:
        """A gazetteer whose cells `read` gives at its first lookup."""
        gazetteer = cls.__new__(cls)
        gazetteer._pending = read
        return gazetteer

    def _ready(self) -> None:
        """Index the cells of a deferred gazetteer, once: the lock makes a lookup in the
        event loop wait for one a thread started rather than read the file again."""
        if self._pending is None:
            return
        with _LOADING:
            read = self._pending
            if read is not None:
                cells = read()
                with _gc_paused():
                    self._setup(cells)
                self._pending = None  # only now: another thread may look in between

    def _setup(self, cells: list[str]) -> None:
        self._cells = cells
        self._made: dict[int, Place] = {}
        self._countries = cells[_COUNTRY::_WIDTH]
        names = cells[_NAME::_WIDTH]
        # Every own name's key -> row numbers, biggest place first.
        key_of = {name: normalize(name) for name in set(names)}  # villages share names
        exact: dict[str, list[int]] = {}
        for index, name in enumerate(names):
            bucket = exact.get(key_of[name])
            if bucket is None:
                exact[key_of[name]] = [index]
            else:
                bucket.append(index)
        exact.pop("", None)
        self._exact = exact
        self._names = _KeyLines([key_of[name] for name in names])
        # Aliases (other languages' names, Bulgarian Latin names) apart, so that an own
        # name always outranks them ("Opaka": the Polish village, then Bulgaria's Опака).
        by_alias: dict[str, list[int]] = {}
        alias_keys: list[str] = []
        alias_rows: list[int] = []
        for index, aliases in enumerate(cells[_ALIASES::_WIDTH]):
            if not aliases:
                continue
            own = key_of[names[index]]
            for key in dict.fromkeys(normalize(a) for a in aliases.split("|")):
                if key and key != own:
                    by_alias.setdefault(key, []).append(index)
                    alias_keys.append(key)
                    alias_rows.append(index)
        self._by_alias = by_alias
        self._aliases = _KeyLines(alias_keys, alias_rows)

    # --- loading and access ----------------------------------------------------------

    @classmethod
    def load(cls, path: Path | None = None) -> Gazetteer:
        """The shipped gazetteer (cached), or the one at `path` (not cached)."""
        if path is None:
            return _default_gazetteer()
        return cls._from_cells(read_cells(path))

    def __len__(self) -> int:
        self._ready()
        return len(self._countries)

    def __iter__(self) -> Iterator[Place]:
        """Every place, biggest first."""
        return (self._place(i) for i in range(len(self)))

    @functools.cached_property
    def _by_id(self) -> dict[str, int]:
        self._ready()
        return {pid: i for i, pid in enumerate(self._cells[_ID::_WIDTH])}

    def get(self, place_id: str) -> Place | None:
        index = self._by_id.get(place_id)
        return None if index is None else self._place(index)

    def _place(self, index: int) -> Place:
        place = self._made.get(index)
        if place is None:
            row = self._cells[index * _WIDTH : (index + 1) * _WIDTH]
            place = self._made[index] = _place_of(row)
        return place

    def _in(self, index: int, country: str | None) -> bool:
        return country is None or self._countries[index] == country

    # --- search ----------------------------------------------------------------------

    def search(self, query: str, *, limit: int = 25, country: str | None = None) -> list[Place]:
        """Autocomplete: exact names, then name prefixes, then later-word prefixes
        ("kalw" → Góra Kalwaria), then substrings; in each tier own names before aliases
        ("warsz" → Warszawa before places only another language calls so), then bigger
        places first."""
        q = normalize(query)
        if not q or limit <= 0:
            return []
        self._ready()
        picked: list[int] = []
        seen: set[int] = set()
        tiers: list[Iterable[int]] = [self._exact.get(q, ()), self._by_alias.get(q, ())]
        needles = ["\n" + q, " " + q] + ([q] if len(q) >= _SUBSTRING_MIN else [])
        for needle in needles:
            tiers += [self._names.scan(needle), self._aliases.scan(needle)]
        for rows in tiers:
            for index in rows:  # each tier yields biggest first
                if len(picked) >= limit:
                    break
                if index not in seen and self._in(index, country):
                    picked.append(index)
                    seen.add(index)
        return [self._place(i) for i in picked]

    # --- find ------------------------------------------------------------------------

    def find(self, query: str) -> Place | None:
        """The place the user means: an id, an exact name (an own name before an alias,
        so "Opaka" is the Polish village, not Bulgaria's Опака; then the biggest), or a
        name qualified by region, powiat, gmina or country — "Łazy (śląskie)", "Łazy,
        zawierciański", "Łazy (pow. bielski, śląskie, PL)" (a `label()`)."""
        text = query.strip()
        if not text:
            return None
        self._ready()
        if text in self._by_id:
            return self._place(self._by_id[text])
        whole = self._named(normalize(text))
        if whole:
            return self._place(whole[0])
        name, qualifiers = _split_qualified(text)
        for index in self._named(normalize(name)):  # own names, then aliases
            place = self._place(index)
            if all(_qualifies(place, q) for q in qualifiers):
                return place
        return None

    def namesakes(self, query: str) -> list[Place]:
        """The places a bare name may mean when it does not tell which (biggest first):
        two or more of that own name where the biggest does not outrank the next by kind
        ("Nowa Wieś", 112 villages; "Józefów", two towns). Empty for a clear name
        ("Kraków": the city before a village; "Łazy": the town before 23 villages), a
        qualified one ("Łazy (śląskie)") or an id."""
        text = query.strip()
        self._ready()
        if not text or text in self._by_id:
            return []
        rows = self._exact.get(normalize(text), [])
        if len(rows) < 2:
            return []
        first, second = (self._place(index) for index in rows[:2])
        if _KIND_RANK.get(first.kind, 2) < _KIND_RANK.get(second.kind, 2):
            return []
        return [self._place(index) for index in rows]

    def _named(self, key: str) -> list[int]:
        """Rows whose own name is `key`, then rows with it as an alias; biggest first."""
        return self._exact.get(key, []) + self._by_alias.get(key, [])

    # --- did you mean ----------------------------------------------------------------

    def suggest(self, query: str, *, limit: int = 5, country: str | None = None) -> list[Place]:
        """Places whose name is within a small edit distance of `query` (typos, a
        missing or doubled letter, two swapped letters): nearest first; among equals
        an own name before an alias, then the one sharing more letter pairs with the
        query, then the bigger place."""
        q = normalize(query)
        if not q or limit <= 0:
            return []
        self._ready()
        bound = 1 if len(q) <= 4 else 2
        best: dict[int, tuple[int, int, int]] = {}  # row -> its best (distance, alias, -shared)
        for key, shared in self._fuzzy.candidates(q, bound):
            dist = edit_distance(q, key, bound)
            if dist > bound:
                continue
            worst = (bound + 1, 0, 0)
            for alias, rows in enumerate((self._exact.get(key, ()), self._by_alias.get(key, ()))):
                score = (dist, alias, -shared)
                for index in rows:
                    if score < best.get(index, worst) and self._in(index, country):
                        best[index] = score
        top = heapq.nsmallest(limit, best.items(), key=lambda item: (item[1], item[0]))
        return [self._place(i) for i, _ in top]

    @functools.cached_property
    def _fuzzy(self) -> _BigramIndex:
        # Built on first use (~0.1 s): autocomplete alone never pays for it.
        with _gc_paused():
            return _BigramIndex(sorted(self._exact.keys() | self._by_alias.keys()))


# --- helpers ---------------------------------------------------------------------------


_LOADING = threading.Lock()


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Building ~50k small lists trips the cyclic GC again and again for nothing (they
    hold only strings and ints); pausing it saves a sixth of the load time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _split_qualified(text: str) -> tuple[str, list[str]]:
    """Split `Łazy (pow. bielski, śląskie, PL)` or `Łazy, śląskie` into name and qualifiers."""
    match = _QUALIFIED.match(text)
    if match:
        name, rest = match["name"], match["quals"]
    elif "," in text:
        name, rest = text.split(",", 1)
    else:
        return text, []
    qualifiers = [normalize(q) for q in rest.split(",")]
    return name, [q for q in qualifiers if q]


def _qualifies(place: Place, qualifier: str) -> bool:
    words = qualifier.split()
    if words and words[0] in {"pow", "powiat", "gm", "gmina", "woj", "wojewodztwo"}:
        qualifier = " ".join(words[1:])
    if qualifier in _COUNTRY_WORDS.get(place.country, ()):
        return True
    if qualifier in {normalize(place.region), normalize(place.district)}:
        return True
    if region_named(qualifier) == place.region:  # "Łazy (Śląsk)", "Kraków, Lesser Poland"
        return True
    # The gmina is only known through `detail` ("gm. Kłomnice, pow. częstochowski").
    return any(qualifier == normalize(part).removeprefix("gm ") for part in place.detail.split(","))


def edit_distance(a: str, b: str, bound: int) -> int:
    """Optimal-string-alignment distance (a swap of neighbours costs 1), giving up with
    bound + 1 as soon as the answer must exceed `bound`."""
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, prev2[j - 2] + 1)
            cur[j] = value
        if min(cur) > bound:
            return bound + 1
        prev2, prev = prev, cur
    return prev[-1]


class _BigramIndex:
    """Bigram postings over the keys: candidates for an edit-distance check.

    An edit changes at most two bigrams of the padded key, so a key within distance d
    shares at least |bigrams(q)| - 2d of the query's bigrams (the q-gram lemma).
    """

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys
        postings: dict[str, list[int]] = defaultdict(list)
        for index, key in enumerate(keys):
            for gram in _bigrams(key):
                postings[gram].append(index)
        self.postings = dict(postings)

    def candidates(self, q: str, bound: int) -> Iterator[tuple[str, int]]:
        grams = _bigrams(q)
        need = max(1, len(grams) - 2 * bound)
        counts: Counter[int] = Counter()
        for gram in grams:
            counts.update(self.postings.get(gram, ()))
        for index, shared in counts.items():
            if shared >= need and abs(len(self.keys[index]) - len(q)) <= bound:
                yield self.keys[index], shared


class _KeyLines:
    """Search keys, one line each, in one string in size order (a place's keys are on
    consecutive lines, biggest place first): scanning it with str.find meets the biggest
    places first, so a search stops as soon as it has enough. Prefixes are scanned as
    "\n" + query, later words as " " + query, substrings as the query itself."""

    def __init__(self, keys: list[str], rows: list[int] | None = None) -> None:
        self._text = "\n" + "\n".join(keys) + "\n"
        # _starts[i]: where the "\n" before line i sits.
        self._starts = [0, *itertools.accumulate(len(k) + 1 for k in keys)][:-1]
        self._rows = rows  # the row of each line; None when line i is row i

    def scan(self, needle: str) -> Iterator[int]:
        """Rows with a key containing `needle`, biggest place first (lazily; a row may
        come twice when two of its keys match)."""
        text, starts, rows = self._text, self._starts, self._rows
        pos = text.find(needle)
        while pos != -1:
            line = bisect.bisect_right(starts, pos) - 1
            yield line if rows is None else rows[line]
            nxt = starts[line + 1] if line + 1 < len(starts) else len(text)
            pos = text.find(needle, nxt)  # one hit per line is enough


def _bigrams(key: str) -> set[str]:
    padded = f" {key} "
    return {padded[i : i + 2] for i in range(len(padded) - 1)}


# --- the data file ---------------------------------------------------------------------


def read_cells(path: Path) -> list[str]:
    """The gzip'd TSV written by data/gazetteer/build.py as one flat list of cells,
    header dropped: splitting the whole text at once beats splitting line by line."""
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    header, _, body = text.partition("\n")
    if header.split("\t") != _COLUMNS:
        raise ValueError(f"{path}: unexpected columns {header!r}")
    with _gc_paused():
        cells = body.rstrip("\n").replace("\n", "\t").split("\t")
    if len(cells) % _WIDTH:
        raise ValueError(f"{path}: a row does not have {_WIDTH} cells")
    return cells


def _place_of(row: list[str]) -> Place:
    return Place(
        id=row[_ID],
        name=row[_NAME],
        country=row[_COUNTRY],
        region=row[_REGION],
        lat=float(row[_LAT]),
        lon=float(row[_LON]),
        population=int(row[_POP]) if row[_POP] else None,
        kind=row[_KIND],
        district=row[_DISTRICT],
        detail=row[_DETAIL],
        aliases=tuple(row[_ALIASES].split("|")) if row[_ALIASES] else (),
    )


def _row_of(place: Place) -> list[str]:
    row = [""] * len(_COLUMNS)
    row[_ID], row[_NAME], row[_COUNTRY], row[_REGION] = (
        place.id,
        place.name,
        place.country,
        place.region,
    )
    row[_DISTRICT], row[_LAT], row[_LON] = place.district, repr(place.lat), repr(place.lon)
    row[_POP] = "" if place.population is None else str(place.population)
    row[_KIND], row[_ALIASES], row[_DETAIL] = place.kind, "|".join(place.aliases), place.detail
    return row


@functools.cache
def _default_gazetteer() -> Gazetteer:
    return Gazetteer._deferred(lambda: read_cells(DATA))
