"""Account management on the Administration page, through the real app: the callbacks as the browser posts them.

An admin adds, disables, enables and gives new passwords; the generated password is shown once and
works at the real sign-in form; each change is audited like `reach users`; every other role's
crafted request changes nothing; bad input is named at its field with nothing written. One
headless-browser test adds an account through the form.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from dash.testing.composite import DashComposite
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from pipelines import audit
from pipelines.access import AccountError, AccountStore, Role, Scope, add_account, disable_account, verify_password
from pipelines.home import Home
from support.access import PASSWORD, ensure_account, sign_in, signed_in_client, start_signed_in

ADMIN = "test-admin"
TEPLICE = "CZ0426"  # a district of ULK's region (Ústecký kraj)
ACTION = "account-action"


def _key(app) -> str:
    return next(k for k in app.callback_map if "accounts-result.children" in k.strip(".").split("..."))


def change(app, client, *, add: bool = False, action: tuple[str, str] | None = None, name: Any = "",
           role: Any = None, centres: Any = (), districts: Any = (), lang: str = "en") -> dict[str, Any]:
    """The accounts callback as Dash's renderer posts it: the add button, or one row's button (action, account)."""
    key = _key(app)
    buttons = []
    changed = "account-add.n_clicks"
    if action is not None:
        button = {"type": ACTION, "action": action[0], "account": action[1]}
        buttons = [{"id": button, "property": "n_clicks", "value": 1}]
        changed = json.dumps(button, separators=(",", ":"), sort_keys=True) + ".n_clicks"
    values = {"name": name, "role": role, "centres": list(centres), "districts": list(districts)}
    payload = {
        "output": key,
        "outputs": [{"id": part.split(".")[0], "property": part.split(".")[1]} for part in key.strip(".").split("...")],
        "inputs": [{"id": "account-add", "property": "n_clicks", "value": 1 if add else None}, buttons],
        "state": [{"id": f"new-account-{f}", "property": "value", "value": v} for f, v in values.items()]
        + [{"id": "url", "property": "search", "value": f"?lang={lang}"},
           {"id": "url", "property": "pathname", "value": "/admin"}],
        "changedPropIds": [changed],
    }
    answer = client.post("/_dash-update-component", json=payload)
    assert answer.status_code in (200, 204), answer.get_data(as_text=True)[:300]
    return answer.get_json()["response"] if answer.status_code == 200 else {}


def shown_password(response: dict[str, Any]) -> str:
    """The password in the result (the component with id account-new-password)."""
    def find(node: Any) -> str | None:
        if isinstance(node, dict):
            props = node.get("props", {})
            if props.get("id") == "account-new-password":
                return props["children"]
            return next((found for v in node.values() if (found := find(v))), None)
        if isinstance(node, list):
            return next((found for v in node if (found := find(v))), None)
        return None

    found = find(response["accounts-result"])
    assert found, response["accounts-result"]
    return found


def text(response: dict[str, Any], output: str) -> str:
    return json.dumps(response[output]["children"], ensure_ascii=False)


def client_as(app, name: str, password: str):
    """A client signed in through the real form with this password, carrying the CSRF header like the renderer."""
    client = app.server.test_client()
    answer = sign_in(client, name, password)
    assert answer.status_code == 303, answer.get_data(as_text=True)[:300]
    client.get("/")
    client.environ_base["HTTP_X_CSRFTOKEN"] = client.get_cookie("_csrf_token").value
    return client


def district_options(app, client) -> set[str]:
    key = next(k for k in app.callback_map if "filter-district.options" in k.strip(".").split("..."))
    spec = app.callback_map[key]
    values = {"url.pathname": "/", "url.search": ""}

    def item(entry: dict[str, Any]) -> dict[str, Any]:
        return {"id": entry["id"], "property": entry["property"],
                "value": values.get(f"{entry['id']}.{entry['property']}")}

    outputs = [{"id": part.split(".")[0], "property": part.split(".")[1]} for part in key.strip(".").split("...")]
    answer = client.post("/_dash-update-component", json={
        "output": key, "outputs": outputs, "inputs": [item(i) for i in spec["inputs"]],
        "state": [item(s) for s in spec["state"]], "changedPropIds": ["url.search"]})
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    return {o["value"] for o in answer.get_json()["response"]["filter-district"]["options"]}


def user_entries(home: Home) -> list[audit.Entry]:
    return [e for e in audit.read(home).entries if e.action.startswith("user.")]


def test_an_admin_adds_a_coordinator_who_signs_in_with_the_shown_password_and_sees_only_their_scope(
        app, access_home: Home) -> None:
    admin = signed_in_client(app, access_home, "admin")
    added = change(app, admin, add=True, name="Eva.Novak", role="coordinator", centres=["ULK"], districts=[TEPLICE])
    password = shown_password(added)
    assert len(password) >= 20 and "eva.novak" in text(added, "accounts-list")
    assert all(added[f"new-account-{f}-error"]["children"] == "" for f in ("name", "role", "centres", "districts"))
    assert added["new-account-name"]["value"] == ""  # the form is cleared for the next account
    account = AccountStore(access_home).get("eva.novak")
    assert account.role is Role.COORDINATOR and account.scope == Scope(frozenset({"ULK"}), frozenset({TEPLICE}))
    eva = client_as(app, "eva.novak", password)
    assert eva.get("/admin").status_code == 403
    everyone = district_options(app, admin)
    assert district_options(app, eva) == {TEPLICE} < everyone  # the filter lists only her district
    [entry] = user_entries(access_home)
    assert (entry.user, entry.role, entry.action, entry.object) == (ADMIN, "admin", "user.add", "user eva.novak")
    assert entry.detail == f"role coordinator; scope ULK; districts {TEPLICE}"
    assert password not in access_home.audit_log.read_text(encoding="utf-8")


def test_disable_refuses_sign_in_enable_and_reset_give_new_passwords_the_old_refused(app, access_home: Home) -> None:
    admin = signed_in_client(app, access_home, "admin")
    first = shown_password(change(app, admin, add=True, name="petr", role="analyst", centres=["ULK"]))
    petr = client_as(app, "petr", first)
    disabled = change(app, admin, action=("disable", "petr"), lang="cs")
    assert "je zakázán" in text(disabled, "accounts-result")  # Czech when the page is Czech
    assert petr.post("/_dash-update-component", json={}).status_code == 401  # the open session has ended
    assert sign_in(app.server.test_client(), "petr", first).status_code == 401
    second = shown_password(change(app, admin, action=("enable", "petr")))
    assert sign_in(app.server.test_client(), "petr", first).status_code == 401
    assert sign_in(app.server.test_client(), "petr", second).status_code == 303
    third = shown_password(change(app, admin, action=("reset", "petr")))
    assert len({first, second, third}) == 3
    assert sign_in(app.server.test_client(), "petr", second).status_code == 401
    assert sign_in(app.server.test_client(), "petr", third).status_code == 303
    entries = user_entries(access_home)
    assert [(e.action, e.user, e.object) for e in entries] == [
        ("user.add", ADMIN, "user petr"), ("user.disable", ADMIN, "user petr"), ("user.reset", ADMIN, "user petr"),
        ("user.reset", ADMIN, "user petr")]
    assert {e.detail for e in entries} == {"role analyst; scope ULK"}
    log = access_home.audit_log.read_text(encoding="utf-8")
    assert not any(p in log for p in (first, second, third)) and "argon2" not in log


@pytest.mark.parametrize("role", [r.value for r in Role if r is not Role.ADMIN])
def test_another_role_crafting_the_callbacks_changes_nothing(app, access_home: Home, role: str) -> None:
    target = ensure_account(access_home, "board", name="some-board")
    client = signed_in_client(app, access_home, role)
    before = access_home.accounts_file.read_bytes()
    assert change(app, client, add=True, name="intruder", role="admin") == {}
    for action in ("disable", "reset", "enable"):
        assert change(app, client, action=(action, target)) == {}
    assert access_home.accounts_file.read_bytes() == before
    assert user_entries(access_home) == []


def test_bad_input_is_named_beside_its_field_and_nothing_is_written(app, access_home: Home) -> None:
    admin = signed_in_client(app, access_home, "admin")
    taken = ensure_account(access_home, "board", name="jana")
    before = access_home.accounts_file.read_bytes()
    duplicate = change(app, admin, add=True, name="Jana", role="board", centres=["ULK"])
    assert "The account jana exists already." in duplicate["new-account-name-error"]["children"]
    assert "exists already" in text(duplicate, "accounts-result") and "accounts-list" not in duplicate
    unknown = change(app, admin, add=True, name="karel", role="coordinator", centres=["ULK", "XXX"],
                     districts=["CZ0513"], lang="cs")
    assert unknown["new-account-centres-error"]["children"] == "Neznámé centrum: XXX."
    assert unknown["new-account-districts-error"]["children"] == ""  # only the centre is named while it is unknown
    outside = change(app, admin, add=True, name="karel", role="coordinator", centres=["ULK"], districts=["CZ0513"])
    assert "CZ0513 lies outside" in outside["new-account-districts-error"]["children"]
    several = change(app, admin, add=True, name="-x", role="nobody", centres=["ULK"])
    assert several["new-account-name-error"]["children"].startswith("Name:")
    assert several["new-account-role-error"]["children"] == "Choose a role."
    crafted = change(app, admin, add=True, name=["a"], role={"x": 1}, centres="ULK", districts=[{"y": 2}])
    assert crafted["new-account-role-error"]["children"] == "Choose a role."  # odd types are refused, not a crash
    assert change(app, admin, action=("disable", "nobody-here"))["accounts-result"]
    assert access_home.accounts_file.read_bytes() == before and AccountStore(access_home).get("karel") is None
    assert user_entries(access_home) == [] and taken == "jana"


def test_an_admin_cannot_change_their_own_account_nor_leave_no_enabled_admin(app, access_home: Home) -> None:
    admin = signed_in_client(app, access_home, "admin")
    for action in ("disable", "reset"):
        refused = change(app, admin, action=(action, ADMIN))
        assert "Your own account is not changed here" in text(refused, "accounts-result")
    assert not AccountStore(access_home).get(ADMIN).disabled
    other = ensure_account(access_home, "admin", name="second-admin")
    change(app, admin, action=("disable", other))  # another admin: allowed while one stays enabled
    assert AccountStore(access_home).get(other).disabled
    # An admin signed in through the reverse proxy has no local account: the last local admin stays.
    actor = audit.Actor("proxy-admin", "admin", "10.0.0.1")
    with pytest.raises(AccountError) as refused:
        disable_account(access_home, actor, ADMIN, signed_in_as="proxy-admin")
    assert [p.kind for p in refused.value.problems] == ["last_admin"]
    assert not AccountStore(access_home).get(ADMIN).disabled
    assert [e.object for e in user_entries(access_home)] == [f"user {other}"]


def test_a_change_that_cannot_be_audited_is_not_made(app, access_home: Home) -> None:
    admin = signed_in_client(app, access_home, "admin")
    before = access_home.accounts_file.read_bytes()
    access_home.audit_log.unlink()
    access_home.audit_log.mkdir()  # the log cannot be appended to
    refused = change(app, admin, add=True, name="eva", role="board", centres=["ULK"])
    assert "Cannot write the audit log" in text(refused, "accounts-result") and "accounts-list" not in refused
    assert access_home.accounts_file.read_bytes() == before


def test_the_cli_and_the_page_share_the_rules(access_home: Home) -> None:
    """`reach users` refuses an unknown centre the same way (pipelines/access/rules.py)."""
    with pytest.raises(AccountError) as refused:
        add_account(access_home, audit.cli_actor(), "x", "board", PASSWORD, centres=("XXX",))
    assert [(p.field, p.kind, p.codes) for p in refused.value.problems] == [("centres", "centre_unknown", ("XXX",))]


# --- in the browser -----------------------------------------------------------------------------------

TIMEOUT = 60


def _choose(dash_duo: DashComposite, dropdown: str, search: str) -> None:
    """Open the dropdown, type into its search box and click the one option left."""
    dash_duo.find_element(f"#{dropdown}").click()
    WebDriverWait(dash_duo.driver, TIMEOUT).until(
        lambda d: d.switch_to.active_element.get_attribute("class") == "dash-dropdown-search")
    dash_duo.driver.switch_to.active_element.send_keys(search)
    WebDriverWait(dash_duo.driver, TIMEOUT).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, ".dash-dropdown-content .dash-dropdown-option")) == 1)
    dash_duo.find_element(".dash-dropdown-content .dash-dropdown-option").click()
    if dash_duo.driver.find_elements(By.CSS_SELECTOR, ".dash-dropdown-content"):
        dash_duo.driver.switch_to.active_element.send_keys(Keys.ESCAPE)  # a multi-select's popup stays open
    WebDriverWait(dash_duo.driver, TIMEOUT).until(
        lambda d: not d.find_elements(By.CSS_SELECTOR, ".dash-dropdown-content"))


@pytest.mark.browser
def test_an_admin_adds_an_account_through_the_form(dash_duo: DashComposite, app, access_home: Home) -> None:
    start_signed_in(dash_duo, app, access_home, "admin")
    dash_duo.driver.get(dash_duo.server.url + "/admin")
    dash_duo.wait_for_element("#new-account-name", timeout=TIMEOUT)
    WebDriverWait(dash_duo.driver, TIMEOUT).until(
        lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-dash-is-loading='true']"))
    assert dash_duo.find_element("#new-account-name-label").text == "Uživatelské jméno"
    dash_duo.find_element("#new-account-name").send_keys("lucie")
    _choose(dash_duo, "new-account-role", "koordin")
    _choose(dash_duo, "new-account-centres", "ULK")
    _choose(dash_duo, "new-account-districts", "Teplice")
    dash_duo.find_element("#account-add").click()
    password = dash_duo.wait_for_element("#accounts-result #account-new-password", timeout=TIMEOUT).text
    assert dash_duo.find_element("#accounts-result").get_attribute("role") == "status"
    dash_duo.wait_for_contains_text("#admin-accounts", "lucie", timeout=TIMEOUT)
    account = AccountStore(access_home).get("lucie")
    assert account.scope == Scope(frozenset({"ULK"}), frozenset({TEPLICE}))
    assert verify_password(account.password_hash, password)
    assert user_entries(access_home)[-1].user == ADMIN
    assert dash_duo.get_logs() == []
