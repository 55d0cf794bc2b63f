"""One visual theme for the dashboard and the board pack: colours, fonts, sizes, number separators.

Colours meet WCAG 2.1 AA: text 4.5:1 against its background, chart marks 3:1 against the white
plot (tests/accessibility/test_contrast.py checks every pair named here). Series colours are the
Okabe–Ito colour-blind-safe set, with orange darkened and yellow left out (both too light on white);
lines also differ by marker and dash, so no series is told apart by colour alone.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

from charts.plain import merge, update_axes

INK = "#1b2a3a"  # body text
BACKGROUND = "#ffffff"  # plot and card background
PRIMARY = "#1f4e79"
MUTED = "#5d6f84"  # secondary text, the "other" bar, notes: 5.2:1 on white
SERIES = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000", "#B8860B", MUTED)
LINE_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid")
MARKER_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "cross")
# Light to mid blue: every cell stays light enough for INK text on it (the figures print each value).
SEQUENTIAL = ((0.0, "#eef3f8"), (0.5, "#a9c6e2"), (1.0, "#6b9bc8"))
EMPTY_TILE = "#eef1f5"
SEX_COLOURS = {"male": "#0072B2", "female": "#D55E00", "other": "#CC79A7", "unknown": MUTED}
SEX_PATTERNS = {"male": "", "female": "/"}  # the pyramid's sides differ by pattern too

# System fonts only: nothing is fetched from the internet.
FONT_FAMILY = "Segoe UI, Roboto, 'Noto Sans', 'DejaVu Sans', Arial, sans-serif"
FONT_SIZE = 15
TITLE_SIZE = 18

TEXT_CONTRAST = 4.5  # WCAG 2.1 AA, 1.4.3 (normal-size text)
MARK_CONTRAST = 3.0  # WCAG 2.1 AA, 1.4.11 (graphical objects)


def relative_luminance(colour: str) -> float:
    """WCAG's relative luminance of a `#rrggbb` colour."""
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    red, green, blue = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def separators(lang: str) -> str:
    """Plotly's decimal and thousands separators: Czech `1 234,5`, English `1,234.5`."""
    return ", " if lang == "cs" else ".,"


# Plotly's "plotly_white" cut to what these charts use: its layout without the axes of chart kinds
# never drawn here (polar, ternary, geo, 3-D, maps' own) and its trace defaults of the kinds drawn.
# Made once: naming the template copies and validates all of it for every figure, about half of
# the time a chart takes to build (docs/performance.md), and sends it to the browser with each figure.
_TRACE_KINDS = ("bar", "scatter", "heatmap", "choroplethmap")
_UNUSED_LAYOUT = ("polar", "ternary", "geo", "scene", "mapbox", "map", "smith", "annotationdefaults",
                  "shapedefaults")


def _template() -> go.layout.Template:
    white = pio.templates["plotly_white"]
    layout = {k: v for k, v in white.layout.to_plotly_json().items() if k not in _UNUSED_LAYOUT}
    data = {kind: white.data[kind] for kind in _TRACE_KINDS}
    return go.layout.Template(layout=layout, data=data)


TEMPLATE = _template()
TEMPLATE_JSON = TEMPLATE.to_plotly_json()  # what each figure's layout carries


def apply_theme(layout: dict[str, Any], lang: str, *, title: str | None = None,
                height: int | None = 420) -> dict[str, Any]:
    """`layout` (a figure's layout dict, charts/plain.py) with the theme merged in, as every chart is drawn."""
    merge(layout, {
        "template": TEMPLATE_JSON,
        "font": {"family": FONT_FAMILY, "size": FONT_SIZE, "color": INK},
        "title": {"text": title, "font": {"size": TITLE_SIZE}, "x": 0.0, "xanchor": "left"} if title else {},
        "separators": separators(lang),
        "colorway": list(SERIES),
        "margin": {"l": 10, "r": 20, "t": 56 if title else 16, "b": 10},
        "hoverlabel": {"font": {"family": FONT_FAMILY, "size": FONT_SIZE}},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.12, "xanchor": "left", "x": 0.0},
        "transition": {"duration": 0},  # no animation: the reduced-motion setting is respected by default
    })
    if height is not None:
        layout["height"] = height
    update_axes(layout, "x", automargin=True)
    update_axes(layout, "y", automargin=True)
    return layout
