"""Three to five plain sentences computed from the figures: what changed most and why, targets,
the largest group, outcomes and course results. Pure functions of BoardData."""

from __future__ import annotations

from pipelines.formatting import fmt_decimal, fmt_int, fmt_percent, fmt_period
from pipelines.metrics.catalogue import code_label, dimension_name, metric_name
from pipelines.metrics.periods import no_comparison_data
from reports.board.model import BoardData, Comparison, Kpi
from reports.cells import is_number

MAX_HIGHLIGHTS = 5
# A relative change from fewer than this many is noise, not news.
MIN_BASE_FOR_CHANGE = 20
# A part "drove" a change only if it explains at least this share of it (suppressed parts have
# no known change, so the largest visible part may explain almost nothing).
MIN_DRIVER_SHARE = 0.25
LANGUAGE_COURSES = ("czech_a1", "czech_a2", "czech_b1")


def _number(metric: str, value: float, lang: str) -> str:
    return fmt_decimal(value, lang, 1) if metric == "service_hours" else fmt_int(value, lang)


def _signed(text: str, value: float) -> str:
    return ("+" if value > 0 else "−" if value < 0 else "±") + text.lstrip("-")


def _driver(data: BoardData, kpi: Kpi, lang: str) -> str:
    """The part (service, nationality, district) whose change went furthest in the KPI's direction."""
    direction = 1 if (kpi.change or 0) > 0 else -1
    best: tuple[float, Comparison, str] | None = None
    for comparison in data.comparisons:
        if comparison.metric != kpi.metric:
            continue
        for part in comparison.parts:
            change = part.change
            if part.code == "unknown":  # "not stated" grew is not an explanation
                continue
            if change is not None and change * direction > 0 and (best is None or abs(change) > best[0]):
                best = (abs(change), comparison, part.code)
    if best is None or best[0] < MIN_DRIVER_SHARE * abs(kpi.change or 0):
        return ""
    size, comparison, code = best
    name = f"{dimension_name(comparison.dimension, lang)}: {code_label(comparison.dimension, code, lang)}"
    amount = _signed(_number(kpi.metric, size, lang), direction * size)
    if lang == "cs":
        return f" Nejvíce k ní přispěla část – {name} ({amount})."
    return f" The largest contribution – {name} ({amount})."


def comparison_missing(data: BoardData, lang: str) -> str | None:
    """Before the first delivery there is no change to report, and the pack says why."""
    if data.comparison_has_data:
        return None
    return f"{no_comparison_data(lang)} ({fmt_period(*data.previous, lang)})."


def largest_change(data: BoardData, lang: str) -> str | None:
    candidates = [k for k in data.kpis if k.relative_change is not None and is_number(k.previous)
                  and float(k.previous) >= MIN_BASE_FOR_CHANGE]  # type: ignore[arg-type]
    if not candidates:
        return None
    kpi = max(candidates, key=lambda k: abs(k.relative_change or 0))
    share = _signed(fmt_percent(abs(kpi.relative_change or 0), lang), kpi.relative_change or 0)
    now = _number(kpi.metric, float(kpi.current), lang)  # type: ignore[arg-type]
    before = _number(kpi.metric, float(kpi.previous), lang)  # type: ignore[arg-type]
    name = metric_name(kpi.metric, lang)
    if lang == "cs":
        text = f"Největší změna oproti předchozímu období: {name} {share} ({now} proti {before})."
    else:
        text = f"Largest change from the previous period: {name} {share} ({now} against {before})."
    return text + _driver(data, kpi, lang)


def target_progress(data: BoardData, lang: str) -> str | None:
    rated = [k for k in data.kpis if k.achieved is not None]
    if not rated:
        return None
    best = max(rated, key=lambda k: k.achieved or 0)
    worst = min(rated, key=lambda k: k.achieved or 0)
    best_text = f"{metric_name(best.metric, lang)} ({fmt_percent(best.achieved, lang)})"
    worst_text = f"{metric_name(worst.metric, lang)} ({fmt_percent(worst.achieved, lang)})"
    if lang == "cs":
        if best is worst:
            return f"Plnění cíle za období: {best_text} poměrného cíle."
        return f"Plnění poměrných cílů za období: nejlépe {best_text}, nejméně {worst_text}."
    if best is worst:
        return f"Progress against the pro-rata target: {best_text}."
    return f"Progress against pro-rata targets: best {best_text}, lowest {worst_text}."


