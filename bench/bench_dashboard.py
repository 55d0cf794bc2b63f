"""Dashboard latency: filter callbacks and first page load, beside plain DuckDB for the same figures.

    .venv/bin/python bench/bench_dashboard.py [--repeat 21] [--loads 5] [--scales regional national]
        [--home-regional DIR] [--home-national DIR] [--no-browser]

Warehouses: the same scales and generator parameters as bench/bench_metrics.py (regional ~4,400
clients, national ~44,000; 12 months from 2022-08), taken from its cache when present (copied, so
a rebuild there cannot disturb the figures here), else generated, loaded and built.

Measured per scale:
- filter callbacks: the page-rendering callback over HTTP (`POST /_dash-update-component`, as the
  browser sends it after a filter change, signed in through the sign-in form with the CSRF token)
  for the Overview and Reach pages, cycling through the district filter values; p50 and p95 of
  `--repeat` calls after one warm-up, as an admin (scope: everything, no scope condition in the
  SQL) and as a coordinator of the sample's centre (the scope applied below every filter),
  alternating call by call in one run so both see the same machine load; their p50/p95 ratio
  (target: within 10 %). Twice: a first view (the dashboard's result cache, dashboard/result_cache.py,
  emptied before every call, so every figure is computed: a view nobody asked for since the build;
  the names of before, `*_filter_callback`) and a repeat view (`*_filter_callback_cached`: every
  view asked once before, so the figures come from the cache and the time is drawing and sending);
- plain DuckDB: hand-written SQL for the Overview's figures as the admin sees them (six KPIs for
  the period and the comparison period, the monthly trend by target group, the project to date's
  six figures cumulative by month and, with two or more centres, the comparison of centres) on one
  open read-only connection, with the same district filter; p50 and p95; and the floor of before
  (KPIs and trend only, `*_kpis_and_trend_only`), which left out the project to date;
- first page load in headless Chromium (fresh browser session each time; p50 and p95 of `--loads`
  runs after one that warms the server): from submitting the sign-in form until the Overview's
  content is drawn and no callback is loading (the figure of before), until its charts are drawn
  (browser clock), the split of that time into its phases, and from navigating a signed-in session
  to the drawn Overview, with an empty and with a warm HTTP cache (`first_load`).
Writes bench/results/dashboard.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from _common import METRICS_CACHE, RESULTS_DIR, add_scale_arguments, machine, scale_home, write_results

from pipelines.reference.centres import centre

RESULTS = RESULTS_DIR / "dashboard.json"
CENTRE = "ULK"  # the sample's centre: the coordinator's scope
PASSWORD = "bench-password-not-secret"
# Every district of the centre's region (pipelines/reference), and none: the filters a coordinator cycles through.
DISTRICTS = (None, *(d.code for d in centre(CENTRE).districts()))
PERIOD = (date(2022, 8, 1), date(2023, 7, 31))
COMPARISON = (date(2021, 8, 1), date(2022, 7, 31))
# Issue 14's targets for the filter callbacks (every page, signed in) and their ratio to the plain queries.
TARGETS = {scale: {"callback_p95_s": p95, "ratio_callback_vs_plain_p50": 1.5}
           for scale, p95 in (("regional", 0.05), ("national", 0.15))}

# The fastest plain form of the same figures, as the metric layer reads them: people by person_code (one
# integer per client), the client's district and target group from the fact rows' copies (client_*,
# macros/client_attributes.sql), dim_client joined only for the registration of new clients.
_IN_DISTRICT = "($d IS NULL OR client_district = $d)"
PLAIN_KPIS = f"""
SELECT
  (SELECT count(DISTINCT person_code) FROM fct_activities
     WHERE active_from <= $to AND active_to >= $from AND {_IN_DISTRICT}) AS clients_reached,
  (SELECT count(*) FROM (SELECT DISTINCT person_code FROM fct_activities
     WHERE active_from <= $to AND active_to >= $from AND {_IN_DISTRICT}) JOIN dim_client USING (person_code)
     WHERE registered_on BETWEEN $from AND $to) AS new_clients,
  (SELECT count(*) FROM fct_contacts WHERE contact_date BETWEEN $from AND $to AND {_IN_DISTRICT}) AS contacts,
  (SELECT round(sum(duration_min) / 60.0, 1) FROM fct_contacts
     WHERE contact_date BETWEEN $from AND $to AND {_IN_DISTRICT}) AS service_hours,
  (SELECT count(DISTINCT person_code) FROM fct_course_enrolments
     WHERE starts_on <= $to AND course_active_to >= $from AND {_IN_DISTRICT}) AS course_participants,
  (SELECT count(DISTINCT person_code) FROM fct_outcomes
     WHERE outcome_date BETWEEN $from AND $to AND {_IN_DISTRICT}) AS clients_with_outcome
