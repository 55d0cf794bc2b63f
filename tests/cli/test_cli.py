"""The `reach` command's error contract: one paragraph, never a bare traceback."""

import subprocess
import sys

import pytest

from pipelines.errors import ReachError
from reach import cli


def test_help_lists_every_contract_command():
    result = subprocess.run([sys.executable, "-m", "reach.cli", "--help"],
                            capture_output=True, text=True, check=True)
    for command in ("demo", "generate", "pseudonymise", "load", "build", "check", "serve",
                    "metrics", "report"):
        assert command in result.stdout


def test_bad_date_is_a_usage_error_naming_the_value(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["metrics", "--from", "1.1.2023", "--to", "2023-01-31"])
    assert exit_info.value.code == 2
    assert "1.1.2023" in capsys.readouterr().err


def test_reach_error_prints_one_paragraph(monkeypatch, tmp_path, capsys):
    from reach.commands import check

    def fail(args, home):
        raise ReachError("The file x.csv, row 3, column Datum:\n  not a date.")

    monkeypatch.setattr(check, "run", fail)
    assert cli.main(["--home", str(tmp_path), "check"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "reach check: The file x.csv, row 3, column Datum: not a date."


def test_unexpected_error_goes_to_the_log_not_the_screen(monkeypatch, tmp_path, capsys):
    from reach.commands import check

    def crash(args, home):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(check, "run", crash)
    assert cli.main(["--home", str(tmp_path), "check"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "ZeroDivisionError: boom" in err
    log = (tmp_path / "logs" / "reach.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "boom" in log
