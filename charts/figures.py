"""Chart builders shared by the dashboard and the board pack: pure functions (frame + lang -> Figure).

Input frames are polars frames as the metric API returns them: one column per dimension and
one per metric. A value hidden by suppression is null; an optional `<metric>__flag` column
("" shown, "<5" small, "x" hidden) lets the hover say why a value is missing.
Every bar and tile carries `customdata = [dimension, code]` so a click can filter by it.
Labels and messages are escaped for Plotly, which draws tags such as <b> or <a href> in text.
These signatures are used by reports/: keep them stable. Each figure is written as plain dicts
(charts/plain.py: plotly's object API validated every property on every update, more time than
the queries behind the chart).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
import polars as pl
from plotly.colors import hex_to_rgb as _hex_tuple
from plotly.colors import sample_colorscale

from charts.plain import figure as _figure
from charts.plain import subplot_grid, update_axes
from charts.theme import (
    EMPTY_TILE,
    INK,
    LINE_DASHES,
    MARKER_SYMBOLS,
    MUTED,
    PRIMARY,
    SEQUENTIAL,
    SERIES,
    SEX_COLOURS,
    SEX_PATTERNS,
    apply_theme,
)
from charts.words import t
from pipelines.contract import CEFR_LEVELS
from pipelines.formatting import fmt_decimal, fmt_int, fmt_percent
from pipelines.metrics.catalogue import REST_CODE, code_label, dimension_name, dimension_values, metric_name
from pipelines.metrics.top_n import ranked
from pipelines.reference.districts import district_by_code, districts
from pipelines.reference.tiles import district_tiles, region_tiles
from pipelines.safe_text import plotly_text

SMALL = "<5"  # a flag of 1-4 people drawn as it is (hand-made tables; protected results flag only "x")

FLAG_SUFFIX = "__flag"
_DISTRICT_CODES = frozenset(d.code for d in districts())


def flag_column(metric: str) -> str:
    return metric + FLAG_SUFFIX


def _label(dimension: str, code: object, lang: str) -> str:
    """A dimension value's label for a figure: Plotly draws tags in text, and a branch name is delivery text."""
    return plotly_text(code_label(dimension, code, lang))


def format_value(value: float | None, flag: str | None, lang: str, *, digits: int = 0) -> str:
    """A value as shown: formatted number, `<5`, or `hidden` when suppression removed it."""
    if value is None:
        if flag == SMALL:
            return SMALL
        return t("hidden", lang) if flag else "—"
    return fmt_decimal(value, lang, digits) if digits else fmt_int(value, lang)


def empty_figure(message: str, lang: str, *, title: str | None = None, height: int | None = 360) -> go.Figure:
    """A chart-sized placeholder that says why there is nothing to draw."""
    layout = {"annotations": [{"text": plotly_text(message), "showarrow": False, "x": 0.5, "y": 0.5, "xref": "paper",
                               "yref": "paper", "font": {"size": 16, "color": MUTED}}],
              "xaxis": {"visible": False}, "yaxis": {"visible": False}}
    return _figure([], apply_theme(layout, lang, title=title, height=height))


def _flags(frame: pl.DataFrame, metric: str) -> list[str]:
    column = flag_column(metric)
    if column in frame.columns:
        return [f or "" for f in frame[column].to_list()]
    return ["" for _ in range(frame.height)]


def _has_values(frame: pl.DataFrame, metric: str) -> bool:
    if frame.is_empty() or metric not in frame.columns:
        return False
    values = frame[metric].drop_nulls()
    flags = [f for f in _flags(frame, metric) if f]
    return (not values.is_empty() and bool((values != 0).any())) or bool(flags)


