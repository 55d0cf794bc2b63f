"""The board pack draws its charts once: one Chromium start and one batch for PDF and PPTX together,
and none when the same pack is asked for again (the charts come from the cache beside the warehouse).

Counted at the seams (kaleido's browser start, the session's batch), never timed. The real
Chromium draws the charts; the documents are read back.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import kaleido
import pytest
from pptx import Presentation

from pipelines.home import Home
from reach.cli import main
from reports.board import charts
from reports.board.chart_cache import FOLDER, ChartCache
from reports.board.charts import HALF_WIDTH, SIZES, ChartBrowser, build_figures, render
from support.readback import pdf_text, pptx_pictures, pptx_text, squash
from support.reports import board_data

pytestmark = pytest.mark.slow

PERIOD = ("2022-08-01", "2023-01-31")


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many times Chromium was started and how many batches of figures it drew."""
    counts = {"browser_starts": 0, "batches": 0, "figures": 0}
    open_browser, write = kaleido.Kaleido.open, ChartBrowser.write

    async def counting_open(self: kaleido.Kaleido) -> None:
        counts["browser_starts"] += 1
        await open_browser(self)

    def counting_write(self: ChartBrowser, specs: list[dict]) -> None:
        counts["batches"] += 1
        counts["figures"] += len(specs)
        write(self, specs)

    monkeypatch.setattr(kaleido.Kaleido, "open", counting_open)
    monkeypatch.setattr(ChartBrowser, "write", counting_write)
    return counts


@pytest.fixture
def own_home(published_home: Home, tmp_path: Path) -> Home:
    """A copy of the published warehouse with a chart cache of its own (empty at the start)."""
    home = Home(tmp_path / "home").ensure()
    shutil.copy2(published_home.warehouse_db, home.warehouse_db)
    return home


def _board(home: Home, *args: str, period: tuple[str, str] = PERIOD) -> int:
    return main(["--home", str(home.root), "report", "board", "--from", period[0], "--to", period[1], *args])


def _pictures(pptx: Path) -> list[bytes]:
    return [shape.image.blob for slide in Presentation(str(pptx)).slides for shape in slide.shapes
            if shape.shape_type == 13]


