"""Czech number and date formats (`1 234`, `5. 1. 2023`)."""

from datetime import date

from pipelines.formatting import fmt_date, fmt_decimal, fmt_int, fmt_percent, fmt_period


def test_czech_numbers_group_with_a_no_break_space():
    assert fmt_int(1234) == "1\u00a0234"
    assert fmt_int(1234567) == "1\u00a0234\u00a0567"
    assert fmt_int(12) == "12"
    assert fmt_decimal(1234.56) == "1\u00a0234,6"
    assert fmt_int(None) == "—"


def test_english_numbers():
    assert fmt_int(1234, "en") == "1,234"
    assert fmt_decimal(1234.56, "en") == "1,234.6"


def test_percent():
    assert fmt_percent(0.123) == "12\u00a0%"
    assert fmt_percent(0.123, "en") == "12%"


def test_dates():
    assert fmt_date(date(2023, 1, 5)) == "5. 1. 2023"
    assert fmt_date(date(2023, 1, 5), "en") == "5 Jan 2023"
    assert fmt_period(date(2022, 8, 1), date(2023, 7, 31)) == "1. 8. 2022 – 31. 7. 2023"


def test_date_times():
    from datetime import datetime

    from pipelines.formatting import fmt_datetime

    assert fmt_datetime(datetime(2026, 11, 5, 9, 3)) == "5. 11. 2026 09:03"
    assert fmt_datetime(datetime(2026, 11, 5, 9, 3), "en") == "5 Nov 2026 09:03"
    assert fmt_datetime(None) == "—"