def largest_group(data: BoardData, lang: str) -> str | None:
    comparison = data.comparison("clients_reached", "nationality")
    total = data.kpi("clients_reached")
    if comparison is None or total is None or not is_number(total.current) or not total.current:
        return None
    shown = [p for p in comparison.parts if is_number(p.current) and p.code not in ("unknown",)]
    if not shown:
        return None
    top = max(shown, key=lambda p: float(p.current))  # type: ignore[arg-type]
    share = fmt_percent(float(top.current) / float(total.current), lang)  # type: ignore[arg-type]
    count = fmt_int(float(top.current), lang)  # type: ignore[arg-type]
    country = code_label("nationality", top.code, lang)
    if lang == "cs":
        return f"Nejpočetnější skupina podle občanství: {country} – {count} klientů, tj. {share} oslovených."
    return f"The largest group by nationality was {country}: {count} clients, {share} of clients reached."


def top_outcome(data: BoardData, lang: str) -> str | None:
    frame = data.charts.get("outcomes")
    if frame is None or frame.is_empty() or "outcomes" not in frame.columns:
        return None
    rows = [r for r in frame.iter_rows(named=True) if r["outcomes"]]
    if not rows:
        return None
    top = max(rows, key=lambda r: r["outcomes"])
    total = sum(r["outcomes"] for r in rows)
    name = code_label("outcome", top["outcome"], lang)
    if lang == "cs":
        return (f"Nejčastějším výsledkem bylo „{name}“: {fmt_int(top['outcomes'], lang)} "
                f"z {fmt_int(total, lang)} výsledků.")
    return f"The most frequent outcome was “{name}”: {fmt_int(top['outcomes'], lang)} of {fmt_int(total, lang)}."


def course_gains(data: BoardData, lang: str) -> str | None:
    frame = data.course_results
    if frame.is_empty() or "service" not in frame.columns:
        return None
    rows = [r for r in frame.iter_rows(named=True) if r["service"] in LANGUAGE_COURSES]
    enrolments = sum(r["enrolments"] or 0 for r in rows)
    gains = sum(r["level_gains"] or 0 for r in rows)
    if not enrolments:
        return None
    share = fmt_percent(gains / enrolments, lang)
    if lang == "cs":
        return (f"V kurzech češtiny se zlepšilo alespoň o jednu úroveň SERR {fmt_int(gains, lang)} "
                f"z {fmt_int(enrolments, lang)} zápisů ({share}).")
    return (f"In Czech courses {fmt_int(gains, lang)} of {fmt_int(enrolments, lang)} enrolments improved "
            f"by at least one CEFR level ({share}).")


def quality_note(data: BoardData, lang: str) -> str | None:
    quality = data.provenance.quality
    if quality.status == "passed":
        return None
    failed = ", ".join(quality.failed_checks[:3])
    if lang == "cs":
        text = {"failed": "Kontrola kvality dat neprošla", "warnings": "Kontrola kvality dat hlásí varování",
                "not_checked": "Kvalita dat nebyla zkontrolována"}.get(quality.status, quality.status)
        return f"{text}{': ' + failed if failed else ''}; čísla berte s rezervou."
    text = {"failed": "The data quality check failed", "warnings": "The data quality check reported warnings",
            "not_checked": "Data quality was not checked"}.get(quality.status, quality.status)
    return f"{text}{': ' + failed if failed else ''}; read the figures with care."


RULES = (comparison_missing, largest_change, target_progress, largest_group, top_outcome, course_gains, quality_note)


def highlights(data: BoardData, lang: str = "cs") -> list[str]:
    """Up to five sentences, most important first; a rule with nothing to say is skipped."""
    found = [text for rule in RULES if (text := rule(data, lang))]
    return found[:MAX_HIGHLIGHTS]
