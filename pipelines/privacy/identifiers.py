"""The direct-identifier detector: where a text names a person or holds a personal number.

One detector serves the loader (free-text cells, quarantine and warning values) and the
quality gate's mart scan (expectations/identifiers.py), so every pattern is stated here once.
It finds:

- personal names: a listed name (names.csv; Czech, Slovak, Ukrainian, Russian, Vietnamese;
  Latin and Cyrillic) beside a surname-like word, in either order and in any letter case
  ("Olena Kovalenko", "NOVÁK JAN", "олена коваленко"), or an honorific or title before a
  capitalised word ("paní Nováková", "Mgr. Novák", "пані Коваленко");
- Czech birth numbers (rodné číslo): yymmdd/ssss with a valid date (month +50 for women, +20
  since 2004) and, for ten digits, the checksum (divisible by 11, or remainder 10 with check
  digit 0); nine digits only before 1954; slash optional; nine or ten digits labelled "RČ" count
  without those checks (the label says what they are);
- document numbers: after a keyword (pas, OP, doklad, passport, паспорт, ...); a passport-like
  code on its own (1-2 capital Latin or 2 Cyrillic letters and 6-9 digits, not starting with
  0); nine digits starting with 1 (a Czech identity card);
- phone numbers: +CC or 00CC and 8-15 digits; CZ/SK nine digits (777 123 456); UA and SK
  national numbers with their leading 0; 420/421/380 and nine digits; any number after "tel";
- e-mail addresses (also written with "(at)").

Numbers and codes count only as whole tokens: a run of digits inside a longer code of ASCII
letters and digits (the pseudonym 4VeOp7414981lmX4) is no identifier, and a code whose number
starts with 0 is a zero-padded record number (KT00000012, AK012345), not a passport.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from pipelines.privacy import names

NAME = "a personal name"
BIRTH_NUMBER = "a birth number"
DOCUMENT = "a document number"
PHONE = "a phone number"
EMAIL = "an e-mail"
KINDS = (EMAIL, BIRTH_NUMBER, DOCUMENT, PHONE, NAME)  # the order in which overlapping findings win


@dataclass(frozen=True, order=True)
class Finding:
    start: int
    end: int
    kind: str


# A number or code is a whole token: not glued to an ASCII letter or digit.
_BEFORE = r"(?<![0-9A-Za-z])"
_AFTER = r"(?![0-9A-Za-z])"

_EMAIL = re.compile(r"[\w.%+-]+ ?(?:@|\(at\)|\[at\]) ?[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")

_BIRTH_NUMBER = re.compile(
    rf"(?:(?P<label>(?<![A-Za-z])(?:R[ČC]|r[čc]|r\.\s?č\.)\s*[:.]?\s*)|{_BEFORE})"
    rf"(?P<date>\d{{6}}) ?/? ?(?P<serial>\d{{3,4}}){_AFTER}"
)

_DOCUMENT_AFTER_KEYWORD = re.compile(
    r"(?:(?i:\b(?:pas|pasu|passport|cestovní\s+pas|občanský\s+průkaz|obč\.\s*pr\.|průkaz|doklad|dokladu"
    r"|id\s*card|паспорт|паспорта|посвідчення)\b)|\bOP\b)"
    r"\s*(?:(?i:č\.|číslo|no\.?|nr\.?)|№|#)?\s*[:.-]?\s*(?:[A-ZА-ЯІЇЄҐ]{1,2}\s?)?\d{6,9}" + _AFTER
)
_DOCUMENT_SHAPE = re.compile(r"(?<!\w)(?:[A-Z]{1,2}|[А-ЯІЇЄҐ]{2}) ?(?!0)\d{6,9}(?!\w)")
_IDENTITY_CARD = re.compile(rf"{_BEFORE}1\d{{8}}{_AFTER}")

_SEPARATOR = r"[ .\-/]?"
_PHONE_PATTERNS = (
    # +CC / 00CC: counted below (8-15 digits)
    re.compile(r"(?<![\w+])(?:\+|00) ?[1-9]\d{0,2}(?:[ .\-/]?\(?\d+\)?){1,6}" + _AFTER),
    # CZ/SK nine-digit numbers: 777 123 456, 777123456
    re.compile(rf"{_BEFORE}[2-9]\d{{2}}(?:{_SEPARATOR}\d{{3}}){{2}}{_AFTER}"),
    # UA 067 123 45 67, SK 0905 123 456
    re.compile(rf"{_BEFORE}0[1-9]\d{_SEPARATOR}\d{{3}}{_SEPARATOR}\d{{2}}{_SEPARATOR}\d{{2}}{_AFTER}"),
    re.compile(rf"{_BEFORE}0[1-9]\d{{2}}{_SEPARATOR}\d{{3}}{_SEPARATOR}\d{{3}}{_AFTER}"),
    # a country code without the plus: 420 777 123 456
    re.compile(rf"{_BEFORE}(?:42[01]|380)(?:{_SEPARATOR}\d){{9}}{_AFTER}"),
    # anything numeric after "tel"
    re.compile(r"(?i:\b(?:tel|telefon|telefonní\s+číslo|mobil|mob|phone|тел|телефон)\b)\.?\s*[:.]?\s*"
               r"\+?\d[\d .\-/()]{4,}\d" + _AFTER),
)
_INTERNATIONAL_DIGITS = (8, 15)

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_NAME_GAP = re.compile(r"\s+")
_SURNAME_FIRST_GAP = re.compile(r"\s+|\s*,\s*")
_HONORIFIC_GAP = re.compile(r"\.\s*|\s+")
# A name's partner is written in a matching letter case ("Jan NOVÁK", "JAN NOVÁK", "jan novák").
_PARTNER_STYLES = {"title": ("title", "upper"), "upper": ("upper", "title"), "lower": ("lower",)}


def find_identifiers(text: str) -> list[Finding]:
    """Every identifier in `text`, non-overlapping, in text order."""
    if not text:
        return []
    found: list[Finding] = []
    for kind, spans in ((EMAIL, _emails(text)), (BIRTH_NUMBER, _birth_numbers(text)),
                        (DOCUMENT, _documents(text)), (PHONE, _phones(text)), (NAME, _names(text))):
        for start, end in spans:
            if not any(start < f.end and f.start < end for f in found):
                found.append(Finding(start, end, kind))
    return sorted(found)


def identifier_kind(text: str | None) -> str | None:
    """The kind of the first identifier in `text`, or None."""
    found = find_identifiers(text or "")
    return found[0].kind if found else None


def mask(value: str) -> str:
    """A value shown without its content: its first two characters and its length."""
    return f"{value[:2]}…({len(value)} chars)"


def redact(text: str | None) -> str | None:
    """`text` with every identifier in it masked; text without identifiers is returned as it is."""
    if not text:
        return text
    parts: list[str] = []
    position = 0
    for finding in find_identifiers(text):
        parts += [text[position:finding.start], mask(text[finding.start:finding.end])]
        position = finding.end
    return "".join(parts) + text[position:] if parts else text


def is_birth_number(digits: str) -> bool:
    """Nine or ten digits that are a valid Czech birth number (date, and checksum for ten)."""
    if not digits.isdigit() or len(digits) not in (9, 10):
        return False
    yy, mm, dd = int(digits[:2]), int(digits[2:4]), int(digits[4:6])
    if len(digits) == 9:
        if yy >= 54:  # nine digits were issued until 1953
            return False
        year = 1900 + yy
    else:
        head, check = int(digits[:9]), int(digits[9])
        if (head % 11) % 10 != check:  # remainder 10 takes check digit 0
            return False
        year = 1900 + yy if yy >= 54 else 2000 + yy
    if mm > 70:
        month, since_2004 = mm - 70, True
    elif mm > 50:
        month, since_2004 = mm - 50, False
    elif mm > 20:
        month, since_2004 = mm - 20, True
    else:
        month, since_2004 = mm, False
    if not 1 <= month <= 12 or (since_2004 and year < 2004):
        return False
    return 1 <= dd <= calendar.monthrange(year, month)[1]


# --- the kinds -------------------------------------------------------------------------------

Spans = list[tuple[int, int]]


def _emails(text: str) -> Spans:
    return [m.span() for m in _EMAIL.finditer(text)] if ("@" in text or "(at)" in text or "[at]" in text) else []


def _birth_numbers(text: str) -> Spans:
    """Valid birth numbers, and any nine or ten digits labelled RČ (a mistyped one is still one)."""
    return [m.span() for m in _BIRTH_NUMBER.finditer(text)
            if m["label"] or is_birth_number(m["date"] + m["serial"])]


def _documents(text: str) -> Spans:
    spans = [m.span() for m in _DOCUMENT_AFTER_KEYWORD.finditer(text)]
    spans += [m.span() for m in _DOCUMENT_SHAPE.finditer(text)]
    return spans + [m.span() for m in _IDENTITY_CARD.finditer(text)]


def _phones(text: str) -> Spans:
    international, *others = _PHONE_PATTERNS
    low, high = _INTERNATIONAL_DIGITS
    spans = []
    for m in international.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        digits = digits[2:] if m.group().lstrip().startswith("00") else digits
        if low <= len(digits) <= high:
            spans.append(m.span())
    for pattern in others:
        spans += [m.span() for m in pattern.finditer(text)]
    return spans


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    text: str

    @property
    def style(self) -> str | None:
        if len(self.text) < 2:  # a word is letters (and inner hyphens): one letter is an initial
            return None
        if self.text.isupper():
            return "upper"
        if self.text.islower():
            return "lower"
        return "title" if self.text[0].isupper() else None

    @property
    def surname_like(self) -> bool:
        lower = self.text.lower()
        return self.style is not None and lower not in names.NOT_SURNAMES and lower not in names.HONORIFICS


def _words(text: str) -> list[_Word]:
    """Letter words, leaving out letters glued to digits (parts of codes such as 4VeOp7414981lmX4)."""
    words = []
    for m in _WORD.finditer(text):
        start, end = m.span()
        glued = (start > 0 and (text[start - 1].isdigit() or text[start - 1] == "_")) or (
            end < len(text) and (text[end].isdigit() or text[end] == "_"))
        if not glued:
            words.append(_Word(start, end, m.group()))
    return words


def _place_spans(text: str) -> Spans:
    folded = names.fold(text)  # folding keeps positions for the Latin letters place names use
    spans = []
    for place in names.PLACES_WITH_NAMES:
        for m in re.finditer(rf"(?<!\w){re.escape(names.fold(place))}(?!\w)", folded):
            spans.append(m.span())
    return spans if len(folded) == len(text) else []


def _names(text: str) -> Spans:
    words = _words(text)
    spans: Spans = []
    for i, word in enumerate(words):
        after = words[i + 1] if i + 1 < len(words) else None
        before = words[i - 1] if i > 0 else None
        if (after and word.text.lower() in names.HONORIFICS and after.surname_like
                and after.style in ("title", "upper") and _HONORIFIC_GAP.fullmatch(text[word.end:after.start])):
            spans.append((word.start, after.end))
            continue
        if not names.is_listed_name(word.text) or (style := word.style) is None:
            continue
        partners = _PARTNER_STYLES[style]
        if (after and after.surname_like and after.style in partners
                and _NAME_GAP.fullmatch(text[word.end:after.start])):
            spans.append((word.start, _rest_of_name(text, words, i + 1, partners)))
        elif (before and before.surname_like and before.style in partners
              and _SURNAME_FIRST_GAP.fullmatch(text[before.end:word.start])):
            spans.append((before.start, word.end))
    places = _place_spans(text) if spans else []
    return [s for s in spans if not any(s[0] >= p[0] and s[1] <= p[1] for p in places)]


def _rest_of_name(text: str, words: list[_Word], last: int, partners: tuple[str, ...]) -> int:
    """Where a name ends: up to two more name-like words ("Jan Petr Novák", "Nguyễn Văn An")."""
    for _ in range(2):
        following = words[last + 1] if last + 1 < len(words) else None
        if not (following and following.surname_like and following.style in partners
                and _NAME_GAP.fullmatch(text[words[last].end:following.start])):
            break
        last += 1
    return words[last].end