def bar_by_dimension(frame: pl.DataFrame, dimension: str, metric: str, lang: str, *,
                     title: str | None = None, sort: bool = True, digits: int = 0, height: int | None = None,
                     colour: str = PRIMARY) -> go.Figure:
    """Horizontal bars of one metric by one dimension, the rows given (largest on top when `sort`).

    A top-N chart is given the frame of `pipelines.metrics.top_n` (the rest as its own row, last).
    """
    if not _has_values(frame, metric):
        return empty_figure(t("empty_period", lang), lang, title=title)
    data = ranked(frame, dimension, metric) if sort else frame
    codes = data[dimension].to_list()
    values = data[metric].to_list()
    flags = _flags(data, metric)
    labels = [_label(dimension, code, lang) for code in codes]
    texts = [format_value(v, f, lang, digits=digits) for v, f in zip(values, flags, strict=True)]
    colours = [MUTED if code == REST_CODE else colour for code in codes]
    bar = {
        # A hidden value is drawn as a zero-length bar so its "<5" / "hidden" label still shows.
        "type": "bar", "x": [v if v is not None else 0 for v in values], "y": labels, "orientation": "h",
        "text": texts, "textposition": "outside", "cliponaxis": False,
        "marker": {"color": colours}, "customdata": [[dimension, code] for code in codes],
        "hovertemplate": "%{y}: %{text}<extra></extra>",
    }
    layout = {"yaxis": {"autorange": "reversed", "title": {}},
              "xaxis": {"title": {"text": metric_name(metric, lang)}, "showgrid": True, "rangemode": "tozero"}}
    bar_height = max(300, 60 + 34 * len(codes)) if height is None else height
    return _figure([bar], apply_theme(layout, lang, title=title, height=bar_height))


def trend_by_group(frame: pl.DataFrame, lang: str, *, metric: str = "clients_reached",
                   group: str = "target_group", title: str | None = None) -> go.Figure:
    """Monthly lines of a metric, one line per group (target group by default)."""
    if not _has_values(frame, metric):
        return empty_figure(t("empty_period", lang), lang, title=title)
    traces = []
    months = sorted(frame["month"].unique().to_list())
    ticks = [_label("month", m, lang) for m in months]
    groups = ranked(frame.group_by(group).agg(pl.col(metric).sum()), group, metric)[group].to_list()
    parts = {key[0]: part for key, part in frame.sort("month").partition_by(group, as_dict=True).items()}
    for index, code in enumerate(groups):
        part = parts.get(code) if code is not None else None  # a null group matched no row before: none drawn
        if part is None or part[metric].drop_nulls().is_empty():
            continue  # every value hidden: the privacy note says so, an empty legend entry would not
        flags = _flags(part, metric)
        traces.append({
            "type": "scatter", "x": [_label("month", m, lang) for m in part["month"].to_list()],
            "y": part[metric].to_list(), "name": _label(group, code, lang), "mode": "lines+markers",
            "line": {"width": 3, "color": SERIES[index % len(SERIES)], "dash": LINE_DASHES[index % len(LINE_DASHES)]},
            "marker": {"symbol": MARKER_SYMBOLS[index % len(MARKER_SYMBOLS)], "size": 9},
            "customdata": [[group, code] for _ in range(part.height)],
            "text": [format_value(v, f, lang) for v, f in zip(part[metric].to_list(), flags, strict=True)],
            "hovertemplate": "%{fullData.name}, %{x}: %{text}<extra></extra>",
        })
    layout = {"xaxis": {"categoryorder": "array", "categoryarray": ticks, "title": {}},
              "yaxis": {"title": {"text": metric_name(metric, lang)}, "rangemode": "tozero"}}
    return _figure(traces, apply_theme(layout, lang, title=title))


def _tile_colours(values: Sequence[float | None]) -> list[str]:
    known = [v for v in values if v is not None]
    top = max(known) if known else 0
    scale = [[stop, hex_to_rgb(colour)] for stop, colour in SEQUENTIAL]
    return [EMPTY_TILE if v is None else sample_colorscale(scale, (v / top) if top else 0.0)[0] for v in values]


NOTE_PLACES = 4  # districts outside the map named in its note


def tile_region(frame: pl.DataFrame) -> str | None:
    """The region of most of the frame's districts (a centre's figures name its region's districts), if any."""
    if "district" not in frame.columns:
        return None
    regions = Counter(district_by_code(code).region_code for code in frame["district"].to_list()
                      if code in _DISTRICT_CODES)
    return regions.most_common(1)[0][0] if regions else None


