"""Sign-in, sign-out, sessions and the stored accounts, through the real server (Flask test client)."""

from __future__ import annotations

import json
import re
import stat
import time

from pipelines import audit
from pipelines.access import AccountStore
from pipelines.home import Home
from reach.dashboard import create_dashboard
from support.access import PASSWORD, csrf_from, ensure_account, sign_in, signed_in_client

from .conftest import short_sessions


def _actions(home: Home) -> list[tuple[str, str, str]]:
    return [(e.action, e.user, e.role) for e in audit.read(home).entries]


def test_nothing_but_the_sign_in_page_without_signing_in(app) -> None:
    client = app.server.test_client()
    page = client.get("/reach?lang=en")
    assert page.status_code == 303
    assert page.headers["Location"].startswith("/sign-in?next=%2Freach%3Flang%3Den&lang=en")
    assert client.get("/_dash-layout").status_code == 401
    assert client.get("/_dash-dependencies").status_code == 401
    assert client.get("/quality/data_docs/index.html").status_code == 303
    sign_in_page = client.get("/sign-in").get_data(as_text=True)
    assert '<html lang="cs">' in sign_in_page and "Přihlášení" in sign_in_page
    english = client.get("/sign-in?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english and "User name" in english
    assert client.get("/assets/style.css").status_code == 200


def test_the_same_words_for_an_unknown_name_and_a_wrong_password(app, access_home: Home) -> None:
    name = ensure_account(access_home, "analyst")

    def answer(user: str) -> tuple[int, str]:
        response = sign_in(app.server.test_client(), user, "not-the-password-at-all")
        body = re.sub(r'value="[^"]*"', "", response.get_data(as_text=True))
        return response.status_code, body

    wrong, unknown = answer(name), answer("nobody-here")
    assert wrong == unknown and wrong[0] == 401
    assert "Jméno nebo heslo nesouhlasí." in wrong[1]
    assert _actions(access_home) == [("sign_in.failed", name, "analyst"), ("sign_in.failed", "(unknown name)", "")]


def test_sign_in_sets_a_protected_cookie_and_sign_out_ends_the_session(app, access_home: Home) -> None:
    name = ensure_account(access_home, "coordinator")
    client = app.server.test_client()
    done = sign_in(client, name, next_path="/services?lang=en")
    assert done.status_code == 303 and done.headers["Location"] == "/services?lang=en"
    cookie = next(h for h in done.headers.getlist("Set-Cookie") if h.startswith("reach_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/services").status_code == 200
    stolen = client.get_cookie("reach_session").value
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert '"id": "sign-out"' in layout.replace('":"', '": "') and "test-coordinator (coordinator)" in layout
    token = client.get_cookie("_csrf_token").value
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 303
    assert client.get("/").status_code == 303
    replay = app.server.test_client()  # the cookie copied before sign-out no longer opens anything
    replay.set_cookie("reach_session", stolen)
    assert replay.get("/").status_code == 303
    assert [a for a, _, _ in _actions(access_home)] == ["sign_in", "sign_out"]


def test_a_foreign_next_address_is_not_followed(app, access_home: Home) -> None:
    name = ensure_account(access_home, "analyst")
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        done = sign_in(app.server.test_client(), name, next_path=target)
        assert done.headers["Location"] == "/"


def test_passwords_are_stored_as_argon2id_hashes_only(access_home: Home) -> None:
    ensure_account(access_home, "board")
    text = access_home.accounts_file.read_text(encoding="utf-8")
    record = json.loads(text)["accounts"][0]
    assert record["password_hash"].startswith("$argon2id$")
    assert PASSWORD not in text
    assert stat.S_IMODE(access_home.accounts_file.stat().st_mode) == 0o600


def test_the_session_ends_after_inactivity(access_home: Home) -> None:
    app = create_dashboard(access_home, short_sessions(access_home, 1))
    client = signed_in_client(app, access_home, "analyst")
    assert client.get("/").status_code == 200
    time.sleep(1.3)
    answer = client.get("/reach")
    assert answer.status_code == 303 and "expired=1" in answer.headers["Location"]
    assert "Byli jste odhlášeni po době nečinnosti" in client.get(answer.headers["Location"]).get_data(as_text=True)
    assert client.post("/_dash-update-component", json={}).status_code == 401


def test_a_disabled_or_reset_account_loses_its_sessions(app, access_home: Home) -> None:
    client = signed_in_client(app, access_home, "analyst")
    other = signed_in_client(app, access_home, "coordinator")
    store = AccountStore(access_home)
    store.disable("test-analyst")
    assert client.get("/").status_code == 303
    assert sign_in(app.server.test_client(), "test-analyst").status_code == 401  # disabled: same refusal
    store.reset("test-coordinator", "another-long-password")
    assert other.get("/").status_code == 303


def test_csrf_token_is_required_on_every_post(app, access_home: Home) -> None:
    client = app.server.test_client()
    name = ensure_account(access_home, "analyst")
    refused = client.post("/sign-in", data={"name": name, "password": PASSWORD})
    assert refused.status_code == 400 and "token" in refused.get_data(as_text=True)
    signed = signed_in_client(app, access_home, "analyst")
    payload = {"output": "sign-out.children", "outputs": {"id": "sign-out", "property": "children"},
               "inputs": [{"id": "url", "property": "search", "value": ""}],
               "state": [{"id": "url", "property": "pathname", "value": "/"}], "changedPropIds": ["url.search"]}
    assert signed.post("/_dash-update-component", json=payload).status_code == 200
    del signed.environ_base["HTTP_X_CSRFTOKEN"]
    assert signed.post("/_dash-update-component", json=payload).status_code == 400
    assert signed.post("/sign-out").status_code == 400
    assert signed.get("/").status_code == 200  # still signed in: the forged sign-out did nothing
    page = client.get("/sign-in").get_data(as_text=True)
    assert client.post("/sign-in", data={"csrf_token": csrf_from(page) + "x", "name": name,
                                         "password": PASSWORD}).status_code == 400


def test_the_eleventh_failed_sign_in_of_an_account_within_a_minute_is_refused(app, access_home: Home) -> None:
    name = ensure_account(access_home, "analyst")
    for attempt in range(10):
        client = app.server.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{attempt + 1}"  # from many addresses
        assert sign_in(client, name, "wrong-password-here").status_code == 401
    late = app.server.test_client()
    late.environ_base["REMOTE_ADDR"] = "10.0.1.1"
    refused = sign_in(late, name)  # even the right password
    assert refused.status_code == 429
    assert "Příliš mnoho neúspěšných pokusů" in refused.get_data(as_text=True)
    assert sign_in(late, ensure_account(access_home, "board")).status_code == 303  # another account is not held
    details = [e.detail for e in audit.read(access_home).entries if e.action == "sign_in.failed"]
    assert details[-1] == "refused: too many failed sign-ins" and len(details) == 11


def test_failed_sign_ins_from_one_address_are_limited_whatever_the_name(app, access_home: Home) -> None:
    client = app.server.test_client()
    for attempt in range(30):
        assert sign_in(client, f"guess-{attempt}", "wrong-password-here").status_code == 401
    assert sign_in(client, ensure_account(access_home, "board")).status_code == 429
