"""Courses: enrolments, completion, attendance, entry -> exit CEFR level, exam results."""

from __future__ import annotations

import plotly.graph_objects as go
from dash import html

from charts import figures
from dashboard.components import kpi_card
from dashboard.data import ChartData
from dashboard.i18n import t
from dashboard.pages.base import Chart, Drawer, Loader, PageContext
from pipelines.formatting import fmt_percent
from pipelines.metrics.catalogue import metric_name

HEADLINE = ("enrolments", "course_participants", "course_completions", "level_gains")


def header(ctx: PageContext) -> html.Div:
    lang = ctx.lang
    data = ctx.figures(HEADLINE)
    cards = [kpi_card(m, metric_name(m, lang), figures.format_value(data.value(m), data.flag(m), lang),
                      trace_lang=lang)
             for m in HEADLINE]
    enrolments, completions = data.value("enrolments"), data.value("course_completions")
    rate = completions / enrolments if enrolments and completions is not None else None
    cards.append(kpi_card("completion_rate", t("completion_rate", lang), fmt_percent(rate, lang)))
    return html.Div(cards, className="kpi-row")


def _by(*dimensions: str) -> Loader:
    def load(ctx: PageContext) -> ChartData:
        return ctx.figures(("enrolments",), dimensions)
    return load


def _bars(dimension: str) -> Drawer:
    def draw(data: ChartData, ctx: PageContext) -> go.Figure:
        return figures.bar_by_dimension(data.frame, dimension, "enrolments", ctx.lang,
                                        sort=dimension not in ("attendance_band",))
    return draw


def _by_type(ctx: PageContext) -> ChartData:
    return ctx.figures(("enrolments", "course_completions"), ("course_type",))


CHARTS = (
    Chart("courses-type", ("Zápisy a dokončení podle typu kurzu", "Enrolments and completions by course type"),
          _by_type, lambda data, ctx: figures.service_bars(data.frame, ctx.lang, dimension="course_type",
                                                           metrics=("enrolments", "course_completions")),
          wide=True),
    Chart("courses-attendance", ("Zápisy podle docházky (%)", "Enrolments by attendance (%)"),
          _by("attendance_band"), _bars("attendance_band")),
    Chart("courses-exam", ("Výsledky zkoušek", "Exam results"), _by("exam"), _bars("exam")),
    Chart("courses-cefr", ("Vstupní → výstupní úroveň (SERR)", "Entry → exit level (CEFR)"),
          _by("level_in", "level_out"), lambda data, ctx: figures.cefr_flow(data.frame, ctx.lang), wide=True),
)