def district_tile_map(frame: pl.DataFrame, metric: str, lang: str, *, title: str | None = None,
                      digits: int = 0, region: str | None = None) -> go.Figure:
    """The districts of a region (by default the frame's) as a schematic tile map (plain shapes, works offline).

    Tile positions come from the reference (pipelines/reference/tiles.py); a frame that names no
    district of any region, and no `region`, gives the empty figure.
    """
    region = region or tile_region(frame)
    if region is None:
        return empty_figure(t("empty_period", lang), lang, title=title)
    return _tile_map(frame, "district", district_tiles(region), metric, lang, title=title, digits=digits)


def region_tile_map(frame: pl.DataFrame, metric: str, lang: str, *, title: str | None = None,
                    digits: int = 0) -> go.Figure:
    """The 14 regions as a schematic tile map (the district map's technique: plain shapes, offline).

    `frame` has a `region` column (NUTS 3 codes); each tile's customdata is ["region", code], so a
    click filters by the region and the page then draws that region's districts.
    """
    return _tile_map(frame, "region", region_tiles(), metric, lang, title=title, digits=digits,
                     name_size=12, value_size=16, marker_size=62)


def _tile_name(dimension: str, code: str, lang: str) -> str:
    """A place's name broken to fit its tile."""
    name = _label(dimension, code, lang)
    if dimension == "region":
        return name.replace(" ", "<br>", 1) if len(name) > 12 else name
    return name.replace(" nad ", " nad<br>")


def _tile_map(frame: pl.DataFrame, dimension: str, tiles: dict[str, tuple[float, float]], metric: str, lang: str,
              *, title: str | None, digits: int, name_size: int = 14, value_size: int = 20,
              marker_size: int = 90) -> go.Figure:
    by_code = {row[dimension]: row for row in frame.iter_rows(named=True)} if dimension in frame.columns else {}
    codes = list(tiles)
    values = [by_code.get(code, {}).get(metric) for code in codes]
    flags = [by_code.get(code, {}).get(flag_column(metric)) or "" for code in codes]
    colours = _tile_colours(values)
    shapes, annotations = [], []
    for code, colour, value, flag in zip(codes, colours, values, flags, strict=True):
        col, row = tiles[code]
        shapes.append({"type": "rect", "x0": col - 0.47, "x1": col + 0.47, "y0": -row - 0.47, "y1": -row + 0.47,
                       "fillcolor": colour, "line": {"color": "white", "width": 3}, "layer": "below"})
        dark = value is not None and colour != EMPTY_TILE and _is_dark(colour)
        text_colour = "white" if dark else INK
        annotations.append({"x": col, "y": -row + 0.16, "text": f"<b>{_tile_name(dimension, code, lang)}</b>",
                            "showarrow": False, "font": {"size": name_size, "color": text_colour}})
        annotations.append({"x": col, "y": -row - 0.2 if dimension == "region" else -row - 0.14,
                            "text": format_value(value, flag, lang, digits=digits),
                            "showarrow": False, "font": {"size": value_size, "color": text_colour}})
    texts = [format_value(v, f, lang, digits=digits) for v, f in zip(values, flags, strict=True)]
    # Invisible square markers make the whole tile hoverable and clickable.
    markers = {
        "type": "scatter", "x": [tiles[c][0] for c in codes], "y": [-tiles[c][1] for c in codes], "mode": "markers",
        "marker": {"symbol": "square", "size": marker_size, "color": "rgba(0,0,0,0)"},
        "customdata": [[dimension, c] for c in codes], "text": [_label(dimension, c, lang) for c in codes],
        "hovertext": texts, "hovertemplate": "%{text}: %{hovertext}<extra></extra>", "showlegend": False,
        "name": metric_name(metric, lang),  # names the value column of the chart's table view
    }
    last_col, last_row = max(c for c, _ in tiles.values()), max(r for _, r in tiles.values())
    layout: dict[str, Any] = {
        "shapes": shapes, "annotations": annotations,
        "xaxis": {"visible": False, "range": [-0.6, last_col + 0.6], "fixedrange": True},
        "yaxis": {"visible": False, "range": [-last_row - 0.6, 0.6], "fixedrange": True, "scaleanchor": "x",
                  "scaleratio": 1},
    }
    # Clients living elsewhere (another region's districts) or not stated: a note, the largest first.
    rest = [r for r in frame.iter_rows(named=True) if r.get(dimension) not in tiles
            and (r.get(metric) is not None or r.get(flag_column(metric)))] if dimension in frame.columns else []
    if rest:
        rest.sort(key=lambda r: (r.get(metric) is None, -(r.get(metric) or 0)))
        parts = [f"{_label(dimension, r[dimension], lang)}: "
                 f"{format_value(r.get(metric), r.get(flag_column(metric)) or '', lang, digits=digits)}"
                 for r in rest[:NOTE_PLACES]]
        if len(rest) > NOTE_PLACES:
            parts.append(t("more_places", lang).format(count=len(rest) - NOTE_PLACES))
        annotations.append({"x": last_col + 0.6, "y": -last_row - 0.55, "xanchor": "right", "yanchor": "bottom",
                            "showarrow": False, "text": " · ".join(parts), "font": {"size": 13, "color": MUTED},
                            "name": "note"})
    return _figure([markers], apply_theme(layout, lang, title=title, height=440))


