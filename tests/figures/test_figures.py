"""Chart builders: pure functions over small polars frames (shared with the board pack)."""

from __future__ import annotations

import polars as pl
import pytest

from charts import figures
from pipelines.reference.districts import districts_of_region
from pipelines.reference.tiles import district_tiles


def test_bar_labels_are_czech_names_and_hidden_values_say_so() -> None:
    frame = pl.DataFrame({
        "nationality": ["UA", "VN", "MN"], "clients_reached": [120, None, None],
        "clients_reached__flag": ["", "<5", "x"],
    })
    bars = figures.bar_by_dimension(frame, "nationality", "clients_reached", "cs").data[0]
    # hidden values tie (null): they follow in code order, the same on every reload
    assert list(bars.y) == ["Ukrajina", "Mongolsko", "Vietnam"]
    assert list(bars.text) == ["120", "skryto", "<5"]
    assert [list(c) for c in bars.customdata] == [["nationality", "UA"], ["nationality", "MN"], ["nationality", "VN"]]


def test_english_labels_and_separators() -> None:
    frame = pl.DataFrame({"nationality": ["UA"], "clients_reached": [1234]})
    figure = figures.bar_by_dimension(frame, "nationality", "clients_reached", "en")
    assert list(figure.data[0].y) == ["Ukraine"]
    assert list(figure.data[0].text) == ["1,234"]
    assert figure.layout.separators == ".,"
    czech = figures.bar_by_dimension(frame, "nationality", "clients_reached", "cs")
    assert czech.data[0].text[0] == "1\u00a0234"
    assert czech.layout.separators == ", "


def test_empty_frame_gives_a_figure_that_says_why() -> None:
    frame = pl.DataFrame(schema={"service": pl.String, "contacts": pl.Int64})
    figure = figures.bar_by_dimension(frame, "service", "contacts", "cs")
    assert figure.data == ()
    assert "nejsou žádná data" in figure.layout.annotations[0].text


def test_tile_map_places_all_seven_districts_and_is_clickable() -> None:
    frame = pl.DataFrame({"district": ["CZ0427", "CZ0421", "CZ0513"], "clients_reached": [100, 50, 4]})
    figure = figures.district_tile_map(frame, "clients_reached", "cs")
    assert len(figure.layout.shapes) == 7
    tiles = figure.data[0]
    usti = district_tiles("CZ042")
    assert [c[1] for c in tiles.customdata] == list(usti) and len(usti) == 7
    texts = [a.text for a in figure.layout.annotations]
    assert "<b>Ústí nad<br>Labem</b>" in texts and "100" in texts
    assert any("Liberec: 4" in text for text in texts)  # lives in another region: named in the note
    # Geography (seeds/ref_district_tiles.csv): Děčín east of Ústí, Louny south of Most, Chomutov west of Most.
    assert usti["CZ0421"][0] > usti["CZ0427"][0]
    assert usti["CZ0424"][1] > usti["CZ0425"][1]
    assert usti["CZ0422"][0] < usti["CZ0425"][0]
    assert figure.layout.xaxis.range == (-0.6, 4.6) and figure.layout.yaxis.range == (-2.6, 0.6)


def test_tile_map_draws_the_region_of_the_frames_districts_laid_out_from_the_reference() -> None:
    """A South Moravian centre's figures get its seven districts; the seed places none, so code order in rows."""
    frame = pl.DataFrame({"district": ["CZ0642", "CZ0643", "CZ0100"], "clients_reached": [30, 20, 1]})
    figure = figures.district_tile_map(frame, "clients_reached", "en")
    assert [c[1] for c in figure.data[0].customdata] == [d.code for d in districts_of_region("CZ064")]
    assert list(figure.data[0].x) == [0, 1, 2, 3, 4, 0, 1] and list(figure.data[0].y) == [0, 0, 0, 0, 0, -1, -1]
    assert "<b>Brno-město</b>" in [a.text for a in figure.layout.annotations]
    assert figure.layout.xaxis.range == (-0.6, 4.6) and figure.layout.yaxis.range == (-1.6, 0.6)
    prague = figures.district_tile_map(frame, "clients_reached", "en", region="CZ010")
    assert [c[1] for c in prague.data[0].customdata] == ["CZ0100"]
    assert figures.district_tile_map(frame.filter(pl.col("district") == "unknown"),
                                     "clients_reached", "en").data == ()


def test_tile_map_note_names_the_largest_places_elsewhere_and_counts_the_rest() -> None:
    """Clients of an Ústí centre living in six other places: the four largest are named, two counted."""
    frame = pl.DataFrame({"district": ["CZ0427", "CZ0421", "CZ0100", "CZ0513", "unknown", "CZ0642", "CZ0311",
                                       "CZ0521"],
                          "clients_reached": [100, 50, 9, 7, 5, 3, None, 2],
                          "clients_reached__flag": ["", "", "", "", "", "", "x", ""]})
    figure = figures.district_tile_map(frame, "clients_reached", "cs")
    [note] = [a.text for a in figure.layout.annotations if a.name == "note"]
    assert note == "Hlavní město Praha: 9 · Liberec: 7 · Neznámý: 5 · Brno-město: 3 · a 2 dalších"


