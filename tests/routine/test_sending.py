"""Scheduled sending against a real SMTP server on a loopback port (issue 15 item 5)."""

from __future__ import annotations

import io
import json
import threading
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from pipelines import audit
from pipelines.home import Home
from pipelines.schedule.state import read_state
from pipelines.schedule.store import add_entry
from reach.cli import main
from reach.scheduler import run_loop, send_due
from support.quality import copy_home

from ._smtp import Mailbox, attachments, free_port, smtp_server

PRAGUE = ZoneInfo("Europe/Prague")
ACTOR = audit.Actor("admin-test", "admin", "127.0.0.1")
BOARD = {"id": "board-monthly", "report": "board-pdf", "centres": ["ULK"], "period": "previous month",
         "recipients": ["vedeni@example.cz", "reditel@example.cz"], "when": "0 7 3 * *"}
WORKBOOK = {"id": "ministry-quarterly", "report": "ministry-xlsx", "centres": "all", "period": "previous quarter",
            "recipients": ["fond@example.cz"], "when": "0 8 5 1,4,7,10 *"}
FAST_RETRY = "retry: {attempts: 3, delay_seconds: 0.01, factor: 2, again_after_minutes: 30}\n"


@pytest.fixture
def home(published_home: Home, tmp_path: Path) -> Home:
    return copy_home(published_home, tmp_path / "home")


