"""Oracle: the delivery calendar (pipelines/delivery_calendar.py) of a hand-made raw layer, every
status worked out by hand below from the deliveries' records and load times (due day 10).

The raw layer is written by the real DDL (tests/support/raw_rows.py); which deliveries count and
when they were loaded is given as the published warehouse's mart_deliveries would give it.

ULK (project 2022-08 .. 2023-07 in the seed):
  1 loaded 5 Feb 2023:  client U1 registered 1 Jun 2019; contacts C1 15 Jan, C4 20 Jan, C9 2 May 2023
                        (a date after the load month: not a delivered month)
  2 loaded 20 Mar 2023: C2 3 Feb (new); C1 again, unchanged
  4 loaded 8 Apr 2023:  C2 corrected (45 min, was 30); C4 moved to 28 Jun 2022; C3 7 Mar (new)
LBK (no project period in the seed):
  3 loaded 10 Feb 2023 (the due day itself): client L registered 4 Jan; contacts L1 5 Jan, L2 20 Jan
  5 loaded 9 Apr 2023:  L1 again, unchanged; event E1 15 Mar
  6 loaded 9 Apr 2023, after the build (not in mart_deliveries): contact L4 14 Feb -> does not count
PHA (no project period):
  7 loaded 1 Mar 2023: contact P1 10 Feb
  8 loaded 1 Apr 2023: P1 retracted
Today: 9 Apr 2023.

Months: June 2022 (C4's new date, the first activity) to March 2023 (the last); U1's 2019
registration does not stretch the calendar, C9's May date is not delivered, L4 does not count.

  ULK  Jun 22 late (first brought by 4, loaded 8 Apr > due 10 Jul 2022); Jul 22 not expected (before the
       project); Aug..Dec 22 missing; Jan 23 on time (1 on 5 Feb) and corrected later (4 moved C4 out);
       Feb 23 late (2 on 20 Mar > 10 Mar), corrected later (4); Mar 23 on time (4 on 8 Apr <= 10 Apr)
  LBK  Jun 22..Dec 22 missing; Jan 23 on time (10 Feb is the due day), not corrected (5 repeats L1
       unchanged); Feb 23 missing (L4's delivery does not count); Mar 23 on time (5 on 9 Apr)
  PHA  Jun 22..Jan 23 missing; Feb 23 on time, corrected later (8 retracts P1); Mar 23 not yet due
  the other eleven centres (several centres delivered: every centre is expected):
       Jun 22..Feb 23 missing; Mar 23 not yet due
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from pipelines.access import Scope
from pipelines.delivery_calendar import (
    Brought,
    Calendar,
    Delivery,
    Settings,
    Status,
    brought_months,
    brought_since,
    build_calendar,
    delivered_span,
    due_date,
    load_settings,
)
from pipelines.errors import ReachError
from pipelines.home import Home
from pipelines.reference.centres import known_codes
from support.raw_rows import Delivery as RawDelivery
from support.raw_rows import client, write_raw

ON, LATE, MISSING, PENDING, NOT_EXPECTED = (Status.ON_TIME, Status.LATE, Status.MISSING, Status.PENDING,
                                            Status.NOT_EXPECTED)
TODAY = date(2023, 4, 9)
MONTHS = [date(2022, m, 1) for m in range(6, 13)] + [date(2023, m, 1) for m in range(1, 4)]


def _contact(delivery: RawDelivery, contact_id: str, client_id: str, day: date, **values: object) -> None:
    defaults = {"service": "social_counselling", "mode": "in_person", "duration_min": 30, "deleted": False}
    delivery.add("contacts", contact_id=contact_id, client_id=client_id, contact_date=day, **(defaults | values))


def _raw_layer(home: Home) -> list[Delivery]:
    ulk1, ulk2, ulk4 = RawDelivery(1, "ULK"), RawDelivery(2, "ULK"), RawDelivery(4, "ULK")
    client(ulk1, "U1", registered_on=date(2019, 6, 1))
    _contact(ulk1, "C1", "U1", date(2023, 1, 15))
    _contact(ulk1, "C4", "U1", date(2023, 1, 20))
    _contact(ulk1, "C9", "U1", date(2023, 5, 2))
    _contact(ulk2, "C2", "U1", date(2023, 2, 3))
    _contact(ulk2, "C1", "U1", date(2023, 1, 15))
    _contact(ulk4, "C2", "U1", date(2023, 2, 3), duration_min=45)
    _contact(ulk4, "C4", "U1", date(2022, 6, 28))
    _contact(ulk4, "C3", "U1", date(2023, 3, 7))
    lbk3, lbk5, lbk6 = RawDelivery(3, "LBK"), RawDelivery(5, "LBK"), RawDelivery(6, "LBK")
    client(lbk3, "L", registered_on=date(2023, 1, 4), district="CZ0513")
    _contact(lbk3, "L1", "L", date(2023, 1, 5))
    _contact(lbk3, "L2", "L", date(2023, 1, 20))
    _contact(lbk5, "L1", "L", date(2023, 1, 5))
    lbk5.add("events", event_id="E1", event_type="multicultural", event_date=date(2023, 3, 15),
             participants=20, deleted=False)
    _contact(lbk6, "L4", "L", date(2023, 2, 14))
    pha7, pha8 = RawDelivery(7, "PHA"), RawDelivery(8, "PHA")
    client(pha7, "P", registered_on=date(2023, 2, 10), district="CZ0100")
    _contact(pha7, "P1", "P", date(2023, 2, 10))
    _contact(pha8, "P1", "P", date(2023, 2, 10), deleted=True)
    write_raw(home, ulk1, ulk2, lbk3, ulk4, lbk5, lbk6, pha7, pha8)
    loaded = {1: datetime(2023, 2, 5, 9), 2: datetime(2023, 3, 20, 9), 3: datetime(2023, 2, 10, 23, 59),
              4: datetime(2023, 4, 8, 9), 5: datetime(2023, 4, 9, 9), 7: datetime(2023, 3, 1, 9),
              8: datetime(2023, 4, 1, 9)}  # 6 was loaded after the build: not in mart_deliveries
    raw = {d.load_seq: d for d in (ulk1, ulk2, lbk3, ulk4, lbk5, pha7, pha8)}
    return [Delivery(raw[s].delivery_id, raw[s].centre, s, at) for s, at in sorted(loaded.items())]


@pytest.fixture(scope="module")
def calendar(tmp_path_factory: pytest.TempPathFactory) -> Calendar:
    home = Home(tmp_path_factory.mktemp("calendar"))
    deliveries = _raw_layer(home)
    brought = brought_months(home.raw_db, deliveries)
    return build_calendar(deliveries, brought, delivered_span(brought), Settings(due_day=10), TODAY)


def _row(*cells: tuple[Status, bool]) -> list[tuple[Status, bool]]:
    return list(cells)


def _plain(status: Status, count: int) -> list[tuple[Status, bool]]:
    return [(status, False)] * count


EXPECTED = {
    "ULK": _row((LATE, False), (NOT_EXPECTED, False), *_plain(MISSING, 5), (ON, True), (LATE, True), (ON, False)),
    "LBK": _row(*_plain(MISSING, 7), (ON, False), (MISSING, False), (ON, False)),
    "PHA": _row(*_plain(MISSING, 8), (ON, True), (PENDING, False)),
}
OTHERS = _row(*_plain(MISSING, 9), (PENDING, False))


def test_the_calendar_spans_the_delivered_activity_months(calendar: Calendar) -> None:
    assert list(calendar.months) == MONTHS


def test_every_cell_has_the_status_worked_out_by_hand(calendar: Calendar) -> None:
    assert calendar.centres == known_codes()  # several centres delivered: all fourteen are expected
    for centre in calendar.centres:
        found = [(calendar.cell(centre, m).status, calendar.cell(centre, m).corrected) for m in MONTHS]
        assert found == EXPECTED.get(centre, OTHERS), centre


def test_a_cell_names_the_load_that_first_delivered_it(calendar: Calendar) -> None:
    assert calendar.cell("ULK", date(2023, 2, 1)).loaded_at == datetime(2023, 3, 20, 9)
    assert calendar.cell("ULK", date(2022, 6, 1)).loaded_at == datetime(2023, 4, 8, 9)
    assert calendar.cell("LBK", date(2023, 2, 1)).loaded_at is None


def test_a_coordinator_sees_only_their_centres_row(calendar: Calendar) -> None:
    mine = calendar.within(Scope(frozenset({"LBK"}), frozenset({"CZ0513"})))
    assert mine.centres == ("LBK",)
    assert {centre for centre, _ in mine.cells} == {"LBK"}
    assert calendar.within(Scope(everything=True)) is calendar


def test_incomplete_months_of_a_period(calendar: Calendar) -> None:
    q1 = calendar.incomplete(date(2023, 1, 1), date(2023, 3, 31))
    assert "ULK" not in q1
    assert q1["LBK"] == [date(2023, 2, 1)]
    assert q1["PHA"] == [date(2023, 1, 1), date(2023, 3, 1)]  # missing, and not yet due
    assert q1["STC"] == [date(2023, 1, 1), date(2023, 2, 1), date(2023, 3, 1)]
    # A period that only touches a month counts it; a centre filter narrows the list.
    assert calendar.incomplete(date(2023, 2, 28), date(2023, 2, 28), centres=("ULK", "LBK")) == {
        "LBK": [date(2023, 2, 1)]}
    assert calendar.within(Scope(frozenset({"ULK"}))).incomplete(date(2023, 1, 1), date(2023, 3, 31)) == {}


def test_the_due_date_rule_and_its_setting(tmp_path: Path) -> None:
    assert due_date(date(2022, 12, 1), Settings(10)) == date(2023, 1, 10)
    assert due_date(date(2023, 2, 1), Settings(28)) == date(2023, 3, 28)
    assert load_settings().due_day == 10  # config/deliveries.yaml as shipped
    chosen = tmp_path / "deliveries.yaml"
    chosen.write_text("due_day: 15\n", encoding="utf-8")
    assert load_settings(chosen) == Settings(15)
    for wrong in ("due_day: 31\n", "due_day: tenth\n", "due_day: true\n"):
        chosen.write_text(wrong, encoding="utf-8")
        with pytest.raises(ReachError, match="due_day must be"):
            load_settings(chosen)
    # Parsed once per text (the dashboard asks on every page), so an edit still takes effect at once,
    # even one of the same length written within the same file-system tick.
    chosen.write_text("due_day: 15\n", encoding="utf-8")
    assert load_settings(chosen) == Settings(15)
    chosen.write_text("due_day: 16\n", encoding="utf-8")
    assert load_settings(chosen) == Settings(16)


def test_one_centre_alone_is_the_only_row(tmp_path: Path) -> None:
    """With one centre delivered, the calendar has its row alone (ULK's project period overlaps: no row)."""
    lbk = Delivery("LBK-delivery-3", "LBK", 3, datetime(2023, 2, 10, 12))
    brought = [Brought("LBK", date(2023, 1, 1), 3)]
    alone = build_calendar([lbk], brought, delivered_span(brought), Settings(10), TODAY)
    assert alone.centres == ("LBK",)
    assert alone.cell("LBK", date(2023, 1, 1)).status is ON


def test_a_build_reuses_what_the_earlier_build_worked_out_where_it_still_holds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Whatever the earlier build counted (a month less, a delivery set aside then restored, one
    # restored that is now set aside), reusing its months gives what working all out again gives.
    home = Home(tmp_path)
    deliveries = _raw_layer(home)
    everything = brought_months(home.raw_db, deliveries)
    by_seq = {d.load_seq: d for d in deliveries}
    read: list[set[str]] = []
    real = brought_months

    def reading(raw_db: Path, chosen: list[Delivery]) -> list[Brought]:
        read.append({d.centre for d in chosen})
        return real(raw_db, chosen)

    monkeypatch.setattr("pipelines.delivery_calendar.brought_months", reading)
    for earlier_seqs, now_seqs, centres_read in [
        ({1, 2, 3, 4, 5, 7}, {1, 2, 3, 4, 5, 7, 8}, {"PHA"}),  # PHA's new month: only PHA is read
        ({1, 3, 4, 5, 7, 8}, {1, 2, 3, 4, 5, 7, 8}, {"ULK"}),  # ULK's delivery 2 restored
        ({1, 2, 3, 4, 5, 7, 8}, {1, 3, 4, 5, 7, 8}, {"ULK"}),  # ... and set aside again
        ({1, 2, 3, 4, 5, 7, 8}, {1, 2, 3, 4, 5, 7, 8}, set()),  # nothing new: nothing read
        (set(), {1, 2, 3, 4, 5, 7, 8}, {"ULK", "LBK", "PHA"}),  # no earlier build
    ]:
        earlier = [by_seq[s] for s in sorted(earlier_seqs)]
        now = [by_seq[s] for s in sorted(now_seqs)]
        read.clear()
        reused = brought_since(home.raw_db, now, earlier, real(home.raw_db, earlier))
        assert reused == real(home.raw_db, now), (earlier_seqs, now_seqs)
        assert set().union(*read) == centres_read
    assert brought_since(home.raw_db, deliveries, [], []) == everything
