"""What the Deliveries page draws: the upload's summary, the build's progress and gate, what each delivery changed.

Plain functions from data to Dash components; the page (dashboard/pages/deliveries.py) lays them
out and dashboard/routine/callbacks.py redraws them as jobs progress. Delivered text (file names,
values, reasons) is shown as text, never as markup (Dash escapes it).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from dash import dcc, html

from dashboard.components import kpi_card, notice
from dashboard.routine.jobs import DONE, FAILED, Job
from dashboard.routine.routes import QUARANTINE_PATH
from dashboard.routine.texts import build_step_text, rt
from pipelines.access import Scope
from pipelines.changes import HEADLINES, DeliveryChanges, HeadlineMoves
from pipelines.formatting import fmt_datetime, fmt_int
from pipelines.metrics.catalogue import metric_name

QUARANTINE_ROWS_SHOWN = 200  # in the page's table; the CSV has them all
ACROSS_CENTRES = ("unexpected_count", "failing_sample")  # gate results over every centre's rows


def table(headers: list[str], rows: list[list[Any]], table_id: str, caption: str, *,
          numeric: tuple[int, ...] = ()) -> html.Table:
    """A data table with column headers and a caption (screen readers name it)."""
    return html.Table(className="data-table", id=table_id, children=[
        html.Caption(caption, className="visually-hidden"),
        html.Thead(html.Tr([html.Th(h, scope="col", className="num" if i in numeric else None)
                            for i, h in enumerate(headers)])),
        html.Tbody([html.Tr([html.Td("" if cell is None else str(cell), className="num" if i in numeric else None)
                             for i, cell in enumerate(row)]) for row in rows]),
    ])


# --- upload -----------------------------------------------------------------------------------------


def upload_status(job: Job | None, lang: str, query: str = "") -> list[Any]:
    if job is None:
        return []
    if job.state == FAILED:
        return [notice(rt("upload_failed", lang) + job.error, "warning")]
    if job.state != DONE:
        return [upload_progress(job.progress, lang)]
    deliveries = job.result["deliveries"]
    parts: list[Any] = [notice(rt("upload_done", lang).format(n=len(deliveries)), "ok")]
    for index, delivery in enumerate(deliveries):
        parts.append(delivery_summary(delivery, index, lang, query))
    return parts


def upload_progress(p: dict[str, Any], lang: str) -> html.Div:
    """The loader's progress (pipelines.ingest.LoadProgress after each file): files done of all, rows read."""
    done, total = p.get("files_done", 0), p.get("files_total", 0)
    if not done:  # before the loader's first report: the uploaded files (a zip holds several)
        text = rt("upload_loading_start", lang).format(total=total)
    else:
        text = rt("upload_loading", lang).format(done=done, total=total, file=p.get("file_name", ""),
                                                 rows=fmt_int(p.get("rows_read", 0), lang))
    return job_progress(text, "upload-progress", done or None, total)


def job_progress(text: str, ident: str, value: float | None, maximum: float, lead: tuple[Any, ...] = ()) -> html.Div:
    """A job's progress: what it is doing and a <progress> bar named by that text (its value is read out
    as aria-valuenow); without a value the bar says only that the work is under way."""
    bar = {"value": f"{value:.3f}".rstrip("0").rstrip("."), "max": str(maximum)} if value is not None else {}
    return html.Div(className="notice notice-info job-progress", children=[
        *lead,
        html.P(text, id=ident),
        html.Progress(id=f"{ident}-bar", className="job-progress-bar", **bar, **{"aria-labelledby": ident}),
    ])


def delivery_summary(d: dict[str, Any], index: int, lang: str, query: str = "") -> html.Section:
    heading = f"{rt('delivery', lang)} {d['source']} ({d['centre']}, {d['delivery_id'][:12]})"
    files = [[f["file"], f["kind"], f["status"], _dialect(f), f["rows_read"], f["rows_loaded"], f["rows_quarantined"],
              f["warnings"], f["message"]] for f in d["files"]]
    files.append([rt("rows", lang), "", "", "", d["rows_read"], d["rows_loaded"], d["rows_quarantined"],
                  d["warnings"], ""])
    headers = [rt(k, lang) for k in ("file", "kind", "status", "dialect", "rows_read", "rows_loaded",
                                      "rows_quarantined", "warnings", "message")]
    unknown = [[u["file"], u["column"], u["value"], u["rows"]] for u in d["unknown_values"]]
    columns = [[u["file"], u["column"]] for u in d["unknown_columns"]]
    return html.Section(className="card delivery-summary", id=f"summary-{index}", children=[
        html.H3(heading),
        *([notice(rt("already_loaded", lang))] if d["already_loaded"] else []),
        table(headers, files, f"summary-files-{index}", rt("summary_files", lang), numeric=(4, 5, 6, 7)),
        html.H4(rt("quarantine_rows", lang)),
        quarantine_block(d, index, lang, "", query),
        html.H4(rt("unknown_values", lang)),
        table([rt(k, lang) for k in ("file", "column", "value", "rows")], unknown, f"unknown-values-{index}",
              rt("unknown_values", lang), numeric=(3,)) if unknown else html.P(rt("none", lang)),
        html.H4(rt("unknown_columns", lang)),
        table([rt("file", lang), rt("column", lang)], columns, f"unknown-columns-{index}",
              rt("unknown_columns", lang)) if columns else html.P(rt("none", lang)),
    ])


