"""Signing in for tests, through the real sign-in form: an account per role, a signed-in client or browser."""

from __future__ import annotations

import re
from typing import Any

from pipelines.access import AccountStore, Role
from pipelines.home import Home

PASSWORD = "a-long-test-password"
CENTRE = "ULK"  # the sample's centre


def account_name(role: str) -> str:
    return f"test-{role}"


def ensure_account(home: Home, role: str = "admin", *, name: str | None = None, centres: tuple[str, ...] | None = None,
                   districts: tuple[str, ...] = ()) -> str:
    """The account (made once, reused by later tests on the same home); -> its name."""
    name = name or account_name(role)
    store = AccountStore(home)
    if store.get(name) is None:
        if centres is None:
            centres = () if role in (Role.ADMIN, Role.MINISTRY) else (CENTRE,)
        store.add(name, role, PASSWORD, centres=centres, districts=districts)
    return name


def csrf_from(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def sign_in(client: Any, name: str, password: str = PASSWORD, *, next_path: str = "/") -> Any:
    """POST the sign-in form as a browser would (token from the form); -> the response."""
    page = client.get("/sign-in").get_data(as_text=True)
    return client.post("/sign-in", data={"csrf_token": csrf_from(page), "name": name, "password": password,
                                         "next": next_path})


def signed_in_client(app: Any, home: Home, role: str = "admin", **account: Any) -> Any:
    """A Flask test client signed in as `role`, sending the CSRF header on every request like Dash's renderer."""
    client = app.server.test_client()
    answer = sign_in(client, ensure_account(home, role, **account))
    assert answer.status_code == 303, answer.get_data(as_text=True)[:500]
    client.get("/")  # the page sets the CSRF cookie the renderer reads
    client.environ_base["HTTP_X_CSRFTOKEN"] = client.get_cookie("_csrf_token").value
    return client


def start_signed_in(dash_duo: Any, app: Any, home: Home, role: str = "admin", *, path: str = "/") -> None:
    """Serve `app`, sign in through the form in the browser, and wait until the dashboard is drawn."""
    from selenium.webdriver.common.by import By

    name = ensure_account(home, role)
    dash_duo.start_server(app, navigate=False)
    driver = dash_duo.driver
    driver.get(dash_duo.server.url + "/sign-in")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.ID, "sign-in-submit").click()
    dash_duo.wait_for_element("#react-entry-point", timeout=30)
    dash_duo.server_url = dash_duo.server.url + (path if path != "/" else "")