def hex_to_rgb(colour: str) -> str:
    red, green, blue = _hex_tuple(colour)
    return f"rgb({red}, {green}, {blue})"


def _is_dark(hex_colour: str) -> bool:
    text = hex_colour.strip()
    if text.startswith("rgb"):
        red, green, blue = (float(x) for x in text[text.index("(") + 1:text.index(")")].split(",")[:3])
    else:
        red, green, blue = (int(text[i:i + 2], 16) for i in (1, 3, 5))
    return (0.299 * red + 0.587 * green + 0.114 * blue) < 140


def district_choropleth(frame: pl.DataFrame, metric: str, geojson: dict[str, Any], lang: str, *,
                        title: str | None = None, feature_id: str = "properties.code",
                        center: dict[str, float] | None = None, zoom: float = 7.6) -> go.Figure:
    """A real map from an operator-supplied district GeoJSON; white background, no tiles, no labels."""
    if not _has_values(frame, metric):
        return empty_figure(t("empty_period", lang), lang, title=title)
    data = frame.filter(pl.col("district").str.starts_with("CZ"))
    codes = data["district"].to_list()
    values = data[metric].to_list()
    texts = [format_value(v, f, lang) for v, f in zip(values, _flags(data, metric), strict=True)]
    choropleth = {
        "type": "choroplethmap", "geojson": geojson, "featureidkey": feature_id, "locations": codes,
        "z": [v if v is not None else 0 for v in values], "colorscale": [list(stop) for stop in SEQUENTIAL],
        "marker": {"line": {"color": "white", "width": 2}},
        "customdata": [["district", c] for c in codes], "text": [_label("district", c, lang) for c in codes],
        "hovertext": texts, "hovertemplate": "%{text}: %{hovertext}<extra></extra>",
        "colorbar": {"title": {"text": metric_name(metric, lang)}},
    }
    layout = {"map": {"style": "white-bg", "center": center or {"lat": 50.55, "lon": 13.85}, "zoom": zoom}}
    return _figure([choropleth], apply_theme(layout, lang, title=title, height=480))