def _dialect(f: dict[str, Any]) -> str:
    parts = [f.get("format") or "", f.get("encoding") or "", repr(f["delimiter"]) if f.get("delimiter") else ""]
    return " ".join(p for p in parts if p)


def quarantine_block(d: dict[str, Any], index: int, lang: str, text: str, query: str = "") -> html.Div:
    """The filter box, the (filtered) table and the CSV link of one delivery's quarantined rows."""
    rows = d["quarantine"]
    if not rows:
        return html.Div(html.P(rt("no_quarantine", lang)))
    link = f"{QUARANTINE_PATH}?{urlencode({'delivery': d['delivery_id'], 'lang': lang})}"
    return html.Div(className="quarantine", children=[
        # The input inside its label: a pattern-matching id cannot be named by htmlFor.
        html.Label([rt("quarantine_filter", lang), " ",
                    dcc.Input(id={"type": "quarantine-filter", "index": index}, type="search", debounce=True,
                              value=text, className="quarantine-filter")]),
        html.Div(quarantine_table(rows, index, lang, text), id={"type": "quarantine-table", "index": index}),
        *([html.P(rt("quarantine_truncated", lang), className="note")] if d["quarantine_truncated"] else []),
        html.A(rt("quarantine_download", lang), href=link, className="button-link", id=f"quarantine-download-{index}",
               download=""),
    ])


def quarantine_table(rows: list[dict[str, Any]], index: int, lang: str, text: str) -> list[Any]:
    needle = (text or "").strip().lower()
    chosen = [r for r in rows if not needle or any(needle in str(r[k] or "").lower()
                                                   for k in ("file", "column", "value", "reason"))]
    shown = chosen[:QUARANTINE_ROWS_SHOWN]
    return [
        table([rt(k, lang) for k in ("file", "row", "column", "value", "reason")],
              [[r["file"], r["row"], r["column"], r["value"], r["reason"]] for r in shown],
              f"quarantine-{index}", rt("quarantine_rows", lang), numeric=(1,)),
        html.P(rt("quarantine_shown", lang).format(shown=fmt_int(len(shown), lang), total=fmt_int(len(chosen), lang)),
               className="note", id=f"quarantine-count-{index}"),
    ]


# --- build ------------------------------------------------------------------------------------------


def build_status(job: Job | None, lang: str, quality_dir: Path, scope: Scope, *, refused: bool = False) -> list[Any]:
    if job is None:
        return []
    parts: list[Any] = [notice(rt("build_already", lang), "warning")] if refused else []
    if job.state not in (DONE, FAILED):
        running = html.P(rt("build_running", lang).format(
            time=fmt_datetime(job.started, lang), user=job.user, seconds=int(job.seconds)), id="build-progress")
        text, value, steps = build_step(job.progress, lang)
        parts.append(job_progress(text, "build-step", value, steps, (running,)))
        return parts
    if job.state == DONE:
        parts.append(html.Pre(rt("build_done", lang) + str(job.result), className="notice notice-ok",
                              id="build-outcome"))
    else:
        parts.append(html.Pre(rt("build_failed", lang) + job.error, className="notice notice-warning",
                              id="build-outcome"))
    gate = latest_gate(quality_dir, job.started)
    if gate is not None:
        parts.append(gate_view(gate, lang, scope))
    return parts


def build_step(p: dict[str, Any], lang: str) -> tuple[str, float | None, int]:
    """The build's step (callbacks.py build_progress) -> ("step k of n: name", with what of it is done
    where the step counts; the steps completed; the number of steps), for the bar over all the steps."""
    if not p.get("step"):
        return rt("build_starting", lang), None, 1
    return (build_step_text(p["step"], p["number"], p["steps"], p["done"], p["total"], lang), p["completed"],
            p["steps"])


