"""The board pack's chart inputs: the "other" row of the nationality chart never hides or reveals people."""

from __future__ import annotations

import polars as pl
from _reports_support import board_data

from pipelines.metrics.names import REST_CODE
from reports.board.charts import build_figures, top_with_rest


def _nationalities(values: list[int | None], flags: list[str]) -> pl.DataFrame:
    codes = [f"C{i:02d}" for i in range(len(values))]
    return pl.DataFrame({"nationality": codes, "clients_reached": values, "clients_reached__flag": flags},
                        schema={"nationality": pl.String, "clients_reached": pl.Int64,
                                "clients_reached__flag": pl.String})


def test_rest_is_total_minus_top() -> None:
    values = [100 - i for i in range(10)] + [None, None, 7]
    frame = _nationalities(values, [""] * 10 + ["<5", "<5", ""])
    out = top_with_rest(frame, "nationality", "clients_reached", total=970, top_n=10)
    assert out.height == 11
    rest = out.row(10, named=True)
    assert rest["nationality"] == REST_CODE
    assert rest["clients_reached"] == 970 - sum(100 - i for i in range(10))  # 15, incl. the suppressed ones


def test_small_rest_is_published_as_under_five() -> None:
    values = [100 - i for i in range(10)] + [None, 0]
    frame = _nationalities(values, [""] * 10 + ["<5", ""])
    rest = top_with_rest(frame, "nationality", "clients_reached", total=955 + 3, top_n=10).row(10, named=True)
    assert rest["clients_reached"] is None and rest["clients_reached__flag"] == "<5"


def test_without_a_usable_total_every_row_is_shown() -> None:
    frame = _nationalities([100 - i for i in range(13)], [""] * 13)
    assert top_with_rest(frame, "nationality", "clients_reached", total="x", top_n=10).height == 13


def test_figures_are_the_dashboards() -> None:
    figures = build_figures(board_data(), "cs")
    assert set(figures) == {"trend", "nationality", "district", "service", "outcomes", "cefr"}
    bars = figures["nationality"].data[0]
    assert list(bars.y)[:2] == ["Ukrajina", "Vietnam"]
