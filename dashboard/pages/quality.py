"""Data quality: last build and check, who has delivered (the delivery calendar), failed
expectations, quarantined rows, delivery completeness.

Only the deliveries of the centres in the user's scope: quarantined rows and contacts per branch
are read per centre. The checks run over every centre's data at once, so a user who does not
see every centre gets which checks failed, not their counts or failing examples.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl
from dash import html

from charts import figures
from dashboard.components import kpi_card, notice
from dashboard.data import ChartData
from dashboard.delivery_calendar import calendar_section
from dashboard.i18n import t
from dashboard.pages.base import Chart, PageContext
from pipelines.formatting import fmt_datetime, fmt_int

DATA_DOCS_URL = "/quality/data_docs/index.html"
TABLE_ROWS = 50
ACROSS_CENTRES = ("unexpected_count", "failing_sample")  # check results over every centre's rows


def _table(frame: pl.DataFrame, headers: dict[str, str]) -> html.Table:
    columns = [c for c in headers if c in frame.columns]
    return html.Table(className="data-table", children=[
        html.Thead(html.Tr([html.Th(headers[c]) for c in columns])),
        html.Tbody([html.Tr([html.Td(_cell(row[c])) for c in columns])
                    for row in frame.head(TABLE_ROWS).iter_rows(named=True)]),
    ])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value[:3])
    return str(value)


def latest_check(quality_dir: Path) -> dict[str, Any] | None:
    """The newest `reach check` run written to <home>/quality/runs (the warehouse holds the build's gate)."""
    runs = sorted((quality_dir / "runs").glob("check-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for path in runs:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
    return None


def _when(text: str | None, lang: str) -> str:
    """An ISO timestamp from a run record, in the UI's date format."""
    try:
        return fmt_datetime(datetime.fromisoformat(text), lang) if text else "—"
    except ValueError:
        return text or "—"


def header(ctx: PageContext) -> html.Div:
    lang = ctx.lang
    cs = lang == "cs"
    built = ctx.source.built_at()
    runs = ctx.source.table("quality_runs", ctx.scope)
    gate = runs.sort("finished_at", descending=True).row(0, named=True) if runs is not None and runs.height else None
    check = latest_check(ctx.source.home.quality_dir)
    cards = [kpi_card("last-build", t("last_build", lang), fmt_datetime(built, lang))]
    if gate:
        verdict = ("prošla" if cs else "passed") if gate["passed"] else ("neprošla" if cs else "failed")
        cards.append(kpi_card("gate", "Kontrola při sestavení" if cs else "Gate at build", verdict,
                              target=f"{gate['expectations']} " + ("kontrol" if cs else "expectations")
                              + f", {gate['errors_failed']} / {gate['warnings_failed']} "
                              + ("chyb / varování" if cs else "errors / warnings")))
    if check:
        failed = [o for o in check.get("outcomes", []) if not o.get("success")]
        cards.append(kpi_card("check", "Poslední kontrola (reach check)" if cs else "Last check (reach check)",
                              _when(check.get("finished_at"), lang),
                              target=f"{len(failed)} " + ("neúspěšných kontrol" if cs else "failed expectations")))
    quarantine = ctx.source.table("mart_quarantine", ctx.scope)
    cards.append(kpi_card("quarantine", t("quarantine", lang),
                          fmt_int(quarantine.height if quarantine is not None else 0, lang)))
    parts: list[Any] = [html.Div(cards, className="kpi-row")]
    if ctx.scope.everything:  # Data Docs quote every centre's failing rows (dashboard/app.py serves them so)
        parts.append(html.A(t("data_docs", lang), href=DATA_DOCS_URL, target="_blank", className="button-link",
                            id="data-docs-link"))
    parts.append(notice("Tato stránka ukazuje stav dat; filtry období a skupin se na ni nevztahují." if cs else
                        "This page shows the state of the data; period and group filters do not apply to it."))
    parts.append(calendar_section(ctx))
    parts.append(_failed(ctx, gate, check))
    parts.append(_quarantine(quarantine, lang))
    return html.Div(parts)


def _failed(ctx: PageContext, gate: dict[str, Any] | None, check: dict[str, Any] | None) -> html.Div:
    lang = ctx.lang
    headers = {"source": "Běh" if lang == "cs" else "Run", "severity": "Závažnost" if lang == "cs" else "Severity",
               "suite": "Sada" if lang == "cs" else "Suite", "expectation": "Kontrola" if lang == "cs" else "Check",
               "description": "Popis" if lang == "cs" else "Description",
               "unexpected_count": "Počet" if lang == "cs" else "Count",
               "failing_sample": "Příklady" if lang == "cs" else "Examples"}
    rows: list[dict[str, Any]] = []
    results = ctx.source.table("quality_results", ctx.scope)
    if gate and results is not None:
        for row in results.filter((pl.col("run_id") == gate["run_id"]) & ~pl.col("success")).iter_rows(named=True):
            rows.append({"source": "build", **row})
    if check:
        rows += [{"source": "check", **o} for o in check.get("outcomes", []) if not o.get("success")]
    title = html.H2(t("failed_expectations", lang))
    if gate is None and check is None:
        return html.Div(className="card", children=[title, notice(t("quality_no_results", lang))])
    if not rows:
        return html.Div(className="card", children=[title, notice(t("none_failed", lang), "ok")])
    frame = pl.DataFrame(rows, infer_schema_length=None).select([c for c in headers if c in rows[0]])
    if not ctx.scope.everything:  # counts and examples may be of other centres' rows
        frame = frame.drop([c for c in ACROSS_CENTRES if c in frame.columns])
    return html.Div(className="card", children=[title, _table(frame, headers)])


# The quarantine columns this page shows: where a row is and why it does not count, never its
# content (values stay in the warehouse's mart_quarantine, masked where they hold an identifier;
# the page is public until sign-in restricts it, issue 12).
QUARANTINE_COLUMNS = ("kind", "file_name", "source_row", "column_name", "reason")


def _quarantine(quarantine: pl.DataFrame | None, lang: str) -> html.Div:
    cs = lang == "cs"
    title = html.H2(t("quarantine", lang))
    if quarantine is None or quarantine.is_empty():
        return html.Div(className="card", children=[title, notice(t("none_quarantined", lang), "ok")])
    quarantine = quarantine.select(c for c in QUARANTINE_COLUMNS if c in quarantine.columns)
    summary = (quarantine.group_by(["kind", "file_name", "reason"]).len("rows")
               .sort("rows", descending=True))
    headers = {"kind": "Druh" if cs else "Kind", "file_name": "Soubor" if cs else "File",
               "source_row": "Řádek" if cs else "Row", "column_name": "Sloupec" if cs else "Column",
               "reason": "Důvod" if cs else "Reason", "rows": "Řádků" if cs else "Rows"}
    return html.Div(className="card", children=[
        title, _table(summary, headers),
        html.H3("Prvních 50 řádků" if cs else "First 50 rows"),
        _table(quarantine.sort(["file_name", "source_row"]), headers),
    ])


def _completeness(ctx: PageContext) -> ChartData:
    frame = ctx.source.table("mart_branch_month_contacts", ctx.scope)
    if frame is None:
        frame = pl.DataFrame(schema={"branch": pl.String, "month": pl.String, "contacts": pl.Int64})
    data = frame.group_by(["branch", "month"]).agg(pl.col("contacts").sum()).sort(["branch", "month"])
    return ChartData(data, data, hidden=False)


CHARTS = (
    Chart("quality-completeness", ("Kontakty dodané po měsících a pobočkách", "Contacts delivered by month and branch"),
          _completeness, lambda data, ctx: figures.month_heatmap(data.frame, "branch", "contacts", ctx.lang),
          wide=True),
)