"""
PLAIN_TREND = f"""
SELECT month, target_group, count(DISTINCT person_code) AS clients_reached FROM (
  SELECT person_code, client_target_group AS target_group, strftime(unnest(generate_series(
      date_trunc('month', greatest(active_from, $from)), date_trunc('month', least(active_to, $to)),
      INTERVAL 1 MONTH)), '%Y-%m') AS month
  FROM fct_activities WHERE active_from <= $to AND active_to >= $from AND {_IN_DISTRICT})
GROUP BY ALL ORDER BY ALL
"""

# The project-to-date chart: the six targeted figures cumulative by month from the project's start ($from)
# to the last month with data ($to), each person counted from the first month they are in the figure
# (a new client from the later of their first activity and their registration), then running sums.
PLAIN_PROJECT = f"""
WITH months AS (SELECT unnest(generate_series(date_trunc('month', $from), date_trunc('month', $to),
                                              INTERVAL 1 MONTH)) AS month),
firsts AS (SELECT person_code, date_trunc('month', min(greatest(active_from, $from))) AS month FROM fct_activities
    WHERE active_from <= $to AND active_to >= $from AND {_IN_DISTRICT} GROUP BY person_code),
reached AS (SELECT month, count(*) AS n FROM firsts GROUP BY month),
new AS (SELECT greatest(f.month, date_trunc('month', c.registered_on)) AS month, count(*) AS n
    FROM firsts f JOIN dim_client c USING (person_code) WHERE c.registered_on BETWEEN $from AND $to GROUP BY 1),
contacts AS (SELECT date_trunc('month', contact_date) AS month, count(*) AS n, sum(duration_min) AS minutes
    FROM fct_contacts WHERE contact_date BETWEEN $from AND $to AND {_IN_DISTRICT} GROUP BY 1),
courses AS (SELECT month, count(*) AS n FROM (SELECT person_code, date_trunc('month', min(greatest(starts_on, $from)))
    AS month FROM fct_course_enrolments WHERE starts_on <= $to AND course_active_to >= $from AND {_IN_DISTRICT}
    GROUP BY person_code) GROUP BY month),
outcomes AS (SELECT month, count(*) AS n FROM (SELECT person_code, date_trunc('month', min(outcome_date)) AS month
    FROM fct_outcomes WHERE outcome_date BETWEEN $from AND $to AND {_IN_DISTRICT} GROUP BY person_code)
    GROUP BY month)
SELECT m.month,
  sum(coalesce(reached.n, 0)) OVER w AS clients_reached, sum(coalesce(new.n, 0)) OVER w AS new_clients,
  sum(coalesce(contacts.n, 0)) OVER w AS contacts, round(sum(coalesce(contacts.minutes, 0)) OVER w / 60.0, 1)
    AS service_hours,
  sum(coalesce(courses.n, 0)) OVER w AS course_participants, sum(coalesce(outcomes.n, 0)) OVER w AS clients_with_outcome
FROM months m LEFT JOIN reached USING (month) LEFT JOIN new USING (month) LEFT JOIN contacts USING (month)
  LEFT JOIN courses USING (month) LEFT JOIN outcomes USING (month)
