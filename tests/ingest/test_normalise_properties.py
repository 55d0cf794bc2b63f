"""Property-based tests of header and value folding and of date, number and boolean parsing."""

from __future__ import annotations

from datetime import date

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from pipelines.contract import BOOLEAN_FALSE, BOOLEAN_TRUE, FILES, SERVICE
from pipelines.ingest.values import (
    map_distinct,
    parse_boolean,
    parse_date,
    parse_decimal,
    parse_integer,
    value_list_resolver,
)
from pipelines.normalise import fold_header, fold_value, strip_diacritics

HEADERS = sorted({c.header for f in FILES for c in f.columns})
CZECH_ACCENTS = {"á": "a", "č": "c", "ď": "d", "é": "e", "ě": "e", "í": "i", "ň": "n", "ó": "o", "ř": "r",
                 "š": "s", "ť": "t", "ú": "u", "ů": "u", "ý": "y", "ž": "z"}
whitespace = st.text(alphabet=" \t\u00a0", min_size=1, max_size=3)


def _parse(expr_builder, texts: list[str | None]) -> list:  # type: ignore[no-untyped-def]
    frame = pl.DataFrame({"v": texts}, schema={"v": pl.String})
    return frame.select(expr_builder(pl.col("v")).alias("v"))["v"].to_list()


@st.composite
def disguised(draw: st.DrawFn, text: str, inner_whitespace: bool = True) -> str:
    """`text` with random case, accents dropped at random, surrounding whitespace and (for headers)
    runs of whitespace instead of single spaces."""
    out = []
    for ch in text:
        if ch == " " and inner_whitespace:
            out.append(draw(whitespace))
            continue
        if ch.lower() in CZECH_ACCENTS and draw(st.booleans()):
            ch = CZECH_ACCENTS[ch.lower()]
        out.append(ch.upper() if draw(st.booleans()) else ch.lower())
    return draw(whitespace | st.just("")) + "".join(out) + draw(whitespace | st.just(""))


@given(st.data())
def test_disguised_headers_fold_to_the_contract_header(data: st.DataObject) -> None:
    header = data.draw(st.sampled_from(HEADERS))
    assert fold_header(data.draw(disguised(header))) == fold_header(header)


@given(st.sampled_from(HEADERS), st.sampled_from(HEADERS))
def test_distinct_contract_headers_stay_distinct(a: str, b: str) -> None:
    assert (fold_header(a) == fold_header(b)) == (a == b)


@given(st.text())
def test_folding_is_idempotent_and_has_no_diacritics_or_case(text: str) -> None:
    folded = fold_header(text)
    assert fold_header(folded) == folded
    assert folded == folded.casefold()
    assert strip_diacritics(folded) == folded
    assert "  " not in folded and folded == folded.strip()


@given(st.sampled_from(HEADERS), st.characters(categories=("L", "N", "P")), st.data())
def test_an_extra_character_breaks_a_header_match(header: str, extra: str, data: st.DataObject) -> None:
    """Nothing looser than case, diacritics and whitespace: one more letter, digit or sign no longer matches."""
    position = data.draw(st.integers(min_value=0, max_value=len(header)))
    changed = header[:position] + extra + header[position:]
    assert fold_header(changed) != fold_header(header)


@given(st.data())
def test_enumerated_values_match_ignoring_case_accents_and_surrounding_whitespace(data: st.DataObject) -> None:
    label, code = data.draw(st.sampled_from(sorted(SERVICE.items())))
    text = data.draw(disguised(label, inner_whitespace=False))
    resolve = value_list_resolver(SERVICE)
    assert resolve(text) == code
    assert map_distinct(pl.Series("s", [text, None]), resolve).to_list() == [code, None]


@given(st.text())
def test_fold_value_is_idempotent(text: str) -> None:
    assert fold_value(fold_value(text)) == fold_value(text)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), st.booleans(), st.booleans())
def test_every_date_form_parses_to_the_same_day(day: date, pad_day: bool, pad_month: bool) -> None:
    czech = f"{day.day:02d}" if pad_day else str(day.day)
    czech += "." + (f"{day.month:02d}" if pad_month else str(day.month)) + f".{day.year}"
    assert _parse(parse_date, [czech, day.isoformat()]) == [day, day]


@given(st.text(max_size=12))
def test_a_date_parses_only_from_a_contract_form(text: str) -> None:
    [parsed] = _parse(parse_date, [text])
    if parsed is not None:
        assert text in (parsed.isoformat(), f"{parsed.day}.{parsed.month}.{parsed.year}",
                        f"{parsed.day:02d}.{parsed.month:02d}.{parsed.year}",
                        f"{parsed.day}.{parsed.month:02d}.{parsed.year}",
                        f"{parsed.day:02d}.{parsed.month}.{parsed.year}")


@given(st.integers(min_value=-(2**53), max_value=2**53))
def test_integers_round_trip(number: int) -> None:
    assert _parse(parse_integer, [str(number)]) == [number]


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=999), st.sampled_from(",."))
def test_decimals_with_comma_or_point(whole: int, fraction: int, separator: str) -> None:
    text = f"{whole}{separator}{fraction:03d}"
    assert _parse(parse_decimal, [text]) == [float(f"{whole}.{fraction:03d}")]


@given(st.integers(min_value=1000, max_value=10**9))
def test_grouped_thousands_are_not_numbers(number: int) -> None:
    grouped = f"{number:,}".replace(",", " ")
    assert _parse(parse_integer, [grouped]) == [None]
    assert _parse(parse_decimal, [grouped]) == [None]


@given(st.sampled_from(sorted(BOOLEAN_TRUE | BOOLEAN_FALSE)), st.data())
def test_booleans_any_case(word: str, data: st.DataObject) -> None:
    text = "".join(ch.upper() if data.draw(st.booleans()) else ch for ch in word)
    assert _parse(parse_boolean, [text]) == [word in BOOLEAN_TRUE]


@given(st.text(max_size=6))
def test_anything_else_is_not_a_boolean(text: str) -> None:
    [parsed] = _parse(parse_boolean, [text])
    assert parsed is None or text.lower() in BOOLEAN_TRUE | BOOLEAN_FALSE
