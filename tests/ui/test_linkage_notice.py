"""The dashboard says when its counts of people over several centres are sums (linkage.py): on the page
and in a chart's export, for whoever sees several centres not all of which deliver the linkage key."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.home import Home
from pipelines.metrics.linkage import SUMMED_NOTICE
from reach.dashboard import create_dashboard
from support import callbacks
from support.access import signed_in_client
from support.linkage import two_centre_home

QUARTER = "?preset=custom&from=2023-01-01&to=2023-03-31"


@pytest.fixture(scope="module")
def unlinked(tmp_path_factory: pytest.TempPathFactory) -> Home:
    return two_centre_home(tmp_path_factory.mktemp("unlinked"), lbk_linked=False)


def test_the_ministry_is_told_national_counts_are_sums_where_a_centre_has_no_linkage_key(unlinked: Home) -> None:
    app = create_dashboard(unlinked)
    ministry = signed_in_client(app, unlinked, "ministry")
    for page in ("overview", "reach"):
        assert SUMMED_NOTICE["cs"] in callbacks.text_of(callbacks.render(app, ministry, page, QUARTER, ["on"]))
    english = callbacks.text_of(callbacks.render(app, ministry, "reach", QUARTER + "&lang=en", ["on"]))
    assert SUMMED_NOTICE["en"] in english
    admin = signed_in_client(app, unlinked, "admin")  # sees every centre and may export charts
    data = callbacks.export(app, admin, "reach-nationality", QUARTER, ["on"])
    assert data is not None and SUMMED_NOTICE["cs"] in data.decode()
    # One centre chosen, or a coordinator who sees one centre: each person is that centre's client.
    one = callbacks.text_of(callbacks.render(app, ministry, "reach", QUARTER + "&centre=ULK", ["on"]))
    assert SUMMED_NOTICE["cs"] not in one
    coordinator = signed_in_client(app, unlinked, "coordinator")
    assert SUMMED_NOTICE["cs"] not in callbacks.text_of(callbacks.render(app, coordinator, "reach", QUARTER, ["on"]))


def test_with_every_linkage_key_there_is_no_notice(tmp_path: Path) -> None:
    home = two_centre_home(tmp_path / "linked", lbk_linked=True)
    app = create_dashboard(home)
    ministry = signed_in_client(app, home, "ministry")
    answer = callbacks.render(app, ministry, "reach", QUARTER, ["on"])
    assert SUMMED_NOTICE["cs"] not in callbacks.text_of(answer)
    assert "reach-nationality" in str(answer)  # the page was drawn
