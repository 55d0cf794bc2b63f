"""The board pack's PDF and PPTX from hand-made figures: real charts (kaleido), WeasyPrint, python-pptx."""

from __future__ import annotations

from pathlib import Path

import pytest

from reports.board.charts import TITLES, Chart, build_figures, render
from reports.board.highlights import highlights
from reports.board.pdf import CSS, board_html, write_pdf
from reports.board.pptx import write_pptx
from support.readback import pdf_text, pptx_pictures, pptx_text, squash
from support.reports import board_data

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("board")
    data = board_data()
    out: dict[str, Path] = {}
    for lang in ("cs", "en"):
        charts = {c.key: c for c in render(build_figures(data, lang), folder / f"charts-{lang}", lang)}
        found = highlights(data, lang)
        out[f"{lang}.pdf"] = write_pdf(data, charts, found, lang, folder / f"board-{lang}.pdf")
        out[f"{lang}.pptx"] = write_pptx(data, charts, found, lang, folder / f"board-{lang}.pptx")
    return out


def test_charts_are_png(rendered: dict[str, Path]) -> None:
    charts = sorted((rendered["cs.pdf"].parent / "charts-cs").glob("*.png"))
    assert {p.stem for p in charts} == {"trend", "nationality", "district", "service", "outcomes", "cefr"}
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 5000 for p in charts)


@pytest.mark.parametrize("lang", ["cs", "en"])
def test_pdf_shows_kpis_and_highlights(rendered: dict[str, Path], lang: str) -> None:
    text = squash(pdf_text(rendered[f"{lang}.pdf"]))
    data = board_data()
    if lang == "cs":
        assert "Zpráva pro vedení" in text and "Oslovení klienti 412 300 +37 %" in text
        assert "1 834" in text and "912,5" in text  # Czech grouping and decimal comma
    else:
        assert "Board report" in text and "Clients reached 412 300 +37%" in text
        assert "1,834" in text and "912.5" in text
    for sentence in highlights(data, lang):
        assert squash(sentence) in text


@pytest.mark.parametrize("lang", ["cs", "en"])
def test_pptx_shows_kpis_highlights_and_charts(rendered: dict[str, Path], lang: str) -> None:
    text = squash(pptx_text(rendered[f"{lang}.pptx"]))
    for sentence in highlights(board_data(), lang):
        assert squash(sentence) in text
    assert ("1 834" if lang == "cs" else "1,834") in text
    assert "<5" in text  # a suppressed KPI is shown as published
    assert pptx_pictures(rendered[f"{lang}.pptx"]) == 6


def test_html_refers_only_to_local_files(tmp_path: Path) -> None:
    charts = {key: Chart(key, key, tmp_path / f"{key}.png") for key in TITLES}
    html = board_html(board_data(), charts, ["x"], "cs")
    assert "http:" not in html and "https:" not in html
    assert html.count('src="file://') == len(TITLES)
    assert "DejaVu Sans" in CSS


def test_pdf_embeds_only_dejavu_fonts(rendered: dict[str, Path]) -> None:
    import subprocess

    listing = subprocess.run(["pdffonts", str(rendered["cs.pdf"])], capture_output=True, text=True, check=True)
    fonts = [line.split()[0] for line in listing.stdout.splitlines()[2:] if line.strip()]
    assert fonts and all("DejaVu" in name for name in fonts), fonts