def test_pdf_and_pptx_asked_together_draw_the_charts_once(own_home: Home, tmp_path: Path,
                                                          counted: dict[str, int],
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    pdf, pptx = tmp_path / "board.pdf", tmp_path / "slides" / "board.pptx"
    assert _board(own_home, "--out", str(pdf), "--out", str(pptx)) == 0
    assert counted == {"browser_starts": 1, "batches": 1, "figures": len(charts.TITLES)}
    out = capsys.readouterr().out
    assert f"written {pdf}" in out and f"written {pptx}" in out
    # The same pack in both: the KPI page's first lines and every chart.
    assert "Zpráva pro vedení" in squash(pdf_text(pdf)) and "Zpráva pro vedení" in squash(pptx_text(pptx))
    assert pptx_pictures(pptx) == len(charts.TITLES)


def test_one_format_starts_one_browser(own_home: Home, tmp_path: Path, counted: dict[str, int]) -> None:
    assert _board(own_home, "--out", str(tmp_path / "board.pptx"), "--lang", "en") == 0
    assert counted == {"browser_starts": 1, "batches": 1, "figures": len(charts.TITLES)}


def test_a_pack_asked_again_starts_no_browser_and_shows_the_same_charts(own_home: Home, tmp_path: Path,
                                                                       counted: dict[str, int]) -> None:
    first, again, english = tmp_path / "first.pptx", tmp_path / "again.pptx", tmp_path / "en.pptx"
    assert _board(own_home, "--out", str(first)) == 0
    assert counted["browser_starts"] == 1
    assert _board(own_home, "--out", str(again)) == 0
    assert counted == {"browser_starts": 1, "batches": 1, "figures": len(charts.TITLES)}
    assert _pictures(again) == _pictures(first)
    assert len(list((own_home.root / FOLDER).glob("*.png"))) == len(charts.TITLES)
    # The cache key is the figure itself: the English pack's figures are other figures, drawn anew.
    assert _board(own_home, "--out", str(english), "--lang", "en") == 0
    assert counted["browser_starts"] == 2 and counted["batches"] == 2
    assert set(_pictures(english)) != set(_pictures(first))


def test_a_chart_removed_from_the_cache_is_drawn_again(own_home: Home, tmp_path: Path,
                                                       counted: dict[str, int]) -> None:
    """The note of a request is only a hint: a missing image is drawn in a session started then."""
    assert _board(own_home, "--out", str(tmp_path / "first.pptx")) == 0
    images = sorted((own_home.root / FOLDER).glob("*.png"))
    images[0].unlink()
    assert _board(own_home, "--out", str(tmp_path / "again.pptx")) == 0
    assert counted["browser_starts"] == 2 and counted["figures"] == len(charts.TITLES) + 1
    assert _pictures(tmp_path / "again.pptx") == _pictures(tmp_path / "first.pptx")


def test_a_pack_whose_charts_are_all_cached_draws_none_and_stops_its_browser(
        own_home: Home, tmp_path: Path, counted: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    """A request not noted (e.g. a new build with the same figures) starts Chromium in advance; when every
    chart then comes from the cache, that start is stopped (charts.ChartBrowser._abandon), not used."""
    browsers: list[kaleido.Kaleido] = []
    stopped: list[ChartBrowser] = []
    counting_open, abandon = kaleido.Kaleido.open, ChartBrowser._abandon

    async def kept_open(self: kaleido.Kaleido) -> None:
        browsers.append(self)
        await counting_open(self)

    async def counted_abandon(self: ChartBrowser) -> None:
        stopped.append(self)
        await abandon(self)

    monkeypatch.setattr(kaleido.Kaleido, "open", kept_open)
    monkeypatch.setattr(ChartBrowser, "_abandon", counted_abandon)
    assert _board(own_home, "--out", str(tmp_path / "first.pptx")) == 0
    notes = list((own_home.root / FOLDER).glob("*.json"))
    assert notes
    for note in notes:
        note.unlink()
    assert _board(own_home, "--out", str(tmp_path / "again.pptx")) == 0
    assert counted == {"browser_starts": 2, "batches": 1, "figures": len(charts.TITLES)}
    assert len(stopped) == 1  # the second pack's session, unused
    assert _pictures(tmp_path / "again.pptx") == _pictures(tmp_path / "first.pptx")
    # Both Chromium processes have ended (the stopped one was started: it had a process to end).
    assert len(browsers) == 2 and all(b.subprocess.poll() is not None for b in browsers)


def test_a_cache_that_cannot_be_written_leaves_the_pack_whole(tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    figs = build_figures(board_data(), "cs")
    drawn = render(figs, tmp_path / "charts", "cs", cache=ChartCache(blocked / "charts"), request="r")
    assert all(chart.path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for chart in drawn)
    assert blocked.is_file()


def test_a_wrong_extension_among_several_starts_no_browser(published_home: Home, tmp_path: Path,
                                                          counted: dict[str, int]) -> None:
    assert _board(published_home, "--out", str(tmp_path / "a.pdf"), "--out", str(tmp_path / "a.docx")) != 0
    assert counted["browser_starts"] == 0 and not (tmp_path / "a.pdf").exists()


def test_keeping_kaleidos_page_between_figures_draws_the_same_pngs(tmp_path: Path) -> None:
    """The session keeps one page for all figures (charts._OnePageKaleido); kaleido's own batch
    reloads the page after each. The images must be the same bytes."""
    figs = build_figures(board_data(), "cs")
    drawn = render(figs, tmp_path / "kept", "cs")
    specs = []
    for chart in drawn:
        width, height = SIZES.get(chart.key, HALF_WIDTH)
        height = max(height, int(figs[chart.key].layout.height or 0))
        specs.append({"fig": figs[chart.key], "path": str(tmp_path / f"reloaded-{chart.key}.png"),
                      "opts": {"format": "png", "width": width, "height": height, "scale": charts.CHART_SCALE}})
    kaleido.write_fig_from_object_sync(specs, kopts={"mathjax": False}, cancel_on_error=True)
    for chart in drawn:
        assert chart.path.read_bytes() == (tmp_path / f"reloaded-{chart.key}.png").read_bytes(), chart.key
