"""bot.geography.maps: the local-groups map PNG and its label layout."""

from __future__ import annotations

import io
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from bot.fonts import latin
from bot.geography import maps, regions
from bot.geography.maps import (
    HEIGHT,
    INSET_WIDTH,
    MARKER_FILL,
    MARKER_RADIUS,
    TITLE_HEIGHT,
    WIDTH,
    Box,
    LabelPlacement,
    Marker,
    Projection,
    layout_labels,
    render_image,
    render_map,
    view_bounds,
)
from bot.geography.places import Gazetteer

PARTNERS = ["Łazy (śląskie)", "Pilica (śląskie)", "Kroczyce", "Andrychów", "Zawiercie"]
CITIES = ["Warszawa", "Kraków", "Gdańsk", "Wrocław", "Poznań", "Łódź", "Katowice", "Lublin"]


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def markers_for(gaz: Gazetteer, names: list[str]) -> list[Marker]:
    out = []
    for name in names:
        place = gaz.find(name)
        assert place is not None, name
        out.append(Marker(place.lat, place.lon, place.name))
    return out


@pytest.fixture(scope="module")
def country_map(gaz: Gazetteer) -> tuple[bytes, list[Marker]]:
    markers = markers_for(gaz, PARTNERS + CITIES)
    return render_map(markers, title="Grupy lokalne"), markers


