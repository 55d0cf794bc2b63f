"""Words that make a personal name: the listed names (names.csv), honorifics, and the words that
never stand for a surname (prepositions, "saint", place words).

A word matches a listed name by its lower-case form, or, when it is written without
diacritics, by the listed name's form without them ("Jiri" is Jiří; "dana" is not "daná").
A Cyrillic word is also transliterated (Ukrainian national system, Russian letters added) and
compared with the Latin forms, so "Тарас" and "Taras" are one name whichever script the list
holds.
"""

from __future__ import annotations

import csv
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

NAMES_FILE = Path(__file__).with_name("names.csv")

# Letters that Unicode does not decompose into a base letter and a mark.
_UNDECOMPOSED = str.maketrans({"đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss"})

_CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "'": "", "’": "",
    # Russian letters
    "ё": "e", "ъ": "", "ы": "y", "э": "e",
}

# Titles and forms of address that a surname follows: "paní Nováková", "Mgr. Novák", "пані Коваленко".
HONORIFICS = frozenset({
    "pan", "paní", "pani", "pán", "slečna", "slecna", "sl", "p",
    "mr", "mrs", "ms", "miss", "mister", "herr", "frau",
    "ing", "mgr", "bc", "mudr", "judr", "phdr", "rndr", "dr", "prof", "doc",
    "пан", "пані", "панна", "господин", "госпожа", "г-н", "г-жа",
})

# Words that never stand for a surname beside a name: "Svatý Jan pod Skalou", "Eva a Adam".
NOT_SURNAMES = frozenset({
    "a", "i", "u", "v", "ve", "na", "nad", "pod", "pro", "při", "za", "z", "ze", "do", "od", "o", "s",
    "se", "k", "ke", "po", "před", "mezi", "ani", "nebo", "je", "the", "and", "of", "or", "in", "at",
    "to", "for", "on", "de", "la", "und", "et", "y",
    "sv", "svatý", "svatá", "svaté", "svatého", "saint", "st", "san", "santa", "sankt", "sint",
    "město", "ulice", "ul", "náměstí", "nám", "třída", "pobočka", "centrum", "kontaktní", "místo",
    "в", "на", "у", "і", "й", "та", "и", "до", "від", "з", "за", "під", "над", "по", "святий",
    "свята", "святой", "місто", "город", "вулиця", "улица",
})

# Place names that hold a listed name followed by a capitalised word (reference data has them).
PLACES_WITH_NAMES = ("Jan Mayen",)


def fold(word: str) -> str:
    """Lower case without diacritics."""
    decomposed = unicodedata.normalize("NFKD", word.translate(_UNDECOMPOSED).lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def transliterate(word: str) -> str:
    return "".join(_CYRILLIC_TO_LATIN.get(ch, ch) for ch in word.lower())


def is_cyrillic(word: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in word)


@cache
def _listed() -> tuple[frozenset[str], frozenset[str]]:
    """(lower-case forms as listed, forms folded to plain Latin)."""
    with NAMES_FILE.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        names = [row["name"].strip() for row in rows if row["name"].strip()]
    exact = frozenset(name.lower() for name in names)
    plain = frozenset(fold(transliterate(name)) if is_cyrillic(name) else fold(name) for name in names)
    return exact, plain


@lru_cache(maxsize=1 << 16)  # the same words recur across values
def is_listed_name(word: str) -> bool:
    exact, plain = _listed()
    lower = word.lower()
    if lower in exact:
        return True
    if is_cyrillic(word):
        return fold(transliterate(word)) in plain
    return fold(word) == lower and lower in plain  # written without diacritics


def listed_names() -> frozenset[str]:
    """Every listed name in lower case (for tests and reviews)."""
    return _listed()[0]
