"""axe-core on every page in both languages, in a real headless Chromium.

Each page is audited as it opens and again with filters set and every chart's table view open.
A violation of impact serious or critical fails the test; moderate and minor ones are listed in
the output (and as warnings). Sign-in does not exist yet (issue 12): every visitor sees the same
pages, so ROLES has one entry; a role will be one more value there, signing in before the audit.
"""

from __future__ import annotations

import warnings

import pytest
from dash.testing.composite import DashComposite

from dashboard.state.pages import PAGES
from dashboard.state.url import path_of
from pipelines.home import Home
from reach.dashboard import create_dashboard

from ._browser import FAILING_IMPACTS, axe_violations, describe, rendered

pytestmark = pytest.mark.browser
ROLES = ("visitor",)  # everyone, until sign-in (issue 12) adds its roles
LANGS = ("cs", "en")
FILTERS = "district=CZ0427,CZ0425&nationality=UA"  # filled multi-select dropdowns have their own markup


class AxeFinding(UserWarning):
    """A moderate or minor axe-core finding: reported, not failing."""


@pytest.fixture
def board(dash_duo: DashComposite, published_home: Home) -> DashComposite:
    dash_duo.start_server(create_dashboard(published_home))
    return dash_duo


def _audit(board: DashComposite, where: str) -> list[str]:
    found = axe_violations(board)
    failing = [v for v in found if v["impact"] in FAILING_IMPACTS]
    others = [v for v in found if v["impact"] not in FAILING_IMPACTS]
    if others:
        report = describe(others)
        print(f"axe-core, {where}:\n{report}")
        warnings.warn(f"axe-core, {where}: {report}", AxeFinding, stacklevel=2)
    return [f"{where}: {line}" for line in describe(failing).splitlines()]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("lang", LANGS)
def test_no_serious_or_critical_axe_violation_on_any_page(board: DashComposite, lang: str, role: str) -> None:
    problems: list[str] = []
    for page in PAGES:
        query = "" if lang == "cs" else "lang=en"
        for search in (query, "&".join(part for part in (query, FILTERS) if part)):
            board.driver.get(board.server_url + path_of(page) + (f"?{search}" if search else ""))
            rendered(board)
            assert board.driver.execute_script("return document.documentElement.lang") == lang, page
            assert board.driver.execute_script("return document.querySelectorAll('h1').length") == 1, page
            problems += _audit(board, f"{role} {lang} {path_of(page)}?{search}")
            if search != query:
                board.driver.execute_script(
                    "document.querySelectorAll('details.chart-table').forEach(function (d) { d.open = true; })")
                problems += _audit(board, f"{role} {lang} {path_of(page)}?{search} with the table views open")
    assert not problems, "\n".join(problems)
    assert board.get_logs() == []
