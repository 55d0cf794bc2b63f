"""The Deliveries page's upload route and quarantine download over HTTP (Flask's test client), and the trace.

The upload goes through the real route with a signed-in analyst: refusals before the body is
read (length, type, role, centre, token), the same summary as `reach load`, the quarantine CSV
neutralised and audited. The trace of a KPI under a filter (contacts, events) adds up, file by
file, to the rows of the raw layer that make up the figure.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import pytest

from dashboard.routine import views
from dashboard.routine.jobs import DONE, RUNNING, Job
from dashboard.routine.routes import QUARANTINE_PATH, UPLOAD_PATH, quarantine_csv
from dashboard.routine.texts import rt
from expectations.spec import load_suites
from pipelines import audit
from pipelines.access import EVERYTHING, Scope
from pipelines.build_progress import BUILD_STEPS, DBT, PUBLISHED, BuildProgress, BuildReport
from pipelines.errors import ReachError
from pipelines.generate import generate_sample
from pipelines.home import Home
from pipelines.ingest import load_paths
from pipelines.ingest.raw_schema import connect_raw_layer
from pipelines.metrics import MetricQuery, Protection, compute, open_warehouse
from pipelines.metrics.protection import RECORDS_MIN_PEOPLE
from pipelines.metrics.trace import trace_figure
from reach.commands.demo import deliveries_in
from reach.dashboard import create_dashboard
from support.access import ensure_account, signed_in_client
from support.quality import copy_home


@pytest.fixture(scope="module")
def routine_home(published_home: Home, tmp_path_factory: pytest.TempPathFactory) -> Home:
    return copy_home(published_home, tmp_path_factory.mktemp("routine") / "home")


@pytest.fixture(scope="module")
def app(routine_home: Home):
    return create_dashboard(routine_home)


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("messy") / "out"
    generate_sample(out, clients=120, months=2, seed=11, messy=True)
    return out


def _post(client, files: list[tuple[bytes | io.IOBase, str]], centre: str = "ULK", **headers: str):
    data = {"files": [(content if not isinstance(content, bytes) else io.BytesIO(content), name)
                      for content, name in files]}
    return client.post(f"{UPLOAD_PATH}?centre={centre}", data=data, content_type="multipart/form-data",
                       headers=headers)


def _finished(jobs, job_id: str, timeout: float = 120):
    job = jobs.get(job_id)
    jobs.wait(job, timeout)
    assert job.state != RUNNING
    return job


def _nothing_stored(home: Home) -> bool:
    return not home.uploads_dir.exists() or not [p for p in home.uploads_dir.iterdir()]


def test_refusals_come_before_the_upload_is_read(app, routine_home: Home, monkeypatch) -> None:
    analyst = signed_in_client(app, routine_home, "analyst")
    # A file type outside the contract: refused at its part header, nothing kept.
    answer = _post(analyst, [(b"MZ\x90\x00", "tool.exe")])
    assert answer.status_code == 400 and "not a file of the export format" in answer.get_json()["error"]
    # More than the limit: refused from the declared length, before the body.
    monkeypatch.setenv("REACH_UPLOAD_MAX_MB", "0.01")
    answer = _post(analyst, [(b"x" * 2_000_000, "klienti.csv")])
    assert answer.status_code == 413 and "more than the limit" in answer.get_json()["error"]
    monkeypatch.delenv("REACH_UPLOAD_MAX_MB")
    # A centre outside the analyst's scope; no CSRF token; a coordinator.
    assert _post(analyst, [(b"a;b\n", "klienti.csv")], centre="LBK").status_code == 403
    coordinator = signed_in_client(app, routine_home, "coordinator")
    assert _post(coordinator, [(b"a;b\n", "klienti.csv")]).status_code == 403
    assert _post(analyst, [(b"a;b\n", "klienti.csv")], **{"X-CSRFToken": "forged"}).status_code == 400
    assert _nothing_stored(routine_home)
    assert not any(e.action.startswith("delivery.") for e in audit.read(routine_home).entries)


def test_an_upload_through_the_route_gives_the_summary_of_reach_load(app, routine_home: Home, messy: Path,
                                                                   tmp_path: Path) -> None:
    analyst = signed_in_client(app, routine_home, "analyst")
    deliveries = [Path(p) for p in deliveries_in(messy)]
    zipped = next(p for p in deliveries if p.suffix == ".zip")
    folder = next(p for p in deliveries if p.is_dir())
    by_cli = {r.delivery_id: r for r in load_paths(Home(tmp_path / "cli"), [folder, zipped], centre="ULK")}
    jobs = app.server.extensions["reach_jobs"]
    summaries = []
    for files in ([(p.open("rb"), p.name) for p in sorted(folder.iterdir())], [(zipped.open("rb"), zipped.name)]):
        answer = _post(analyst, files)
        assert answer.status_code == 202, answer.get_json()
        job = _finished(jobs, answer.get_json()["job"])
        assert job.error == "" and job.progress["files_done"] == job.progress["files_total"]
        summaries += job.result["deliveries"]
    assert {d["delivery_id"] for d in summaries} == set(by_cli)
    assert sum(d["rows_quarantined"] for d in summaries) > 0
    for summary in summaries:
        report = by_cli[summary["delivery_id"]]
        assert sorted((f["file"], f["status"], f["rows_read"], f["rows_loaded"], f["rows_quarantined"], f["warnings"])
                      for f in summary["files"]) == sorted(
            (f.file_name, f.status, f.rows_read, f.rows_loaded, f.rows_quarantined, f.warnings) for f in report.files)
    # The quarantine as CSV: every row, neutralised, audited; another centre's analyst gets nothing.
    quarantined = next(d for d in summaries if d["rows_quarantined"])
    answer = analyst.get(f"{QUARANTINE_PATH}?delivery={quarantined['delivery_id']}")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["file", "row", "column", "value", "reason"]
    assert len(rows) - 1 == quarantined["rows_quarantined"]
    assert audit.read(routine_home).entries[-1].action == "export.download"
    ensure_account(routine_home, "analyst", name="lbk-analyst", centres=("LBK",))
    other = signed_in_client(app, routine_home, "analyst", name="lbk-analyst", centres=("LBK",))
    assert other.get(f"{QUARANTINE_PATH}?delivery={quarantined['delivery_id']}").status_code == 404
    # Never served back: no route gives a stored file (an unknown path is the app's page or a 404).
    stored = next(p for p in routine_home.uploads_dir.iterdir() if p.is_dir())
    kept = next(stored.iterdir())
    assert kept.read_bytes()[:200] not in analyst.get(f"/uploads/{stored.name}/{kept.name}").get_data()


def test_the_quarantine_csv_neutralises_formulas() -> None:
    text = quarantine_csv([{"file": "kontakty.csv", "row": 3, "column": "datum", "value": "=HYPERLINK(1)",
                            "reason": "not a date"}])
    assert "'=HYPERLINK(1)" in text and text.startswith("\ufeff")


def test_a_build_from_the_dashboard_runs_once_at_a_time_and_is_audited(routine_home: Home) -> None:
    started = []

    def slow_build(home: Home, progress: BuildReport) -> str:  # the real build's steps: the next test
        started.append(home)
        progress(BuildProgress(DBT, 3, 10))
        time.sleep(1.5)
        return "Build X published."

    from dashboard.app import create_app
    from dashboard.auth.config import AccessConfig
    from reach.dashboard import WRITERS

    app = create_app(routine_home, WRITERS, AccessConfig.load(routine_home), slow_build)
    analyst = signed_in_client(app, routine_home, "analyst")
    first = _start_build(app, analyst)
    second = _start_build(app, analyst)
    assert "Sestavení běží" in first and "Sestavení už běží" in second
    # The second request shows the running build's progress: its step, what of it is done, the bar.
    assert "Krok 1 z 4: sestavení modelů (dbt) – hotovo 3 z 10 modelů" in second
    assert '"max": "4", "value": "0.3", "aria-labelledby": "build-step"' in second
    jobs = app.server.extensions["reach_jobs"]
    _finished(jobs, jobs.latest("build").id)
    assert len(started) == 1
    actions = [e.action for e in audit.read(routine_home).entries]
    assert actions.count("build.start") == 1 and actions[-1] == "build.published"
    coordinator = signed_in_client(app, routine_home, "coordinator")
    assert "Sestavení" not in _start_build(app, coordinator)


def test_a_build_job_reports_its_steps_in_order_ending_published(routine_home: Home) -> None:
    """The real build (reach.dashboard.build_from_dashboard) started from the page: what the job holds
    after each of the build's reports, and what the page draws of it."""
    from dashboard.app import create_app
    from dashboard.auth.config import AccessConfig
    from reach.dashboard import WRITERS, build_from_dashboard

    held: list[dict] = []

    def watched_build(home: Home, progress: BuildReport) -> str:
        job = jobs.latest("build")

        def report(step: BuildProgress) -> None:
            progress(step)
            held.append(dict(job.progress))

        return build_from_dashboard(home, report)

    app = create_app(routine_home, WRITERS, AccessConfig.load(routine_home), watched_build)
    jobs = app.server.extensions["reach_jobs"]
    assert "Sestavení" in _start_build(app, signed_in_client(app, routine_home, "analyst"))
    job = _finished(jobs, jobs.latest("build").id, 900)
    assert job.state == DONE, job.error
    assert job.result.startswith("Build ") and job.progress["step"] == PUBLISHED
    steps = [p["step"] for i, p in enumerate(held) if i == 0 or held[i - 1]["step"] != p["step"]]
    assert steps == [*BUILD_STEPS, PUBLISHED]
    assert [p["number"] for p in held] == sorted(p["number"] for p in held)
    assert [p["completed"] for p in held] == sorted(p["completed"] for p in held) and held[-1]["completed"] == 4
    for step in ("dbt", "gate"):  # counted one by one up to all: dbt's nodes, the gate's suites
        counted = [p for p in held if p["step"] == step and p["total"]]
        assert [p["done"] for p in counted] == list(range(counted[-1]["total"] + 1)), step
    assert next(p for p in held if p["step"] == "gate" and p["total"])["total"] == len(load_suites())
    # Each step as the page draws it while it runs.
    for progress in held:
        running = Job("x", "build", "analyst", "", job.started, progress=progress)
        drawn = json.dumps(views.build_status(running, "cs", routine_home.quality_dir, EVERYTHING),
                           default=lambda c: c.to_plotly_json(), ensure_ascii=False)
        assert f"Krok {progress['number']} z 4: {rt('build_step_' + progress['step'], 'cs')}" in drawn
        assert f'"max": "4", "value": "{progress["completed"]:.3f}'.rstrip("0").rstrip(".") in drawn
    assert [e.action for e in audit.read(routine_home).entries][-1] == "build.published"


