"""What each role may open, switch and download, refused by the server (crafted requests included)."""

from __future__ import annotations

import json

import pytest

from dashboard.state.pages import PAGES
from dashboard.state.url import path_of
from pipelines import audit
from pipelines.home import Home
from pipelines.metrics.protection import NOTICE
from support.access import signed_in_client
from support.callbacks import components, table_view

OUTPUTS = (("content", "children"), ("privacy-banner", "children"), ("privacy-label", "children"),
           ("period-line", "children"))
# A view with small counts, so exact and protected figures differ.
SMALL = "?district=CZ0427"
ALLOWED = {
    "admin": set(PAGES),
    "analyst": set(PAGES) - {"admin", "schedules"},
    "coordinator": set(PAGES) - {"admin", "quality", "deliveries", "schedules"},
    "ministry": set(PAGES) - {"admin", "quality", "deliveries", "schedules"},
    "board": {"overview"},
}


def render(client, pathname: str, search: str, privacy: object) -> dict:
    payload = {
        "output": ".." + "...".join(f"{i}.{p}" for i, p in OUTPUTS) + "..",
        "outputs": [{"id": i, "property": p} for i, p in OUTPUTS],
        "inputs": [{"id": "url", "property": "pathname", "value": pathname},
                   {"id": "url", "property": "search", "value": search},
                   {"id": "privacy", "property": "value", "value": privacy}],
        "changedPropIds": ["privacy.value"],
        "state": [],
    }
    answer = client.post("/_dash-update-component", json=payload)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    return answer.get_json()["response"]


def export(client, chart: str, fmt: str = "csv"):
    key = {"chart": chart, "fmt": fmt, "type": "export"}
    payload = {
        "output": "download.data", "outputs": {"id": "download", "property": "data"},
        "inputs": [[{"id": key, "property": "n_clicks", "value": 1}]],
        "changedPropIds": [json.dumps(key, separators=(",", ":"), sort_keys=True) + ".n_clicks"],
        "state": [{"id": "url", "property": "pathname", "value": "/"},
                  {"id": "url", "property": "search", "value": ""},
                  {"id": "privacy", "property": "value", "value": []}],
    }
    return client.post("/_dash-update-component", json=payload)


def _cells(answer) -> list[str]:
    """The table cells' texts of a table view's answer."""
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    return [c["props"]["children"] for c in components(answer.get_json()["response"])
            if c["type"] in ("Td", "Th") and isinstance(c["props"].get("children"), str)]


def report(client, button: str):
    buttons = ("report-board-pdf", "report-board-pptx", "report-ministry-xlsx")
    payload = {
        "output": "..report-download.data...report-error.children..",
        "outputs": [{"id": "report-download", "property": "data"}, {"id": "report-error", "property": "children"}],
        "inputs": [{"id": b, "property": "n_clicks", "value": 1 if b == button else None} for b in buttons],
        "changedPropIds": [f"{button}.n_clicks"],
        "state": [{"id": "url", "property": "pathname", "value": "/"},
                  {"id": "url", "property": "search", "value": "?preset=month&pv=2022-12"}],
    }
    return client.post("/_dash-update-component", json=payload)


def _actions(home: Home) -> list[str]:
    return [e.action for e in audit.read(home).entries]


@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_each_role_opens_its_pages_and_is_refused_the_others(app, access_home: Home, role: str) -> None:
    client = signed_in_client(app, access_home, role)
    for page in PAGES:
        answer = client.get(path_of(page))
        assert answer.status_code == (200 if page in ALLOWED[role] else 403), (role, page)
        if answer.status_code == 403:
            text = answer.get_data(as_text=True)
            assert "Přístup odepřen" in text and f"({role})" in text and "Traceback" not in text
    assert "Access refused" in client.get("/quality?lang=en").get_data(as_text=True) or role in ("admin", "analyst")
    docs = client.get("/quality/data_docs/index.html")
    # GX's pages quote failing rows of every centre: only a scope of every centre gets them (docs/access.md).
    everything = role in ("admin", "ministry")  # the test accounts of these roles name no centre
    assert (docs.status_code == 403) == ("quality" not in ALLOWED[role] or not everything)
    # A crafted callback for a page the role lacks gets the refusal, not the page.
    for page in set(PAGES) - ALLOWED[role]:
        content = json.dumps(render(client, path_of(page), "", ["on"])["content"], ensure_ascii=False)
        assert "nemá přístup" in content and "kpi-value" not in content and "admin-audit" not in content


@pytest.mark.parametrize("role", ["coordinator", "board", "ministry"])
def test_the_protection_switch_is_absent_and_ignored_for_other_roles(app, access_home: Home, role: str) -> None:
    client = signed_in_client(app, access_home, role)
    layout = json.dumps(client.get("/_dash-layout").get_json())
    assert '"type": "Checklist"' not in layout.replace('":"', '": "')  # no switch at all, a hidden field only
    exact, protected = render(client, "/", SMALL, []), render(client, "/", SMALL, ["on"])
    assert exact == protected  # the crafted "off" returns protected figures
    assert "protection.off" not in _actions(access_home)


