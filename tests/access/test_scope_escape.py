"""Scope escape: a coordinator of centre A never receives a figure, option value or row of centre B.

Two centres built by the real dbt build from hand-made raw layers (tests/_quality_support.py's clean
deliveries, once for ULK and once, changed, for LBK). The centres' figures differ so any leak shows:
event head counts that occur nowhere else (ULK 613 in Teplice CZ0426 and 2718 in Prague; LBK 4321
in Teplice and 1777 in Liberec), LBK's clients are Syrian, Afghan and Eritrean (ULK has none), and
LBK's branches are in Liberec. Every request is crafted the way a browser's could be: URLs naming
B's districts and nationalities or a `centre` parameter, callback payloads with filters outside
the scope, with every filter cleared, with the protection switch off, and download requests.
"""

from __future__ import annotations

import base64
import io
import itertools
import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from dashboard.pages import PAGE_MODULES
from dashboard.state.pages import page_allowed
from dashboard.state.url import path_of
from pipelines.access import Role, Scope
from pipelines.home import Home
from pipelines.metrics import MetricQuery, compute, open_warehouse
from pipelines.metrics.protection import Protection
from reach.build import build_warehouse
from reach.dashboard import create_dashboard
from support.access import signed_in_client
from support.callbacks import callback as _callback
from support.callbacks import payload as _payload
from support.callbacks import post as _post
from support.callbacks import table_view
from support.quality import clean_deliveries
from support.raw_rows import Delivery, write_raw
from support.readback import pdf_text

pytestmark = pytest.mark.slow

# Event head counts: (centre, district) -> participants.
EVENTS = {("ULK", "CZ0426"): 613, ("ULK", "CZ0100"): 2718, ("LBK", "CZ0426"): 4321, ("LBK", "CZ0513"): 1777}
LBK_NATIONALITIES = ("SY", "AF", "ER")
LBK_WORDS = ("Sýrie", "Syria", "Afghánistán", "Afghanistan", "Eritrea", "Liberec", "LBK")
TEPLICE = "CZ0426"  # the district of the district-scoped coordinator
PERIOD_SEARCH = "?preset=custom&from=2022-08-01&to=2023-03-31"
# URL searches a user could type or a crafted link could carry (filters outside the scope included).
SEARCHES = ("", "?district=CZ0513", f"?district={TEPLICE}", "?district=CZ0100,CZ0513,unknown",
            "?nationality=SY,AF,ER", "?centre=LBK", "?centre=LBK&district=CZ0513&nationality=SY",
            "?region=CZ051", "?centre=LBK&region=CZ051,CZ042")


def _sums_with(forbidden: set[tuple[str, str]]) -> set[int]:
    """Every total of event head counts that includes an event the user must not see."""
    keys = list(EVENTS)
    return {sum(EVENTS[k] for k in subset) for n in range(1, len(keys) + 1)
            for subset in itertools.combinations(keys, n) if forbidden & set(subset)}


# What each user may see of the events, and every figure that would betray anything else.
OWN = {"centre": {EVENTS["ULK", "CZ0426"] + EVENTS["ULK", "CZ0100"]}, "district": {EVENTS["ULK", "CZ0426"]}}
FORBIDDEN = {"centre": _sums_with({("LBK", "CZ0426"), ("LBK", "CZ0513")}),
             "district": _sums_with({("LBK", "CZ0426"), ("LBK", "CZ0513"), ("ULK", "CZ0100")}) | OWN["centre"]}


def _lbk(deliveries: list[Delivery]) -> list[Delivery]:
    """The clean deliveries as centre LBK's: other people, districts, branches and event sizes."""
    changed = []
    for delivery in deliveries:
        lbk = Delivery(delivery.load_seq + len(deliveries), "LBK")
        for table, rows in delivery.rows.items():
            for n, row in enumerate(rows):
                row = dict(row)
                if table == "clients":
                    row |= {"citizenship": LBK_NATIONALITIES[n % 3], "district": ("CZ0426", "CZ0513", "CZ0427")[n % 3],
                            "municipality": "Liberec"}
                if row.get("branch"):
                    row["branch"] = {"Pobočka Teplice": "Pobočka Liberec"}.get(row["branch"], "Kontaktní místo Liberec")
                if table == "events":
                    row |= {"district": ("CZ0426", "CZ0513")[n], "participants": EVENTS["LBK", ("CZ0426", "CZ0513")[n]]}
                lbk.add(table, **row)
        changed.append(lbk)
    return changed


def _ulk(deliveries: list[Delivery]) -> list[Delivery]:
    for row in deliveries[0].rows["events"]:
        row["participants"] = EVENTS["ULK", row["district"]]
    return deliveries


@pytest.fixture(scope="module")
def two_centres(tmp_path_factory: pytest.TempPathFactory) -> Home:
    home = Home(tmp_path_factory.mktemp("two-centres") / "home").ensure()
    write_raw(home, *_ulk(clean_deliveries()), *_lbk(clean_deliveries()))
    build_warehouse(home)
    return home


@pytest.fixture(scope="module")
def app(two_centres: Home):
    return create_dashboard(two_centres)