def _start_build(app, client) -> str:
    output = next(key for key in app.callback_map if key.startswith("build-status.children@"))
    payload = {"output": output, "outputs": {"id": "build-status", "property": output.split(".", 1)[1]},
               "inputs": [{"id": "build-start", "property": "n_clicks", "value": 1}],
               "state": [{"id": "url", "property": "search", "value": ""},
                         {"id": "url", "property": "pathname", "value": "/deliveries"}],
               "changedPropIds": ["build-start.n_clicks"]}
    answer = client.post("/_dash-update-component", json=payload)
    return json.dumps(answer.get_json(), ensure_ascii=False) if answer.status_code == 200 else ""


# --- trace ------------------------------------------------------------------------------------------

PERIOD = (date(2022, 8, 1), date(2023, 1, 31))


def _raw_contact_rows(home: Home, service: str, sex: str) -> dict[tuple[str, str], int]:
    """The contacts that count, from the raw layer: the latest version of each, not retracted, whose
    client's latest version exists and is not retracted, dated in the period, of `service` and `sex`."""
    con = connect_raw_layer(str(home.raw_db), read_only=True)
    try:
        rows = con.execute("""
            WITH contacts AS (SELECT * FROM raw.contacts QUALIFY row_number() OVER (
                     PARTITION BY _centre, contact_id ORDER BY _load_seq DESC, _source_row DESC) = 1),
                 clients AS (SELECT * FROM raw.clients QUALIFY row_number() OVER (
                     PARTITION BY _centre, client_id ORDER BY _load_seq DESC, _source_row DESC) = 1)
            SELECT k._delivery_id, k._file_name, count(*)
            FROM contacts k JOIN clients c ON c._centre = k._centre AND c.client_id = k.client_id
            WHERE NOT coalesce(k.deleted, false) AND NOT coalesce(c.deleted, false)
              AND k.contact_date BETWEEN ? AND ? AND k.service = ? AND c.sex = ?
            GROUP BY ALL""", [*PERIOD, service, sex]).fetchall()
    finally:
        con.close()
    return {(d, f): n for d, f, n in rows}