def _smtp_env(monkeypatch: pytest.MonkeyPatch, port: int) -> None:
    monkeypatch.setenv("REACH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("REACH_SMTP_PORT", str(port))
    monkeypatch.setenv("REACH_SMTP_SECURITY", "none")
    monkeypatch.setenv("REACH_SMTP_FROM", "reach@example.cz")
    monkeypatch.delenv("REACH_SMTP_CONFIG", raising=False)


def _entries(home: Home, *entries: dict) -> None:
    home.schedule_file.write_text(FAST_RETRY, encoding="utf-8")
    for entry in entries:
        add_entry(home, entry, ACTOR)


def _audit(home: Home, action: str) -> list[audit.Entry]:
    return [e for e in audit.read(home).entries if e.action == action]


def test_the_right_attachment_for_the_right_period_arrives(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    _entries(home, BOARD, WORKBOOK)
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        _smtp_env(monkeypatch, port)
        run = send_due(home, now=datetime(2023, 1, 10, 9, 0, tzinfo=PRAGUE))
    assert [o.sent for o in run.outcomes] == [True, True]
    assert len(mailbox.messages) == 2
    by_name = {attachments(m)[0][0]: (m, attachments(m)[0]) for m in mailbox.messages}
    assert set(by_name) == {"board-ULK-2022-12.pdf", "ministry-all-2022-Q4.xlsx"}

    board, (_, board_type, pdf) = by_name["board-ULK-2022-12.pdf"]
    assert board_type == "application/pdf" and pdf.startswith(b"%PDF")
    assert "1. 12. 2022" in board["Subject"] and "ULK" in board["Subject"]
    assert mailbox.recipients[[m is board for m in mailbox.messages].index(True)] == BOARD["recipients"]

    _, (_, xlsx_type, xlsx) = by_name["ministry-all-2022-Q4.xlsx"]
    assert xlsx_type.endswith("spreadsheetml.sheet")
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    meta = {row[0]: row[1] for row in book["Metadata"].iter_rows(values_only=True) if row and row[0]}
    assert meta["Období od / Period from"].date() == date(2022, 10, 1)
    assert meta["Období do / Period to"].date() == date(2022, 12, 31)

    sent = _audit(home, "report.send")
    assert {e.object for e in sent} == {
        "board-pdf 2022-12-01..2022-12-31 ULK (schedule board-monthly)",
        "ministry-xlsx 2022-10-01..2022-12-31 all centres (schedule ministry-quarterly)"}
    assert all("@" not in e.object + e.detail for e in audit.read(home).entries)  # no address in the log
    assert "2 recipient(s)" in next(e.detail for e in sent if "board" in e.object)
    state = read_state(home)
    assert state.entry("board-monthly").last_sent_due == datetime(2023, 1, 3, 7, 0, tzinfo=PRAGUE)
    assert state.entry("ministry-quarterly").last_period == "2022-10-01..2022-12-31"


def test_everything_due_since_the_last_send_goes_out_once_in_order(home: Home,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _entries(home, BOARD)
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        _smtp_env(monkeypatch, port)
        send_due(home, now=datetime(2022, 11, 4, tzinfo=PRAGUE))  # the first run: the latest due time only
        send_due(home, now=datetime(2023, 1, 20, tzinfo=PRAGUE))  # two months later: December and January
        send_due(home, now=datetime(2023, 1, 21, tzinfo=PRAGUE))  # nothing new
    names = [attachments(m)[0][0] for m in mailbox.messages]
    assert names == ["board-ULK-2022-10.pdf", "board-ULK-2022-11.pdf", "board-ULK-2022-12.pdf"]


def test_a_refusing_server_is_retried_reported_audited_and_stays_due(home: Home,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _entries(home, BOARD)
    now = datetime(2023, 1, 10, tzinfo=PRAGUE)
    pauses: list[float] = []
    refusing = Mailbox(refuse="550 5.1.1 mailbox unavailable")
    with smtp_server(refusing) as port:
        _smtp_env(monkeypatch, port)
        run = send_due(home, now=now, sleep=pauses.append)
    assert refusing.attempts == 3 * 2 and refusing.messages == []  # three tries, each naming two recipients
    assert pauses == [0.01, 0.02]  # backoff between the three tries
    [outcome] = run.failed
    assert "550" in outcome.message and "@" not in outcome.message
    [failed] = _audit(home, "report.send_failed")
    assert failed.object == "board-pdf 2022-12-01..2022-12-31 ULK (schedule board-monthly)"
    assert "550" in failed.detail and "2 recipient(s)" in failed.detail and "@" not in failed.detail
    state = read_state(home).entry("board-monthly")
    assert state.failing and state.last_sent_due is None and state.attempts == 3

    # Stays due: the next run, with the server accepting again, sends that same report.
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        _smtp_env(monkeypatch, port)
        run = send_due(home, now=now)
    assert [attachments(m)[0][0] for m in mailbox.messages] == ["board-ULK-2022-12.pdf"]
    assert not read_state(home).entry("board-monthly").failing


def test_a_closed_port_fails_through_the_command_with_exit_status_1(home: Home, monkeypatch: pytest.MonkeyPatch,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    _entries(home, BOARD)
    _smtp_env(monkeypatch, free_port())  # nothing listens there
    assert main(["--home", str(home.root), "send", "--due"]) == 1
    err = capsys.readouterr().err
    assert "could not be sent and stay due" in err and "connection refused" in err and "Traceback" not in err
    assert read_state(home).entry("board-monthly").failing
    assert len(_audit(home, "report.send_failed")) == 1


def test_send_due_twice_sends_once(home: Home, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    _entries(home, BOARD)
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        _smtp_env(monkeypatch, port)
        assert main(["--home", str(home.root), "send", "--due"]) == 0
        assert main(["--home", str(home.root), "send", "--due"]) == 0
    out = capsys.readouterr().out
    assert len(mailbox.messages) == 1
    assert out.count("reach send: sent board-pdf") == 1 and "nothing is due" in out
    saved = json.loads(home.schedule_state.read_text(encoding="utf-8"))
    assert saved["entries"]["board-monthly"]["last_sent_due"]
    assert home.schedule_state.stat().st_mode & 0o077 == 0


def test_the_loop_sends_what_is_due_and_stops(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    _entries(home, BOARD | {"id": "every-minute", "when": "* * * * *"})
    mailbox = Mailbox()
    stop = threading.Event()
    with smtp_server(mailbox) as port:
        _smtp_env(monkeypatch, port)
        loop = threading.Thread(target=run_loop, args=(home, stop), kwargs={"report": lambda line: None})
        loop.start()
        deadline = time.monotonic() + 120
        while not mailbox.messages and time.monotonic() < deadline:
            time.sleep(0.2)
        stop.set()
        loop.join(timeout=30)
    assert not loop.is_alive(), "the loop did not stop"
    assert mailbox.messages, "the loop sent nothing"
    assert _audit(home, "report.send")


def test_a_second_sender_is_refused_while_one_runs(home: Home) -> None:
    from pipelines.errors import ReachError
    from pipelines.schedule.files import locked

    _entries(home, BOARD)
    with locked(home.root / "schedule_send.lock"), pytest.raises(ReachError, match="is sending now"):
        send_due(home, now=datetime(2023, 1, 10, tzinfo=PRAGUE))
