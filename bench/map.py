"""The local-groups map and the gazetteer behind `/group near`.

Figures: the map with 15 groups (the partnership towns Łazy, Pilica, Kroczyce and
Andrychów plus big cities), rendered cold (first call in the process: reading the
boundary files, drawing the base map) and warm (base map cached; best of 5); loading
the shipped gazetteer from disk (first load in the process, and a second uncached
read); `search` (autocomplete) and `suggest` (did you mean) warm over a mix of queries,
mean and slowest; and suggest's first call, which builds its bigram index. Goals: warm
render < 1.5 s, load < 0.5 s, search < 5 ms, suggest < 20 ms.

`python -c "from bench.map import example; example()"` rewrites docs/map-example.png.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from bot.geography.maps import Marker, render_map
from bot.geography.places import DATA, Gazetteer

GROUPS = [
    "Łazy (śląskie)",
    "Pilica (śląskie)",
    "Kroczyce",
    "Andrychów",
    "Warszawa",
    "Kraków",
    "Gdańsk",
    "Wrocław",
    "Poznań",
    "Łódź",
    "Lublin",
    "Białystok",
    "Szczecin",
    "Amsterdam",
    "Пловдив",
]
SEARCHES = ["ła", "Lazy", "pili", "krocz", "andrych", "lodz", "warsz", "gora kalw", "sofia"]
SEARCHES += ["Пловдив", "utrecht", "owo", "k", "nowa wies", "zawier"]
TYPOS = ["Kroczyse", "Pilca", "Andrychuw", "Zawirecie", "Warszwa", "Krakuw", "Amsterdm"]
TYPOS += ["Plovdif", "Gdansk", "Szczecinek"]
TITLE = "Podaj dalej — grupy lokalne"
EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "map-example.png"


def markers(gazetteer: Gazetteer) -> list[Marker]:
    out = []
    for name in GROUPS:
        place = gazetteer.find(name)
        if place is None:
            raise LookupError(name)
        out.append(Marker(place.lat, place.lon, place.name))
    return out


def _timings_ms(calls: list[str], fn: Callable[[str], object], rounds: int) -> tuple[float, float]:
    """Warm milliseconds per call: the mean over all queries, and the slowest query's
    mean (a first pass only warms up)."""
    for query in calls:
        fn(query)
    per_query = []
    for query in calls:
        start = time.perf_counter()
        for _ in range(rounds):
            fn(query)
        per_query.append((time.perf_counter() - start) / rounds * 1000)
    return round(statistics.fmean(per_query), 3), round(max(per_query), 3)


async def run() -> dict[str, object]:
    start = time.perf_counter()
    gazetteer = Gazetteer.load()
    len(gazetteer)  # the first lookup in this process reads the file: what the bot pays
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    Gazetteer.load(DATA)  # the same file again, bypassing the cache (read at once)
    reload_s = time.perf_counter() - start

    groups = markers(gazetteer)
    start = time.perf_counter()
    png = render_map(groups, title=TITLE)
    cold_s = time.perf_counter() - start
    warm = []
    for _ in range(5):
        start = time.perf_counter()
        render_map(groups, title=TITLE)
        warm.append(time.perf_counter() - start)

    start = time.perf_counter()
    gazetteer.suggest("Kroczyse")  # builds the bigram index once
    suggest_first_s = time.perf_counter() - start
    search_ms, search_max_ms = _timings_ms(SEARCHES, gazetteer.search, rounds=20)
    suggest_ms, suggest_max_ms = _timings_ms(TYPOS, gazetteer.suggest, rounds=5)
    return {
        "groups": len(groups),
        "places": len(gazetteer),
        "cold_s": round(cold_s, 3),
        "warm_s": round(min(warm), 3),
        "png_kb": round(len(png) / 1024, 1),
        "gazetteer_load_s": round(load_s, 3),
        "gazetteer_reload_s": round(reload_s, 3),
        "search_ms": search_ms,
        "search_max_ms": search_max_ms,
        "suggest_ms": suggest_ms,
        "suggest_max_ms": suggest_max_ms,
        "suggest_first_call_s": round(suggest_first_s, 3),
    }


def example(path: Path = EXAMPLE) -> None:
    """Write the documentation's example map."""
    path.write_bytes(render_map(markers(Gazetteer.load()), title=TITLE))