def decode(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image.convert("RGB")


def has_marker_near(image: Image.Image, x: float, y: float, within: int = 3) -> bool:
    return any(
        image.getpixel((round(x) + dx, round(y) + dy)) == MARKER_FILL
        for dx, dy in itertools.product(range(-within, within + 1), repeat=2)
    )


def label_boxes(shown: list[tuple[Marker, tuple[float, float], LabelPlacement]]) -> list[Box]:
    return [p.box for _, _, p in shown if p.box is not None]


def assert_no_overlaps(boxes: list[Box], points: list[tuple[float, float]], r: float) -> None:
    for a, b in itertools.combinations(boxes, 2):
        assert not a.intersects(b), (a, b)
    markers = [Box(x - r, y - r, x + r, y + r) for x, y in points]
    for box, marker in itertools.product(boxes, markers):
        assert not box.intersects(marker), (box, marker)


# --- the picture -----------------------------------------------------------------------------


def test_png_size_and_content(country_map: tuple[bytes, list[Marker]]) -> None:
    png, _ = country_map
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = decode(png)
    assert image.size == (WIDTH, HEIGHT)
    colours = image.getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 50  # not blank
    counts = {colour: n for n, colour in colours}
    assert counts.get(maps.POLAND, 0) > 200_000  # Poland's fill covers much of it
    assert counts.get(MARKER_FILL, 0) > 13 * 60  # 13 markers, ~150 px of pure fill each


@pytest.mark.parametrize("city", ["Kraków", "Gdańsk", "Warszawa"])
def test_markers_sit_on_their_towns(
    gaz: Gazetteer, country_map: tuple[bytes, list[Marker]], city: str
) -> None:
    png, _ = country_map
    image = decode(png)
    place = gaz.find(city)
    assert place is not None and regions.poland().contains(place.lat, place.lon)
    # Project independently of the renderer: the view, fitted below the title band.
    projection = Projection(*view_bounds(None), Box(0, TITLE_HEIGHT, WIDTH, HEIGHT))
    x, y = projection(place.lat, place.lon)
    assert 0 < x < WIDTH and TITLE_HEIGHT < y < HEIGHT
    assert has_marker_near(image, x, y)


def test_the_map_shows_poland_right_way_up() -> None:
    projection = Projection(*view_bounds(None), Box(0, 0, WIDTH, HEIGHT))
    gdansk, krakow = projection(54.35, 18.65), projection(50.06, 19.94)
    szczecin, lublin = projection(53.43, 14.55), projection(51.25, 22.57)
    assert gdansk[1] < krakow[1] and szczecin[0] < lublin[0]
    # cos(latitude) correction: a degree east is ~0.62 of a degree north at 52°N.
    a, b, c = projection(52, 19), projection(52, 20), projection(53, 19)
    assert (b[0] - a[0]) / (a[1] - c[1]) == pytest.approx(0.616, abs=0.01)


def test_labels_do_not_overlap_on_the_map(gaz: Gazetteer) -> None:
    markers = markers_for(gaz, PARTNERS + CITIES)
    _, shown = render_image(markers, title="Grupy lokalne")
    assert len(shown) == len(markers)
    assert_no_overlaps(label_boxes(shown), [p for _, p, _ in shown], MARKER_RADIUS)
    # The partnership towns are 10–30 km apart: all still get their names.
    named = {p.text for _, _, p in shown if p.number is None}
    assert {"Łazy", "Pilica", "Kroczyce", "Andrychów"} <= named


def test_render_is_deterministic(country_map: tuple[bytes, list[Marker]]) -> None:
    png, markers = country_map
    assert render_map(markers, title="Grupy lokalne") == png


def test_region_zoom_centres_the_voivodeship(gaz: Gazetteer) -> None:
    markers = markers_for(gaz, ["Katowice", "Kraków", "Warszawa"])
    image, shown = render_image(markers, region="śląskie")
    where = {m.label: point for m, point, _ in shown}
    assert "Warszawa" not in where  # outside the view: left out
    x, y = where["Katowice"]
    assert abs(x - WIDTH / 2) < WIDTH * 0.15 and abs(y - HEIGHT / 2) < HEIGHT * 0.15
    assert has_marker_near(image, x, y)
    # Zoomed in: Katowice–Kraków (~70 km) spans far more pixels than on the whole map.
    kx, ky = where["Kraków"]
    assert ((kx - x) ** 2 + (ky - y) ** 2) ** 0.5 > 250


def test_region_spelling_and_regions_abroad(gaz: Gazetteer) -> None:
    marker = [Marker(50.26, 19.02, "Katowice")]
    assert render_map(marker, region="slaskie") == render_map(marker, region="śląskie")
    # Not a voivodeship (a Dutch province): the whole map, insets and all.
    markers = markers_for(gaz, ["Amsterdam", "Utrecht"])
    assert render_map(markers, region="Noord-Holland") == render_map(markers)
    with pytest.raises(ValueError, match="voivodeship"):
        view_bounds("Bavaria")


def test_groups_abroad_appear_in_insets(gaz: Gazetteer) -> None:
    markers = markers_for(gaz, ["Kraków", "Amsterdam", "Пловдив"])
    image, shown = render_image(markers)
    where = {m.label: point for m, point, _ in shown}
    for city in ("Amsterdam", "Пловдив"):
        x, y = where[city]
        assert x > WIDTH - INSET_WIDTH, city  # in the column at the side
        assert has_marker_near(image, x, y), city
    assert where["Kraków"][0] < WIDTH - INSET_WIDTH
    # The NL inset sits above the BG one.
    assert where["Amsterdam"][1] < where["Пловдив"][1]


def test_places_no_panel_shows_are_left_out() -> None:
    _, shown = render_image([Marker(40.4, -3.7, "Madrid"), Marker(50.06, 19.94, "Kraków")])
    assert [m.label for m, _, _ in shown] == ["Kraków"]


def test_crowded_markers_get_numbers_and_a_legend(gaz: Gazetteer) -> None:
    names = ["Katowice", "Chorzów", "Świętochłowice", "Ruda Śląska", "Siemianowice Śląskie"]
    names += ["Bytom", "Zabrze", "Sosnowiec", "Mysłowice", "Będzin", "Piekary Śląskie"]
    names += ["Czeladź", "Wojkowice", "Radzionków", "Gliwice", "Tychy", "Jaworzno"]
    markers = markers_for(gaz, names)
    image, shown = render_image(markers)
    numbered = sorted(p.number for _, _, p in shown if p.number is not None)
    assert numbered == list(range(1, len(numbered) + 1)) and numbered
    assert image.height > HEIGHT  # the legend band under the map
    assert_no_overlaps(label_boxes(shown), [p for _, p, _ in shown], MARKER_RADIUS)


def test_an_empty_map_still_renders() -> None:
    image = decode(render_map([]))
    assert image.size == (WIDTH, HEIGHT)


def test_text_without_a_full_font() -> None:
    assert latin("Łódź") == "Lodz"
    assert latin("България") == "Balgariya"
    assert latin("Żółć") == "Zolc"


# --- layout_labels -------------------------------------------------------------------------


def measure(text: str) -> tuple[float, float]:
    return (11.0 * len(text) + 6, 26.0)


def test_layout_places_labels_beside_lone_markers() -> None:
    bounds = Box(0, 0, 800, 600)
    points = [(100.0, 100.0), (400.0, 300.0), (700.0, 500.0)]
    placements = layout_labels(points, ["Alfa", "Beta", "Gamma"], measure, bounds=bounds)
    assert [p.index for p in placements] == [0, 1, 2]
    for (x, y), p in zip(points, placements, strict=True):
        assert p.box is not None and p.leader is None and p.number is None
        assert p.box.x0 > x  # the preferred spot: to the right
        assert p.box.y0 < y < p.box.y1


def test_layout_moves_labels_away_from_the_edge() -> None:
    bounds = Box(0, 0, 400, 300)
    (p,) = layout_labels([(390.0, 150.0)], ["Eastmost"], measure, bounds=bounds)
    assert p.box is not None and p.box.x1 <= 390 and p.box.within(bounds)


def test_layout_uses_leaders_then_numbers_in_a_crowd() -> None:
    bounds = Box(0, 0, 500, 400)
    points = [(250.0 + 9 * (i % 4), 200.0 + 9 * (i // 4)) for i in range(12)]
    texts = [f"Town number {i}" for i in range(12)]
    placements = layout_labels(points, texts, measure, bounds=bounds)
    assert any(p.leader is not None for p in placements)
    numbers = [p.number for p in placements if p.number is not None]
    assert numbers == list(range(1, len(numbers) + 1)) and numbers
    for p in placements:
        assert p.text == (str(p.number) if p.number is not None else texts[p.index])
    boxes = [p.box for p in placements if p.box is not None]
    assert_no_overlaps(boxes, points, MARKER_RADIUS)
    assert all(b.within(bounds) for b in boxes)


@given(
    st.lists(
        st.tuples(st.floats(20, 780), st.floats(20, 580), st.text("abcdeźł ", max_size=14)),
        max_size=25,
    )
)
@settings(max_examples=60, deadline=None)
def test_layout_never_overlaps(items: list[tuple[float, float, str]]) -> None:
    bounds = Box(0, 0, 800, 600)
    points = [(x, y) for x, y, _ in items]
    texts = [t for _, _, t in items]
    placements = layout_labels(points, texts, measure, bounds=bounds)
    assert len(placements) == len(points)
    boxes = [p.box for p in placements if p.box is not None]
    assert all(b.within(bounds) for b in boxes)
    assert_no_overlaps(boxes, points, MARKER_RADIUS)
