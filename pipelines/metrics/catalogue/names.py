"""Names of metrics and dimensions and labels of their values, in Czech (default) and English.

Every surface (dashboard, charts, board pack, workbook, docs) names things through these functions,
so a name is whatever the catalogue declares. Labels of enumerated codes come from
pipelines/reference/labels.py; this adds the rest group, booleans, months and "not stated".
"""

from __future__ import annotations

from pipelines.metrics.catalogue.dimensions import BOOLEAN_VALUES, DIMENSIONS
from pipelines.metrics.catalogue.metrics import METRICS
from pipelines.metrics.catalogue.model import UNKNOWN
from pipelines.reference.labels import catalogue, label

LANGS = ("cs", "en")
DEFAULT_LANG = "cs"

REST_CODE = "__rest__"  # the row of a top-N table that gathers the other values (pipelines/metrics/top_n.py)
REST_LABEL = ("Ostatní", "Other")

MONTHS_CS = ("led", "úno", "bře", "dub", "kvě", "čvn", "čvc", "srp", "zář", "říj", "lis", "pro")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_METRICS = {m.name: m for m in METRICS}
_DIMENSIONS = {d.name: d for d in DIMENSIONS}
# Dimensions whose codes share a label list under another name.
_LABEL_LISTS = {"level_in": "cefr", "level_out": "cefr", "course_type": "service"}
_BOOLEANS = {d.name for d in DIMENSIONS if d.values is not None and d.codes() == BOOLEAN_VALUES}
_YES_NO = {True: ("Ano", "Yes"), False: ("Ne", "No")}
_NOT_STATED = ("Neuvedeno", "Not stated")


def normalise_lang(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "cs" else pair[1]


def metric_name(metric: str, lang: str = DEFAULT_LANG) -> str:
    """The metric's short name (axes, cards, tables); the code itself for an unknown metric."""
    found = _METRICS.get(metric)
    return found.label(lang) if found else metric


def dimension_name(dimension: str, lang: str = DEFAULT_LANG) -> str:
    found = _DIMENSIONS.get(dimension)
    return found.label(lang) if found else dimension


def month_label(code: str, lang: str) -> str:
    """`2022-08` -> cs `srp 2022`, en `Aug 2022`."""
    year, month = code.split("-")[:2]
    names = MONTHS_CS if lang == "cs" else MONTHS_EN
    return f"{names[int(month) - 1]} {year}"


def code_label(dimension: str, code: object, lang: str) -> str:
    """Human label of one value of a dimension in the UI language."""
    if code is None:
        return "—"
    if code == REST_CODE:
        return _pick(REST_LABEL, lang)
    if dimension in _BOOLEANS:
        truth = code if isinstance(code, bool) else str(code).lower() in ("true", "1", "yes")
        return _pick(_YES_NO[truth], lang)
    if dimension == "month":
        return month_label(str(code), lang)
    list_name = _LABEL_LISTS.get(dimension, dimension)
    known = list_name in ("nationality", "district", "region", "centre", "cefr") or catalogue(list_name)
    text = label(list_name, str(code), lang) if known else str(code)  # bands are their own labels
    return _pick(_NOT_STATED, lang) if text == UNKNOWN else text
