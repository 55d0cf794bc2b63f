"""`reach metrics` as users run it: exit status, one-paragraph errors, CSV and JSON shapes."""

from __future__ import annotations

import contextlib
import io
import json
from datetime import date
from pathlib import Path

import pytest

from pipelines import audit
from pipelines.home import Home
from reach.cli import main
from support.marts import MartBuilder, home_with_marts


@pytest.fixture
def home(tmp_path: Path) -> Home:
    marts = MartBuilder().client("AAAAAA", registered_on=date(2022, 8, 3)).contact("c1", "AAAAAA", date(2022, 8, 5))
    return home_with_marts(tmp_path, marts)


def reach(home: Home, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["--home", str(home.root), "metrics", "--from", "2022-08-01", "--to", "2022-08-31", *args])
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(("args", "says"), [
    (("--metric", "reach"), "Unknown metric 'reach'"),
    (("--by", "colour"), "Unknown dimension 'colour' in --by"),
    (("--where", "sex"), "DIM=VALUE"),
    (("--where", "sex=robot"), "'robot' is not a value of sex"),
    (("--metric", "event_attendance", "--by", "sex"), "'event_attendance' cannot be split or filtered by"),
])
def test_wrong_options_fail_with_one_paragraph(home: Home, args: tuple[str, ...], says: str) -> None:
    status, out, err = reach(home, *args)
    assert status == 2
    assert out == ""
    assert says in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_csv_and_json_carry_the_same_figures(home: Home) -> None:
    status, out, err = reach(home, "--metric", "contacts", "--metric", "service_hours", "--by", "sex", "--exact")
    assert status == 0
    assert out == "sex,contacts,service_hours\nfemale,1,1.0\n"
    assert "random deviation" not in err
    status, out, _ = reach(home, "--metric", "contacts", "--metric", "service_hours", "--by", "sex",
                           "--format", "json", "--exact")
    assert json.loads(out) == [{"sex": "female", "contacts": 1, "service_hours": 1.0}]


def test_exact_figures_are_audited(home: Home) -> None:
    reach(home, "--metric", "contacts", "--by", "sex", "--exact")
    [entry] = audit.read(home).entries
    assert entry.action == "metrics.exact"
    assert entry.object == "2022-08-01..2022-08-31; metrics contacts; by sex"  # the query, never a figure


def test_protected_json_of_one_person_is_sparse(home: Home) -> None:
    status, out, err = reach(home, "--metric", "clients_reached", "--metric", "contacts", "--format", "json")
    assert status == 0
    assert json.loads(out) == [{"clients_reached": "x", "contacts": "x"}]  # one person: no figures
    assert "Údaje jsou chráněny drobnou náhodnou odchylkou; součty se nemusí shodovat." in err
    assert "fewer than 20 people" in err
    assert audit.read(home).entries == []  # protected figures need no audit entry
