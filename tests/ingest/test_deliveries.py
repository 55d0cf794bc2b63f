"""Deliveries: idempotence, history, orphans, centres, order of loading, one transaction, the CLI."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from pipelines.errors import ReachError
from pipelines.home import Home
from pipelines.ingest import load_paths
from pipelines.ingest import loader as loader_module
from reach.cli import main
from support.ingest import CLIENT_HEADER, CONTACT_HEADER, client, contact, query, write_csv

RAW_TABLES = ("clients", "contacts", "courses", "course_enrolments", "events", "event_participants", "outcomes")
META_TABLES = ("deliveries", "load_files", "quarantine", "load_warnings")


@pytest.fixture
def home(tmp_path: Path) -> Home:
    return Home(tmp_path / "home")


def _counts(home: Home) -> dict[str, int]:
    counts = {f"raw.{t}": query(home, f"SELECT count(*) FROM raw.{t}")[0][0] for t in RAW_TABLES}
    counts |= {f"meta.{t}": query(home, f"SELECT count(*) FROM meta.{t}")[0][0] for t in META_TABLES}
    return counts


def _delivery(folder: Path, clients: list[dict[str, str]], contacts: list[dict[str, str]]) -> Path:
    write_csv(folder, "klienti.csv", CLIENT_HEADER, clients)
    write_csv(folder, "kontakty.csv", CONTACT_HEADER, contacts)
    return folder


def test_loading_the_same_delivery_again_changes_nothing(home: Home, tmp_path: Path) -> None:
    folder = _delivery(tmp_path / "2023-01", [client()], [contact()])
    [first] = load_paths(home, [folder])
    before = _counts(home)
    [again] = load_paths(home, [folder])
    assert not first.already_loaded and again.already_loaded
    assert again.delivery_id == first.delivery_id
    assert _counts(home) == before
    assert [(f.file_name, f.rows_loaded) for f in again.files] == [("klienti.csv", 1), ("kontakty.csv", 1)]


def test_the_same_files_under_another_name_or_order_are_the_same_delivery(home: Home, tmp_path: Path) -> None:
    _delivery(tmp_path / "a", [client()], [contact()])
    (tmp_path / "b").mkdir()
    for name in ("klienti.csv", "kontakty.csv"):
        (tmp_path / "b" / name.upper()).write_bytes((tmp_path / "a" / name).read_bytes())
    [first, second] = load_paths(home, [tmp_path / "a", tmp_path / "b"])
    assert second.already_loaded and second.delivery_id == first.delivery_id


def test_corrections_and_retractions_are_new_versions(home: Home, tmp_path: Path) -> None:
    january = _delivery(tmp_path / "2023-01", [client(), client("CLI0002")], [contact()])
    february = _delivery(tmp_path / "2023-02", [client(Pohlaví="muž"), client("CLI0002", Smazáno="ano")],
                         [contact()])
    reports = load_paths(home, [january, february])
    assert [r.load_seq for r in reports] == [1, 2]
    assert query(home, "SELECT client_id, sex, deleted, _load_seq FROM raw.clients ORDER BY 1, 4") == [
        ("CLI0001", "female", False, 1), ("CLI0001", "male", False, 2),
        ("CLI0002", "female", False, 1), ("CLI0002", "female", True, 2),
    ]


def test_lineage_on_every_row(home: Home, tmp_path: Path) -> None:
    folder = _delivery(tmp_path / "d", [client()], [contact(), contact("K2")])
    [report] = load_paths(home, [folder], centre="ulk")
    rows = query(home, "SELECT _centre, _delivery_id, _load_seq, _file_name, _file_sha256, _source_row, "
                       "_loaded_at IS NOT NULL FROM raw.contacts ORDER BY _source_row")
    sha = report.file("kontakty").sha256
    assert rows == [("ULK", report.delivery_id, 1, "kontakty.csv", sha, 2, True),
                    ("ULK", report.delivery_id, 1, "kontakty.csv", sha, 3, True)]


def test_orphans_load_with_a_warning_and_earlier_clients_count(home: Home, tmp_path: Path) -> None:
    january = _delivery(tmp_path / "2023-01", [client("CLI0001")], [contact("K1", "CLI0001")])
    february = _delivery(tmp_path / "2023-02", [client("CLI0002")],
                         [contact("K2", "CLI0001"), contact("K3", "CLI0002"), contact("K4", "CLI0404")])
    reports = load_paths(home, [january, february])
    assert reports[1].file("kontakty").rows_loaded == 3
    assert query(home, "SELECT source_row, column_name, value, kind FROM meta.load_warnings") == [
        (4, "ID klienta", "CLI0404", "orphan")]


def test_clients_of_another_centre_do_not_adopt_orphans(home: Home, tmp_path: Path) -> None:
    load_paths(home, [_delivery(tmp_path / "a", [client("CLI0001")], [])], centre="PHA")
    load_paths(home, [_delivery(tmp_path / "b", [client("CLI0002")], [contact("K1", "CLI0001")])], centre="ULK")
    assert query(home, "SELECT value, kind FROM meta.load_warnings") == [("CLI0001", "orphan")]


def test_orphans_are_judged_against_clients_loaded_before_and_in_the_same_call(home: Home, tmp_path: Path) -> None:
    """The centre's clients are read once per load and kept in step with the deliveries of the call;
    the clients of a rejected clients file are not among them."""
    load_paths(home, [_delivery(tmp_path / "2023-01", [client("CLI0001")], [])])  # an earlier call
    rejected = tmp_path / "2023-02"
    write_csv(rejected, "klienti.csv", [h for h in CLIENT_HEADER if h != "ID klienta"], [client("CLI0002")])
    write_csv(rejected, "kontakty.csv", CONTACT_HEADER, [contact("K1", "CLI0001"), contact("K2", "CLI0002")])
    march = _delivery(tmp_path / "2023-03", [client("CLI0003")], [contact("K3", "CLI0002"), contact("K4", "CLI0003")])
    april = _delivery(tmp_path / "2023-04", [], [contact("K5", "CLI0003"), contact("K6", "CLI0001")])
    reports = load_paths(home, [rejected, march, april])
    assert reports[0].file("klienti").status == "rejected"
    assert query(home, "SELECT d.source, w.value FROM meta.load_warnings w JOIN meta.deliveries d USING (delivery_id) "
                       "WHERE w.kind = 'orphan' ORDER BY d.load_seq, w.source_row") == [
        (str(rejected), "CLI0002"), (str(march), "CLI0002")]


def test_a_failed_delivery_s_clients_are_forgotten(home: Home, tmp_path: Path) -> None:
    load_paths(home, [_delivery(tmp_path / "ok", [client("CLI0001")], [])])
    con = loader_module._open_raw_layer(home)
    try:
        known = loader_module._KnownClients(con, "ULK")
        con.begin()  # a delivery's clients inserted, not committed: still not known
        con.execute("INSERT INTO raw.clients (client_id, _centre, _delivery_id, _load_seq, _file_name, "
                    "_file_sha256, _source_row, _loaded_at) VALUES ('CLI0009', 'ULK', 'x', 9, 'k', 's', 2, now())")
        assert known.ids().to_list() == ["CLI0001"]
        con.rollback()
        known.add(pl.Series(["CLI0002", "CLI0002", None]))
        assert sorted(known.ids().to_list()) == ["CLI0001", "CLI0002"]
        known.forget_pending()  # the delivery failed: its transaction rolled back
        assert known.ids().to_list() == ["CLI0001"]
        known.add(pl.Series(["CLI0003"]))
        known.keep_pending()  # committed
        assert sorted(known.ids().to_list()) == ["CLI0001", "CLI0003"]
    finally:
        con.close()


def test_same_files_for_two_centres_are_two_deliveries(home: Home, tmp_path: Path) -> None:
    folder = _delivery(tmp_path / "d", [client()], [contact()])
    [ulk] = load_paths(home, [folder])
    [pha] = load_paths(home, [folder], centre="PHA")
    assert not pha.already_loaded and pha.delivery_id != ulk.delivery_id
    assert query(home, "SELECT _centre, count(*) FROM raw.clients GROUP BY 1 ORDER BY 1") == [("PHA", 1), ("ULK", 1)]


def test_a_folder_of_deliveries_loads_them_in_name_order(home: Home, tmp_path: Path) -> None:
    parent = tmp_path / "exports"
    _delivery(parent / "2023-02", [client("CLI0001", Pohlaví="muž")], [])
    _delivery(parent / "2023-01", [client("CLI0001")], [])
    (parent / "generator-manifest.json").write_text("{}")
    reports = load_paths(home, [parent])
    assert [Path(r.source).name for r in reports] == ["2023-01", "2023-02"]
    assert query(home, "SELECT sex FROM raw.clients ORDER BY _load_seq DESC LIMIT 1") == [("male",)]


def test_paths_load_in_the_order_given(home: Home, tmp_path: Path) -> None:
    later = _delivery(tmp_path / "a", [client(Pohlaví="muž")], [])
    earlier = _delivery(tmp_path / "b", [client()], [])
    load_paths(home, [later, earlier])
    assert query(home, "SELECT sex FROM raw.clients ORDER BY _load_seq") == [("male",), ("female",)]


def test_a_failure_mid_delivery_leaves_nothing_of_it(home: Home, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    load_paths(home, [_delivery(tmp_path / "ok", [client("CLI0001")], [contact("K1")])])
    before = _counts(home)
    real_insert = loader_module._Batch._insert_rows
    calls = []

    def failing_after_first_file(self, export, delivered, loaded):  # type: ignore[no-untyped-def]
        calls.append(export.name)
        if len(calls) == 2:  # clients are already inserted in this transaction
            raise OSError("disk full (injected)")
        return real_insert(self, export, delivered, loaded)

    monkeypatch.setattr(loader_module._Batch, "_insert_rows", failing_after_first_file)
    failing = _delivery(tmp_path / "failing", [client("CLI0002"), client("CLI0003")], [contact("K2", "CLI0002")])
    with pytest.raises(OSError, match="injected"):
        load_paths(home, [failing])
    assert calls == ["klienti", "kontakty"]
    assert _counts(home) == before
    monkeypatch.undo()
    [report] = load_paths(home, [failing])  # and it loads fine afterwards
    assert not report.already_loaded and report.rows_loaded == 3


_KILL_AFTER_INSERTS = """
import os, signal, sys
from pathlib import Path
from pipelines.home import Home
from pipelines.ingest import load_paths
from pipelines.ingest import loader