@pytest.fixture(scope="module")
def coordinator(app, two_centres: Home):
    return signed_in_client(app, two_centres, "coordinator")  # centre ULK, every district


@pytest.fixture(scope="module")
def teplice(app, two_centres: Home):
    return signed_in_client(app, two_centres, "coordinator", name="coordinator-teplice", districts=(TEPLICE,))


# --- crafted requests -----------------------------------------------------------------------------

def render(app, client, page: str, search: str, privacy: list[str]) -> str:
    key, spec = _callback(app, "content.children")
    values = {"url.pathname": path_of(page), "url.search": search, "privacy.value": privacy}
    return _text(_post(client, _payload(key, spec, values, ["url.search"])))


def controls(app, client, search: str, changed: str = "url.search", **values: Any) -> dict[str, Any]:
    """The URL <-> controls callback's answer: control values and the option lists."""
    key, spec = _callback(app, "filter-district.options")
    filled = {"url.pathname": "/", "url.search": search, **values}
    return _post(client, _payload(key, spec, filled, [changed]))


def export(app, client, chart: str, fmt: str, search: str) -> bytes:
    key, spec = _callback(app, "download.data")
    button = {"chart": chart, "fmt": fmt, "type": "export"}
    payload = _payload(key, spec, {"url.pathname": "/", "url.search": search, "privacy.value": []}, [
        json.dumps(button, separators=(",", ":"), sort_keys=True) + ".n_clicks"])
    payload["inputs"] = [[{"id": button, "property": "n_clicks", "value": 1}]]
    data = _post(client, payload).get("download", {}).get("data")
    assert data, (chart, fmt)
    return base64.b64decode(data["content"]) if data.get("base64") else data["content"].encode()


def report(app, client, button: str, search: str) -> tuple[bytes | None, str]:
    """-> (the file, "") or (None, the message shown instead, e.g. a workbook its disclosure audit refuses)."""
    key, spec = _callback(app, "report-download.data")
    answer = _post(client, _payload(key, spec, {f"{button}.n_clicks": 1, "url.pathname": "/", "url.search": search},
                                    [f"{button}.n_clicks"]))
    if "report-download" not in answer:
        return None, answer["report-error"]["children"]
    return base64.b64decode(answer["report-download"]["data"]["content"]), ""


def _text(response: Any) -> str:
    return json.dumps(response, ensure_ascii=False)


def _cells(xlsx: bytes) -> str:
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx))
    return " ".join(str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row if c.value is not None)


_NUMBER = re.compile(r"(?<![\d.])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+")


def numbers(text: str) -> set[int]:
    """Every whole number in a text, Czech thousands separators (spaces) included."""
    return {int(re.sub(r"\D", "", found)) for found in _NUMBER.findall(text)}


def assert_nothing_of_others(text: str, kind: str, where: str) -> None:
    leaked = numbers(text) & FORBIDDEN[kind]
    assert not leaked, f"{where}: figures {sorted(leaked)} of another centre or district"
    words = [w for w in LBK_WORDS if w in text]
    assert not words, f"{where}: {words}"


def test_the_figures_differ_so_a_leak_would_show() -> None:
    for kind in OWN:
        assert not OWN[kind] & FORBIDDEN[kind]


# --- the metric layer itself ------------------------------------------------------------------------

def test_the_metric_layer_with_scope_a_and_a_filter_on_b_returns_nothing(two_centres: Home) -> None:
    con = open_warehouse(two_centres)
    try:
        ulk = Scope(frozenset({"ULK"}))
        query = MetricQuery(date(2022, 8, 1), date(2023, 3, 31), ("clients_reached", "event_attendance"),
                            ("centre",), protection=Protection.EXACT, scope=ulk)
        assert compute(con, query).frame.to_dicts() == [{"centre": "ULK", "clients_reached": 20,
                                                         "event_attendance": 613 + 2718}]
        assert compute(con, replace(query, where={"centre": ("LBK",)})).frame.is_empty()
        everything = compute(con, replace(query, scope=replace(ulk, everything=True))).frame
        assert sorted(everything["centre"].to_list()) == ["LBK", "ULK"]  # B's rows exist: the scope hides them
    finally:
        con.close()


# --- pages, options, exports and reports ---------------------------------------------------------------

@pytest.mark.parametrize(("user", "kind"), [("coordinator", "centre"), ("teplice", "district")])
def test_no_page_shows_a_figure_of_another_centre_or_district(app, request, user: str, kind: str) -> None:
    client = request.getfixturevalue(user)
    seen_own = set()
    for page in PAGE_MODULES:
        if not page_allowed(page, Role.COORDINATOR):
            continue
        for search, privacy in itertools.product(SEARCHES, ([], ["on"])):
            url = PERIOD_SEARCH + search.replace("?", "&")
            text = render(app, client, page, url, privacy)
            # Each chart's table view, as the browser asks for it when opened (sent apart from the page).
            for chart in PAGE_MODULES[page].CHARTS:
                answer = table_view(client, chart.id, page, url, privacy)
                assert answer.status_code in (200, 204), answer.get_data(as_text=True)[:300]
                text += " " + _text((answer.get_json() or {}).get("response", {}) if answer.status_code == 200 else {})
            assert_nothing_of_others(text, kind, f"{user} {page}{url} privacy={privacy}")
            seen_own |= numbers(text) & OWN[kind]
    assert seen_own == OWN[kind]  # the user's own figures are there: the check can see figures


