"""Texts the charts draw themselves (empty chart, hidden value, table headers), Czech and English."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "empty_period": ("Za zvolené období a filtry nejsou žádná data.", "No data for the chosen period and filters."),
    "hidden": ("skryto", "hidden"),
    "value": ("Hodnota", "Value"),
    "item": ("Položka", "Item"),
    "summary_rows": ("Položek", "Items"),
    "summary_most": ("Nejvíce", "Largest"),
    "summary_largest": ("Nejvyšší hodnota", "Largest value"),
    "summary_hidden": ("Skrytých nebo malých hodnot", "Hidden or small values"),
    "more_places": ("a {count} dalších", "and {count} more"),
}


def t(key: str, lang: str) -> str:
    pair = TEXT[key]
    return pair[0] if lang == "cs" else pair[1]