def test_a_traced_kpi_adds_up_to_its_rows_in_the_raw_layer(published_home: Home) -> None:
    con = open_warehouse(published_home)
    try:
        [(service,)] = con.execute("SELECT service FROM fct_contacts GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
                                   ).fetchall()
        where = {"service": (service,), "sex": ("female",)}
        query = MetricQuery(date_from=PERIOD[0], date_to=PERIOD[1], metrics=("contacts",), where=where,
                            protection=Protection.EXACT, scope=Scope(frozenset({"ULK"})))
        exact = trace_figure(con, query)
        expected = _raw_contact_rows(published_home, service, "female")
        assert {(f.delivery_id, f.file_name): f.rows for f in exact.files} == expected
        assert exact.rows_shown == sum(expected.values()) == exact.figure == compute(con, query).frame["contacts"][0]
        assert all(len(f.sha256) == 64 and f.centre == "ULK" and f.loaded_at for f in exact.files)
        # Protected: the same files, counts perturbed by the cell key method or not shown, never below 5 people.
        protected = trace_figure(con, MetricQuery(date_from=PERIOD[0], date_to=PERIOD[1], metrics=("contacts",),
                                                  where=where, scope=Scope(frozenset({"ULK"}))))
        assert [(f.delivery_id, f.file_name) for f in protected.files] == [(f.delivery_id, f.file_name)
                                                                           for f in exact.files]
        for shown, true in zip(protected.files, exact.files, strict=True):
            assert shown.rows is None or abs(shown.rows - true.rows) <= 5
        # A view of a handful of people lists no delivery at all; another centre's scope sees nothing.
        tiny = trace_figure(con, MetricQuery(date_from=PERIOD[0], date_to=PERIOD[0], metrics=("contacts",),
                                             where=where, scope=EVERYTHING))
        assert tiny.sparse and tiny.files == ()
        other = trace_figure(con, MetricQuery(date_from=PERIOD[0], date_to=PERIOD[1], metrics=("contacts",),
                                              where=where, protection=Protection.EXACT,
                                              scope=Scope(frozenset({"LBK"}))))
        assert other.files == ()
    finally:
        con.close()


