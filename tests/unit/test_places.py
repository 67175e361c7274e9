"""The gazetteer and the voivodeships: matching rules, distances, regions."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.geography.places import (
    DATA,
    Gazetteer,
    Place,
    distance_km,
    edit_distance,
    read_cells,
)
from bot.geography.regions import (
    REGION_NAMES,
    region_named,
    region_names,
    voivodeship,
    voivodeship_of,
    voivodeships,
)
from bot.text import normalize

LOAD_SECONDS: list[float] = []


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    start = time.perf_counter()
    gazetteer = Gazetteer.load()
    len(gazetteer)  # the shipped file is read at the first lookup
    LOAD_SECONDS.append(time.perf_counter() - start)
    return gazetteer


def one(gaz: Gazetteer, query: str) -> Place:
    place = gaz.find(query)
    assert place is not None, query
    return place


# --- normalize and distance ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Łódź", "lodz"),
        ("ŁAZY", "lazy"),
        ("Żółć  gęślą", "zolc gesla"),
        ("'s-Hertogenbosch", "s hertogenbosch"),
        ("Straße", "strasse"),
        ("Bielsko-Biała", "bielsko biala"),
        ("Пловдив", "пловдив"),
        ("  ", ""),
    ],
)
def test_normalize(text: str, key: str) -> None:
    assert normalize(text) == key


@given(st.text(max_size=30))
@settings(max_examples=100, deadline=None)
def test_normalize_is_idempotent(text: str) -> None:
    assert normalize(normalize(text)) == normalize(text)


def test_distance_warsaw_krakow() -> None:
    assert distance_km((52.2297, 21.0122), (50.0647, 19.9450)) == pytest.approx(252, abs=3)


def test_distance_is_symmetric_and_zero_on_the_spot() -> None:
    a, b = (50.4275, 19.3942), (42.15, 24.75)
    assert distance_km(a, b) == pytest.approx(distance_km(b, a))
    assert distance_km(a, a) == 0


def test_distance_between_partner_towns(gaz: Gazetteer) -> None:
    lazy, pilica = one(gaz, "Łazy (śląskie)"), one(gaz, "Pilica (śląskie)")
    assert 15 < distance_km(lazy.point, pilica.point) < 40


# --- the shipped data ------------------------------------------------------------------------


def test_the_shipped_file_loads_fast(gaz: Gazetteer) -> None:
    assert LOAD_SECONDS[0] < 2.0  # loose: the bench measures it (about 0.25 s)
    assert len(gaz) > 45_000
    assert DATA.stat().st_size < 5 * 1024 * 1024


@pytest.mark.parametrize(
    ("name", "country", "region"),
    [
        ("Łazy", "PL", "śląskie"),
        ("Pilica", "PL", "śląskie"),
        ("Kroczyce", "PL", "śląskie"),
        ("Andrychów", "PL", "małopolskie"),
        ("Zawiercie", "PL", "śląskie"),
        ("Warszawa", "PL", "mazowieckie"),
        ("Amsterdam", "NL", "Noord-Holland"),
        ("Utrecht", "NL", "Utrecht"),
        ("'s-Hertogenbosch", "NL", "Noord-Brabant"),
        ("София", "BG", "София-град"),
        ("Пловдив", "BG", "Пловдив"),
    ],
)
def test_places_exist(gaz: Gazetteer, name: str, country: str, region: str) -> None:
    place = one(gaz, name)
    assert (place.name, place.country, place.region) == (name, country, region)


def test_every_place_is_complete(gaz: Gazetteer) -> None:
    boxes = {
        "PL": (48.9, 55.0, 14.0, 24.3),
        "NL": (50.7, 53.7, 3.2, 7.3),
        "BG": (41.2, 44.3, 22.3, 28.7),
    }
    counts = {"PL": 0, "NL": 0, "BG": 0}
    polish_regions = set()
    for place in gaz:
        south, north, west, east = boxes[place.country]
        assert south <= place.lat <= north and west <= place.lon <= east, place
        assert place.name and place.region and place.id, place
        counts[place.country] += 1
        if place.country == "PL":
            polish_regions.add(place.region)
    assert counts["PL"] > 43_000 and counts["NL"] > 1_500 and counts["BG"] > 250
    assert polish_regions == {v.name for v in voivodeships()}  # the 16 voivodeships


def test_villages_of_a_few_hundred_people_are_there(gaz: Gazetteer) -> None:
    # Small villages of the Zawiercie county, none in GeoNames' cities500.
    for name in ("Siemięrzyce", "Dzwonowice", "Przychody"):
        assert any(p.district == "zawierciański" for p in gaz.search(name)), name


def test_kinds(gaz: Gazetteer) -> None:
    assert one(gaz, "Kraków").kind == "city"
    assert one(gaz, "Łazy (śląskie)").kind == "town"
    assert one(gaz, "Kroczyce").kind == "village"


# --- search --------------------------------------------------------------------------------


def test_search_without_diacritics(gaz: Gazetteer) -> None:
    first = gaz.search("Lazy")[0]
    assert (first.name, first.region, first.district) == ("Łazy", "śląskie", "zawierciański")
    assert gaz.search("lodz")[0].label() == "Łódź (łódzkie, PL)"
    assert gaz.search("LODZ")[0] == gaz.search("Łódź")[0]


def test_search_ranks_exact_then_prefix_then_word_then_substring(gaz: Gazetteer) -> None:
    results = gaz.search("kalwaria", limit=25)
    names = [p.name for p in results]
    assert names[0] in {"Kalwaria Zebrzydowska", "Kalwaria Pacławska"}  # prefixes first
    assert "Góra Kalwaria" in names  # then a later word
    assert [p.name for p in gaz.search("pilica", limit=3)][:2] == ["Pilica", "Pilica"]
    # A substring match comes after everything that starts with the query.
    tiers = [p.name for p in gaz.search("zawier", limit=25)]
    assert tiers[0] == "Zawiercie"


def test_search_orders_by_size_within_a_tier(gaz: Gazetteer) -> None:
    results = gaz.search("k", limit=5)
    assert results[0].name == "Kraków"
    populations = [p.population or 0 for p in results]
    assert populations == sorted(populations, reverse=True)


def test_search_bulgarian_in_both_scripts(gaz: Gazetteer) -> None:
    assert gaz.search("Plovdiv")[0].name == "Пловдив"
    assert gaz.search("пловдив")[0].name == "Пловдив"
    assert gaz.search("sofia")[0].name == "София"


# --- other languages' names ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "shown"),
    [
        (["Warszawa", "Warsaw", "Warschau", "Варшава", "warszawa"], "Warszawa"),
        (["Den Haag", "'s-Gravenhage", "The Hague", "Хага"], "Den Haag"),
        (["Kraków", "Cracow", "Krakau", "Краков"], "Kraków"),
        (["Wrocław", "Breslau", "Вроцлав"], "Wrocław"),
        (["София", "Sofia", "Sofiya"], "София"),
    ],
)
def test_a_place_answers_to_its_names_in_every_language(
    gaz: Gazetteer, names: list[str], shown: str
) -> None:
    found = {one(gaz, name) for name in names}
    assert len(found) == 1
    place = found.pop()
    assert place.name == shown  # an alias only finds; the place keeps its own name
    assert place.label().startswith(shown + " (")
    assert [p.name for p in gaz.search(names[1])][:1] == [shown]


def test_an_own_name_outranks_an_alias(gaz: Gazetteer) -> None:
    # Bulgaria's Опака is "Opaka" in Latin letters, the own name of a Polish village.
    assert one(gaz, "Opaka").country == "PL"
    assert [p.name for p in gaz.search("Opaka")][:2] == ["Opaka", "Опака"]
    # "Warsz…" types Warszawa's own name before anything only an alias would match.
    assert gaz.search("warsz")[0].name == "Warszawa"


def test_no_alias_shadows_another_place_s_own_name(gaz: Gazetteer) -> None:
    own = {normalize(p.name) for p in gaz}
    for place in gaz:
        for alias in place.aliases:
            key = normalize(alias)
            if key in own and key != normalize(place.name):
                # Only Bulgarian Latin names may coincide (Opaka), and find still
                # gives the place whose own name it is.
                assert place.country == "BG", (place.label(), alias)
                found = gaz.find(alias)
                assert found is not None and normalize(found.name) == key


def test_aliases_are_for_big_places_and_readable(gaz: Gazetteer) -> None:
    with_aliases = [p for p in gaz if p.aliases and p.country != "BG"]
    assert 300 < len(with_aliases) < 1000  # places of 10,000 people or more
    assert all((p.population or 0) >= 10_000 for p in with_aliases)
    warsaw = one(gaz, "Warszawa")
    assert "WAW" not in warsaw.aliases and "hua sha" not in warsaw.aliases
    assert not [a for a in warsaw.aliases if not a.isascii() and "В" not in a[:1]]


def test_a_hand_made_alias_ranks_below_own_names() -> None:
    places = [
        Place("big", "Duże", "PL", "śląskie", 50.0, 19.0, 90_000, "town", aliases=("Mała",)),
        Place("small", "Mała", "PL", "śląskie", 50.1, 19.1, 500, "village"),
    ]
    gazetteer = Gazetteer(places)
    assert gazetteer.find("Mała") == places[1]
    assert [p.id for p in gazetteer.search("Mał")] == ["small", "big"]
    assert [p.id for p in gazetteer.suggest("Mąła")] == ["small", "big"]


def test_search_by_country_and_limits(gaz: Gazetteer) -> None:
    assert {p.country for p in gaz.search("a", country="NL", limit=10)} == {"NL"}
    assert len(gaz.search("a", limit=7)) == 7
    assert gaz.search("") == [] and gaz.search("Lazy", limit=0) == []
    assert gaz.search("xqzjvw") == []


def test_search_is_fast_when_warm(gaz: Gazetteer) -> None:
    queries = ["ła", "pili", "warsz", "owo", "k", "nowa wies", "sofia"]
    for q in queries:
        gaz.search(q)
    start = time.perf_counter()
    for q in queries:
        gaz.search(q)
    assert (time.perf_counter() - start) / len(queries) < 0.05  # loose: CI machines vary


# --- find ----------------------------------------------------------------------------------


def test_find_picks_the_biggest_of_a_name(gaz: Gazetteer) -> None:
    assert one(gaz, "Łazy").district == "zawierciański"
    assert one(gaz, "lodz").region == "łódzkie"


@pytest.mark.parametrize(
    ("query", "district"),
    [
        ("Łazy (śląskie)", "zawierciański"),
        ("Łazy, śląskie", "zawierciański"),
        ("Łazy (śląskie, PL)", "zawierciański"),
        ("Lazy, zawierciański", "zawierciański"),
        ("Łazy (pow. bielski, śląskie, PL)", "bielski"),
        ("Łazy (bielski)", "bielski"),
        ("Łazy (małopolskie)", None),  # any of the four: the first by size
        ("Pilica (mazowieckie)", "grójecki"),
    ],
)
def test_find_disambiguates(gaz: Gazetteer, query: str, district: str | None) -> None:
    place = one(gaz, query)
    assert place.name == "Łazy" or place.name == "Pilica"
    if district is not None:
        assert place.district == district
    else:
        assert place.region == "małopolskie"


def test_find_accepts_every_label_and_id(gaz: Gazetteer) -> None:
    for place in gaz.search("Łazy", limit=25) + gaz.search("Michałów", limit=25):
        assert gaz.find(place.id) == place
        found = gaz.find(place.label())
        assert found is not None and found.label() == place.label()
    michalow = one(gaz, "Michałów (gm. Kłomnice)")
    assert michalow.label() == "Michałów (gm. Kłomnice, pow. częstochowski, śląskie, PL)"


def test_labels_tell_same_name_places_apart(gaz: Gazetteer) -> None:
    assert one(gaz, "Łazy").label() == "Łazy (śląskie, PL)"
    assert one(gaz, "Łazy (bielski)").label() == "Łazy (pow. bielski, śląskie, PL)"
    assert one(gaz, "Amsterdam").label() == "Amsterdam (Noord-Holland, NL)"


def test_find_rejects_nonsense(gaz: Gazetteer) -> None:
    assert gaz.find("") is None
    assert gaz.find("Łazy (nowhere)") is None
    assert gaz.find("Atlantis") is None


# --- suggest -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("Kroczyse", "Kroczyce"),
        ("Pilca", "Pilica"),
        ("Zawirecie", "Zawiercie"),  # two letters swapped
        ("Andrychow", "Andrychów"),
        ("Warszwa", "Warszawa"),
        ("Amsterdm", "Amsterdam"),
        ("Plovdif", "Пловдив"),
    ],
)
def test_did_you_mean(gaz: Gazetteer, typo: str, meant: str) -> None:
    assert gaz.suggest(typo)[0].name == meant


def test_suggest_is_bounded(gaz: Gazetteer) -> None:
    assert gaz.suggest("qqqqqqqqqq") == []
    assert len(gaz.suggest("Lazy", limit=3)) == 3
    gaz.suggest("warm up")
    start = time.perf_counter()
    gaz.suggest("Kroczyse")
    assert time.perf_counter() - start < 0.2  # loose; the bench measures it properly


@pytest.mark.parametrize(
    ("a", "b", "d"),
    [("kot", "kot", 0), ("kot", "kto", 1), ("pilca", "pilica", 1), ("abc", "xyz", 3)],
)
def test_edit_distance(a: str, b: str, d: int) -> None:
    assert edit_distance(a, b, 3) == d


def test_edit_distance_gives_up_past_the_bound() -> None:
    assert edit_distance("warszawa", "krakow", 2) == 3


# --- a hand-made gazetteer ------------------------------------------------------------------


def test_a_gazetteer_from_places() -> None:
    places = [
        Place("a", "Nowa Wieś", "PL", "śląskie", 50.0, 19.0, None, "village"),
        Place("b", "Nowa Wieś", "PL", "mazowieckie", 52.0, 21.0, 800, "village"),
        Place("c", "Wieliczka", "PL", "małopolskie", 49.98, 20.06, 23_000, "town"),
    ]
    gazetteer = Gazetteer(places)
    assert [p.id for p in gazetteer.search("wie")] == ["c", "b", "a"]
    assert [p.id for p in gazetteer.search("wies")] == ["b", "a"]  # a later word
    assert gazetteer.find("Nowa Wieś (śląskie)") == places[0]
    assert gazetteer.get("c") == places[2] and gazetteer.get("zzz") is None


# --- voivodeships --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        (50.0617, 19.9375, "małopolskie"),  # Kraków
        (50.2649, 19.0238, "śląskie"),  # Katowice
        (50.4275, 19.3942, "śląskie"),  # Łazy
        (54.3520, 18.6466, "pomorskie"),  # Gdańsk
        (52.2297, 21.0122, "mazowieckie"),  # Warszawa
        (51.7592, 19.4560, "łódzkie"),  # Łódź
        (53.4285, 14.5528, "zachodniopomorskie"),  # Szczecin
        (52.5200, 13.4050, None),  # Berlin
        (52.3676, 4.9041, None),  # Amsterdam
    ],
)
def test_voivodeship_of(lat: float, lon: float, expected: str | None) -> None:
    assert voivodeship_of(lat, lon) == expected


def test_voivodeship_of_agrees_with_the_gazetteer(gaz: Gazetteer) -> None:
    towns = [p for p in gaz if p.country == "PL" and p.kind in {"city", "town"}][:200]
    agree = sum(voivodeship_of(p.lat, p.lon) == p.region for p in towns)
    assert agree >= 198  # a town on a border may sit a few metres over it


def test_voivodeship_by_name() -> None:
    area = voivodeship("slaskie")
    assert area is not None and area.name == "śląskie" and area.code == "24"
    assert voivodeship("województwo śląskie") == area
    assert voivodeship("Bavaria") is None
    assert voivodeship("Śląsk") == area and voivodeship("Silesia") == area


# --- region names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "region"),
    [
        # official, colloquial, English, Dutch, Bulgarian
        (["małopolskie", "Małopolska", "Lesser Poland", "Klein-Polen", "Малополско"],
         "małopolskie"),
        (["mazowieckie", "Mazowsze", "Masovia", "Mazovië", "Мазовецко"], "mazowieckie"),
        (["śląskie", "Śląsk", "Silesia", "Silezië", "Силезко"], "śląskie"),
        (["dolnośląskie", "Dolny Śląsk", "Lower Silesia", "Neder-Silezië"], "dolnośląskie"),
        (["pomorskie", "Pomorze", "Pomerania", "Pommeren", "Поморско"], "pomorskie"),
        (["zachodniopomorskie", "Pomorze Zachodnie", "West Pomerania", "West-Pommeren"],
         "zachodniopomorskie"),
        (["wielkopolskie", "Wielkopolska", "Greater Poland", "Groot-Polen"], "wielkopolskie"),
        (["podkarpackie", "Podkarpacie", "Subcarpathia", "Подкарпатско"], "podkarpackie"),
        (["lubelskie", "Lubelszczyzna", "Люблинско"], "lubelskie"),
        (["warmińsko-mazurskie", "Warmia i Mazury", "Ermland-Mazurië"], "warmińsko-mazurskie"),
        (["kujawsko-pomorskie", "Kujawy", "Kuyavia-Pomerania"], "kujawsko-pomorskie"),
        (["podlaskie", "Podlasie", "Podlachia"], "podlaskie"),
        (["opolskie", "Opolszczyzna", "Ополско"], "opolskie"),
        (["lubuskie", "Ziemia Lubuska", "Lubusz"], "lubuskie"),
        (["łódzkie", "Łódzkie", "ziemia łódzka", "Лодзко"], "łódzkie"),
        (["świętokrzyskie", "Świętokrzyskie", "Holy Cross", "Швентокшиско"], "świętokrzyskie"),
        # the word for "region" may come with the name, in any of the languages
        (["województwo małopolskie", "woj. małopolskie", "Lesser Poland Voivodeship",
          "Малополско войводство"], "małopolskie"),
        (["Zuid-Holland", "South Holland", "Holandia Południowa", "Южна Холандия",
          "provincie Zuid-Holland"], "Zuid-Holland"),
        (["Fryslân", "Friesland", "Fryzja", "Фрисландия"], "Fryslân"),
        (["Пловдив", "Plovdiv", "Płowdiw", "Пловдивска област", "obwód Płowdiw"], "Пловдив"),
        (["София-град", "Sofia", "София", "Sofia City"], "София-град"),
        (["Софийска", "Sofia Province", "Софийска област"], "Софийска"),
    ],
)  # fmt: skip
def test_a_region_answers_to_every_common_name(names: list[str], region: str) -> None:
    for name in names:
        assert region_named(name) == region, name
        assert region_named(normalize(name).upper()) == region, name  # case, diacritics


def test_unknown_regions_are_not_guessed() -> None:
    for text in ("Bavaria", "", "   ", "województwo", "Łazy"):
        assert region_named(text) is None, text


def test_every_region_of_the_gazetteer_and_the_maps_has_its_names(gaz: Gazetteer) -> None:
    assert {p.region for p in gaz} == set(REGION_NAMES)
    assert {a.name for a in voivodeships()} <= set(REGION_NAMES)
    for region in REGION_NAMES:
        assert region_names(region)[0] == region and region_named(region) == region


def test_a_place_qualified_by_a_region_s_common_name(gaz: Gazetteer) -> None:
    lazy = one(gaz, "Łazy (śląskie)")
    assert one(gaz, "Łazy (Śląsk)") == lazy and one(gaz, "Łazy, Silesia") == lazy
    assert one(gaz, "Kraków (Lesser Poland)").name == "Kraków"


def test_a_deferred_gazetteer_reads_its_file_once_whoever_looks_first() -> None:
    reads: list[int] = []
    started, release = threading.Event(), threading.Event()

    def read() -> list[str]:
        reads.append(1)
        started.set()
        release.wait(10)  # held until the other lookups have been asked for
        return read_cells(DATA)

    gazetteer = Gazetteer._deferred(read)
    assert reads == []  # made, not read
    with ThreadPoolExecutor(max_workers=4) as pool:
        first = pool.submit(gazetteer.search, "Łazy")
        started.wait()
        others = [pool.submit(gazetteer.find, "Kraków") for _ in range(3)]
        release.set()
        assert first.result()[0].name == "Łazy"
        assert all(o.result() is not None for o in others)
    assert reads == [1]
    assert len(gazetteer) > 45_000


def test_the_shipped_gazetteer_is_read_at_its_first_lookup() -> None:
    probe = (
        "from bot.geography import places; import bot.app; "
        "g = places.Gazetteer.load(); print(g._pending is not None); "
        "g.find('Łazy'); print(g._pending is not None)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "False"]
