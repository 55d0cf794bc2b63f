"""`reach load`'s progress display: on stderr when forced (--progress), never in piped output or
for a quick load, and never mixed into the per-file summary on stdout."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from pipelines.home import Home
from pipelines.ingest.report import LoadProgress
from reach.cli import main
from reach.progress import LoadProgressDisplay, wanted
from support.ingest import CLIENT_HEADER, CONTACT_HEADER, client, contact, write_csv


def _deliveries(root: Path) -> Path:
    for month, suffix in (("2023-01", "A"), ("2023-02", "B")):
        write_csv(root / month, "klienti.csv", CLIENT_HEADER, [client(f"CLI000{suffix}")])
        write_csv(root / month, "kontakty.csv", CONTACT_HEADER, [contact(f"K{suffix}", f"CLI000{suffix}")])
    return root


def test_forced_progress_goes_to_stderr_and_leaves_stdout_alone(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    root = _deliveries(tmp_path / "deliveries")
    assert main(["--home", str(tmp_path / "plain"), "load", str(root)]) == 0
    plain = capsys.readouterr()
    assert main(["--home", str(tmp_path / "shown"), "load", str(root), "--progress"]) == 0
    shown = capsys.readouterr()
    assert "rows read" in shown.err and "kontakty.csv" in shown.err and "4/4" in shown.err
    assert "\x1b" not in shown.out
    assert shown.out == plain.out  # the same summary either way
    assert plain.err == ""


def test_no_progress_in_piped_output_or_when_switched_off(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    root = _deliveries(tmp_path / "deliveries")
    assert main(["--home", str(tmp_path / "a"), "load", str(root)]) == 0  # capsys: not a terminal
    assert main(["--home", str(tmp_path / "b"), "load", str(root), "--no-progress"]) == 0
    captured = capsys.readouterr()
    assert "rows read" not in captured.out + captured.err and "\x1b" not in captured.out + captured.err
    assert Home(tmp_path / "b").raw_db.exists()


def test_auto_needs_a_terminal_on_both_streams() -> None:
    assert not wanted(None, Console(file=io.StringIO()))
    # A terminal console, but stdout (pytest's capture) is not a terminal: nothing.
    assert not wanted(None, Console(file=io.StringIO(), force_terminal=True))
    assert wanted(True, Console(file=io.StringIO())) and not wanted(False, Console(file=io.StringIO(),
                                                                                   force_terminal=True))


def _report(done: int) -> LoadProgress:
    return LoadProgress("2023-01", "[bold]kontakty.csv", done, 2, 1234 * done)


def test_a_quick_load_shows_nothing_on_a_terminal() -> None:
    stream = io.StringIO()
    with LoadProgressDisplay(Console(file=stream, force_terminal=True), delay=3600) as display:
        display.update(_report(1))
        display.update(_report(2))
    assert stream.getvalue() == ""


def test_the_display_shows_files_rows_and_the_file_name_as_delivered() -> None:
    stream = io.StringIO()
    with LoadProgressDisplay(Console(file=stream, force_terminal=True, width=120), delay=0) as display:
        display._timer.join()  # the display is up (delay 0), then the loader reports
        display.update(_report(1))
    text = stream.getvalue()
    assert "[bold]kontakty.csv" in text  # delivered text is never read as markup
    assert "1/2" in text and "1,234 rows read" in text
