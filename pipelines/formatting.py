"""Number and date formats for people: Czech by default (`1 234`, `5. 1. 2023`), English on request."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel.numbers import format_decimal, format_percent

LOCALES = {"cs": "cs_CZ", "en": "en_GB"}


def _locale(lang: str) -> str:
    return LOCALES.get(lang, "cs_CZ")


def fmt_int(value: float | int | None, lang: str = "cs") -> str:
    """Whole numbers with grouping: cs `1 234` (no-break space), en `1,234`."""
    if value is None:
        return "—"
    return _decimal(round(value), "#,##0", _locale(lang))


def fmt_decimal(value: float | None, lang: str = "cs", digits: int = 1) -> str:
    if value is None:
        return "—"
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return _decimal(value, pattern, _locale(lang))


@lru_cache(maxsize=8192, typed=True)
def _decimal(value: float | int, pattern: str, locale: str) -> str:
    # Babel takes ~80 µs a number; a chart prints the same few hundred numbers on every view.
    return format_decimal(value, format=pattern, locale=locale)


def fmt_percent(share: float | None, lang: str = "cs", digits: int = 0) -> str:
    """A share 0..1 as a percentage: cs `12 %` (no-break space), en `12%`."""
    if share is None:
        return "—"
    # Czech writes a no-break space before the percent sign; English none.
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + ("\u00a0%" if lang == "cs" else "%")
    return format_percent(share, format=pattern, locale=_locale(lang))


def fmt_date(value: date | None, lang: str = "cs") -> str:
    """cs `5. 1. 2023`; en `5 Jan 2023`."""
    if value is None:
        return "—"
    if lang == "cs":
        return f"{value.day}. {value.month}. {value.year}"
    return value.strftime("%-d %b %Y")


def fmt_datetime(value: datetime | None, lang: str = "cs") -> str:
    """cs `25. 11. 2026 15:53`; en `25 Nov 2026 15:53`."""
    if value is None:
        return "—"
    return f"{fmt_date(value.date(), lang)} {value:%H:%M}"


def fmt_period(date_from: date, date_to: date, lang: str = "cs") -> str:
    return f"{fmt_date(date_from, lang)} – {fmt_date(date_to, lang)}"