def _raw_event_rows(home: Home, audience: str) -> dict[tuple[str, str], int]:
    """The events that count, from the raw layer: the latest version of each, not retracted, dated in
    the period, of `audience`, per delivery file."""
    con = connect_raw_layer(str(home.raw_db), read_only=True)
    try:
        rows = con.execute("""
            WITH events AS (SELECT * FROM raw.events QUALIFY row_number() OVER (
                     PARTITION BY _centre, event_id ORDER BY _load_seq DESC, _source_row DESC) = 1)
            SELECT _delivery_id, _file_name, count(*) FROM events
            WHERE _centre = 'ULK' AND NOT coalesce(deleted, false) AND event_date BETWEEN ? AND ? AND audience = ?
            GROUP BY ALL""", [*PERIOD, audience]).fetchall()
    finally:
        con.close()
    return {(d, f): n for d, f, n in rows}


def test_a_traced_event_kpi_adds_up_to_its_events_in_the_raw_layer(published_home: Home) -> None:
    con = open_warehouse(published_home)
    try:
        [(audience,)] = con.execute("SELECT audience FROM fct_events GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
                                    ).fetchall()
        where = {"audience": (audience,), "sex": ("female",)}  # sex names people: not an event's filter
        query = MetricQuery(date_from=PERIOD[0], date_to=PERIOD[1], metrics=("events",), where=where,
                            protection=Protection.EXACT, scope=Scope(frozenset({"ULK"})))
        exact = trace_figure(con, query)
        expected = _raw_event_rows(published_home, audience)
        assert exact.applied == {"audience": (audience,)} and exact.ignored == ("sex",)
        assert {(f.delivery_id, f.file_name): f.rows for f in exact.files} == expected
        assert len(expected) > 1 and all(name == "akce.csv" for _, name in expected)
        assert exact.rows_shown == sum(expected.values()) == exact.figure == compute(
            con, MetricQuery(date_from=PERIOD[0], date_to=PERIOD[1], metrics=("events",),
                             where={"audience": (audience,)}, protection=Protection.EXACT,
                             scope=Scope(frozenset({"ULK"})))).frame["events"][0]
        assert all(len(f.sha256) == 64 and f.centre == "ULK" and f.loaded_at for f in exact.files)
        # A head count is traced to the same events: its rows are the events, not the people counted.
        attendance = trace_figure(con, MetricQuery(date_from=PERIOD[0], date_to=PERIOD[1],
                                                   metrics=("event_attendance",), where=where,
                                                   protection=Protection.EXACT, scope=Scope(frozenset({"ULK"}))))
        assert attendance.files == exact.files and not attendance.names_people
        # Protected: the same files; a count is perturbed and shown only from 5 events, so a file of 1 or 2
        # events (at most 4 once perturbed) is never shown.
        protected = trace_figure(con, MetricQuery(date_from=PERIOD[0], date_to=PERIOD[1], metrics=("events",),
                                                  where=where, scope=Scope(frozenset({"ULK"}))))
        assert [(f.delivery_id, f.file_name) for f in protected.files] == [(f.delivery_id, f.file_name)
                                                                           for f in exact.files]
        assert any(f.rows <= 2 for f in exact.files), "the sample has a file of few events to withhold"
        for shown, true in zip(protected.files, exact.files, strict=True):
            assert shown.rows is None or (shown.rows >= RECORDS_MIN_PEOPLE and abs(shown.rows - true.rows) <= 3)
            assert true.rows > 2 or shown.rows is None
    finally:
        con.close()


