"""The board pack's charts: the dashboard's own Plotly figures (charts/figures.py) as PNG files.

All figures of a pack are rendered in one batch in one Chromium session (kaleido with the system
Chromium). The session is a `ChartBrowser`: started before the pack's figures are gathered, so
Chromium's start (about half of a pack's time) overlaps the metric queries, and shared by the PDF
and the PPTX when both are written. MathJax is switched off: kaleido would otherwise load it from a
CDN, and reports run offline. (plotly.io.write_images does one batch too but starts its own browser
and cannot switch MathJax off.) Charts drawn before for the same figures come from the cache beside
the warehouse (reports.board.chart_cache) and are not drawn again.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import kaleido
import plotly.graph_objects as go
import polars as pl

from charts import figures
from charts.text import describe
from pipelines.errors import ReachError
from reports.board.chart_cache import ChartCache
from reports.board.model import BoardData

SYSTEM_CHROMIUM = "/usr/bin/chromium"
CHART_SCALE = 2
# Pixel size per chart: the trend fills a page; the others share a page in pairs, so they are
# drawn narrower (fonts stay readable when the image is scaled to half the page).
FULL_WIDTH, HALF_WIDTH = (1150, 600), (640, 600)
SIZES = {"trend": FULL_WIDTH, "district": (800, 640), "project": FULL_WIDTH}

TITLES = {
    "trend": ("Oslovení klienti po měsících podle cílové skupiny", "Clients reached by month and target group"),
    "project": ("Projekt od začátku: kumulativně, tempo k cíli a projekce",
                "Project to date: cumulative, pace to target and projection"),
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
    drawn = {
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
    if data.project is not None:  # the same chart declaration as the Overview's
        drawn["project"] = figures.project_to_date(data.project.frame(), lang)
    return drawn


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


BROWSER_START_SECONDS = 120  # a loaded machine starts Chromium in seconds; beyond this it is not coming


def _cannot_draw(error: BaseException) -> ReachError:
    return ReachError(
        f"The board pack's charts could not be drawn with Chromium ({type(error).__name__}: {error}). "
        f"Install chromium or set BROWSER_PATH to a Chromium/Chrome executable."
    )


class _OnePageKaleido(kaleido.Kaleido):
    """kaleido reloads its page (and with it plotly.js, 3.5 MB) after every figure, to start each
    from a clean page; that reload was two thirds of a pack's chart time. One session draws one
    pack's own figures and is closed after them, so the page is kept: the PNGs are byte for byte
    the same (measured, docs/performance.md). Should kaleido rename the hook, this override is
    simply not called and the charts come out as before, only slower."""

    async def _return_kaleido_tab(self, tab: Any) -> None:
        await self.tabs_ready.put(tab)


class ChartBrowser:
    """One Chromium session (kaleido) on its own thread and event loop, started at construction.

    Use it as a context manager around the work that precedes the charts; `write` waits for the
    browser only if it is not up yet. Each session is its own: concurrent downloads in the
    dashboard's threads never share one (kaleido's global sync server is a process-wide singleton).
    """

    def __init__(self) -> None:
        _browser_path()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="reach-chart-browser", daemon=True)
        self._thread.start()
        self._browser: kaleido.Kaleido | None = None  # set on the loop's thread as the start begins
        self._starting: asyncio.Task[Any] | None = None
        self._used = False
        self._opening: Future[kaleido.Kaleido] = asyncio.run_coroutine_threadsafe(self._open(), self._loop)
        self._closing: Future[None] | None = None

    async def _open(self) -> kaleido.Kaleido:
        self._starting = asyncio.current_task()
        self._browser = _OnePageKaleido(mathjax=False)
        await self._browser.open()
        return self._browser

    def write(self, specs: list[dict[str, Any]]) -> None:
        """Draw every spec (kaleido's {"fig", "path", "opts"}) in one batch."""
        self._used = True
        try:
            browser = self._opening.result(timeout=BROWSER_START_SECONDS)
            asyncio.run_coroutine_threadsafe(
                browser.write_fig_from_object(specs, cancel_on_error=True), self._loop).result()
        except Exception as error:  # kaleido raises several unrelated types when Chromium is missing or dies
            raise _cannot_draw(error) from error

    def release(self) -> None:
        """Start closing Chromium without waiting (the documents are written meanwhile); idempotent."""
        if self._closing is None:
            self._closing = asyncio.run_coroutine_threadsafe(self._close(), self._loop)

    async def _close(self) -> None:
        if not self._used:
            await self._abandon()
            return
        opening = asyncio.wrap_future(self._opening)
        with contextlib.suppress(Exception):  # a browser that never started has nothing to close
            browser = await asyncio.wait_for(opening, BROWSER_START_SECONDS)
            await asyncio.wait_for(browser.close(), BROWSER_START_SECONDS)

    async def _abandon(self) -> None:
        """Close a session nothing was drawn with (every chart came from the cache): if it is still
        starting, without waiting for plotly.js to load (most of a start), as soon as the Chromium
        process exists to be closed."""
        deadline = self._loop.time() + BROWSER_START_SECONDS
        while getattr(self._browser, "subprocess", None) is None and not self._opening.done() \
                and self._loop.time() < deadline:
            await asyncio.sleep(0.01)
        if self._starting is not None:
            self._starting.cancel()  # ends in kaleido's own error, or in the browser up if it was just done
            await asyncio.wait([self._starting], timeout=BROWSER_START_SECONDS)
        if self._browser is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._browser.close(), BROWSER_START_SECONDS)

    def close(self) -> None:
        """Close Chromium (waiting for it if it is still starting) and stop the thread."""
        self.release()
        try:
            assert self._closing is not None
            with contextlib.suppress(Exception):
                self._closing.result()
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
            self._loop.close()

    def __enter__(self) -> ChartBrowser:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


def render(figs: dict[str, go.Figure], folder: Path, lang: str, browser: ChartBrowser | None = None,
           cache: ChartCache | None = None, request: str | None = None) -> list[Chart]:
    """Write every figure to `folder/<key>.png`: from `cache` where it holds the same figure drawn
    the same way, the others in one batch, in `browser` (or a session of its own, started only if
    a chart is left to draw). With a cache, the drawn charts are kept, and `request` notes them."""
    folder.mkdir(parents=True, exist_ok=True)
    _browser_path()  # the cache keys name the Chromium that draws
    charts = [Chart(key, title(key, lang), folder / f"{key}.png", describe(figs[key], title(key, lang), lang))
              for key in figs]
    specs = {}
    for chart in charts:
        width, height = SIZES.get(chart.key, HALF_WIDTH)
        # A long bar list needs more than the default height: keep the figure's own when taller.
        height = max(height, int(figs[chart.key].layout.height or 0))
        specs[chart.key] = {"fig": figs[chart.key], "path": str(chart.path),
                            "opts": {"format": "png", "width": width, "height": height, "scale": CHART_SCALE}}
    keys = {name: cache.key(spec) for name, spec in specs.items()} if cache else {}
    todo = [name for name, spec in specs.items() if not (cache and cache.fetch(keys[name], Path(spec["path"])))]
    if todo:
        if browser is not None:
            browser.write([specs[name] for name in todo])
        else:
            with ChartBrowser() as own:
                own.write([specs[name] for name in todo])
    missing = [str(c.path) for c in charts if not c.path.is_file()]
    if missing:
        raise ReachError(f"Chromium did not write the charts {', '.join(missing)}.")
    if cache:
        for name in todo:
            cache.store(keys[name], Path(specs[name]["path"]))
        if request:
            cache.note(request, list(keys.values()))
    return charts
