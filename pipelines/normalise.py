"""Folding rules of the export contract: how headers and enumerated values are matched."""

from __future__ import annotations

import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold_header(header: str) -> str:
    """Header identity: case, diacritics and runs of whitespace ignored; nothing looser.

    `Datum registrace`, `DATUM REGISTRACE` and ` datum  registrace` fold alike; leading and
    trailing whitespace is a run of whitespace and is dropped.
    """
    return _WHITESPACE.sub(" ", strip_diacritics(header).casefold()).strip()


def fold_value(value: str) -> str:
    """Enumerated-value identity: case, surrounding whitespace and diacritics ignored."""
    return strip_diacritics(value).casefold().strip()


def fold_mapping(values: dict[str, str]) -> dict[str, str]:
    """A value list keyed by folded label, ready for lookups of folded cells."""
    return {fold_value(label): code for label, code in values.items()}
