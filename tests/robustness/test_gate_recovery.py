"""A gate failure caused by raw data never blocks the warehouse for good.

The raw layer is append-only, so the raw-layer rules evaluate what counts (pipelines/raw_views.py):
the current version of each record of the deliveries not set aside. A later delivery that corrects
the record lifts the rule; a delivery that cannot be corrected is set aside with an audited command.
Everything here runs the real gate (GX) on real DuckDB files, and the real build (dbt) where the
test says "build".
"""

from __future__ import annotations

import getpass
import json
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from expectations.runner import run_gate
from expectations.spec import ExpectationSpec, load_suites
from pipelines import audit
from pipelines.contract import FILES
from pipelines.deliveries import list_deliveries, set_aside
from pipelines.errors import QualityGateFailed
from pipelines.home import Home
from pipelines.ingest import load_paths
from pipelines.ingest.raw_schema import connect_raw_layer
from reach.build import build_warehouse
from reach.cli import main
from support.quality import copy_home, digest
from support.quality_breaks import BREAKS, apply
from support.raw_rows import Delivery, client, write_raw

pytestmark = pytest.mark.slow

SUITES = {suite.name: suite for suite in load_suites()}
TABLE_OF_SUITE = {suite.name: suite.table.split(".", 1)[1] for suite in SUITES.values()
                  if suite.scope == "raw" and suite.table}
KEYS = {f.table: {c.name for c in f.key_columns} for f in FILES}
COLUMNS = {f.table: [c.name for c in f.columns] for f in FILES}
CORRECTION_SEQ = 9  # the clean data has deliveries 1..8


def raw_row_rules() -> list[tuple[str, str]]:
    """Every raw-layer row rule with a one-row break: each one is caused by delivered data."""
    return sorted(key for key, brk in BREAKS.items()
                  if brk.scope == "raw" and brk.one_row and key[0] in TABLE_OF_SUITE
                  and isinstance(_rule(*key), ExpectationSpec))


def _rule(suite: str, rule_id: str) -> object:
    return next(r for r in SUITES[suite].rules() if r.id == rule_id)


