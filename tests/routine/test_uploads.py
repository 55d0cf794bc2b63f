"""The upload store (issue 15 item 1): refusals before reading, storage, and the loader's summary."""

from __future__ import annotations

import hashlib
import io
import json
import stat
from pathlib import Path

import pytest

from dashboard.routine.routes import load_progress
from dashboard.routine.views import upload_progress
from pipelines import audit
from pipelines.formatting import fmt_int
from pipelines.generate import generate_sample
from pipelines.home import Home
from pipelines.ingest import load_paths
from pipelines.ingest.raw_schema import connect_raw_layer
from pipelines.ingest.report import LoadProgress
from pipelines.uploads import (
    UploadedFile,
    UploadLimits,
    UploadRefused,
    file_name,
    quarantined_rows,
    upload_delivery,
)
from reach.commands.demo import deliveries_in

ACTOR = audit.Actor("steward", "analyst", "10.0.0.7")


class Unreadable(io.RawIOBase):
    """A stream that fails the test if anything reads it."""

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the upload was read before it was refused")

    readinto = read


def _refused(home: Home, files: list[UploadedFile], limits: UploadLimits, match: str) -> None:
    with pytest.raises(UploadRefused, match=match):
        upload_delivery(home, files, centre="ULK", actor=ACTOR, limits=limits)
    assert not home.uploads_dir.exists() or list(home.uploads_dir.iterdir()) == []
    assert not home.raw_db.exists()
    assert audit.read(home).entries == []


