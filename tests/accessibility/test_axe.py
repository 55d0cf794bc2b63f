"""axe-core on every page in both languages, in a real headless Chromium.

Each page is audited as it opens and again with filters set and every chart's table view open.
A violation of impact serious or critical fails the test; moderate and minor ones are listed in
the output (and as warnings). Each role in ROLES signs in first and audits the pages it may open
(the admin sees every page, the board only the Overview); the sign-in page is audited in both
languages before anyone signs in.
"""

from __future__ import annotations

import warnings

import pytest
from dash.testing.composite import DashComposite

from dashboard.state.pages import PAGES, page_allowed
from dashboard.state.url import path_of
from pipelines.access import Role
from pipelines.home import Home
from reach.dashboard import create_dashboard
from support.access import start_signed_in
from support.browser import open_table_views

from ._browser import FAILING_IMPACTS, axe_violations, describe, rendered

pytestmark = pytest.mark.browser
ROLES = ("admin", "board")  # every page, and the narrowest frame (no switch, one report)
LANGS = ("cs", "en")
FILTERS = "district=CZ0427,CZ0425&nationality=UA"  # filled multi-select dropdowns have their own markup


class AxeFinding(UserWarning):
    """A moderate or minor axe-core finding: reported, not failing."""




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
def test_no_serious_or_critical_axe_violation_on_any_page(dash_duo: DashComposite, published_home: Home,
                                                          lang: str, role: str) -> None:
    start_signed_in(dash_duo, create_dashboard(published_home), published_home, role)
    board = dash_duo
    problems: list[str] = []
    for page in (p for p in PAGES if page_allowed(p, Role(role))):
        query = "" if lang == "cs" else "lang=en"
        for search in (query, "&".join(part for part in (query, FILTERS) if part)):
            board.driver.get(board.server_url + path_of(page) + (f"?{search}" if search else ""))
            rendered(board)
            assert board.driver.execute_script("return document.documentElement.lang") == lang, page
            assert board.driver.execute_script("return document.querySelectorAll('h1').length") == 1, page
            problems += _audit(board, f"{role} {lang} {path_of(page)}?{search}")
            if search != query:
                open_table_views(board)
                problems += _audit(board, f"{role} {lang} {path_of(page)}?{search} with the table views open")
    assert not problems, "\n".join(problems)
    assert board.get_logs() == []


@pytest.mark.parametrize("lang", LANGS)
def test_no_serious_or_critical_axe_violation_on_the_sign_in_page(dash_duo: DashComposite, published_home: Home,
                                                                  lang: str) -> None:
    dash_duo.start_server(create_dashboard(published_home), navigate=False)
    dash_duo.driver.get(dash_duo.server.url + f"/sign-in?lang={lang}")
    assert dash_duo.driver.execute_script("return document.documentElement.lang") == lang
    problems = _audit(dash_duo, f"sign-in {lang}")
    dash_duo.driver.get(dash_duo.server.url + f"/sign-in?lang={lang}&expired=1")  # with its notice
    problems += _audit(dash_duo, f"sign-in {lang} with a notice")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_no_serious_or_critical_axe_violation_with_a_custom_period(dash_duo: DashComposite, published_home: Home,
                                                                   lang: str) -> None:
    """The custom period shows the date-range picker, whose markup the other views never draw."""
    start_signed_in(dash_duo, create_dashboard(published_home), published_home, "admin")
    search = "preset=custom&from=2023-01-01&to=2023-03-31" + ("&lang=en" if lang == "en" else "")
    dash_duo.driver.get(dash_duo.server_url + f"/?{search}")
    rendered(dash_duo)
    problems = _audit(dash_duo, f"admin {lang} /?{search}")
    assert not problems, "\n".join(problems)
