"""A self-contained HTML page of one quality run (no CDN, no scripts): <home>/quality/data_docs/.

The summary a user opens first: every expectation of the run in one table, Czech first, English
beside it. GX's own Data Docs of the run (expectations.gx_docs, <home>/quality/gx_data_docs/) are
linked from it for the details. Every text is escaped (failing samples and error messages quote
the data), and the page declares the static pages' Content-Security-Policy: no script runs in it.
"""

from __future__ import annotations

import os
from html import escape
from pathlib import Path

from expectations.results import GateResult, Outcome
from pipelines.safe_text import STATIC_PAGE_CSP

STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}.fail-error{background:#fde2e1}.fail-warning{background:#fff4d6}
.ok{color:#276227}.badge{font-weight:bold}
"""


def _status(outcome: Outcome) -> str:
    if outcome.success:
        return '<span class="ok">OK</span>'
    return ('<span class="badge">CHYBA / ERROR</span>' if outcome.severity == "error"
            else '<span class="badge">VAROVÁNÍ / WARNING</span>')


def _row(outcome: Outcome) -> str:
    css = "" if outcome.success else f' class="fail-{outcome.severity}"'
    sample = "<br>".join(escape(s) for s in outcome.failing_sample)
    observed = escape(outcome.exception or outcome.observed_value or "")
    return (
        f"<tr{css}><td>{_status(outcome)}</td><td>{escape(outcome.suite)}</td><td>{escape(outcome.expectation)}</td>"
        f"<td>{escape(outcome.severity)}</td><td>{escape(outcome.description)}</td><td>{observed}</td>"
        f"<td>{sample}</td></tr>"
    )


def _gx_docs_link(href: str | None) -> str:
    if href is None:
        return ""
    return (f'<p>Podrobně v Great Expectations Data Docs / in detail in GX Data Docs: '
            f'<a href="{escape(href)}">{escape(href)}</a></p>\n')


def render(result: GateResult, gx_docs_href: str | None = None) -> str:
    """The page; `gx_docs_href` (relative) links GX's own Data Docs of the same run when given."""
    verdict = ("Prošlo / Passed" if result.passed
               else "Neprošlo – chyby brání zveřejnění / Failed – errors block publishing")
    ordered = sorted(result.outcomes, key=lambda o: (o.success, o.severity != "error", o.suite, o.expectation))
    rows = "\n".join(_row(o) for o in ordered)
    return f"""<!DOCTYPE html>
<html lang="cs"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{escape(STATIC_PAGE_CSP)}">
<title>Kontroly kvality / Quality checks {escape(result.run_id)}</title>
<style>{STYLE}</style></head><body>
<h1>Kontroly kvality dat / Data quality checks</h1>
<p>Běh / run <b>{escape(result.run_id)}</b> ({escape(result.context)}), {result.started_at:%Y-%m-%d %H:%M:%S} UTC,
cíl / target <code>{escape(result.target)}</code></p>
<p><b>{verdict}</b>: {len(result.outcomes)} očekávání / expectations, {len(result.errors)} chyb / errors failed,
{len(result.warnings)} varování / warnings.</p>
{_gx_docs_link(gx_docs_href)}
<table><thead><tr><th>Stav / status</th><th>Sada / suite</th><th>Očekávání / expectation</th>
<th>Závažnost / severity</th><th>Popis / description</th><th>Zjištěno / observed</th>
<th>Příklady / failing sample</th></tr></thead>
<tbody>
{rows}
</tbody></table></body></html>
"""


def write_html_summary(folder: Path, result: GateResult, gx_index: Path | None = None) -> Path:
    """Write runs/<run_id>.html and index.html (the latest run); return the index path.

    `gx_index` is GX's Data Docs index of the same run (expectations.gx_docs); index.html links it.
    The pages of earlier runs do not: GX's Data Docs folder holds the latest run only.
    """
    (folder / "runs").mkdir(parents=True, exist_ok=True)
    (folder / "runs" / f"{result.run_id}.html").write_text(render(result), encoding="utf-8")
    index = folder / "index.html"
    href = None if gx_index is None else Path(os.path.relpath(gx_index, folder)).as_posix()
    index.write_text(render(result, href), encoding="utf-8")
    return index