real_insert = loader._Batch._insert_rows
def insert_then_die(self, export, delivered, loaded):
    real_insert(self, export, delivered, loaded)
    if export.name == "kontakty":  # clients and contacts are written, nothing is committed
        os.kill(os.getpid(), signal.SIGKILL)
loader._Batch._insert_rows = insert_then_die
load_paths(Home(Path(sys.argv[1])), [Path(sys.argv[2])])
"""


def test_a_process_killed_mid_load_leaves_the_warehouse_as_before(home: Home, tmp_path: Path) -> None:
    load_paths(home, [_delivery(tmp_path / "ok", [client("CLI0001")], [contact("K1")])])
    before = _counts(home)
    clients = [client(f"CLI{i:06d}") for i in range(5_000)]
    big = _delivery(tmp_path / "big", clients, [contact(f"K{i}", f"CLI{i % 5_000:06d}") for i in range(20_000)])
    env = os.environ | {"PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    process = subprocess.run([sys.executable, "-c", _KILL_AFTER_INSERTS, str(home.root), str(big)], env=env,
                             capture_output=True, text=True, timeout=300)
    assert process.returncode == -signal.SIGKILL, process.stderr
    assert _counts(home) == before
    [report] = load_paths(home, [big])  # the delivery was never recorded, so it loads in full now
    assert not report.already_loaded
    assert _counts(home)["raw.contacts"] == before["raw.contacts"] + 20_000


def test_cli_prints_the_per_file_summary(home: Home, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _delivery(tmp_path / "2023-01", [client(), client("bad")], [contact()])
    assert main(["--home", str(home.root), "load", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "klienti.csv   loaded     2       1            1         0" in out
    assert "kontakty.csv  loaded     1       1            0         0" in out
    assert main(["--home", str(home.root), "load", str(folder)]) == 0
    assert "already loaded" in capsys.readouterr().out


def test_cli_exits_non_zero_when_a_file_is_rejected(home: Home, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    folder = _delivery(tmp_path / "2023-01", [client()], [])
    (folder / "kontakty.csv").write_text("ID kontaktu;Datum\nK1;1.1.2023\n")
    assert main(["--home", str(home.root), "load", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "kontakty.csv: the required columns 'ID klienta', 'Služba' are missing" in err
    assert query(home, "SELECT count(*) FROM raw.clients") == [(1,)]


def test_a_locked_raw_layer_is_a_clear_error(home: Home, tmp_path: Path) -> None:
    folder = _delivery(tmp_path / "d", [client()], [])
    load_paths(home, [folder])
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('held', flush=True); "
         "sys.stdin.read()", str(home.raw_db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(ReachError, match="is another load, build or check running"):
            load_paths(home, [_delivery(tmp_path / "e", [client("CLI0002")], [])])
    finally:
        holder.communicate("")


def test_messy_deliveries_with_quarantined_rows_and_orphans_load(home: Home, tmp_path: Path) -> None:
    """Filtered, screened rows judged for orphans: polars 2.1 panicked formatting the orphan warnings
    of a frame whose columns were chunked differently (the loaded rows are now one chunk per column)."""
    from datetime import date

    from pipelines.generate import Manifest, generate_sample

    generate_sample(tmp_path / "s", clients=1500, months=2, start=date(2023, 1, 1), seed=5, messy=True,
                    messy_rate=0.05)
    reports = load_paths(home, Manifest.read(tmp_path / "s").delivery_paths())
    assert all(r.rows_quarantined > 0 for r in reports)
    assert all(r.rows_read == r.rows_loaded + r.rows_quarantined for r in reports)
    assert query(home, "SELECT count(*) FROM meta.load_warnings WHERE kind = 'orphan'")[0][0] > 0
