"""20 dashboard clients while `reach build` publishes: no errors, and no response mixes two builds.

A real `reach serve` (waitress) runs in a subprocess on loopback. Twenty client threads ask it
for whole pages (the render_page callback, POST /_dash-update-component, whose answer holds KPI
cards and every chart of the page, computed on several threads of the server) while this process
builds and publishes three new warehouses with the real pipeline, each after a new delivery, so
the figures differ from build to build. After each publish the test records each page's figures
(the server is quiet then); every answer given during the run must carry exactly one build's.

An answer's figures are the numbers it holds, as a multiset: bars with equal values may come in
either order (ties), which changes the text of an answer but not which build its numbers are from.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
import requests

from pipelines.home import Home
from reach.build import build_warehouse
from support.access import PASSWORD, csrf_from, ensure_account
from support.quality import CLIENTS, write_clean_raw
from support.raw_rows import Delivery, write_raw

pytestmark = pytest.mark.slow

CLIENT_THREADS = 20
NEW_BUILDS = 3
PAGES = ("/", "/services", "/reach")
MAX_REQUESTS_PER_CLIENT = 400  # bounds the run even if a build hangs
REQUEST_TIMEOUT = 120  # seconds; a request that takes longer counts as an error
SERVER_START_TIMEOUT = 120
REPO = Path(__file__).resolve().parents[2]
OUTPUTS = (("content", "children"), ("privacy-banner", "children"), ("privacy-label", "children"),
           ("period-line", "children"))


def render_page_payload(pathname: str) -> bytes:
    """What the browser posts when the URL changes: the render_page callback of dashboard/callbacks.py."""
    return json.dumps({
        "output": ".." + "...".join(f"{i}.{p}" for i, p in OUTPUTS) + "..",
        "outputs": [{"id": i, "property": p} for i, p in OUTPUTS],
        "inputs": [{"id": "url", "property": "pathname", "value": pathname},
                   {"id": "url", "property": "search", "value": ""},
                   # Protection off (an admin's exact figures, audited): a build's few new contacts
                   # always change them, while perturbed and rounded figures may stay the same.
                   {"id": "privacy", "property": "value", "value": []}],
        "changedPropIds": ["url.pathname"],
        "state": [],
    }).encode()


NUMBER = re.compile(rb"-?[0-9]+(?:[.,][0-9]+)?")


def figures_of(body: bytes) -> tuple[bytes, ...]:
    """Every number in an answer (KPI cards, chart values, summaries), in sorted order."""
    return tuple(sorted(NUMBER.findall(body)))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def signed_in_headers(base: str, name: str) -> dict[str, str]:
    """Sign in through the form; -> the headers a signed-in browser's renderer sends with a callback: the
    session and CSRF cookies, and the X-CSRFToken header Dash takes from the `_csrf_token` cookie."""
    with requests.Session() as browser:
        page = browser.get(f"{base}/sign-in", timeout=REQUEST_TIMEOUT).text
        answer = browser.post(f"{base}/sign-in", data={"csrf_token": csrf_from(page), "name": name,
                                                       "password": PASSWORD, "next": "/"},
                              allow_redirects=False, timeout=REQUEST_TIMEOUT)
        assert answer.status_code == 303, answer.text[:500]
        assert browser.get(f"{base}/", timeout=REQUEST_TIMEOUT).status_code == 200  # sets the CSRF cookie
        cookies = browser.cookies.get_dict()
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()), "X-CSRFToken": cookies["_csrf_token"],
                "User-Agent": browser.headers["User-Agent"]}  # the session is bound to the browser


def post(base: str, pathname: str, signed_in: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(f"{base}/_dash-update-component", data=render_page_payload(pathname),
                                     headers={"Content-Type": "application/json", **signed_in}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError as error:  # refused, reset, timed out
        return -1, repr(error).encode()


def more_contacts(load_seq: int, count: int) -> Delivery:
    """A delivery of `count` new contacts in March 2023: the contact figures change with each one."""
    delivery = Delivery(load_seq)
    for k in range(count):
        delivery.add("contacts", contact_id=f"extra-{load_seq}-{k}", client_id=CLIENTS[k % len(CLIENTS)],
                     contact_date=date(2023, 3, 1 + k % 28), service="social_counselling", topic="employment",
                     mode="in_person", duration_min=40 + load_seq, branch="Pobočka Teplice", interpreted=False,
                     deleted=False)
    return delivery


@dataclass
class Answers:
    lock: threading.Lock = field(default_factory=threading.Lock)
    got: list[tuple[str, int, bytes]] = field(default_factory=list)

    def add(self, page: str, status: int, body: bytes) -> None:
        with self.lock:
            self.got.append((page, status, body))


def hammer(base: str, number: int, stop: threading.Event, answers: Answers, signed_in: dict[str, str]) -> None:
    for request in range(MAX_REQUESTS_PER_CLIENT):
        if stop.is_set():
            return
        page = PAGES[(number + request) % len(PAGES)]
        answers.add(page, *post(base, page, signed_in))


@pytest.fixture
def server_home(tmp_path: Path):
    home = Home(tmp_path / "home").ensure()
    write_clean_raw(home)
    build_warehouse(home)
    ensure_account(home)  # an admin: every page, the whole data
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "reach.cli", "--home", str(home.root), "serve", "--host", "127.0.0.1",
         "--port", str(port)], cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = threading.Event()
        timer = threading.Timer(SERVER_START_TIMEOUT, deadline.set)
        timer.start()
        while not deadline.is_set():
            if server.poll() is not None:
                pytest.fail(f"reach serve exited: {(tmp_path / 'serve.log').read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{base}/", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                deadline.wait(0.5)
        timer.cancel()
        assert not deadline.is_set(), "reach serve did not answer"
        yield home, base, tmp_path / "serve.log"
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def test_twenty_clients_during_three_publishes_see_no_error_and_no_mixed_build(server_home) -> None:
    home, base, log = server_home
    # Each client signs in as a browser would, with its own session.
    sessions = [signed_in_headers(base, ensure_account(home)) for _ in range(CLIENT_THREADS + 1)]
    known: list[dict[str, bytes]] = [{page: post(base, page, sessions[-1])[1] for page in PAGES}]  # build 0
    answers = Answers()
    stop = threading.Event()
    clients = [threading.Thread(target=hammer, args=(base, n, stop, answers, sessions[n]), daemon=True)
               for n in range(CLIENT_THREADS)]
    for thread in clients:
        thread.start()
    try:
        for build in range(1, NEW_BUILDS + 1):
            write_raw(home, more_contacts(8 + build, 5 * build))
            build_warehouse(home)
            known.append({page: post(base, page, sessions[-1])[1] for page in PAGES})
        # A last round on the final build, then stop.
        answers_before = len(answers.got)
        while len(answers.got) < answers_before + CLIENT_THREADS and any(t.is_alive() for t in clients):
            stop.wait(0.2)
    finally:
        stop.set()
        for thread in clients:
            thread.join(timeout=REQUEST_TIMEOUT + 10)

    errors = [(page, status, body[:300]) for page, status, body in answers.got if status != 200]
    assert errors == [], f"{len(errors)} failed requests, e.g. {errors[:3]}; server log {log}"
    for page in PAGES:  # each build's figures differ, so an answer names the build it came from
        assert len({figures_of(builds[page]) for builds in known}) == len(known), page
        assert all(json.loads(builds[page])["response"]["content"]["children"] for builds in known)
    unmatched = []
    seen_builds = set()
    for page, _, body in answers.got:
        matches = [n for n, builds in enumerate(known) if figures_of(builds[page]) == figures_of(body)]
        if len(matches) != 1:
            unmatched.append((page, body[:300]))
        seen_builds.update(matches)
    assert unmatched == [], f"{len(unmatched)} answers match no single build, e.g. {unmatched[:2]}"
    assert len(answers.got) >= CLIENT_THREADS * 2
    assert len(seen_builds) >= 2, "the clients' answers spanned at least one publish"
    assert "Traceback" not in log.read_text(errors="replace")
