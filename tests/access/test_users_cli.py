"""`reach users` and `reach demo`'s accounts: every change audited, passwords never in files or arguments."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pipelines import audit
from pipelines.access import AccountStore, Role, verify_password
from pipelines.home import Home
from reach.cli import main
from reach.commands.demo import demo_accounts


def _reach(home: Home, *args: str) -> int:
    return main(["--home", str(home.root), "users", *args])


def test_users_add_list_disable_reset_are_audited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    home = Home(tmp_path).ensure()
    monkeypatch.setenv("REACH_PASSWORD", "first-long-password")
    assert _reach(home, "add", "Eva", "--role", "coordinator", "--centre", "ULK", "--district", "CZ0427") == 0
    monkeypatch.delenv("REACH_PASSWORD")
    monkeypatch.setattr("sys.stdin", io.StringIO("second-long-password\n"))
    assert _reach(home, "reset", "eva", "--password-stdin") == 0
    assert _reach(home, "disable", "eva") == 0
    capsys.readouterr()
    assert _reach(home, "list") == 0
    listing = capsys.readouterr().out
    assert "eva" in listing and "ULK; districts CZ0427" in listing and "disabled" in listing
    account = AccountStore(home).get("eva")
    assert account.disabled and verify_password(account.password_hash, "second-long-password")
    entries = audit.read(home).entries
    assert [(e.action, e.object) for e in entries] == [("user.add", "user eva"), ("user.reset", "user eva"),
                                                       ("user.disable", "user eva")]
    assert entries[0].detail == "role coordinator; scope ULK; districts CZ0427"
    log = home.audit_log.read_text(encoding="utf-8")
    assert "long-password" not in log and "argon2" not in log


def test_users_refuses_what_the_contract_does_not_allow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    home = Home(tmp_path).ensure()
    monkeypatch.setenv("REACH_PASSWORD", "short")
    assert _reach(home, "add", "x", "--role", "admin") != 0
    assert "too short" in capsys.readouterr().err
    monkeypatch.setenv("REACH_PASSWORD", "a-long-enough-password")
    assert _reach(home, "add", "y", "--role", "board") != 0  # a board account needs a centre
    assert _reach(home, "add", "z", "--role", "board", "--centre", "ULK", "--district", "CZ0427") != 0
    capsys.readouterr()
    assert _reach(home, "add", "v", "--role", "coordinator", "--centre", "ULK", "XYZ") != 0  # not a reference centre
    assert "Unknown centre code(s): XYZ" in capsys.readouterr().err
    assert _reach(home, "add", "u", "--role", "coordinator", "--centre", "ULK", "--district", "CZ0513") != 0
    assert "outside the regions" in capsys.readouterr().err  # Liberec is not in ULK's region
    assert _reach(home, "add", "w", "--role", "admin") == 0
    assert _reach(home, "add", "w", "--role", "admin") != 0  # exists already
    assert _reach(home, "reset", "nobody") != 0
    assert [e.action for e in audit.read(home).entries] == ["user.add"]


def test_demo_makes_one_account_per_role_for_the_sample_centre_with_new_passwords(tmp_path: Path) -> None:
    home = Home(tmp_path).ensure()
    first = demo_accounts(home)
    assert sorted(role for _, role, _ in first) == sorted(r.value for r in Role)
    store = AccountStore(home)
    for name, role, password in first:
        account = store.get(name)
        assert verify_password(account.password_hash, password)
        assert account.centres == (() if role == "admin" else ("ULK",))
    second = demo_accounts(home)  # a re-run replaces every password
    assert all(a[2] != b[2] for a, b in zip(first, second, strict=True))
    assert not verify_password(store.get(first[0][0]).password_hash, first[0][2])
    actions = [e.action for e in audit.read(home).entries]
    assert actions == ["user.add"] * len(Role) + ["user.reset"] * len(Role)