def test_an_oversized_upload_is_refused_before_reading(tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    limits = UploadLimits(max_bytes=1000)
    _refused(home, [UploadedFile.from_stream("klienti.csv", Unreadable(), 600),
                    UploadedFile.from_stream("kontakty.csv", Unreadable(), 600)], limits, "more than the limit")


def test_a_wrong_type_is_refused_before_reading(tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    for name, match in (("klienti.exe", "not a file of the export format"), ("export.tar.gz", "'.gz'"),
                        ("klienti", "'none'"), (".hidden.csv", "not a file name"), ("..", "not a file name")):
        _refused(home, [UploadedFile.from_stream(name, Unreadable(), 10)], UploadLimits(), match)
    _refused(home, [UploadedFile.from_stream("a.zip", Unreadable(), 10),
                    UploadedFile.from_stream("klienti.csv", Unreadable(), 10)], UploadLimits(), "mixes zips")
    _refused(home, [UploadedFile.from_stream("Klienti.csv", Unreadable(), 10),
                    UploadedFile.from_stream("klienti.CSV", Unreadable(), 10)], UploadLimits(), "Two files")


def test_a_path_is_reduced_to_its_file_name() -> None:
    assert file_name("../../etc/passwd.csv") == "passwd.csv"
    assert file_name("C:\\fakepath\\Klienti.xlsx") == "Klienti.xlsx"


def test_a_stream_longer_than_declared_is_cut_off_and_nothing_kept(tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    liar = UploadedFile.from_stream("klienti.csv", io.BytesIO(b"x" * 5000), 10)
    _refused(home, [liar], UploadLimits(max_bytes=1000), "larger than it said")


@pytest.fixture(scope="module")
def messy_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("messy") / "out"
    generate_sample(out, clients=150, months=3, seed=4, messy=True)
    return out


def _upload_files(delivery: Path) -> list[UploadedFile]:
    if delivery.is_file():  # a zip of a delivery
        return [UploadedFile.from_stream(delivery.name, delivery.open("rb"), delivery.stat().st_size)]
    return [UploadedFile.from_bytes(p.name, p.read_bytes()) for p in sorted(delivery.iterdir()) if p.is_file()]


def _files(report_files: list[dict]) -> list[tuple]:
    return sorted((f["file"], f["status"], f["rows_read"], f["rows_loaded"], f["rows_quarantined"], f["warnings"],
                   f["sha256"]) for f in report_files)


def test_a_messy_delivery_gives_the_summary_of_reach_load(messy_sample: Path, tmp_path: Path) -> None:
    deliveries = [Path(p) for p in deliveries_in(messy_sample)]
    assert any(p.suffix == ".zip" for p in deliveries), "the messy sample should hold a zip"

    by_cli = Home(tmp_path / "cli")
    cli_reports = load_paths(by_cli, deliveries, centre="ULK")
    by_upload = Home(tmp_path / "upload")
    events: list[LoadProgress] = []
    summaries = [upload_delivery(by_upload, _upload_files(d), centre="ULK", actor=ACTOR, progress=events.append)
                 for d in deliveries]

    uploaded = [d for s in summaries for d in s["deliveries"]]
    assert len(uploaded) == len(cli_reports)
    assert sum(d["rows_quarantined"] for d in uploaded) > 0, "the messy sample should quarantine rows"
    dialects = {(f["format"], f["encoding"], f["delimiter"]) for d in uploaded for f in d["files"]
                if f["status"] == "loaded"}
    assert {"csv", "xlsx"} <= {fmt for fmt, _, _ in dialects}
    assert len(dialects) >= 3, f"the messy sample should hold several dialects, not only {dialects}"
    with connect_raw_layer(str(by_cli.raw_db), read_only=True) as cli_con:
        for report, summary in zip(cli_reports, uploaded, strict=True):
            assert summary["delivery_id"] == report.delivery_id  # same files, same centre: the same delivery
            expected = [{"file": f.file_name, "status": f.status, "rows_read": f.rows_read,
                         "rows_loaded": f.rows_loaded, "rows_quarantined": f.rows_quarantined,
                         "warnings": f.warnings, "sha256": f.sha256} for f in report.files]
            assert _files(summary["files"]) == _files(expected)
            for f in summary["files"]:
                assert f["rows_read"] == f["rows_loaded"] + f["rows_quarantined"]
            rows = cli_con.execute("SELECT file_name, source_row, column_name, value, reason FROM meta.quarantine "
                                   "WHERE delivery_id = ? ORDER BY ALL", [report.delivery_id]).fetchall()
            shown = [(q["file"], q["row"], q["column"], q["value"], q["reason"]) for q in summary["quarantine"]]
            assert sorted(shown, key=repr) == sorted(rows, key=repr)
            unknown = cli_con.execute("SELECT count(*) FROM meta.load_warnings WHERE delivery_id = ? "
                                      "AND kind = 'unknown_value'", [report.delivery_id]).fetchall()[0][0]
            assert sum(u["rows"] for u in summary["unknown_values"]) == unknown
    assert quarantined_rows(by_upload, uploaded[0]["delivery_id"]) == uploaded[0]["quarantine"]

    # Progress: once per file, counting up to every file, rows as read.
    assert events and events[-1].files_done == events[-1].files_total
    assert [e.files_done for e in events[: events[0].files_total]] == list(range(1, events[0].files_total + 1))
    # ... as the Deliveries page draws each report: files done of all, rows read, and the bar.
    for event in events:
        drawn = json.dumps(upload_progress(load_progress(event), "en"), default=lambda c: c.to_plotly_json(),
                           ensure_ascii=False)
        assert (f"{event.files_done} of {event.files_total} files loaded (last {event.file_name}), "
                f"{fmt_int(event.rows_read, 'en')} rows read") in drawn
        assert f'"max": "{event.files_total}", "value": "{event.files_done}"' in drawn

    # Audited: each upload and each delivery it loaded, by the steward.
    log = audit.read(by_upload).entries
    assert [e.action for e in log].count("delivery.upload") == len(deliveries)
    assert {e.object for e in log if e.action == "delivery.load"} == {f"delivery {r.delivery_id}" for r in cli_reports}
    assert {e.user for e in log} == {"steward"}


def test_stored_files_keep_their_hash_and_are_never_executable(messy_sample: Path, tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    folder = next(p for p in sorted(messy_sample.iterdir()) if p.is_dir())
    files = _upload_files(folder)
    summary = upload_delivery(home, files, centre="ULK", actor=ACTOR)
    [stored] = [p for p in home.uploads_dir.iterdir() if p.is_dir()]
    assert stored.name == summary["upload"]
    manifest = json.loads(stored.with_name(stored.name + ".json").read_text(encoding="utf-8"))
    assert manifest["uploaded_by"] == "steward" and manifest["centre"] == "ULK"
    for entry in manifest["files"]:
        data = (stored / entry["name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert data == (folder / entry["name"]).read_bytes()
    for path in [stored, *stored.iterdir()]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, f"{path} is readable by others"
        if path.is_file():
            assert mode & 0o111 == 0, f"{path} is executable"
    combined = hashlib.sha256("".join(f"{e['name']}\n{e['sha256']}\n" for e in sorted(
        manifest["files"], key=lambda e: e["name"])).encode()).hexdigest()
    assert stored.name.endswith("-" + combined[:12])
    # Uploading the same files again: recognised as already loaded, as `reach load` does.
    again = upload_delivery(home, _upload_files(folder), centre="ULK", actor=ACTOR)
    assert [d["already_loaded"] for d in again["deliveries"]] == [True]
