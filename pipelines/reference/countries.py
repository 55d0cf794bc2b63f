"""Citizenship resolution: Czech/English names and ISO 3166-1 codes -> alpha-2 code.

Names come from babel's Czech and English territory names and pycountry's ISO names, so
nothing is typed by hand except the aliases people actually write (`Ruská federace`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pycountry
from babel import Locale

from pipelines.contract import UNKNOWN
from pipelines.normalise import fold_value

STATELESS = "stateless"
STATELESS_LABELS = ("bez státní příslušnosti", "XXA", "stateless", "bez státního občanství")

# EU member states, the other EEA states and Switzerland: not third countries.
EU_EEA_CH = frozenset((
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    "IS", "LI", "NO", "CH",
))

# Forms seen in case systems beyond babel's short names.
ALIASES = {
    "Ruská federace": "RU",
    "Moldavská republika": "MD",
    "Vietnamská socialistická republika": "VN",
    "Spojené státy americké": "US",
    "USA": "US",
    "Velká Británie": "GB",
    "Spojené království": "GB",
    "Česká republika": "CZ",
    "Korejská republika": "KR",
    "Jižní Korea": "KR",
    "Severní Korea": "KP",
    "Bělorusko": "BY",
    "Kyrgyzstán": "KG",
    "Kosovo": "XK",
}


@dataclass(frozen=True)
class Country:
    alpha2: str
    alpha3: str
    numeric: str
    name_cs: str
    name_en: str

    @property
    def third_country(self) -> bool:
        return self.alpha2 not in EU_EEA_CH

    @property
    def eu_eea_ch(self) -> bool:
        return self.alpha2 in EU_EEA_CH


@cache
def countries() -> tuple[Country, ...]:
    cs = Locale.parse("cs_CZ").territories
    en = Locale.parse("en").territories
    result = [
        Country(c.alpha_2, c.alpha_3, c.numeric, cs.get(c.alpha_2, c.name), en.get(c.alpha_2, c.name))
        for c in pycountry.countries
    ]
    # Kosovo has no ISO 3166-1 entry; XK/XKX is the code in use (EU, IMF).
    result.append(Country("XK", "XKX", "", cs.get("XK", "Kosovo"), en.get("XK", "Kosovo")))
    return tuple(sorted(result, key=lambda c: c.alpha2))


@cache
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    # Names first, codes last: an exact ISO code always wins over a name that folds alike.
    for c in countries():
        pc = pycountry.countries.get(alpha_2=c.alpha2)
        for name in (c.name_cs, c.name_en, getattr(pc, "name", None),
                     getattr(pc, "official_name", None), getattr(pc, "common_name", None)):
            if name:
                table.setdefault(fold_value(name), c.alpha2)
    for label, code in ALIASES.items():
        table[fold_value(label)] = code
    for c in countries():
        table[fold_value(c.alpha2)] = c.alpha2
        table[fold_value(c.alpha3)] = c.alpha2
    for label in STATELESS_LABELS:
        table[fold_value(label)] = STATELESS
    return table


def resolve_citizenship(value: str | None) -> str:
    """-> ISO alpha-2 code, "stateless", or "unknown" (empty or unrecognised)."""
    if value is None or not value.strip():
        return UNKNOWN
    return _lookup().get(fold_value(value), UNKNOWN)


def is_recognised(value: str) -> bool:
    return fold_value(value) in _lookup()


def country(alpha2: str) -> Country:
    return next(c for c in countries() if c.alpha2 == alpha2)