def age_sex_pyramid(frame: pl.DataFrame, lang: str, *, metric: str = "clients_reached",
                    title: str | None = None) -> go.Figure:
    """Age bands on the vertical axis, men to the left and women to the right (other/unknown as a note)."""
    if not _has_values(frame, metric):
        return empty_figure(t("empty_period", lang), lang, title=title)
    traces = []
    codes = dimension_values("age_band")
    bands = [_label("age_band", band, lang) for band in codes]
    for sex, sign in (("male", -1), ("female", 1)):
        part = frame.filter(pl.col("sex") == sex)
        by_band = {r["age_band"]: r for r in part.iter_rows(named=True)}
        values = [by_band.get(b, {}).get(metric) for b in codes]
        flags = [by_band.get(b, {}).get(flag_column(metric)) or "" for b in codes]
        # A hidden value is a zero-length bar nudged to its own side, so "<5" sits left for men and
        # right for women; a band nobody is in gets no label at all.
        traces.append({
            "type": "bar", "y": bands, "x": [sign * v if v is not None else sign * 1e-9 for v in values],
            "orientation": "h", "name": _label("sex", sex, lang),
            "marker": {"color": SEX_COLOURS[sex], "pattern": {"shape": SEX_PATTERNS[sex]}},
            "text": [format_value(v, f, lang) if v is not None or f else ""
                     for v, f in zip(values, flags, strict=True)],
            "textposition": "outside", "cliponaxis": False,
            "customdata": [["age_band", b] for b in codes],
            "hovertemplate": "%{fullData.name}, %{y}: %{text}<extra></extra>",
        })
    top = max([abs(v) for v in frame[metric].drop_nulls().to_list()] or [1])
    ticks = _symmetric_ticks(top)
    layout: dict[str, Any] = {
        "barmode": "overlay", "bargap": 0.15,
        "xaxis": {"range": [-top * 1.3, top * 1.3], "tickvals": ticks,
                  "ticktext": [fmt_int(abs(v), lang) for v in ticks], "title": {"text": metric_name(metric, lang)}},
        "yaxis": {"categoryorder": "array", "categoryarray": bands, "title": {}},
    }
    others = frame.filter(~pl.col("sex").is_in(["male", "female"]))
    if not others.is_empty():
        parts = []
        for sex in ("other", "unknown"):
            rows = others.filter(pl.col("sex") == sex)
            if rows.is_empty():
                continue
            values = rows[metric].to_list()
            flags = [f for f in _flags(rows, metric) if f]
            text = fmt_int(sum(values), lang) if None not in values else format_value(None, flags[0], lang)
            parts.append(f"{_label('sex', sex, lang)}: {text}")
        layout["annotations"] = [{"text": " · ".join(parts), "x": 1, "y": -0.12, "xref": "paper", "yref": "paper",
                                  "showarrow": False, "xanchor": "right", "yanchor": "top",
                                  "font": {"size": 13, "color": MUTED}, "name": "note"}]
    return _figure(traces, apply_theme(layout, lang, title=title))