def test_an_event_trace_on_a_warehouse_built_before_events_kept_their_lineage_asks_for_a_rebuild(
        published_home: Home, tmp_path: Path) -> None:
    old = tmp_path / "warehouse.duckdb"
    shutil.copy(published_home.warehouse_db, old)
    con = duckdb.connect(str(old))
    try:
        for column in ("_delivery_id", "_load_seq", "_file_name", "_file_sha256", "_source_row"):
            con.execute(f"ALTER TABLE intermediate.int_events DROP COLUMN {column}")
        query = MetricQuery(date_from=PERIOD[0], date_to=PERIOD[1], metrics=("events",), scope=EVERYTHING)
        with pytest.raises(ReachError, match="Rebuild it with reach build"):
            trace_figure(con, query)
        assert trace_figure(con, replace(query, metrics=("contacts",))).files  # the other families still trace
    finally:
        con.close()


def test_a_large_file_streams_to_the_spool_in_chunks(tmp_path: Path) -> None:
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    from dashboard.routine.routes import receive
    from pipelines.uploads import UploadLimits, UploadRefused

    content = b"id;x\n" + b"".join(b"%d;%s\n" % (i, b"y" * 40) for i in range(80_000))  # ~3.5 MB
    boundary, body = encode_multipart({"files": FileStorage(io.BytesIO(content), "kontakty.csv")},
                                      boundary="b0undary")
    spool = tmp_path / "spool"
    spool.mkdir()
    [(name, path)] = receive(io.BytesIO(body), boundary, spool, UploadLimits())
    assert name == "kontakty.csv" and path.read_bytes() == content
    with pytest.raises(UploadRefused, match="larger than the limit"):
        receive(io.BytesIO(body), boundary, tmp_path, UploadLimits(max_bytes=1_000_000))


SCHEDULE_FIELDS = ("id", "report", "centres", "period", "recipients", "when", "lang", "framework")


