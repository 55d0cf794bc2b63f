"""The board pack's tables as rows of display strings, shared by the PDF and the PPTX."""

from __future__ import annotations

from pipelines.formatting import fmt_date, fmt_decimal, fmt_int, fmt_percent, fmt_period
from pipelines.metrics.catalogue import code_label, metric_name, month_label
from pipelines.metrics.linkage import SUMMED_NOTICE
from pipelines.metrics.periods import no_comparison_data
from reports.board.model import BoardData, Kpi
from reports.board.text import quality_label, t
from reports.cells import Cell, is_number


def show(value: Cell, lang: str, metric: str = "") -> str:
    """A published cell for people: Czech/English number, `<5`, or the word for hidden."""
    if value is None:
        return t("none", lang)
    if not is_number(value):
        return t("hidden", lang) if value == "x" else str(value)
    return fmt_decimal(float(value), lang, 1) if metric == "service_hours" else fmt_int(float(value), lang)


def _change(kpi: Kpi, lang: str) -> str:
    if kpi.relative_change is None:
        return t("none", lang)
    share = fmt_percent(abs(kpi.relative_change), lang)
    return ("+" if kpi.relative_change > 0 else "−" if kpi.relative_change < 0 else "±") + share


def period_line(data: BoardData, lang: str) -> str:
    """`Období: … · Srovnávací období: …`, saying so where the comparison period has no data."""
    prev_from, prev_to = data.previous
    line = (f"{t('period', lang)}: {fmt_period(data.date_from, data.date_to, lang)} · "
            f"{t('previous', lang)}: {fmt_period(prev_from, prev_to, lang)}")
    return line if data.comparison_has_data else f"{line} ({no_comparison_data(lang).lower()})"


def kpi_rows(data: BoardData, lang: str) -> list[list[str]]:
    header = [t("indicator", lang), t("value", lang), t("previous_short", lang), t("change", lang),
              t("target", lang), t("achieved", lang)]
    rows = [header]
    for kpi in data.kpis:
        rows.append([
            metric_name(kpi.metric, lang), show(kpi.current, lang, kpi.metric), show(kpi.previous, lang, kpi.metric),
            _change(kpi, lang),
            show(kpi.target, lang, kpi.metric) if kpi.target is not None else _no_target(data, kpi.metric, lang),
            fmt_percent(kpi.achieved, lang) if kpi.achieved is not None else t("none", lang),
        ])
    return rows


def _no_target(data: BoardData, metric: str, lang: str) -> str:
    """Why a target cell is empty: several centres' unique-people targets do not add up, or there is none."""
    view = data.targets.for_view(metric, None, data.date_from, data.date_to)
    return t("not_additive", lang) if view.not_additive else t("none", lang)


def targets_line(data: BoardData, lang: str) -> str:
    """How the targets of several centres are combined ("" for one centre's project)."""
    centres = data.targets.centres
    if len(data.targets.projects) < 2:
        return ""
    return t("targets_summed", lang).format(count=len(centres) or len(data.targets.projects))


def summed_line(data: BoardData, lang: str) -> str:
    """That the pack's people counts over several centres are sums ("" where each person counts once)."""
    return SUMMED_NOTICE[lang] if data.people_summed else ""


def incomplete_line(data: BoardData, lang: str) -> str:
    """The months of the period some centre in scope has not delivered ("" when complete)."""
    return data.incomplete.note(lang)


def project_rows(data: BoardData, lang: str) -> list[list[str]]:
    """Per target metric: the figure from the project's start to the latest month with data, the pace to
    the target then, the project target and the projection to the project's end."""
    project = data.project
    rows = [[t("indicator", lang), t("to_date", lang), t("pace", lang), t("project_target", lang),
             t("projection", lang)]]
    if project is None:
        return rows
    latest = project.data_months - 1
    for item in project.metrics:
        if latest >= 0:
            flag = item.flags[latest]
            to_date = show(flag if flag else item.cumulative[latest], lang, item.metric)
            pace = item.pace[latest]
        else:
            to_date, pace = t("none", lang), None
        target = (fmt_int(item.target, lang) if item.target is not None
                  else t("not_additive", lang) if item.not_additive else t("none", lang))
        rows.append([metric_name(item.metric, lang), to_date,
                     fmt_int(pace, lang) if pace is not None else t("none", lang), target,
                     fmt_int(item.projection, lang) if item.projection is not None else t("none", lang)])
    return rows


def project_note(data: BoardData, lang: str) -> str:
    project = data.project
    if project is None:
        return ""
    month = project.months[project.data_months - 1] if project.data_months else project.months[0]
    return t("project_note", lang).format(start=fmt_date(project.date_from, lang), month=month_label(month, lang),
                                          end=fmt_date(project.date_to, lang))


COURSE_METRICS = ("course_participants", "enrolments", "course_completions", "level_gains")


def course_rows(data: BoardData, lang: str) -> list[list[str]]:
    rows = [[t("course", lang), *(metric_name(m, lang) for m in COURSE_METRICS)]]
    frame = data.course_results
    if frame.is_empty():
        return rows
    for row in frame.iter_rows(named=True):
        cells = []
        for metric in COURSE_METRICS:
            flag = row.get(metric + "__flag") or ""
            cells.append(show(flag if flag else row[metric], lang, metric))
        rows.append([code_label("service", row["service"], lang), *cells])
    return rows


def quality_rows(data: BoardData, lang: str) -> list[list[str]]:
    prov = data.provenance
    quality = prov.quality
    return [
        [t("quality_status", lang), quality_label(quality.status, lang)],
        [t("checked_at", lang), fmt_date(quality.checked_at, lang) if quality.checked_at else t("none", lang)],
        [t("failed_checks", lang), ", ".join(quality.failed_checks) or t("none", lang)],
        [t("data_as_of", lang), fmt_date(prov.data_as_of, lang) if prov.data_as_of else t("none", lang)],
        [t("deliveries", lang), fmt_int(len(prov.deliveries), lang)],
        [t("quarantined", lang), fmt_int(prov.quarantined_rows, lang)],
    ]