WINDOW w AS (ORDER BY m.month) ORDER BY m.month
"""
# The comparison of centres (drawn where the warehouse has two or more): clients reached and new clients
# per centre, and reach per 1,000 foreign residents of each centre's clients' regions.
PLAIN_CENTRES = f"""
WITH people AS (SELECT DISTINCT centre, client_region AS region, person_code FROM fct_activities
    WHERE active_from <= $to AND active_to >= $from AND {_IN_DISTRICT})
SELECT people.centre, count(DISTINCT person_code) AS clients_reached,
  count(DISTINCT person_code) FILTER (WHERE c.registered_on BETWEEN $from AND $to) AS new_clients
FROM people JOIN dim_client c USING (person_code) GROUP BY people.centre
"""
PLAIN_RATES = f"""
SELECT p.centre, p.region, round(count(*) * 1000.0 / r.foreign_residents, 2) AS reach_per_1000_foreign
FROM (SELECT DISTINCT centre, client_region AS region, person_code FROM fct_activities
      WHERE active_from <= $to AND active_to >= $from AND {_IN_DISTRICT}) p
JOIN dim_region r ON r.code = p.region WHERE r.foreign_residents > 0 GROUP BY p.centre, p.region, r.foreign_residents
"""


def prepare_home(args: argparse.Namespace, scale: str, work: Path) -> Path:
    """A home holding a copy of the scale's published warehouse (the metrics bench's cache)."""
    from pipelines.home import Home

    source, _ = scale_home(args, scale, METRICS_CACHE)
    home = Home(work / scale).ensure()
    shutil.copy(Home(source).warehouse_db, home.warehouse_db)
    return home.root


def percentiles(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_s": round(statistics.median(ordered), 4), "p95_s": round(p95, 4), "runs": len(ordered)}


def measure(action: Callable[[int], object], repeat: int) -> dict[str, float]:
    action(0)  # warm-up: first use of a connection and of DuckDB's caches
    times = []
    for index in range(repeat):
        started = time.perf_counter()
        action(index)
        times.append(time.perf_counter() - started)
    return percentiles(times)


def render_request(app: Any, pathname: str, search: str) -> dict[str, Any]:
    """The body the browser posts to run the page-rendering callback."""
    output = next(key for key in app.callback_map if "content.children" in key)
    outputs = [{"id": part.split(".")[0], "property": part.split(".")[1]}
               for part in output.strip(".").split("...")]
    return {
        "output": output, "outputs": outputs,
        "inputs": [{"id": "url", "property": "pathname", "value": pathname},
                   {"id": "url", "property": "search", "value": search},
                   {"id": "privacy", "property": "value", "value": ["on"]}],
        "changedPropIds": ["url.search"], "state": [],
    }


def signed_in(app: Any, home: Path, role: str) -> Any:
    """A test client signed in through the form as a bench account of `role` (made once per home)."""
    from pipelines.access import AccountStore
    from pipelines.home import Home

    name, store = f"bench-{role}", AccountStore(Home(home))
    if store.get(name) is None:
        store.add(name, role, PASSWORD, centres=() if role == "admin" else (CENTRE,))
    client = app.server.test_client()
    form = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    answer = client.post("/sign-in", data={"csrf_token": token, "name": name, "password": PASSWORD, "next": "/"})
    assert answer.status_code == 303, answer.get_data(as_text=True)[:300]
    client.get("/")  # sets the CSRF cookie Dash's renderer sends back as a header
    client.environ_base["HTTP_X_CSRFTOKEN"] = client.get_cookie("_csrf_token").value
    return client


def dashboard_with_source(home: Path) -> tuple[Any, Any]:
    """The real app and the one WarehouseSource it reads through (to empty its result cache)."""
    import dashboard.app
    from pipelines.home import Home
    from reach.dashboard import create_dashboard, settle_before_serving

    made: list[Any] = []
    plain = dashboard.app.WarehouseSource

    class Recorded(plain):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    dashboard.app.WarehouseSource = Recorded
    try:
        app = create_dashboard(Home(home))
    finally:
        dashboard.app.WarehouseSource = plain
    settle_before_serving()  # as `reach serve` does before its first request
    [source] = made
    return app, source


def callback_latency(home: Path, page: str, repeat: int, *, cached: bool) -> dict[str, object]:
    """The callback as an admin (everything) and as a coordinator (scope applied), call by call alternately.

    `cached`: every view was asked once before (figures from the result cache); else the cache is
    emptied before every call, so every figure of the page is computed.
    """
    app, source = dashboard_with_source(home)
    clients = {role: signed_in(app, home, role) for role in ("admin", "coordinator")}
    times: dict[str, list[float]] = {role: [] for role in clients}

    def call(client: Any, index: int) -> None:
        district = DISTRICTS[index % len(DISTRICTS)]
        response = client.post("/_dash-update-component",
                                json=render_request(app, f"/{page}" if page != "overview" else "/",
                                                    f"?district={district}" if district else ""))
        assert response.status_code == 200, response.get_data(as_text=True)[:500]

    # Warm-up: first use of a connection, DuckDB's caches, the scope's cached months; cached: every view once.
    for client in clients.values():
        for index in range(len(DISTRICTS) if cached else 1):
            call(client, index)
    hits = source.results.hits
    for index in range(repeat):
        for role in (("admin", "coordinator") if index % 2 == 0 else ("coordinator", "admin")):
            if not cached:
                source.results.clear()
            started = time.perf_counter()
            call(clients[role], index)
            times[role].append(time.perf_counter() - started)
    admin, coordinator = percentiles(times["admin"]), percentiles(times["coordinator"])
    return {"admin_everything": admin, "coordinator_scoped": coordinator,
            "ratio_coordinator_vs_admin_p50": round(coordinator["p50_s"] / admin["p50_s"], 3),
            "ratio_coordinator_vs_admin_p95": round(coordinator["p95_s"] / admin["p95_s"], 3),
            "result_cache_hits": source.results.hits - hits}


def plain_latency(home: Path, repeat: int, *, kpis_and_trend_only: bool = False) -> dict[str, float]:
    """Plain DuckDB for the Overview's figures as an admin sees them: the KPIs of the period and the
    comparison period, the trend, the project to date and (two or more centres) the comparison of
    centres. `kpis_and_trend_only`: the floor of before (2026-12-04 and earlier), kept beside it."""
    import duckdb

    from pipelines.targets import load_targets

    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    project = load_targets().for_centres(None)
    # The last month with data, as the Overview's project to date reads it (the data of both samples
    # runs to the project's end or beyond).
    (latest,) = con.execute("SELECT last_day(max(active_from)) FROM fct_activities").fetchone()
    through = min(project.period_to, latest)
    compares_centres = con.execute("SELECT count(DISTINCT centre) FROM fct_activities").fetchone()[0] >= 2

    def call(index: int) -> None:
        district = DISTRICTS[index % len(DISTRICTS)]
        for date_from, date_to in (PERIOD, COMPARISON):
            con.execute(PLAIN_KPIS, {"d": district, "from": date_from, "to": date_to}).fetchall()
        con.execute(PLAIN_TREND, {"d": district, "from": PERIOD[0], "to": PERIOD[1]}).fetchall()
        if not kpis_and_trend_only:
            con.execute(PLAIN_PROJECT, {"d": district, "from": project.period_from, "to": through}).fetchall()
            if compares_centres:
                for sql in (PLAIN_CENTRES, PLAIN_RATES):
                    con.execute(sql, {"d": district, "from": PERIOD[0], "to": PERIOD[1]}).fetchall()

    try:
        return measure(call, repeat)
    finally:
        con.close()


# Installed in every page before its own scripts (CDP Page.addScriptToEvaluateOnNewDocument): marks
# in the page's clock (ms since its navigation started) for the split of a first load. Callbacks:
# each `_dash-update-component` fetch with its output and start/end; marks: the first time the
# Overview's KPIs are in #content, plotly.js has run, every chart in #content is drawn (a .main-svg
# in each .dash-graph), and that with no callback loading; long tasks: main-thread time in tasks
# over 50 ms (scripts, React, Plotly).
PROBE = """
(function () {
  var P = window.__loadProbe = {callbacks: [], marks: {}, longTasks: 0};
  function mark(name) { if (!(name in P.marks)) { P.marks[name] = performance.now(); } }
  try {
    new PerformanceObserver(function (list) {
      list.getEntries().forEach(function (e) { P.longTasks += e.duration; });
    }).observe({type: "longtask", buffered: true});
  } catch (e) {}
  var fetch = window.fetch;
  window.fetch = function (url, init) {
    var entry = null;
    if (String(url).indexOf("_dash-update-component") >= 0 && init && typeof init.body === "string") {
      var output = "";
      try { output = String(JSON.parse(init.body).output || ""); } catch (e) {}
      entry = {output: output.slice(0, 120), start: performance.now()};
      P.callbacks.push(entry);
    }
    var answer = fetch.apply(this, arguments);
    if (entry) { answer.then(function () { entry.end = performance.now(); }, function () {}); }
    return answer;
  };
  function check() {
    var content = document.getElementById("content");
    if (content && content.querySelector(".kpi-row")) { mark("kpis_drawn"); }
    if (window.Plotly && typeof window.Plotly.react === "function") { mark("plotly_ready"); }
    if (content && P.marks.kpis_drawn !== undefined) {
      var graphs = content.querySelectorAll(".dash-graph");
      var drawn = Array.prototype.filter.call(graphs, function (g) { return g.querySelector(".main-svg"); });
      if (graphs.length > 0 && drawn.length === graphs.length) {
        mark("charts_drawn");
        if (!document.querySelector("[data-dash-is-loading='true']")) { mark("charts_drawn_idle"); }
      }
    }
    if (P.marks.charts_drawn_idle === undefined) { requestAnimationFrame(check); }
  }
  requestAnimationFrame(check);
})();
"""
READ_PROBE = """
const nav = performance.getEntriesByType('navigation')[0];
const resource = name => performance.getEntriesByType('resource').find(r => r.name.includes(name));
const layout = resource('/_dash-layout'), dependencies = resource('/_dash-dependencies');
return {origin: performance.timeOrigin, probe: window.__loadProbe,
        nav: {redirectStart: nav.redirectStart, redirectEnd: nav.redirectEnd, responseEnd: nav.responseEnd,
              domInteractive: nav.domInteractive},
        layoutEnd: Math.max(layout ? layout.responseEnd : 0, dependencies ? dependencies.responseEnd : 0)};