def latest_gate(quality_dir: Path, since: datetime) -> dict[str, Any] | None:
    """The gate run a build wrote (<home>/quality/runs/build-*.json) at or after `since`, if any."""
    runs = sorted((quality_dir / "runs").glob("build-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for path in runs:
        if datetime.fromtimestamp(path.stat().st_mtime) < since:
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
    return None


def gate_view(gate: dict[str, Any], lang: str, scope: Scope) -> html.Div:
    """The gate's verdict and failed expectations, as the Data quality page shows them."""
    outcomes = gate.get("outcomes", [])
    failed = [o for o in outcomes if not o.get("success")]
    errors = sum(1 for o in failed if o.get("severity") == "error")
    cs = lang == "cs"
    card = kpi_card("build-gate", rt("gate_title", lang), rt("gate_passed" if gate.get("passed") else "gate_failed",
                                                            lang),
                    target=f"{len(outcomes)} " + ("kontrol" if cs else "expectations")
                    + f", {errors} / {len(failed) - errors} " + ("chyb / varování" if cs else "errors / warnings"))
    columns = ["severity", "suite", "expectation", "description", *([] if not scope.everything else ACROSS_CENTRES)]
    names = {"severity": "Závažnost" if cs else "Severity", "suite": "Sada" if cs else "Suite",
             "expectation": "Kontrola" if cs else "Check", "description": "Popis" if cs else "Description",
             "unexpected_count": "Počet" if cs else "Count", "failing_sample": "Příklady" if cs else "Examples"}
    rows = [["; ".join(map(str, o.get(c) or [])[:3]) if c == "failing_sample" else o.get(c) for c in columns]
            for o in failed]
    return html.Div(className="gate", children=[
        html.Div([card], className="kpi-row"),
        table([names[c] for c in columns], rows, "build-gate-failed", rt("gate_title", lang)) if rows else
        notice("Žádná kontrola neselhala." if cs else "No expectation failed.", "ok"),
    ])


# --- what changed -----------------------------------------------------------------------------------


def changes_table(changes: list[DeliveryChanges], loaded_at: dict[str, datetime], lang: str) -> html.Div:
    if not changes:
        return html.Div(html.P(rt("no_deliveries", lang)))
    headers = [rt(k, lang) for k in ("centre", "delivery", "loaded_at", "source", "new_clients", "corrected",
                                      "retracted", "orphans_resolved", "months")]
    rows = [[c.centre, c.delivery_id[:12] + (f" ({rt('set_aside', lang)})" if c.set_aside else ""),
             fmt_datetime(loaded_at[c.delivery_id], lang) if c.delivery_id in loaded_at else "",
             Path(c.source).name, c.new_clients, c.total("corrected"), c.total("retracted"), c.orphans_resolved,
             _months(c.months)] for c in reversed(changes)]
    return table(headers, rows, "changes", rt("changes_title", lang), numeric=(4, 5, 6, 7))


def _months(months: tuple[str, ...]) -> str:
    return ", ".join(months) if len(months) <= 6 else f"{months[0]} – {months[-1]} ({len(months)})"


def file_changes(c: DeliveryChanges, lang: str) -> html.Table:
    headers = [rt(k, lang) for k in ("file", "kind", "rows", "new", "corrected", "unchanged", "retracted",
                                      "orphans_resolved")]
    rows = [[f.file_name, f.file_kind, f.records, f.new, f.corrected, f.unchanged,
             f.retracted + f.retracted_unknown,
             ", ".join(f"{kind}: {n}" for kind, n in f.orphans_resolved.items()) or ""] for f in c.files]
    return table(headers, rows, f"changes-{c.delivery_id[:12]}", rt("changes_title", lang), numeric=(2, 3, 4, 5, 6))


def exact_moves(moves: HeadlineMoves, lang: str) -> html.Div:
    if not moves.built:
        return html.Div(html.P(rt("moves_not_built", lang), className="note"))
    rows = [[m.month, metric_name(m.metric, lang), _num(m.before, lang), _num(m.after, lang),
             ("+" if m.change > 0 else "") + fmt_int(m.change, lang)] for m in moves.moves]
    return html.Div([
        *([html.P(rt("moves_shared", lang).format(n=len(moves.shared_with)), className="note")]
          if moves.shared_with else []),
        table([rt(k, lang) for k in ("month", "metric", "before", "after", "change")], rows,
              f"moves-{moves.delivery_id[:12]}", rt("moves_title", lang), numeric=(2, 3, 4)),
    ])


def protected_months(frame: Any, months: tuple[str, ...], lang: str, ident: str) -> html.Table:
    """The protected headline figures of the months a delivery touched (`frame`: compute by month)."""
    published = {row["month"]: row for row in frame.iter_rows(named=True)} if frame is not None else {}
    rows = [[month, *[published.get(month, {}).get(m) if published.get(month, {}).get(m) is not None else "x"
                      for m in HEADLINES]] for month in months]
    return table([rt("month", lang), *[f"{metric_name(m, lang)} – {rt('current_protected', lang)}" for m in HEADLINES]],
                 rows, f"moves-{ident[:12]}", rt("moves_title", lang), numeric=(1, 2, 3))


def _num(value: float | None, lang: str) -> str:
    return "—" if value is None else fmt_int(value, lang)


def month_span(months: tuple[str, ...]) -> tuple[date, date] | None:
    if not months:
        return None
    first, last = months[0], months[-1]
    year, month = int(last[:4]), int(last[5:7])
    end = date(year + (month == 12), month % 12 + 1, 1)
    return date(int(first[:4]), int(first[5:7]), 1), date.fromordinal(end.toordinal() - 1)
