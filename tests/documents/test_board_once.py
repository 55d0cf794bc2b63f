"""The board pack draws its charts once: one Chromium start and one batch for PDF and PPTX together.

Counted at the seams (kaleido's browser start, the session's batch), never timed. The real
Chromium draws the charts; the documents are read back.
"""

from __future__ import annotations

from pathlib import Path

import kaleido
import pytest

from pipelines.home import Home
from reach.cli import main
from reports.board import charts
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


def _board(home: Home, *args: str) -> int:
    return main(["--home", str(home.root), "report", "board", "--from", PERIOD[0], "--to", PERIOD[1], *args])


def test_pdf_and_pptx_asked_together_draw_the_charts_once(published_home: Home, tmp_path: Path,
                                                          counted: dict[str, int],
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    pdf, pptx = tmp_path / "board.pdf", tmp_path / "slides" / "board.pptx"
    assert _board(published_home, "--out", str(pdf), "--out", str(pptx)) == 0
    assert counted == {"browser_starts": 1, "batches": 1, "figures": len(charts.TITLES)}
    out = capsys.readouterr().out
    assert f"written {pdf}" in out and f"written {pptx}" in out
    # The same pack in both: the KPI page's first lines and every chart.
    assert "Zpráva pro vedení" in squash(pdf_text(pdf)) and "Zpráva pro vedení" in squash(pptx_text(pptx))
    assert pptx_pictures(pptx) == len(charts.TITLES)


def test_one_format_starts_one_browser(published_home: Home, tmp_path: Path, counted: dict[str, int]) -> None:
    assert _board(published_home, "--out", str(tmp_path / "board.pptx"), "--lang", "en") == 0
    assert counted == {"browser_starts": 1, "batches": 1, "figures": len(charts.TITLES)}


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