"""
CONTENT_OUTPUT = "content.children"  # the page-rendering callback's first output


def callback_rounds(callbacks: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The callbacks grouped into round trips: one starts a new round when it is sent after every
    callback of the round before has been answered (Dash sends a callback once its inputs are known)."""
    rounds: list[list[dict[str, Any]]] = []
    for callback in sorted(callbacks, key=lambda c: c["start"]):
        if rounds and callback["start"] < max(c.get("end", c["start"]) for c in rounds[-1]):
            rounds[-1].append(callback)
        else:
            rounds.append([callback])
    return rounds


def load_split(data: dict[str, Any], clicked: float | None) -> dict[str, float]:
    """One load's phases in ms from `clicked` (page-clock ms of the form's submission, on the clock of
    the sign-in page; None: a navigation, measured from its start)."""
    probe, nav, marks = data["probe"], data["nav"], data["probe"]["marks"]
    zero = (clicked - data["origin"]) if clicked is not None else 0.0
    rounds = callback_rounds(probe["callbacks"])
    content = next(i for i, r in enumerate(rounds) if any(c["output"].startswith(f"..{CONTENT_OUTPUT}")
                                                         or c["output"].startswith(CONTENT_OUTPUT) for c in r))
    content_call = next(c for c in rounds[content] if CONTENT_OUTPUT in c["output"].split("...")[0])
    split = {
        "html_received": nav["responseEnd"] - zero,
        "scripts_run": nav["domInteractive"] - zero,  # Dash's bundles fetched and run
        "layout_and_dependencies": data["layoutEnd"] - zero,  # _dash-layout, _dash-dependencies answered
        "first_callback_sent": rounds[0][0]["start"] - zero,
        "content_callback_sent": content_call["start"] - zero,
        "content_callback_answered": content_call["end"] - zero,
        "kpis_drawn": marks["kpis_drawn"] - zero,
        "plotly_ready": marks["plotly_ready"] - zero,
        "charts_drawn": marks["charts_drawn_idle"] - zero,
        "callback_rounds_until_content": content + 1,
        "callbacks": len(probe["callbacks"]),
        "main_thread_long_tasks": probe["longTasks"],
    }
    if clicked is not None:  # the form's POST (Argon2 verification) and its 303 to the Overview
        split["sign_in_answered"] = nav["redirectEnd"] - zero
    return split


