"""The board pack's charts: the dashboard's own Plotly figures (charts/figures.py) as PNG files.

All figures are rendered in one batch (one browser start) by kaleido with the system Chromium.
MathJax is switched off: kaleido would otherwise load it from a CDN, and reports run offline.
(plotly.io.write_images does the same batch call but cannot switch MathJax off.)
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import kaleido
import plotly.graph_objects as go
import polars as pl

from charts import figures
from charts.text import describe
from pipelines.errors import ReachError
from reports.board.model import BoardData

SYSTEM_CHROMIUM = "/usr/bin/chromium"
CHART_SCALE = 2
# Pixel size per chart: the trend fills a page; the others share a page in pairs, so they are
# drawn narrower (fonts stay readable when the image is scaled to half the page).
FULL_WIDTH, HALF_WIDTH = (1150, 600), (640, 600)
SIZES = {"trend": FULL_WIDTH, "district": (800, 640)}

TITLES = {
    "trend": ("Oslovení klienti po měsících podle cílové skupiny", "Clients reached by month and target group"),
    "nationality": ("Oslovení klienti podle občanství", "Clients reached by nationality"),
    "district": ("Oslovení klienti podle okresu bydliště", "Clients reached by district of residence"),
    "service": ("Oslovení klienti podle služby", "Clients reached by service"),
    "outcomes": ("Výsledky podle druhu", "Outcomes by type"),
    "cefr": ("Kurzy češtiny: vstupní a výstupní úroveň (zápisy)", "Czech courses: entry and exit level (enrolments)"),
}


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    path: Path
    alt: str = ""  # the image's alternative text: title and the figures it shows (charts.text)


def title(key: str, lang: str) -> str:
    cs, en = TITLES[key]
    return cs if lang == "cs" else en


def build_figures(data: BoardData, lang: str) -> dict[str, go.Figure]:
    """The dashboard's figures for the board pack's frames (titles are set by the page, not the chart)."""
    c = data.charts
    return {
        "trend": _mark_period_start(figures.trend_by_group(c["trend"], lang), c["trend"], data, lang),
        # The top nationalities and the rest as board.data gathered them (pipelines/metrics/top_n.py).
        "nationality": _room_for_labels(figures.bar_by_dimension(
            c["nationality"], "nationality", "clients_reached", lang, sort=False)),
        "district": figures.district_tile_map(c["district"], "clients_reached", lang),
        "service": _room_for_labels(figures.bar_by_dimension(
            c["service"], "service", "clients_reached", lang)),
        "outcomes": _room_for_labels(figures.outcome_bars(c["outcomes"], lang)),
        "cefr": figures.cefr_flow(c["cefr"], lang),
    }


def _mark_period_start(figure: go.Figure, frame: pl.DataFrame, data: BoardData, lang: str) -> go.Figure:
    """A dotted line where the comparison period ends and the reported period begins."""
    if frame.is_empty() or "month" not in frame.columns:
        return figure
    months = sorted(frame.get_column("month").unique().to_list())
    first = data.date_from.strftime("%Y-%m")
    before = sum(1 for m in months if m < first)
    if 0 < before < len(months):
        # Category axes place category i at x = i; the line goes between the two periods.
        figure.add_vline(x=before - 0.5, line_dash="dot", line_color="#5b6b7b",
                         annotation_text="Období →" if lang == "cs" else "Period →",
                         annotation_position="top right")
    return figure


def _room_for_labels(figure: go.Figure) -> go.Figure:
    """Widen the value axis of horizontal bars so the value printed after the longest bar fits the image
    (on a half-page image the dashboard's automatic range cuts it off)."""
    values = [v for trace in figure.data if isinstance(trace, go.Bar) and trace.orientation == "h"
              for v in (trace.x or ()) if v is not None]
    if values and max(values) > 0:
        figure.update_xaxes(range=[0, max(values) * 1.22])
    return figure


def _browser_path() -> None:
    # kaleido (choreographer) honours BROWSER_PATH; point it at the system Chromium when unset.
    if not os.environ.get("BROWSER_PATH"):
        found = shutil.which("chromium") or (SYSTEM_CHROMIUM if Path(SYSTEM_CHROMIUM).exists() else None)
        if found:
            os.environ["BROWSER_PATH"] = found


def render(figs: dict[str, go.Figure], folder: Path, lang: str) -> list[Chart]:
    """Write every figure to `folder/<key>.png` in one kaleido batch."""
    folder.mkdir(parents=True, exist_ok=True)
    _browser_path()
    charts = [Chart(key, title(key, lang), folder / f"{key}.png", describe(figs[key], title(key, lang), lang))
              for key in figs]
    specs = []
    for chart in charts:
        width, height = SIZES.get(chart.key, HALF_WIDTH)
        # A long bar list needs more than the default height: keep the figure's own when taller.
        height = max(height, int(figs[chart.key].layout.height or 0))
        specs.append({"fig": figs[chart.key], "path": str(chart.path),
                      "opts": {"format": "png", "width": width, "height": height, "scale": CHART_SCALE}})
    try:
        kaleido.write_fig_from_object_sync(specs, kopts={"mathjax": False}, cancel_on_error=True)
    except Exception as error:  # kaleido raises several unrelated types when Chromium is missing or dies
        raise ReachError(
            f"The board pack's charts could not be drawn with Chromium ({type(error).__name__}: {error}). "
            f"Install chromium or set BROWSER_PATH to a Chromium/Chrome executable."
        ) from error
    missing = [str(c.path) for c in charts if not c.path.is_file()]
    if missing:
        raise ReachError(f"Chromium did not write the charts {', '.join(missing)}.")
    return charts
