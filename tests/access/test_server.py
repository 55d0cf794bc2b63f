"""Safe defaults of the server: headers, error pages, `reach serve` refusing a public address, the proxy header."""

from __future__ import annotations

import argparse
import base64
import hashlib
import re
from dataclasses import replace

import pytest

from dashboard.auth.config import AccessConfig
from pipelines import audit
from pipelines.errors import ReachError
from pipelines.home import Home
from reach.commands import serve
from reach.dashboard import create_dashboard
from support.access import ensure_account, signed_in_client

PROXY_SETTINGS = """
[proxy]
user_header = "X-Remote-User"
groups_header = "X-Remote-Groups"
trusted_addresses = ["10.9.9.9"]
[proxy.groups]
"reach-board" = { role = "board", centres = ["ULK"] }
"reach-admins" = { role = "admin" }
"""


def _headers_are_safe(headers) -> None:
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    script_src = re.search(r"script-src ([^;]*)", csp).group(1).split()
    assert script_src[0] == "'self'" and all(s.startswith("'sha256-") for s in script_src[1:])
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_every_response_carries_the_security_headers(app, access_home: Home) -> None:
    anonymous = app.server.test_client()
    for answer in (anonymous.get("/sign-in"), anonymous.get("/"), anonymous.get("/assets/style.css"),
                   anonymous.post("/sign-in")):
        _headers_are_safe(answer.headers)
    client = signed_in_client(app, access_home, "analyst")
    page = client.get("/")
    _headers_are_safe(page.headers)
    assert page.headers["Cache-Control"] == "no-store"
    # Dash's only inline scripts are the ones hashed in the policy.
    markup = re.sub(r"<!--.*?-->", "", page.get_data(as_text=True), flags=re.S)  # IE's conditional comment
    inline = re.findall(r"<script(?![^>]*src=)(?![^>]*application/json)[^>]*>(.*?)</script>", markup, re.S)
    allowed = page.headers["Content-Security-Policy"]
    assert inline and all(f"'sha256-{base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()}'" in allowed
                          for code in inline)
    _headers_are_safe(client.get("/no/such/thing.txt").headers)
    docs = client.get("/quality/data_docs/index.html")  # the Data Docs keep their stricter policy
    if docs.status_code == 200:
        assert "script-src 'none'" in docs.headers["Content-Security-Policy"]


def test_errors_reach_the_user_without_a_stack_trace(app, access_home: Home) -> None:
    client = signed_in_client(app, access_home, "analyst")
    broken = client.post("/_dash-update-component", json={"output": "content.children", "inputs": "nonsense"})
    text = broken.get_data(as_text=True)
    assert broken.status_code == 500 and "Traceback" not in text and 'File "' not in text
    assert "Něco se pokazilo" in text
    client.get("/sign-out")  # sign-out is a POST only: a link or an image cannot sign anyone out
    assert client.get("/reach").status_code == 200
    assert not app.server.debug


def test_serve_refuses_a_public_address_while_no_account_exists(access_home: Home) -> None:
    for host in ("0.0.0.0", "192.168.1.10", "::", "example.org"):
        with pytest.raises(ReachError, match="no account exists"):
            serve.run(argparse.Namespace(host=host, port=0), access_home)
    assert serve.is_loopback("127.0.0.1") and serve.is_loopback("::1") and serve.is_loopback("localhost")
    assert not serve.is_loopback("0.0.0.0") and not serve.is_loopback("127.0.0.1.example.org")
    parser = argparse.ArgumentParser()
    serve.configure(parser)
    assert parser.parse_args([]).host == "127.0.0.1"


def test_the_proxy_header_is_trusted_only_from_the_proxy(access_home: Home) -> None:
    access_home.access_config.write_text(PROXY_SETTINGS, encoding="utf-8")
    app = create_dashboard(access_home)
    headers = {"X-Remote-User": "Jana.Novak", "X-Remote-Groups": "staff, reach-board"}
    proxied = app.server.test_client()
    proxied.environ_base["REMOTE_ADDR"] = "10.9.9.9"
    assert proxied.get("/", headers=headers).status_code == 200
    assert proxied.get("/reach", headers=headers).status_code == 403  # the board role from its group
    entry = audit.read(access_home).entries[-1]
    assert (entry.action, entry.user, entry.role, entry.detail) == ("sign_in", "jana.novak", "board",
                                                                    "via the reverse proxy")
    assert proxied.get("/", headers={"X-Remote-User": "x", "X-Remote-Groups": "staff"}).status_code == 303
    forged = app.server.test_client()  # the same header from anywhere else is ignored
    forged.environ_base["REMOTE_ADDR"] = "10.0.0.5"
    assert forged.get("/", headers=headers).status_code == 303


def test_without_proxy_settings_the_header_means_nothing(app) -> None:
    client = app.server.test_client()
    assert client.get("/", headers={"X-Remote-User": "admin", "X-Remote-Groups": "reach-admins"}).status_code == 303


def test_the_cookies_are_secure_except_for_plain_http_on_loopback(access_home: Home) -> None:
    app = create_dashboard(access_home)
    name = ensure_account(access_home, "analyst")
    remote = app.server.test_client()
    remote.environ_base["REMOTE_ADDR"] = "10.0.0.7"
    page = remote.get("/sign-in")
    assert "Secure" in page.headers["Set-Cookie"]
    local = app.server.test_client()
    assert "Secure" not in local.get("/sign-in").headers["Set-Cookie"]
    forced = create_dashboard(access_home, replace(AccessConfig.load(access_home), secure_cookie="true"))
    assert "Secure" in forced.server.test_client().get("/sign-in").headers["Set-Cookie"]
    assert name