def test_switching_protection_off_as_analyst_shows_exact_figures_and_is_audited(app, access_home: Home) -> None:
    client = signed_in_client(app, access_home, "analyst")
    layout = json.dumps(client.get("/_dash-layout").get_json())
    assert '"type": "Checklist"' in layout.replace('":"', '": "')
    protected, exact = render(client, "/reach", SMALL, ["on"]), render(client, "/reach", SMALL, [])
    shown = json.dumps(protected["content"], ensure_ascii=False)
    assert exact["content"] != protected["content"], shown[:3000]
    # Protected pages say once that figures carry a small deviation; the exact page warns instead.
    assert NOTICE["cs"] in json.dumps(protected["privacy-banner"], ensure_ascii=False)
    assert NOTICE["cs"] not in json.dumps(exact["privacy-banner"], ensure_ascii=False)
    entry = audit.read(access_home).entries[-1]
    assert (entry.action, entry.user, entry.role, entry.object) == ("protection.off", "test-analyst", "analyst",
                                                                    "page /reach")
    assert "district=CZ0427" in entry.detail and "scope ULK" in entry.detail
    assert "<5" not in entry.detail


def test_chart_exports_are_refused_to_the_board_and_always_protected_and_audited(app, access_home: Home) -> None:
    board = signed_in_client(app, access_home, "board")
    refused = export(board, "trend-target-group")
    assert refused.status_code == 204 or "download" not in (refused.get_json() or {}).get("response", {})
    assert "export.download" not in _actions(access_home)
    analyst = signed_in_client(app, access_home, "analyst")
    answer = export(analyst, "trend-target-group")  # the payload says protection is off: ignored for files
    assert answer.status_code == 200
    entry = audit.read(access_home).entries[-1]
    assert entry.action == "export.download" and entry.object.startswith("trend-target-group_")
    assert entry.object.endswith(".csv") and "period 2022-08-01..2023-07-31" in entry.detail


def test_report_downloads_follow_the_role_and_are_audited(app, access_home: Home) -> None:
    board = signed_in_client(app, access_home, "board")
    refused = report(board, "report-ministry-xlsx").get_json()["response"]
    assert refused["report-error"]["children"] == "Tento dokument vaše role stáhnout nemůže."
    assert "report-download" not in refused
    ministry = signed_in_client(app, access_home, "ministry")
    done = report(ministry, "report-ministry-xlsx").get_json()["response"]
    assert done["report-download"]["data"]["filename"].endswith(".xlsx")
    entry = audit.read(access_home).entries[-1]
    assert (entry.action, entry.user) == ("report.download", "test-ministry")
    assert "period 20221201-20221231" in entry.detail and "scope all centres" in entry.detail
    assert "report.download" not in [e.action for e in audit.read(access_home).entries if e.user == "test-board"]


def test_the_admin_page_lists_accounts_and_the_audit_log(app, access_home: Home) -> None:
    signed_in_client(app, access_home, "board")
    admin = signed_in_client(app, access_home, "admin")
    content = json.dumps(render(admin, "/admin", "?lang=en", ["on"])["content"], ensure_ascii=False)
    assert "admin-accounts" in content and "test-board" in content and "Audit log" in content
    assert content.count("sign_in") >= 2


def test_a_table_view_has_the_protection_of_the_page_it_opens_on(app, access_home: Home) -> None:
    """The table sent when a view is opened: protected for a role without the switch, whatever the request
    says; exact for an analyst who switched protection off; nothing for a page the role may not open."""
    analyst = signed_in_client(app, access_home, "analyst")
    protected = _cells(table_view(analyst, "reach-nationality", "reach", SMALL, ["on"]))
    exact = _cells(table_view(analyst, "reach-nationality", "reach", SMALL, []))
    assert protected and exact and protected != exact
    entry = audit.read(access_home).entries[-1]  # exact figures are audited, sent in a table too
    assert (entry.action, entry.user, entry.object) == ("protection.off", "test-analyst", "table reach-nationality")
    assert _actions(access_home).count("protection.off") == 1  # the protected table is not
    coordinator = signed_in_client(app, access_home, "coordinator")
    assert _cells(table_view(coordinator, "reach-nationality", "reach", SMALL, [])) == protected
    assert _cells(table_view(coordinator, "reach-nationality", "reach", SMALL, ["on"])) == protected
    board = signed_in_client(app, access_home, "board")  # the Overview only
    assert _actions(access_home).count("protection.off") == 1  # a coordinator's crafted "off" is protected
    # A table only on its own page: the Overview's request for a Reach chart gets nothing.
    elsewhere = table_view(analyst, "reach-nationality", "overview", SMALL, ["on"])
    assert not (elsewhere.get_json() or {}).get("response")
    refused = table_view(board, "reach-nationality", "reach", SMALL, ["on"])
    assert refused.status_code in (200, 204) and not (refused.get_json() or {}).get("response")  # no update
