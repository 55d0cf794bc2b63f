"""The schedule file: validation naming entry and field, the admin page's editing API, periods."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from pipelines import audit
from pipelines.errors import ReachError
from pipelines.home import Home
from pipelines.schedule.model import ScheduleError, occurrences, period_for, validate_entry
from pipelines.schedule.smtp import load_settings
from pipelines.schedule.store import add_entry, delete_entry, list_entries, read_schedule, replace_entry
from reach.cli import main

ACTOR = audit.Actor("admin", "admin", "127.0.0.1")
ENTRY = {"id": "board-monthly", "report": "board-pdf", "centres": ["ulk"], "period": "previous month",
         "recipients": ["vedeni@example.cz"], "when": "0 7 3 * *"}


def test_every_problem_names_its_entry_and_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = Home(tmp_path)
    home.schedule_file.write_text(
        "schedules:\n  - id: board\n    report: board-doc\n    centres: [XXX]\n    period: last month\n"
        "    recipients: [not an address]\n    when: '0 7 32 * *'\n    colour: red\n", encoding="utf-8")
    assert main(["--home", str(tmp_path), "schedule"]) == 1
    err = capsys.readouterr().err
    for expected in ("entry 'board', field 'report'", "field 'centres': 'XXX' is not a known centre",
                     "field 'period'", "field 'recipients': recipient 1", "field 'when': '0 7 32 * *'",
                     "field 'colour': unknown field"):
        assert expected in err
    assert "not an address" not in err  # the address itself is not repeated


def test_add_edit_delete_are_validated_atomic_audited_and_versioned(tmp_path: Path) -> None:
    home = Home(tmp_path)
    entry = add_entry(home, ENTRY, ACTOR)
    assert entry.centres == ("ULK",)
    view = read_schedule(home)
    assert [e.id for e in view.schedule.entries] == ["board-monthly"]
    assert home.schedule_file.stat().st_mode & 0o077 == 0
    with pytest.raises(ScheduleError) as refused:
        add_entry(home, ENTRY | {"when": "every day"}, ACTOR)
    assert [(p.entry, p.field) for p in refused.value.problems] == [("board-monthly", "when")]
    with pytest.raises(ScheduleError, match="another entry has this id"):
        add_entry(home, ENTRY, ACTOR)

    replace_entry(home, "board-monthly", ENTRY | {"recipients": ["a@example.cz", "b@example.cz"]}, ACTOR,
                  expected_version=view.version)
    with pytest.raises(ReachError, match="changed by someone else"):
        delete_entry(home, "board-monthly", ACTOR, expected_version=view.version)  # the old version
    [status] = list_entries(home, now=datetime(2023, 1, 10, 12, 0).astimezone())
    assert status.entry.recipients == ("a@example.cz", "b@example.cz") and status.next_due.day == 3
    delete_entry(home, "board-monthly", ACTOR, expected_version=read_schedule(home).version)
    assert read_schedule(home).schedule.entries == ()
    log = audit.read(home).entries
    assert [e.action for e in log] == ["schedule.add", "schedule.edit", "schedule.delete"]
    assert "2 recipient(s)" in log[1].detail and all("@" not in e.detail for e in log)


@pytest.mark.parametrize(("rule", "due", "expected"), [
    ("previous month", date(2023, 2, 3), (date(2023, 1, 1), date(2023, 1, 31))),
    ("previous quarter", date(2023, 4, 5), (date(2023, 1, 1), date(2023, 3, 31))),
    ("previous year", date(2023, 1, 2), (date(2022, 1, 1), date(2022, 12, 31))),
    ("month to date", date(2023, 2, 15), (date(2023, 2, 1), date(2023, 2, 14))),
    ("month to date", date(2023, 3, 1), (date(2023, 2, 1), date(2023, 2, 28))),  # due on the 1st: all February
    ("quarter to date", date(2023, 5, 10), (date(2023, 4, 1), date(2023, 5, 9))),
    ("year to date", date(2023, 1, 1), (date(2022, 1, 1), date(2022, 12, 31))),
])
def test_period_rules(rule: str, due: date, expected: tuple[date, date]) -> None:
    period = period_for(rule, due)
    assert (period.date_from, period.date_to) == expected


def test_catch_up_is_bounded_and_a_new_entry_sends_its_latest_due_time_only() -> None:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Europe/Prague")
    entry = validate_entry(ENTRY)
    now = datetime(2023, 6, 10, tzinfo=zone)
    assert occurrences(entry, zone, None, now, 12) == ([datetime(2023, 6, 3, 7, 0, tzinfo=zone)], False)
    times, truncated = occurrences(entry, zone, datetime(2023, 3, 3, 7, 0, tzinfo=zone), now, 12)
    assert [t.month for t in times] == [4, 5, 6] and not truncated
    times, truncated = occurrences(entry, zone, datetime(2020, 1, 1, tzinfo=zone), now, 12)
    assert len(times) == 12 and truncated and times[-1].month == 6


def test_smtp_settings_refuse_a_readable_password_file_and_plain_text_passwords(tmp_path: Path) -> None:
    config = tmp_path / "smtp.toml"
    config.write_text('[smtp]\nhost = "mail.example.cz"\nfrom = "reach@example.cz"\npassword = "s3cret"\n',
                      encoding="utf-8")
    config.chmod(0o644)
    with pytest.raises(ReachError, match="chmod 600"):
        load_settings(config, environ={})
    config.chmod(0o600)
    with pytest.raises(ReachError, match="unencrypted"):
        load_settings(config, environ={"REACH_SMTP_SECURITY": "none"})
    settings = load_settings(config, environ={"REACH_SMTP_PORT": "2525"})
    assert (settings.host, settings.port, settings.security) == ("mail.example.cz", 2525, "starttls")
    assert "s3cret" not in repr(settings)
    inside = Path(__file__).resolve().parents[2] / "smtp-test.toml"
    with pytest.raises(ReachError, match="inside the project's checkout"):
        load_settings(inside, environ={})