def medians(splits: list[dict[str, float]]) -> dict[str, float]:
    return {key: round(statistics.median(s[key] for s in splits), 1) for key in splits[0]}


def first_load(home: Path, loads: int) -> dict[str, object]:
    """First page load in headless Chromium, fresh browser sessions (an empty HTTP cache each).

    - `first_page_load_browser` (the figure of before, same code): from submitting the sign-in form
      until the Overview's KPIs are in the page and no callback is loading, on Python's clock polled by
      WebDriverWait every 0.5 s. The charts may not be drawn yet by then (plotly.js still loading).
    - `first_page_load_charts_drawn`: the same start, until every chart of the Overview is drawn and no
      callback is loading, on the browser's clock (no polling): the issue's "until charts are drawn".
    - `first_page_load_split`: medians of that load's phases, ms after the form's submission.
    - `signed_in_navigation_*`: in the same, signed-in browser, from navigating to the Overview until
      its charts are drawn: `cold` with the HTTP cache emptied first (as the first load, without the
      sign-in), `warm` with Dash's scripts and plotly.js in the cache (a later visit).
    """
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    from waitress.server import create_server

    from pipelines.home import Home
    from reach.dashboard import create_dashboard, settle_before_serving
    from reach.screenshots import browser

    app = create_dashboard(Home(home))
    settle_before_serving()  # as `reach serve` does
    signed_in(app, home, "coordinator")  # makes the account
    # Each load is a fresh browser session asking the same first view: from the second on, its figures
    # come from the result cache, as they would for the second user to open the dashboard after a build.
    server = create_server(app.server, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    url = f"http://127.0.0.1:{server.effective_port}/"  # type: ignore[union-attr]
    times: list[float] = []
    splits: list[dict[str, float]] = []
    navigations: dict[str, list[dict[str, float]]] = {"cold": [], "warm": []}

    def drawn(driver: Any) -> dict[str, Any]:
        WebDriverWait(driver, 300, poll_frequency=0.05).until(lambda d: d.execute_script(
            "return !!(window.__loadProbe && window.__loadProbe.marks.charts_drawn_idle !== undefined)"))
        return driver.execute_script(READ_PROBE)

    try:
        for _ in range(loads + 1):
            driver = browser()
            try:
                driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": PROBE})
                driver.get(url + "sign-in")
                driver.find_element(By.ID, "name").send_keys("bench-coordinator")
                driver.find_element(By.ID, "password").send_keys(PASSWORD)
                clicked = driver.execute_script("return performance.timeOrigin + performance.now()")
                started = time.perf_counter()  # from submitting the sign-in form to the drawn Overview
                driver.find_element(By.ID, "sign-in-submit").click()
                wait = WebDriverWait(driver, 300)
                wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#content .kpi-row")) > 0)
                wait.until(lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-dash-is-loading='true']"))
                times.append(time.perf_counter() - started)
                splits.append(load_split(drawn(driver), clicked))
                for kind in ("cold", "warm"):
                    if kind == "cold":
                        driver.execute_cdp_cmd("Network.clearBrowserCache", {})
                    driver.get(url)
                    navigations[kind].append(load_split(drawn(driver), None))
            finally:
                driver.quit()
    finally:
        server.close()
    # The first load also warms the server (and the result cache).
    charts = [s["charts_drawn"] / 1000 for s in splits[1:]]
    return {
        "first_page_load_browser": percentiles(times[1:]),
        "first_page_load_charts_drawn": percentiles(charts),
        "first_page_load_split_ms": medians(splits[1:]),
        **{f"signed_in_navigation_{kind}": percentiles([s["charts_drawn"] / 1000 for s in found[1:]])
           for kind, found in navigations.items()},
        **{f"signed_in_navigation_{kind}_split_ms": medians(found[1:]) for kind, found in navigations.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--loads", type=int, default=5)
    add_scale_arguments(parser)
    parser.add_argument("--no-browser", action="store_true", help="skip the first-page-load measurement")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="reach-bench-dashboard-"))
    results: dict[str, object] = {
        "what": "Dash page-rendering callback over HTTP (Flask test client, signed in) after a district filter "
                "change, as an admin (everything) and as a coordinator of one centre (scope applied), "
                "alternating, as first views (result cache emptied before every call) and repeat views (figures "
                "from the result cache); the plain DuckDB queries of the Overview's figures; first page load in "
                "headless Chromium after signing in as a coordinator",
        "date": date.today().isoformat(),
        "machine": machine(load_average=True),
        "repeat": args.repeat, "loads": args.loads,
        "scope_note": "the sample has one centre, so the coordinator's scope keeps every row: the scoped/admin "
                      "ratio is the cost of the scope condition and the scoped reads themselves",
        "scales": {},
    }
    try:
        for scale in args.scales:
            home = prepare_home(args, scale, work)
            print(f"{scale}: measuring", flush=True)
            overview_scoped = callback_latency(home, "overview", args.repeat, cached=False)
            reach_scoped = callback_latency(home, "reach", args.repeat, cached=False)
            overview_cached = callback_latency(home, "overview", args.repeat, cached=True)
            reach_cached = callback_latency(home, "reach", args.repeat, cached=True)
            figures: dict[str, object] = {
                "targets": TARGETS[scale],
                # First views, the admin's figures under the names of before, so earlier runs compare directly.
                "overview_filter_callback": overview_scoped["admin_everything"],
                "reach_filter_callback": reach_scoped["admin_everything"],
                "overview_filter_callback_scoped": overview_scoped,
                "reach_filter_callback_scoped": reach_scoped,
                # Repeat views: the figures from the result cache.
                "overview_filter_callback_cached": overview_cached["admin_everything"],
                "reach_filter_callback_cached": reach_cached["admin_everything"],
                "overview_filter_callback_cached_scoped": overview_cached,
                "reach_filter_callback_cached_scoped": reach_cached,
                "overview_plain_duckdb": plain_latency(home, args.repeat),
                "overview_plain_duckdb_kpis_and_trend_only": plain_latency(home, args.repeat,
                                                                           kpis_and_trend_only=True),
            }
            if not args.no_browser:
                figures.update(first_load(home, args.loads))
            figures["load_average_1min_after"] = round(os.getloadavg()[0], 2)
            overview, plain = figures["overview_filter_callback"], figures["overview_plain_duckdb"]
            figures["ratio_overview_callback_vs_plain_p50"] = round(overview["p50_s"] / plain["p50_s"], 1)
            figures["ratio_overview_callback_vs_plain_kpis_and_trend_only_p50"] = round(
                overview["p50_s"] / figures["overview_plain_duckdb_kpis_and_trend_only"]["p50_s"], 1)
            cached = figures["overview_filter_callback_cached"]
            figures["ratio_overview_cached_callback_vs_plain_p50"] = round(cached["p50_s"] / plain["p50_s"], 2)
            results["scales"][scale] = figures  # type: ignore[index]
            print(json.dumps(figures, indent=1), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write_results(RESULTS, results)
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
