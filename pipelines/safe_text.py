"""Text from deliveries made inert for each output: a spreadsheet cell, a Plotly label, a static page.

Delivery text (a branch name, a record ID, a quarantine reason quoting a cell) is data: it must
never become a formula in a spreadsheet, markup in a chart or a script in a page. HTML pages
escape it with `html.escape`; this module owns what the other outputs need.
"""

from __future__ import annotations

import re
from typing import Any

import polars as pl

# What a spreadsheet reads as the start of a formula (OWASP, CSV injection): = + - @, tab and
# carriage return, and the full-width forms of the first four (East Asian input turns them into
# the ASCII ones).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Spaces a spreadsheet may trim before it reads the cell (LibreOffice's "trim spaces" import option).
_LEADING_SPACES = " \u00a0\u3000"
# A plain number (`-2`, `+3.5`, `-1,5`, `1e-3`): a spreadsheet reads it as that number, not a formula.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def neutralise(text: str) -> str:
    """Text a spreadsheet would read as a formula, with a leading apostrophe (OWASP's advice).

    A plain number keeps its sign and stays a number: `-2` is left alone, `-2+3` is not.
    """
    if _PLAIN_NUMBER.fullmatch(text):
        return text
    return "'" + text if text.lstrip(_LEADING_SPACES).startswith(FORMULA_STARTS) else text


def csv_cell(value: Any) -> Any:
    """A value for a CSV writer: text neutralised, numbers, dates and empty cells as they are."""
    return neutralise(value) if isinstance(value, str) else value


def neutralise_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with every text column's cells neutralised (numeric columns are never touched)."""
    return frame.with_columns(
        pl.Series(name, [None if v is None else neutralise(v) for v in frame[name].to_list()], dtype=pl.String)
        for name, dtype in frame.schema.items() if dtype == pl.String
    )


def plotly_text(text: str) -> str:
    """Text for a Plotly label, title or hover: shown as written, not as Plotly's HTML subset.

    Plotly draws `<b>`, `<i>`, `<br>`, `<a href=...>` in any text it renders and decodes the
    entities `&lt;`, `&gt;` and `&amp;` (not `&quot;`), so exactly these three are escaped.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# The Content-Security-Policy of the static pages built from data (quality summaries, GX Data
# Docs): nothing runs, nothing loads from elsewhere; their own stylesheets and images only.
# Inline styles are allowed because GX's markup carries style attributes; no script is.
# The same policy works as an HTTP header and in a page's <meta> tag (which ignores frame-ancestors).
STATIC_PAGE_CSP = ("default-src 'none'; script-src 'none'; object-src 'none'; base-uri 'none'; "
                   "form-action 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'")
