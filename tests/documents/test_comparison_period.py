"""One period model: the board pack and the dashboard name the same comparison period for every
preset, and a comparison period before the first delivery says there is no data, never "0".

Both surfaces read the warehouse built by the real pipeline from the sample (tests/conftest.py:
Aug 2022 - Jan 2023); the board pack for the no-data case is written as PDF and PPTX and read back.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dashboard.callbacks import Board
from dashboard.data import WarehouseSource
from dashboard.pages.overview import KPI_METRICS, header
from dashboard.state.url import parse_view
from pipelines.access import EVERYTHING
from pipelines.formatting import fmt_period
from pipelines.home import Home
from pipelines.metrics import open_warehouse
from pipelines.metrics.periods import NO_COMPARISON_DATA, data_coverage
from pipelines.metrics.protection import Protection
from pipelines.targets import load_targets
from reports.board import write_board_pack
from reports.board.data import gather_board
from reports.board.highlights import highlights
from reports.board.tables import kpi_rows, period_line
from reports.board.text import t
from support.readback import pdf_text, pptx_text, squash

pytestmark = pytest.mark.slow

# preset URL -> the comparison period the period model gives it (worked out by hand).
PRESETS = {
    "?preset=month&pv=2022-11": (date(2022, 10, 1), date(2022, 10, 31)),
    "?preset=quarter&pv=2022-Q4": (date(2022, 7, 1), date(2022, 9, 30)),
    # The case: Q1 2023 is compared with Q4 2022 from 1 October, not from 3 October.
    "?preset=quarter&pv=2023-Q1": (date(2022, 10, 1), date(2022, 12, 31)),
    "?preset=year&pv=2023": (date(2022, 1, 1), date(2022, 12, 31)),
    "?preset=custom&from=2022-09-10&to=2022-10-20": (date(2022, 7, 31), date(2022, 9, 9)),  # the 41 days before
    "": (date(2021, 8, 1), date(2022, 7, 31)),  # the project period (config/targets.yaml), 365 days before
}
# Q2 2022 (before the project, so chosen as a range; its dates make it a quarter), compared with
# Q1 2022; the sample starts in Aug 2022.
BEFORE_THE_DATA = "?preset=custom&from=2022-04-01&to=2022-06-30"


def _changes(component: object) -> list[str]:
    """The change line of every KPI card in a rendered Dash tree (dashboard/components.kpi_card)."""
    if str(getattr(component, "className", "")).startswith("kpi-change"):
        return [component.children]  # type: ignore[attr-defined]
    children = getattr(component, "children", None)
    return [text for child in (children if isinstance(children, list) else [children])
            if child is not None and not isinstance(child, str) for text in _changes(child)]


def _kpi_changes(board: Board, search: str, lang: str) -> list[str]:
    search = f"{search}&lang={lang}" if search else f"?lang={lang}"
    view = board.with_default_period(parse_view("/", search), EVERYTHING)
    return _changes(header(board.context(view, Protection.PROTECTED, EVERYTHING)))


@pytest.fixture(scope="module")
def board(published_home: Home) -> Board:
    return Board(WarehouseSource(published_home), load_targets(), None)


@pytest.mark.parametrize("lang", ["cs", "en"])
@pytest.mark.parametrize("search", list(PRESETS))
def test_board_pack_and_dashboard_name_the_same_comparison_period(
        published_home: Home, board: Board, search: str, lang: str) -> None:
    expected = fmt_period(*PRESETS[search], lang)
    view = board.with_default_period(parse_view("/", search), EVERYTHING)
    period = board.context(view, Protection.PROTECTED, EVERYTHING).period
    changes = _kpi_changes(board, search, lang)
    assert len(changes) == len(KPI_METRICS)
    assert all(change.endswith(f"({expected})") for change in changes), changes
    con = open_warehouse(published_home)
    try:
        data = gather_board(con, load_targets(), period.date_from, period.date_to, scope=EVERYTHING)
    finally:
        con.close()
    assert data.previous == PRESETS[search]
    assert period_line(data, lang).split(" · ")[1].startswith(f"{t('previous', lang)}: {expected}")
    # Both say alike whether the comparison period has data (the project's year before has none).
    no_data = NO_COMPARISON_DATA[0 if lang == "cs" else 1]
    assert all(change.startswith(no_data) for change in changes) == (not data.comparison_has_data)


@pytest.mark.parametrize("lang", ["cs", "en"])
def test_a_comparison_before_the_first_delivery_says_there_is_no_data(
        published_home: Home, board: Board, tmp_path: Path, lang: str) -> None:
    no_data = NO_COMPARISON_DATA[0 if lang == "cs" else 1]
    compared = fmt_period(date(2022, 1, 1), date(2022, 3, 31), lang)
    con = open_warehouse(published_home)
    try:
        coverage = data_coverage(con, EVERYTHING)
        assert coverage is not None and coverage.first > date(2022, 3, 31), coverage  # the premise
        data = gather_board(con, load_targets(), date(2022, 4, 1), date(2022, 6, 30), scope=EVERYTHING)
        pdf = write_board_pack(con, date(2022, 4, 1), date(2022, 6, 30), tmp_path / "board.pdf", lang=lang,
                               scope=EVERYTHING)
        pptx = write_board_pack(con, date(2022, 4, 1), date(2022, 6, 30), tmp_path / "board.pptx", lang=lang,
                                scope=EVERYTHING)
    finally:
        con.close()

    # Dashboard: every KPI card says so and names the period, none compares with 0.
    changes = _kpi_changes(board, BEFORE_THE_DATA, lang)
    assert changes == [f"{no_data} ({compared})"] * len(KPI_METRICS)

    # Board pack: the period line, the KPI table (no previous figure, no change) and the highlights.
    assert not data.comparison_has_data
    assert period_line(data, lang).endswith(f"{compared} ({no_data.lower()})")
    for row in kpi_rows(data, lang)[1:]:
        assert row[2:4] == ["—", "—"], row
    assert highlights(data, lang)[0] == f"{no_data} ({compared})."
    for text in (squash(pdf_text(pdf)), squash(pptx_text(pptx))):
        assert f"{compared} ({no_data.lower()})" in text
        assert f"{no_data} ({compared})." in text


def test_a_comparison_with_data_is_not_flagged(published_home: Home, board: Board) -> None:
    """The counter-case: a quarter inside the data compares with its figures (no "no data")."""
    changes = _kpi_changes(board, "?preset=quarter&pv=2022-Q4", "en")
    assert not any(NO_COMPARISON_DATA[1] in change for change in changes)
    con = open_warehouse(published_home)
    try:
        data = gather_board(con, load_targets(), date(2022, 10, 1), date(2022, 12, 31), scope=EVERYTHING)
    finally:
        con.close()
    assert data.comparison_has_data and all(kpi.previous is not None for kpi in data.kpis)
    assert NO_COMPARISON_DATA[1] not in " ".join(highlights(data, "en"))
