"""The national linkage key: one pseudonym per person across centres (export-format.md, `Národní klíč`).

    linkage_key(national_key, given, surname, birth_date, nationality) -> 64 hex chars or None

HMAC-SHA256 under a national key (never the centre's pseudonymisation key) of the person's
normalised name, birth date and nationality, so two centres that serve the same person
write the same key without sharing their client numbers. The normalisation is documented
in docs/raw-export.md ("Linkage key"); change it only with a new version prefix, since every
key already delivered would stop matching.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from datetime import date

from pipelines.contract import UNKNOWN
from pipelines.reference.countries import resolve_citizenship

VERSION = "reach-linkage-v1"
# Letters NFKD does not decompose into a base letter and a mark.
_BASE_LETTERS = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"})
_APOSTROPHES = re.compile(r"['’ʼ`´]")


def name_tokens(*parts: str | None) -> list[str]:
    """The words of a person's names, normalised and sorted (so the order of names does not matter)."""
    words: list[str] = []
    for part in parts:
        if not part:
            continue
        decomposed = unicodedata.normalize("NFKD", part)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().translate(_BASE_LETTERS)
        text = _APOSTROPHES.sub("", text)
        text = "".join(ch if unicodedata.category(ch).startswith("L") else " " for ch in text)
        words += text.split()
    return sorted(words)


def linkage_message(given: str | None, surname: str | None, birth_date: date | None,
                    nationality: str | None) -> str | None:
    """The text that is keyed: `reach-linkage-v1|<sorted name words>|<yyyy-mm-dd>|<ISO alpha-2>`;
    None when a part is missing (no name word, no birth date, nationality empty or unrecognised)."""
    words = name_tokens(given, surname)
    country = resolve_citizenship(nationality)
    if not words or birth_date is None or country == UNKNOWN:
        return None
    return "|".join((VERSION, " ".join(words), birth_date.isoformat(), country))


def linkage_key(key: bytes, given: str | None, surname: str | None, birth_date: date | None,
                nationality: str | None) -> str | None:
    """HMAC-SHA256(national key, linkage_message) as 64 lower-case hex characters, or None."""
    message = linkage_message(given, surname, birth_date, nationality)
    if message is None:
        return None
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()
