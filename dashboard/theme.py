"""One visual theme for the dashboard and the board pack: colours, fonts, sizes, number separators."""

from __future__ import annotations

import plotly.graph_objects as go

# Navy/teal palette with enough contrast for a projector; order is the series order.
PRIMARY = "#1f4e79"
ACCENT = "#2a9d8f"
MUTED = "#8a9bb0"
WARN = "#c0392b"
SERIES = ("#1f4e79", "#2a9d8f", "#e9a23b", "#c0392b", "#7b5ea7", "#5b8c2a", "#8a9bb0", "#d1495b")
SEQUENTIAL = ((0.0, "#e8f0f8"), (0.5, "#6b9bc8"), (1.0, "#1f4e79"))
SEX_COLOURS = {"male": "#1f4e79", "female": "#e9a23b", "other": "#7b5ea7", "unknown": "#8a9bb0"}

# System fonts only: nothing is fetched from the internet.
FONT_FAMILY = "Segoe UI, Roboto, 'Noto Sans', 'DejaVu Sans', Arial, sans-serif"
FONT_SIZE = 15
TITLE_SIZE = 18


def separators(lang: str) -> str:
    """Plotly's decimal and thousands separators: Czech `1 234,5`, English `1,234.5`."""
    return ", " if lang == "cs" else ".,"


def apply_theme(figure: go.Figure, lang: str, *, title: str | None = None, height: int | None = 420) -> go.Figure:
    figure.update_layout(
        template="plotly_white",
        font={"family": FONT_FAMILY, "size": FONT_SIZE, "color": "#1b2a3a"},
        title={"text": title, "font": {"size": TITLE_SIZE}, "x": 0.0, "xanchor": "left"} if title else None,
        separators=separators(lang),
        colorway=list(SERIES),
        margin={"l": 10, "r": 20, "t": 56 if title else 16, "b": 10},
        hoverlabel={"font": {"family": FONT_FAMILY, "size": FONT_SIZE}},
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "xanchor": "left", "x": 0.0},
        height=height,
    )
    figure.update_xaxes(automargin=True)
    figure.update_yaxes(automargin=True)
    return figure
