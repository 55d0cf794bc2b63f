"""Reach: who the centre reached, by nationality, district, service, target group, status, age and sex."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from charts import figures
from dashboard.data import ChartData
from dashboard.pages.base import Chart, Drawer, Loader, PageContext, compared_centres, ranked_with_rest, view_centres

REACHED = "clients_reached"


def _by(dimension: str) -> Loader:
    def load(ctx: PageContext) -> ChartData:
        return ctx.figures((REACHED,), (dimension,))
    return load


def _bars(dimension: str) -> Drawer:
    def draw(data: ChartData, ctx: PageContext) -> go.Figure:
        return figures.bar_by_dimension(data.frame, dimension, REACHED, ctx.lang)
    return draw


def map_region(ctx: PageContext) -> str | None:
    """The one region a view of several centres selects (its region filter), whose districts the map draws.

    A user of one centre keeps the map of the districts their figures name (that centre's region),
    whatever region is filtered: no other region's map is drawn for them.
    """
    chosen = ctx.view.filters.get("region") or ()
    return chosen[0] if len(chosen) == 1 and len(view_centres(ctx) or ()) >= 2 else None


def shows_regions(ctx: PageContext) -> bool:
    """The map shows the 14 regions for a view of several centres and no single region; a click on a
    region filters by it (in the URL as every filter) and the map drills down to its districts."""
    return len(compared_centres(ctx)) >= 2 and len(ctx.view.filters.get("region") or ()) != 1


def _place_map(metric: str) -> Loader:
    def load(ctx: PageContext) -> ChartData:
        return ctx.figures((metric,), ("region",) if shows_regions(ctx) else ("district",))
    return load


def _draw_district(data: ChartData, ctx: PageContext) -> go.Figure:
    if shows_regions(ctx):
        return figures.region_tile_map(data.frame, REACHED, ctx.lang)
    if ctx.geojson is not None:
        return figures.district_choropleth(data.frame, REACHED, ctx.geojson, ctx.lang)
    return figures.district_tile_map(data.frame, REACHED, ctx.lang, region=map_region(ctx))


def _draw_per_1000(data: ChartData, ctx: PageContext) -> go.Figure:
    metric = "reach_per_1000_foreign"
    if shows_regions(ctx):
        return figures.region_tile_map(data.frame.filter(pl.col("region").str.starts_with("CZ")), metric,
                                       ctx.lang, digits=1)
    frame = data.frame.filter(pl.col("district").str.starts_with("CZ"))
    return figures.district_tile_map(frame, metric, ctx.lang, digits=1, region=map_region(ctx))


def _pyramid(ctx: PageContext) -> ChartData:
    return ctx.figures((REACHED,), ("age_band", "sex"))


CHARTS = (
    Chart("reach-nationality", ("Oslovení klienti podle státní příslušnosti", "Clients reached by nationality"),
          lambda ctx: ranked_with_rest(ctx, REACHED, "nationality"),
          lambda data, ctx: figures.bar_by_dimension(data.frame, "nationality", REACHED, ctx.lang, sort=False)),
    Chart("reach-district", ("Oslovení klienti podle okresu bydliště", "Clients reached by district of residence"),
          _place_map(REACHED), _draw_district),
    Chart("reach-per-1000", ("Oslovení na 1 000 cizinců s pobytem v okrese", "Reach per 1,000 foreign residents"),
          _place_map("reach_per_1000_foreign"), _draw_per_1000),
    Chart("reach-service", ("Oslovení klienti podle služby", "Clients reached by service"),
          _by("service"), _bars("service")),
    Chart("reach-target-group", ("Oslovení klienti podle cílové skupiny", "Clients reached by target group"),
          _by("target_group"), _bars("target_group")),
    Chart("reach-residence", ("Oslovení klienti podle pobytového statusu", "Clients reached by residence status"),
          _by("residence_status"), _bars("residence_status")),
    Chart("reach-pyramid", ("Věk a pohlaví oslovených klientů", "Age and sex of clients reached"),
          _pyramid, lambda data, ctx: figures.age_sex_pyramid(data.frame, ctx.lang)),
)