def test_tile_map_has_no_geo_traces() -> None:
    frame = pl.DataFrame({"district": ["CZ0427"], "clients_reached": [10]})
    figure = figures.district_tile_map(frame, "clients_reached", "en")
    assert {trace.type for trace in figure.data} == {"scatter"}


def test_choropleth_uses_white_background_without_tiles_or_text() -> None:
    square = {"type": "Polygon", "coordinates": [[[13, 50], [14, 50], [14, 51], [13, 51], [13, 50]]]}
    geojson = {"type": "FeatureCollection", "features": [{"type": "Feature", "id": "CZ0427", "properties": {},
                                                           "geometry": square}]}
    frame = pl.DataFrame({"district": ["CZ0427", "unknown"], "clients_reached": [10, 3]})
    figure = figures.district_choropleth(frame, "clients_reached", geojson, "cs", feature_id="id")
    assert figure.layout.map.style == "white-bg"
    assert figure.layout.map.center.lat == pytest.approx(50.55)
    trace = figure.data[0]
    assert trace.type == "choroplethmap" and list(trace.locations) == ["CZ0427"]
    assert all(t.type != "scattermap" for t in figure.data)  # no text labels drawn on the map


def test_pyramid_puts_men_left_and_women_right() -> None:
    frame = pl.DataFrame({
        "age_band": ["18-29", "18-29", "30-44", "65+"], "sex": ["male", "female", "male", "unknown"],
        "clients_reached": [20, 25, 30, 3],
    })
    figure = figures.age_sex_pyramid(frame, "cs")
    men, women = figure.data
    assert men.name == "Muž" and women.name == "Žena"
    assert men.x[1] == -20 and women.x[1] == 25
    assert list(men.y)[:2] == ["0-17", "18-29"]
    assert "Neuvedeno: 3" in figure.layout.annotations[0].text


def test_cefr_flow_is_a_matrix_of_entry_and_exit_levels() -> None:
    frame = pl.DataFrame({"level_in": ["A1", "A1", "pre-A1"], "level_out": ["A2", "A1", "A1"],
                          "enrolments": [5, 3, 7]})
    heatmap = figures.cefr_flow(frame, "cs").data[0]
    assert list(heatmap.y) == ["pre-A1", "A1"] and list(heatmap.x) == ["A1", "A2"]
    assert heatmap.z[1][1] == 5 and heatmap.z[0][0] == 7 and heatmap.z[0][1] is None


def test_trend_draws_one_line_per_group_with_czech_months() -> None:
    frame = pl.DataFrame({
        "month": ["2022-08", "2022-09", "2022-08", "2022-09"],
        "target_group": ["ukrainian", "ukrainian", "third_country_national", "third_country_national"],
        "clients_reached": [10, 12, 30, 31],
    })
    figure = figures.trend_by_group(frame, "cs")
    assert [trace.name for trace in figure.data] == ["Cizinec ze třetí země", "Občan Ukrajiny"]
    assert list(figure.data[0].x) == ["srp 2022", "zář 2022"]


def test_service_bars_show_hours_with_one_decimal() -> None:
    frame = pl.DataFrame({"service": ["legal_counselling", "interpreting"], "contacts": [10, 4],
                          "service_hours": [12.5, 2.0]})
    figure = figures.service_bars(frame, "cs")
    assert len(figure.data) == 2
    assert list(figure.data[1].text) == ["12,5", "2,0"]
    assert list(figure.data[0].y) == ["Právní poradenství", "Tlumočení"]


def test_equal_values_are_ranked_by_code_whatever_order_they_arrive_in() -> None:
    rows = {"nationality": ["VN", "UA", "RU", "MN"], "clients_reached": [7, 9, 7, 7]}
    orders = {tuple(c[1] for c in figures.bar_by_dimension(pl.DataFrame(rows)[list(p)], "nationality",
                                                           "clients_reached", "cs").data[0].customdata)
              for p in ([0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1])}
    assert orders == {("UA", "MN", "RU", "VN")}


def test_the_validation_of_every_figure_here_covers_every_builder_and_catches_a_misspelt_property() -> None:
    from tests.figures.conftest import assert_valid, builders

    assert {"bar_by_dimension", "trend_by_group", "district_tile_map", "region_tile_map", "district_choropleth",
            "age_sex_pyramid", "service_bars", "outcome_bars", "cefr_flow", "month_heatmap", "project_to_date",
            "centre_comparison", "empty_figure"} <= set(builders())
    from charts.plain import figure

    assert_valid(figure([{"type": "bar", "x": [1], "y": ["a"]}], {"height": 300}))
    with pytest.raises(ValueError, match=r"colour|color"):
        assert_valid(figure([{"type": "bar", "x": [1], "y": ["a"], "colour": "red"}], {}))