def _symmetric_ticks(top: float) -> list[float]:
    step = _nice_step(top / 2)
    count = int(top // step) + 1
    return [-step * i for i in range(count, 0, -1)] + [0] + [step * i for i in range(1, count + 1)]


def _nice_step(raw: float) -> float:
    if raw <= 0:
        return 1
    magnitude = 10 ** (len(str(int(raw))) - 1)
    for multiple in (1, 2, 5, 10):
        if raw <= multiple * magnitude:
            return multiple * magnitude
    return 10 * magnitude


def service_bars(frame: pl.DataFrame, lang: str, *, metrics: Sequence[str] = ("contacts", "service_hours"),
                 dimension: str = "service", title: str | None = None) -> go.Figure:
    """Side-by-side horizontal bars of several metrics (e.g. contacts and hours) by service."""
    present = [m for m in metrics if _has_values(frame, m)]
    if not present:
        return empty_figure(t("empty_period", lang), lang, title=title)
    data = ranked(frame, dimension, present[0])
    labels = [_label(dimension, c, lang) for c in data[dimension].to_list()]
    layout, refs = subplot_grid(1, len(present), [metric_name(m, lang) for m in present], shared_yaxes=True,
                                horizontal_spacing=0.06)
    traces = []
    for index, metric in enumerate(present, start=1):
        digits = 1 if metric == "service_hours" else 0
        values = data[metric].to_list()
        traces.append({
            "type": "bar", "x": [v if v is not None else 0 for v in values], "y": labels, "orientation": "h",
            "marker": {"color": SERIES[index - 1]}, "name": metric_name(metric, lang),
            "text": [format_value(v, f, lang, digits=digits)
                     for v, f in zip(values, _flags(data, metric), strict=True)],
            "textposition": "outside", "cliponaxis": False, "showlegend": False,
            "customdata": [[dimension, c] for c in data[dimension].to_list()],
            "hovertemplate": "%{y}: %{text}<extra></extra>", **refs[0][index - 1],
        })
        top = max([v for v in values if v is not None] or [1])
        layout[_axis_key(refs[0][index - 1]["xaxis"])]["range"] = [0, top * 1.3]
    update_axes(layout, "y", autorange="reversed")
    apply_theme(layout, lang, title=title, height=max(320, 90 + 36 * len(labels)))
    layout["margin"]["t"] = 80 if title else 40  # room for the subplot titles
    return _figure(traces, layout)


def _axis_key(reference: str) -> str:
    """The layout key of a trace's axis reference: "x" -> "xaxis", "y3" -> "yaxis3"."""
    return f"{reference[0]}axis{reference[1:]}"


def outcome_bars(frame: pl.DataFrame, lang: str, *, metric: str = "outcomes", title: str | None = None) -> go.Figure:
    """Outcomes by type, largest first (all types, no rest group)."""
    return bar_by_dimension(frame, "outcome", metric, lang, title=title, colour=SERIES[1])


def cefr_flow(frame: pl.DataFrame, lang: str, *, metric: str = "enrolments", title: str | None = None) -> go.Figure:
    """Entry -> exit CEFR level as a heatmap: rows entry level, columns exit level, cells enrolments."""
    if not _has_values(frame, metric):
        return empty_figure(t("empty_period", lang), lang, title=title)
    levels = [*CEFR_LEVELS, "unknown"]
    present_in = [lv for lv in levels if lv in set(frame["level_in"].to_list())]
    present_out = [lv for lv in levels if lv in set(frame["level_out"].to_list())]
    cells = {(r["level_in"], r["level_out"]): r for r in frame.iter_rows(named=True)}
    z, texts = [], []
    for level_in in present_in:
        z_row, t_row = [], []
        for level_out in present_out:
            cell = cells.get((level_in, level_out), {})
            value = cell.get(metric)
            z_row.append(value)
            t_row.append(format_value(value, cell.get(flag_column(metric)) or "", lang) if cell else "")
        z.append(z_row)
        texts.append(t_row)
    x_labels = [_label("level_out", lv, lang) for lv in present_out]
    y_labels = [_label("level_in", lv, lang) for lv in present_in]
    heatmap = {
        "type": "heatmap", "z": z, "x": x_labels, "y": y_labels, "text": texts, "texttemplate": "%{text}",
        "textfont": {"size": 15, "color": INK}, "colorscale": [list(stop) for stop in SEQUENTIAL], "showscale": False,
        "xgap": 3, "ygap": 3,
        "hovertemplate": f"{dimension_name('level_in', lang)} %{{y}} → {dimension_name('level_out', lang)} %{{x}}: "
                         "%{text}<extra></extra>",
    }
    layout = {"xaxis": {"title": {"text": dimension_name("level_out", lang)}, "side": "bottom", "type": "category"},
              "yaxis": {"title": {"text": dimension_name("level_in", lang)}, "autorange": "reversed",
                        "type": "category"}}
    return _figure([heatmap], apply_theme(layout, lang, title=title))


def month_heatmap(frame: pl.DataFrame, row: str, metric: str, lang: str, *, title: str | None = None) -> go.Figure:
    """Rows (e.g. branches) × months, cells a metric; empty months stand out as blank cells."""
    if frame.is_empty():
        return empty_figure(t("empty_period", lang), lang, title=title)
    months = sorted(frame["month"].unique().to_list())
    rows = sorted(frame[row].unique().to_list())
    cells = {(r[row], r["month"]): r[metric] for r in frame.iter_rows(named=True)}
    z = [[cells.get((name, m)) for m in months] for name in rows]
    texts = [[fmt_int(v, lang) if v is not None else "" for v in line] for line in z]
    heatmap = {
        "type": "heatmap", "z": z, "x": [_label("month", m, lang) for m in months],
        "y": [_label(row, r, lang) for r in rows], "text": texts, "texttemplate": "%{text}", "textfont": {"color": INK},
        "colorscale": [list(stop) for stop in SEQUENTIAL], "showscale": False,
        "xgap": 2, "ygap": 2, "hovertemplate": "%{y}, %{x}: %{text}<extra></extra>",
    }
    layout = {"xaxis": {"type": "category"}, "yaxis": {"type": "category", "autorange": "reversed"}}
    return _figure([heatmap], apply_theme(layout, lang, title=title, height=max(260, 120 + 40 * len(rows))))


# The project-to-date chart's own words: its three series and the note on targets that do not add up.
_PROJECT_WORDS = {
    "cumulative": ("od začátku projektu", "project to date"),
    "pace": ("tempo k cíli", "pace to target"),
    "projection": ("projekce do konce", "projection to the end"),
    "not_additive": ("cíle center se nesčítají", "centres' targets do not add up"),
}
PROJECT_COLUMNS = 3  # small multiples per row


def _project_word(key: str, lang: str) -> str:
    cs, en = _PROJECT_WORDS[key]
    return cs if lang == "cs" else en


def project_to_date(frame: pl.DataFrame, lang: str, *, title: str | None = None) -> go.Figure:
    """Small multiples, one per target metric: the cumulative figure from the project's start to each
    month, the straight-line pace to the target and the projection to the project's end.

    `frame` is `pipelines.project_to_date.ProjectToDate.frame()`: one row per (month, metric) with
    cumulative (null where hidden or no data yet), cumulative__flag, pace, projection and target (on
    the last month), not_additive.
    """
    drawable = pl.col("cumulative").is_not_null().any() | pl.col("pace").is_not_null().any()
    if frame.is_empty() or not frame.select(drawable).item():
        return empty_figure(t("empty_period", lang), lang, title=title)
    metrics = list(dict.fromkeys(frame["metric"].to_list()))
    months = sorted(frame["month"].unique().to_list())
    ticks = [_label("month", m, lang) for m in months]
    rows = -(-len(metrics) // PROJECT_COLUMNS)
    parts = {key[0]: part for key, part in frame.sort("month").partition_by("metric", as_dict=True).items()}
    names = []
    for metric in metrics:
        part = parts[metric]
        note = f" ({_project_word('not_additive', lang)})" if part["not_additive"].any() else ""
        names.append(plotly_text(metric_name(metric, lang) + note))
    layout, refs = subplot_grid(rows, PROJECT_COLUMNS, names, horizontal_spacing=0.08,
                                vertical_spacing=0.16 if rows > 1 else 0.1)
    styles = {"cumulative": (PRIMARY, "solid"), "pace": (MUTED, "dash"), "projection": (SERIES[1], "dot")}
    # The legend, once: the series of every small chart.
    traces: list[dict[str, Any]] = [
        {"type": "scatter", "x": [], "y": [], "name": _project_word(key, lang), "mode": "lines",
         "line": {"color": colour, "dash": dash, "width": 3}, "legendgroup": key}
        for key, (colour, dash) in styles.items()]
    for index, metric in enumerate(metrics):
        cell = refs[index // PROJECT_COLUMNS][index % PROJECT_COLUMNS]
        part = parts[metric]
        name = metric_name(metric, lang)
        series = _project_series(part, lang)
        for key, (codes, x, y, text) in series.items():
            colour, dash = styles[key]
            traces.append({
                "type": "scatter", "x": x, "y": y, "text": text,
                "name": plotly_text(f"{name} – {_project_word(key, lang)}"),
                "customdata": [["month", code] for code in codes],  # month is no filter: a click does nothing
                "mode": "lines+markers" if key == "cumulative" else "lines", "legendgroup": key, "showlegend": False,
                "line": {"color": colour, "dash": dash, "width": 3 if key == "cumulative" else 2},
                "hovertemplate": "%{fullData.name}, %{x}: %{text}<extra></extra>", **cell,
            })
        layout[_axis_key(cell["xaxis"])].update(categoryorder="array", categoryarray=ticks, type="category")
        layout[_axis_key(cell["yaxis"])]["rangemode"] = "tozero"
    for annotation in layout.get("annotations", []):
        annotation["font"]["size"] = 14
    return _figure(traces, apply_theme(layout, lang, title=title, height=140 + 300 * rows))


def _project_series(part: pl.DataFrame, lang: str) -> dict[str, tuple[list[str], list[str], list[float | None],
                                                                      list[str]]]:
    """The three lines of one metric: (month codes, x labels, values, value texts) each; a line without
    values is left out."""
    codes = part["month"].to_list()
    labels = [_label("month", m, lang) for m in codes]
    values, paces = part["cumulative"].to_list(), part["pace"].to_list()
    flags = _flags(part, "cumulative")
    shown = [i for i, (v, f) in enumerate(zip(values, flags, strict=True)) if v is not None or f]
    series: dict[str, tuple[list[str], list[str], list[float | None], list[str]]] = {}
    if shown:
        last = shown[-1] + 1  # every month up to the last with figures (hidden ones as gaps)
        series["cumulative"] = (codes[:last], labels[:last], values[:last],
                                [format_value(v, f, lang) for v, f in zip(values[:last], flags[:last], strict=True)])
    if any(p is not None for p in paces):
        series["pace"] = (codes, labels, paces, [format_value(p, None, lang) for p in paces])
    end = part["projection"].to_list()[-1]
    if end is not None and shown and shown[-1] < len(labels) - 1 and values[shown[-1]] is not None:
        start = shown[-1]
        series["projection"] = ([codes[start], codes[-1]], [labels[start], labels[-1]], [values[start], end],
                                [format_value(values[start], None, lang), format_value(end, None, lang)])
    return series


# The comparison of centres: its four columns, in order (the last is a share, the rest metrics).
COMPARISON_METRICS = ("clients_reached", "new_clients", "reach_per_1000_foreign")
FULFILMENT = "target_fulfilment"
_FULFILMENT_WORDS = ("Plnění cíle oslovených", "Target fulfilment (clients reached)")


def fulfilment_name(lang: str) -> str:
    return _FULFILMENT_WORDS[0] if lang == "cs" else _FULFILMENT_WORDS[1]


def centre_comparison(frame: pl.DataFrame, lang: str, *, title: str | None = None) -> go.Figure:
    """The centres side by side: clients reached, new clients, reach per 1,000 foreign residents of the
    centre's region and target fulfilment (a share), one small bar chart each, the centres as rows.

    `frame` has a `centre` column, the three metrics with their `<metric>__flag` columns and
    `target_fulfilment` (null where the centre has no target for the view). Each bar's customdata is
    ["centre", code], so a click filters by the centre.
    """
    columns = [m for m in (*COMPARISON_METRICS, FULFILMENT) if m in frame.columns]
    if frame.is_empty() or not any(_has_values(frame, m) for m in columns):
        return empty_figure(t("empty_period", lang), lang, title=title)
    data = ranked(frame, "centre", "clients_reached") if "clients_reached" in frame.columns else frame
    codes = data["centre"].to_list()
    labels = [_label("centre", code, lang) for code in codes]
    names = [fulfilment_name(lang) if m == FULFILMENT else metric_name(m, lang) for m in columns]
    layout, refs = subplot_grid(1, len(columns), [plotly_text(name) for name in names], shared_yaxes=True,
                                horizontal_spacing=0.05)
    traces = []
    for index, (metric, name) in enumerate(zip(columns, names, strict=True), start=1):
        values = data[metric].to_list()
        if metric == FULFILMENT:
            texts = [fmt_percent(v, lang) if v is not None else "—" for v in values]
        else:
            digits = 1 if metric == "reach_per_1000_foreign" else 0
            texts = [format_value(v, f, lang, digits=digits) for v, f in zip(values, _flags(data, metric), strict=True)]
        traces.append({
            "type": "bar", "x": [v if v is not None else 0 for v in values], "y": labels, "orientation": "h",
            "marker": {"color": SERIES[(index - 1) % len(SERIES)]}, "name": plotly_text(name), "text": texts,
            "textposition": "outside", "cliponaxis": False, "showlegend": False,
            "customdata": [["centre", code] for code in codes], "hovertemplate": "%{y}: %{text}<extra></extra>",
            **refs[0][index - 1],
        })
        top = max([v for v in values if v is not None] or [1])
        axis = layout[_axis_key(refs[0][index - 1]["xaxis"])]
        axis["range"] = [0, (top or 1) * 1.4]
        if metric == FULFILMENT:
            axis["tickformat"] = ".0%"
    update_axes(layout, "y", autorange="reversed")
    for annotation in layout.get("annotations", []):
        annotation["font"]["size"] = 13
    apply_theme(layout, lang, title=title, height=max(300, 100 + 40 * len(labels)))
    layout["margin"]["t"] = 80 if title else 50  # room for the subplot titles
    return _figure(traces, layout)