def _save_schedule(app, client, values: dict[str, str]) -> dict:
    key = next(k for k in app.callback_map if k.startswith("..schedule-list"))
    outputs = [{"id": o.split(".")[0], "property": o.split(".")[1]} for o in key.strip(".").split("...")]
    payload = {"output": key, "outputs": outputs,
               "inputs": [{"id": "schedule-save", "property": "n_clicks", "value": 1},
                          {"id": "schedule-new", "property": "n_clicks", "value": None}, [], []],
               "state": [{"id": f"schedule-{f}", "property": "value", "value": values.get(f)} for f in SCHEDULE_FIELDS]
               + [{"id": "schedule-version", "property": "data", "value": ""},
                  {"id": "schedule-editing", "property": "data", "value": None},
                  {"id": "url", "property": "search", "value": ""},
                  {"id": "url", "property": "pathname", "value": "/schedules"}],
               "changedPropIds": ["schedule-save.n_clicks"]}
    answer = client.post("/_dash-update-component", json=payload)
    return answer.get_json()["response"] if answer.status_code == 200 else {}


def test_the_schedules_page_adds_an_entry_and_names_the_bad_field(app, routine_home: Home) -> None:
    admin = signed_in_client(app, routine_home, "admin")
    entry = {"id": "board-monthly", "report": "board-pdf", "centres": "ULK", "period": "previous month",
             "recipients": "vedeni@example.cz", "when": "0 7 32 * *", "lang": "cs"}
    refused = _save_schedule(app, admin, entry)
    assert "not a cron expression" in refused["schedule-when-error"]["children"]
    assert refused["schedule-id-error"]["children"] == "" and not routine_home.schedule_file.exists()
    saved = _save_schedule(app, admin, {**entry, "when": "0 7 3 * *"})
    assert "board-monthly" in json.dumps(saved["schedule-list"])
    assert "board-monthly" in routine_home.schedule_file.read_text(encoding="utf-8")
    assert audit.read(routine_home).entries[-1].action == "schedule.add"
    analyst = signed_in_client(app, routine_home, "analyst")  # not the analyst's page: nothing changes
    assert _save_schedule(app, analyst, {**entry, "id": "other", "when": "0 7 3 * *"}) == {}
    assert "other" not in routine_home.schedule_file.read_text(encoding="utf-8")


def _open_trace(client, metric: str, search: str, privacy: list[str]) -> str:
    button = {"card": f"kpi-{metric}", "metric": metric, "type": "trace"}
    payload = {"output": "trace-panel.children", "outputs": {"id": "trace-panel", "property": "children"},
               "inputs": [[{"id": button, "property": "n_clicks", "value": 1}], []],
               "state": [{"id": "url", "property": "pathname", "value": "/"},
                         {"id": "url", "property": "search", "value": search},
                         {"id": "privacy", "property": "value", "value": privacy}],
               "changedPropIds": [json.dumps(button, separators=(",", ":")) + ".n_clicks"]}
    answer = client.post("/_dash-update-component", json=payload)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    return json.dumps(answer.get_json(), ensure_ascii=False)


def test_the_trace_view_opens_from_a_kpi_card_protected_or_exact_and_audited(app, routine_home: Home) -> None:
    coordinator = signed_in_client(app, routine_home, "coordinator")
    shown = _open_trace(coordinator, "contacts", "?lang=en", [])  # a coordinator's "protection off" is ignored
    assert "Where the figure comes from: Contacts" in shown and "kontakty.csv" in shown
    assert "Row counts are protected" in shown and "Exact row counts" not in shown
    analyst = signed_in_client(app, routine_home, "analyst")
    exact = _open_trace(analyst, "contacts", "?lang=en", [])
    assert "Exact row counts" in exact
    entry = audit.read(routine_home).entries[-1]
    assert (entry.action, entry.object) == ("protection.off", "trace contacts")
    # Events name no one: a coordinator sees the events' files, counts withheld below 5 events.
    events = _open_trace(coordinator, "events", "?lang=en", [])
    assert "akce.csv" in events and "The rows are events" in events and "fewer than 5 events" in events
    assert "fewer than 5 people" not in events
