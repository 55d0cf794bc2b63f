"""The charts are drawn with plotly.js's cartesian build, unless a district map needs the full one."""

from __future__ import annotations

import json
import re
from pathlib import Path

import plotly
import pytest

from dashboard.app import ASSETS, CARTESIAN_JS, PLOTLY_JS
from pipelines.home import Home
from reach.dashboard import create_dashboard
from support.access import signed_in_client

BUNDLE = ASSETS / CARTESIAN_JS
FULL = Path(plotly.__file__).parent / PLOTLY_JS


def _version(path: Path) -> str:
    head = path.read_text(encoding="utf-8")[:400]
    return re.search(r"plotly\.js.*? v(\d+\.\d+\.\d+)", head).group(1)  # type: ignore[union-attr]


def _preloaded(page: str) -> str:
    return re.search(r'id="plotly-early" href="([^"]+)"', page).group(1)  # type: ignore[union-attr]


def test_the_vendored_build_is_the_plotly_js_of_the_plotly_package_and_draws_every_trace_kind_used() -> None:
    from charts.theme import _TRACE_KINDS  # the trace kinds the chart builders draw (tests/figures checks)

    assert _version(BUNDLE) == _version(FULL)
    registered = set(re.findall(r'moduleType:"trace",name:"(\w+)"', BUNDLE.read_text(encoding="utf-8")))
    assert {"bar", "scatter", "heatmap"} <= registered
    assert set(_TRACE_KINDS) - registered == {"choroplethmap"}  # drawn only with a district map


def test_without_a_district_map_the_page_preloads_the_cartesian_build_cached_and_not_as_a_page_script(
        published_home: Home) -> None:
    client = signed_in_client(create_dashboard(published_home), published_home)
    page = client.get("/").get_data(as_text=True)
    url = _preloaded(page)
    assert url.startswith("/assets/vendor/plotly-cartesian.min.js?m=")
    answer = client.get(url)
    assert answer.status_code == 200 and answer.get_data() == BUNDLE.read_bytes()
    assert "max-age=31536000" in answer.headers["Cache-Control"]
    assert "vendor/" not in page.replace(url, "")  # no <script> of it: plotly-early.js runs it when asked


def test_with_a_district_map_the_page_preloads_the_full_build(
        published_home: Home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    square = {"type": "Polygon", "coordinates": [[[13, 50], [14, 50], [14, 51], [13, 51], [13, 50]]]}
    path = tmp_path / "okresy.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "CZ0427"}, "geometry": square}]}), encoding="utf-8")
    monkeypatch.setenv("REACH_DISTRICTS_GEOJSON", str(path))
    client = signed_in_client(create_dashboard(published_home), published_home)
    url = _preloaded(client.get("/").get_data(as_text=True))
    assert "/_dash-component-suites/plotly/package_data/plotly.v" in url
    assert client.get(url).get_data() == FULL.read_bytes()