def _rows(home: Home, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    with connect_raw_layer(str(home.raw_db), read_only=True) as con:
        cursor = con.execute(sql, params or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def broken_originals(clean: Home, home: Home, table: str) -> list[tuple[int, dict[str, Any]]]:
    """(load, clean version) of each row a break changed (found by lineage: load, file and row)."""
    lineage = "_load_seq, _file_name, _source_row"
    with connect_raw_layer(str(home.raw_db), read_only=True) as con:
        con.execute("ATTACH ? AS clean (READ_ONLY)", [str(clean.raw_db)])
        changed = con.execute(
            f"SELECT {lineage} FROM raw.{table} EXCEPT SELECT {lineage} FROM "
            f"(SELECT * FROM clean.raw.{table} INTERSECT SELECT * FROM raw.{table})").fetchall()
    originals = []
    for load_seq, file_name, source_row in changed:
        originals += [(load_seq, row) for row in _rows(
            clean, f"SELECT {', '.join(COLUMNS[table])} FROM raw.{table} "
                   "WHERE _load_seq = ? AND _file_name = ? AND _source_row = ?", [load_seq, file_name, source_row])]
    return originals


@pytest.mark.parametrize(("suite_name", "rule_id"), raw_row_rules(), ids=lambda v: v)
def test_every_raw_row_rule_is_lifted_by_a_correction_or_a_set_aside(
        clean_built_home: Home, tmp_path: Path, suite_name: str, rule_id: str) -> None:
    # test_one_broken_row_fails_its_expectation (tests/quality/test_gate.py) shows the break fails the rule.
    home = copy_home(clean_built_home, tmp_path)
    table = TABLE_OF_SUITE[suite_name]
    apply(BREAKS[(suite_name, rule_id)], home, home.warehouse_db)
    originals = broken_originals(clean_built_home, home, table)
    assert len(originals) == 1, "the break changed one delivered row"

    [(load_seq, original)] = originals
    rule = _rule(suite_name, rule_id)
    assert isinstance(rule, ExpectationSpec)
    if set(rule.columns) & KEYS[table]:
        # A broken key names no record a later delivery could correct: the delivery is set aside.
        set_aside(home, Delivery(load_seq).delivery_id, "broken key", audit.Actor("tester", "operator", "local"))
    else:
        write_raw(home, Delivery(CORRECTION_SEQ).add(table, **original))

    build_db = home.builds_dir / "candidate.duckdb"
    shutil.copy(home.warehouse_db, build_db)
    after = run_gate(build_db, home, suites=[SUITES[suite_name]])
    outcome = next(o for o in after.outcomes if o.expectation == rule_id)
    assert outcome.success, outcome.line()
    assert after.passed, after.summary()
    # Append-only: the broken version is still in the raw layer, it just no longer counts.
    assert len(broken_originals(clean_built_home, home, table)) == 1


def _future_contact(delivery: Delivery, contact_id: str, when: date) -> Delivery:
    return delivery.add("contacts", contact_id=contact_id, client_id="client001", contact_date=when,
                        service="social_counselling", topic="residence", mode="in_person", duration_min=30,
                        branch="Pobočka Teplice", interpreted=False, deleted=False)


def test_a_build_blocked_by_raw_data_publishes_after_the_correcting_delivery(clean_built_home: Home,
                                                                             tmp_path: Path) -> None:
    home = copy_home(clean_built_home, tmp_path)
    published = digest(home.warehouse_db)
    # Delivery 9: a contact dated next year and a client born in 1850. Both load as they would from a
    # loader that let them through; both break error rules of the raw layer.
    bad = _future_contact(Delivery(9), "k-typo", date.today() + timedelta(days=400))
    client(bad, "client-typo", birth_year=1850)
    write_raw(home, bad)
    with pytest.raises(QualityGateFailed) as failed:
        build_warehouse(home)
    assert "raw_contacts.contact_date_not_future" in str(failed.value)
    assert "raw_clients.birth_year_from_1900" in str(failed.value)
    assert digest(home.warehouse_db) == published

    # Delivery 10 corrects both records; nothing is edited by hand.
    fixed = _future_contact(Delivery(10), "k-typo", date(2023, 3, 20))
    client(fixed, "client-typo", birth_year=1985)
    write_raw(home, fixed)
    summary = build_warehouse(home)

    assert " 0 error(s) failed" in summary.gate_summary
    with duckdb.connect(str(home.warehouse_db), read_only=True) as con:
        assert con.execute("SELECT contact_date FROM fct_contacts WHERE contact_key = 'ULK:k-typo'").fetchall() == [
            (date(2023, 3, 20),)]
        assert con.execute("SELECT birth_year FROM dim_client WHERE client_key = 'ULK:client-typo'").fetchall() == [
            (1985,)]


def test_a_retraction_lifts_a_rule_too(clean_built_home: Home, tmp_path: Path) -> None:
    home = copy_home(clean_built_home, tmp_path)
    write_raw(home, _future_contact(Delivery(9), "k-typo", date.today() + timedelta(days=30)))
    with pytest.raises(QualityGateFailed):
        build_warehouse(home)
    retraction = _future_contact(Delivery(10), "k-typo", date.today() + timedelta(days=30))
    retraction.rows["contacts"][0]["deleted"] = True  # Smazáno = ano: the record is withdrawn
    write_raw(home, retraction)
    build_warehouse(home)
    with duckdb.connect(str(home.warehouse_db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM fct_contacts WHERE contact_key = 'ULK:k-typo'").fetchall() == [(0,)]


def run_cli(home: Home, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["--home", str(home.root), *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_set_aside_through_the_cli_is_audited_and_lifts_the_gate(clean_built_home: Home, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    home = copy_home(clean_built_home, tmp_path)
    bad = _future_contact(Delivery(9), "k-typo", date.today() + timedelta(days=400))
    bad.add("contacts", contact_id="k-fine", client_id="client002", contact_date=date(2023, 3, 2),
            service="interpreting", topic=None, mode="phone", duration_min=20, branch="Pobočka Teplice",
            interpreted=True, deleted=False)
    write_raw(home, bad)
    status, _, err = run_cli(home, capsys, "build")
    assert status == QualityGateFailed.exit_code and "contact_date_not_future" in err

    status, out, _ = run_cli(home, capsys, "deliveries", "list")
    assert status == 0
    assert [line.split()[0] for line in out.splitlines()[1:]] == [str(n) for n in range(1, 10)]
    assert "ULK-delivery" in out.splitlines()[-1] and "counted" in out.splitlines()[-1]

    status, out, _ = run_cli(home, capsys, "deliveries", "set-aside", "ulk-delivery-9",
                             "--reason", "contact dates typed a year ahead; centre re-exports")
    assert status == 0 and "Set aside delivery ULK-delivery" in out
    status, out, _ = run_cli(home, capsys, "deliveries", "list")
    assert "set aside" in out.splitlines()[-1] and "re-exports" in out.splitlines()[-1]
    assert [r.set_aside for r in list_deliveries(home)] == [False] * 8 + [True]

    status, out, err = run_cli(home, capsys, "build")
    assert status == 0, err
    with duckdb.connect(str(home.warehouse_db), read_only=True) as con:
        # The whole delivery stops counting, its sound rows too, and is not listed as published.
        assert con.execute("SELECT count(*) FROM fct_contacts WHERE contact_key IN ('ULK:k-typo', 'ULK:k-fine')"
                           ).fetchall() == [(0,)]
        assert con.execute("SELECT count(*) FROM mart_deliveries WHERE delivery_id = 'ULK-delivery-9'"
                           ).fetchall() == [(0,)]
        assert con.execute("SELECT count(*) FROM mart_deliveries").fetchall() == [(8,)]
    with connect_raw_layer(str(home.raw_db), read_only=True) as con:  # still in the append-only raw layer
        assert con.execute("SELECT count(*) FROM raw.contacts WHERE _delivery_id = 'ULK-delivery-9'"
                           ).fetchall() == [(2,)]

    entries = [json.loads(line) for line in home.audit_log.read_text(encoding="utf-8").splitlines()]
    assert entries == [{
        "time": entries[0]["time"], "user": getpass.getuser(), "role": "operator", "address": "local",
        "action": "delivery.set_aside", "object": "delivery ULK-delivery-9",
        "detail": "contact dates typed a year ahead; centre re-exports",
    }]
    status, out, _ = run_cli(home, capsys, "audit")
    assert status == 0
    header, line = out.splitlines()
    assert header.split() == ["time", "user", "role", "address", "action", "object", "detail"]
    assert line.split()[1:6] == [getpass.getuser(), "operator", "local", "delivery.set_aside", "delivery"]
    assert line.endswith("contact dates typed a year ahead; centre re-exports")
    assert run_cli(home, capsys, "audit", "--user", "someone-else")[1].startswith("No audit entries")
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert run_cli(home, capsys, "audit", "--since", tomorrow)[1].startswith("No audit entries")

    # Restoring makes it count again (so the gate fails again), and is audited as well.
    status, out, _ = run_cli(home, capsys, "deliveries", "restore", "ULK-delivery-9", "--reason", "test")
    assert status == 0 and "Restored" in out
    assert run_cli(home, capsys, "build")[0] == QualityGateFailed.exit_code
    status, out, _ = run_cli(home, capsys, "audit", "--since", date.today().isoformat())
    assert [line.split()[4] for line in out.splitlines()[1:]] == ["delivery.set_aside", "delivery.restore"]


def test_set_aside_refuses_what_it_cannot_do(clean_built_home: Home, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    home = copy_home(clean_built_home, tmp_path)
    assert run_cli(home, capsys, "deliveries", "set-aside", "ULK-deli", "--reason", "x")[0] == 1  # 8 match
    status, _, err = run_cli(home, capsys, "deliveries", "set-aside", "ULK", "--reason", "x")
    assert status == 1 and "at least 8 characters" in err
    status, _, err = run_cli(home, capsys, "deliveries", "set-aside", "ffffffffffff", "--reason", "x")
    assert status == 1 and "No loaded delivery" in err
    status, _, err = run_cli(home, capsys, "deliveries", "set-aside", "ULK-delivery-3", "--reason", "  ")
    assert status == 1 and "Say why" in err
    status, _, err = run_cli(home, capsys, "deliveries", "restore", "ULK-delivery-3")
    assert status == 1 and "is not set aside" in err
    assert not home.audit_log.exists()  # nothing was done, so nothing is audited
    assert run_cli(home, capsys, "deliveries", "set-aside", "ULK-delivery-3", "--reason", "dup")[0] == 0
    status, _, err = run_cli(home, capsys, "deliveries", "set-aside", "ULK-delivery-3", "--reason", "again")
    assert status == 1 and "already set aside" in err
    assert len(home.audit_log.read_text(encoding="utf-8").splitlines()) == 1


def _kontakty_delivery(folder: Path, header: str, row: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "kontakty.csv").write_text(f"{header}\n{row}\n", encoding="utf-8")
    return folder


def test_a_contact_dated_1_1_2999_leaves_the_warehouse_publishable(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """The reported case, through the real loader and CLI: whichever layer catches the typo (the
    loader's date check quarantines it; without one, the gate fails until the correction arrives),
    the correcting delivery leaves a published warehouse with the right date and a passing check."""
    from pipelines.generate import generate_sample

    sample = tmp_path / "sample"
    generate_sample(sample, clients=100, months=2, start=date(2022, 8, 1), seed=5, messy=False)
    home = Home(tmp_path / "home")
    assert run_cli(home, capsys, "load", str(sample / "2022-08"), str(sample / "2022-09"))[0] == 0
    assert run_cli(home, capsys, "build")[0] == 0
    header, first, *_ = (sample / "2022-09" / "kontakty.csv").read_text(encoding="utf-8").splitlines()
    cells = first.split(";")
    contact_id, right_date = cells[0], cells[2]
    typo = _kontakty_delivery(tmp_path / "typo", header, ";".join([*cells[:2], "1.1.2999", *cells[3:]]))
    fixed = _kontakty_delivery(tmp_path / "fixed", header, ";".join([*cells[:2], right_date, *cells[3:]]))
    fixed_csv = fixed / "kontakty.csv"
    fixed_csv.write_text(fixed_csv.read_text(encoding="utf-8").replace(f";{right_date};", f";{right_date} ;"),
                         encoding="utf-8")  # the re-export differs by a byte, so it is a new delivery

    run_cli(home, capsys, "load", str(typo))  # exit 0 (loaded) or 0/1 with the row quarantined
    run_cli(home, capsys, "build")  # fails the gate, or publishes without the quarantined row
    status, out, err = run_cli(home, capsys, "load", str(fixed))
    assert status == 0, err
    assert "already loaded" not in out
    status, out, err = run_cli(home, capsys, "build")
    assert status == 0, err
    day, month, year = (int(part) for part in right_date.split("."))
    with duckdb.connect(str(home.warehouse_db), read_only=True) as con:
        assert con.execute("SELECT contact_date FROM fct_contacts WHERE contact_id = ?", [contact_id]).fetchall() \
            == [(date(year, month, day),)]
        assert con.execute("SELECT max(contact_date) FROM fct_contacts").fetchall()[0][0] <= date.today()
    assert run_cli(home, capsys, "check")[0] == 0


def test_the_loader_still_knows_a_set_aside_delivery(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pipelines.generate import generate_sample

    sample = tmp_path / "sample"
    generate_sample(sample, clients=100, months=1, start=date(2022, 8, 1), seed=6, messy=False)
    home = Home(tmp_path / "home")
    [report] = load_paths(home, [sample / "2022-08"])
    [record] = list_deliveries(home)
    assert run_cli(home, capsys, "deliveries", "set-aside", record.delivery_id[:10], "--reason", "wrong centre")[0] == 0
    [again] = load_paths(home, [sample / "2022-08"])
    assert again.already_loaded and not report.already_loaded
    assert [(r.delivery_id, r.set_aside) for r in list_deliveries(home)] == [(record.delivery_id, True)]
