"""The board pack as PDF: HTML laid out by WeasyPrint with DejaVu fonts; only local files, no network.

The PDF is tagged (PDF/UA-1): headings, tables with header cells, charts as figures with their
alternative text, and the document's language, so a screen reader can read it.
"""

from __future__ import annotations

import html
from pathlib import Path

import weasyprint
from weasyprint.urls import URLFetcher

from reports.board.charts import Chart
from reports.board.model import BoardData
from reports.board.tables import (
    course_rows,
    incomplete_line,
    kpi_rows,
    period_line,
    project_note,
    project_rows,
    quality_rows,
    summed_line,
    targets_line,
)
from reports.board.text import t

PDF_VARIANT = "pdf/ua-1"  # tagged, with the document's language and title (WeasyPrint >= 59)
CSS = """
@page { size: A4 landscape; margin: 14mm 16mm 14mm 16mm;
        @bottom-right { content: counter(page) " / " counter(pages); font-family: "DejaVu Sans", sans-serif;
                         font-size: 8pt; color: #5b6b7b; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10.5pt; color: #1b2a3a; }
h1 { font-size: 22pt; margin: 0 0 2mm 0; color: #1f4e79; }
th:first-child, td:first-child { width: 34%; }
h2 { font-size: 15pt; margin: 0 0 4mm 0; color: #1f4e79; }
.meta { color: #5b6b7b; margin-bottom: 6mm; }
section { page-break-after: always; }
section:last-child { page-break-after: auto; }
table { border-collapse: collapse; width: 100%; margin-bottom: 5mm; }
th { background: #dce6f1; text-align: left; padding: 1.6mm 2mm; font-weight: bold; }
th[scope="row"] { background: none; font-weight: normal; padding: 1.4mm 2mm; border-bottom: 0.3pt solid #c8d2dc; }
figure { margin: 0; }
td { padding: 1.4mm 2mm; border-bottom: 0.3pt solid #c8d2dc; }
td.num, th.num { text-align: right; }
ul.highlights li { margin-bottom: 2mm; }
img.chart { width: 100%; max-height: 150mm; object-fit: contain; }
img.chart-short { width: 100%; max-height: 92mm; object-fit: contain; }
h3 { font-size: 11.5pt; margin: 0 0 2mm 0; }
.pair { display: flex; gap: 6mm; }
.pair > div { flex: 1; }
.pair img.chart { max-height: 140mm; }
.note { color: #5b6b7b; font-size: 8.5pt; }
.incomplete { color: #7a1521; font-weight: bold; margin-bottom: 3mm; }
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _table(rows: list[list[str]], numeric_from: int = 1, header: bool = True) -> str:
    head = "".join(
        f'<th class="{"num" if i >= numeric_from else ""}">{_e(c)}</th>' for i, c in enumerate(rows[0])
    )
    if not header:
        rows, head = [[], *rows], ""
    body = "".join(
        "<tr>" + "".join(
            # Without a header row, each row is named by its first cell.
            f'<th scope="row">{_e(c)}</th>' if i == 0 and not header else
            f'<td class="{"num" if i >= numeric_from else ""}">{_e(c)}</td>' for i, c in enumerate(row)
        ) + "</tr>"
        for row in rows[1:]
    )
    thead = f"<thead><tr>{head}</tr></thead>" if head else ""
    return f"<table>{thead}<tbody>{body}</tbody></table>"


def _chart(chart: Chart, kind: str = "chart") -> str:
    return (f'<h3>{_e(chart.title)}</h3><figure><img class="{kind}" src="{chart.path.as_uri()}" '
            f'alt="{_e(chart.alt or chart.title)}"></figure>')


def board_html(data: BoardData, charts: dict[str, Chart], highlights: list[str], lang: str) -> str:
    project = data.targets.name_cs if lang == "cs" else data.targets.name_en
    meta = _e(period_line(data, lang))
    items = "".join(f"<li>{_e(h)}</li>" for h in highlights)
    # Said on the first page and again beside the data quality, where the deliveries are listed.
    incomplete = incomplete_line(data, lang)
    warning = f'<p class="incomplete">{_e(incomplete)}</p>' if incomplete else ""
    combined = targets_line(data, lang)
    combined_note = f'<p class="note">{_e(combined)}</p>' if combined else ""
    summed = summed_line(data, lang)
    summed_note = f'<p class="note">{_e(summed)}</p>' if summed else ""
    sections = [
        f"""<section><h1>{_e(t('title', lang))}</h1>
<div class="meta">{_e(data.targets.code)} {_e(project)}<br>{meta}</div>{warning}
<h2>{_e(t('kpis', lang))}</h2>{_table(kpi_rows(data, lang))}
<p class="note">{_e(t('targets_note', lang))}</p>{combined_note}{summed_note}
<h2>{_e(t('highlights', lang))}</h2><ul class="highlights">{items}</ul></section>""",
        f"<section><h2>{_e(t('trend', lang))}</h2>{_chart(charts['trend'])}</section>",
        *([f"""<section><h2>{_e(t('project', lang))}</h2>{_chart(charts['project'], 'chart-short')}
{_table(project_rows(data, lang))}<p class="note">{_e(project_note(data, lang))}</p>{combined_note}</section>"""]
          if "project" in charts else []),
        f"""<section><h2>{_e(t('reach', lang))}</h2><div class="pair"><div>{_chart(charts['nationality'])}</div>
<div>{_chart(charts['district'])}</div></div></section>""",
        f"""<section><h2>{_e(t('reach', lang))} · {_e(t('outcomes', lang))}</h2><div class="pair">
<div>{_chart(charts['service'])}</div><div>{_chart(charts['outcomes'])}</div></div></section>""",
        f"""<section><h2>{_e(t('courses', lang))}</h2><div class="pair">
<div>{_table(course_rows(data, lang))}</div><div>{_chart(charts['cefr'])}</div></div></section>""",
        f"""<section><h2>{_e(t('quality', lang))}</h2>{_table(quality_rows(data, lang), 9, header=False)}
{warning}<p class="note">{_e(t('suppression', lang))}</p></section>""",
    ]
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<title>{_e(t('title', lang))}</title></head><body>{''.join(sections)}</body></html>"""


def write_pdf(data: BoardData, charts: dict[str, Chart], highlights: list[str], lang: str, out: Path) -> Path:
    # Reports never reach the network: only file: URLs (the rendered charts) may be fetched, and a
    # chart that cannot be read stops the PDF instead of leaving a hole.
    fetcher = URLFetcher(allowed_protocols={"file"}, fail_on_errors=True)
    document = weasyprint.HTML(string=board_html(data, charts, highlights, lang), url_fetcher=fetcher)
    document.write_pdf(str(out), stylesheets=[weasyprint.CSS(string=CSS)], pdf_variant=PDF_VARIANT)
    return out