@pytest.mark.parametrize(("user", "districts"), [("coordinator", {"CZ0426", "CZ0425", "CZ0100"}),
                                                 ("teplice", {"CZ0426"})])
def test_filter_options_list_only_values_in_scope(app, request, user: str, districts: set[str]) -> None:
    client = request.getfixturevalue(user)
    assert not set(LBK_NATIONALITIES) & set(json.dumps(client.get("/_dash-layout").get_json()).split('"'))
    for search, changed, values in [
        ("", "url.search", {}),
        ("?district=CZ0513&nationality=SY", "url.search", {}),
        ("?district=CZ0513", "clear-filters.n_clicks", {"clear-filters.n_clicks": 1}),  # every filter removed
        ("", "filter-nationality.value", {"filter-nationality.value": ["SY", "AF"]}),
    ]:
        answer = controls(app, client, search, changed, **values)
        options = {control: {o["value"] for o in answer[control]["options"]}
                   for control in ("filter-district", "filter-nationality", "filter-centre", "filter-region")}
        assert options["filter-district"] <= districts, (search, options)
        assert options["filter-centre"] == {"ULK"}, (search, options)  # never LBK
        assert options["filter-region"] <= {"CZ042", "CZ010"}, (search, options)  # where ULK's clients live
        assert not options["filter-nationality"] & set(LBK_NATIONALITIES), (search, options)
        assert options["filter-nationality"], "the user's own nationalities are listed"
        assert_nothing_of_others(_text(answer), "centre", f"{user} controls {search} {changed}")


@pytest.mark.parametrize(("user", "kind"), [("coordinator", "centre"), ("teplice", "district")])
def test_chart_exports_hold_no_row_of_another_centre_or_district(app, request, user: str, kind: str) -> None:
    client = request.getfixturevalue(user)
    for page, module in PAGE_MODULES.items():
        if not page_allowed(page, Role.COORDINATOR):
            continue
        for chart in module.CHARTS:
            for search in (PERIOD_SEARCH, PERIOD_SEARCH + "&district=CZ0513&nationality=SY&centre=LBK"):
                csv = export(app, client, chart.id, "csv", search).decode("utf-8-sig")
                assert_nothing_of_others(csv, kind, f"{user} {chart.id}.csv {search}")
            xlsx = export(app, client, chart.id, "xlsx", PERIOD_SEARCH + "&district=CZ0513&centre=LBK")
            assert_nothing_of_others(_cells(xlsx), kind, f"{user} {chart.id}.xlsx")


@pytest.mark.parametrize(("user", "kind"), [("coordinator", "centre"), ("teplice", "district")])
def test_report_downloads_are_for_the_scope_only(app, request, tmp_path: Path, user: str, kind: str) -> None:
    client = request.getfixturevalue(user)
    search = "?preset=custom&from=2022-08-01&to=2023-03-31&district=CZ0513&centre=LBK"
    workbook, refused = report(app, client, "report-ministry-xlsx", search)
    # Eight people in Teplice: the workbook's disclosure audit refuses it (saying so, with no figure).
    assert (workbook is None) == (kind == "district") and ("audit" in refused or workbook is not None)
    assert_nothing_of_others(_cells(workbook) if workbook else refused, kind, f"{user} ministry workbook")
    pack, _ = report(app, client, "report-board-pdf", search)
    assert pack is not None
    pdf = tmp_path / "board.pdf"
    pdf.write_bytes(pack)
    assert_nothing_of_others(pdf_text(pdf), kind, f"{user} board pack")


# --- the protection switch and the quality page ----------------------------------------------------------

SMALL = PERIOD_SEARCH + "&nationality=stateless"  # four ULK clients: a small count


def test_a_crafted_protection_off_gives_a_coordinator_protected_figures(app, coordinator, two_centres: Home) -> None:
    analyst = signed_in_client(app, two_centres, "analyst")  # ULK too: may switch protection off
    exact = render(app, analyst, "reach", SMALL, [])
    protected = render(app, coordinator, "reach", SMALL, ["on"])
    assert render(app, coordinator, "reach", SMALL, []) == protected
    assert "drobnou náhodnou odchylkou" in protected  # the protected page's notice
    assert exact != render(app, analyst, "reach", SMALL, ["on"])  # the switch matters


def test_the_quality_page_shows_only_the_deliveries_of_centres_in_scope(app, two_centres: Home) -> None:
    analyst = signed_in_client(app, two_centres, "analyst")
    text = render(app, analyst, "quality", "", ["on"])
    assert "Pobočka Teplice" in text and "Liberec" not in text
    assert analyst.get("/quality/data_docs/index.html").status_code == 403  # Data Docs quote every centre
    admin = signed_in_client(app, two_centres, "admin")
    assert "Pobočka Liberec" in render(app, admin, "quality", "", ["on"])
