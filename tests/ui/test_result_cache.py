"""The dashboard's result cache (dashboard/result_cache.py): a hit is the same answer, a new build is never
served from an older one's entries, and no scope is served another's; and the drawn chart cards kept beside
it (dashboard/card_cache.py): counted by wrapping each chart's own drawer, a card is drawn once per build,
scope, role and view, and never served to another.

A hand-made home (support.marts, fixed test secret) with two centres: ULK's clients live in Ústí
(CZ0427), LBK's in Liberec (CZ0513), in numbers that differ by more than any perturbation (30 and
45 people; 60 in the second build), so a figure served from the wrong entry shows. A second build
is published the way `reach build` publishes one: a whole file renamed onto warehouse.duckdb.
"""

from __future__ import annotations

import contextvars
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import fields, replace
from datetime import date
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import polars as pl
import pytest
from dash import html
from plotly.io.json import to_json_plotly as to_json

from charts import figures
from dashboard.callbacks import Board, render_content
from dashboard.card_cache import SHARED_PARTS, card_key, plain_figures
from dashboard.components import chart_card
from dashboard.data import ChartData, WarehouseSource
from dashboard.pages import PAGE_MODULES
from dashboard.pages.base import Chart, PageContext
from dashboard.result_cache import ResultCache, query_key
from dashboard.state.url import Period, ViewState, parse_view
from pipelines.access import EVERYTHING, Role, Scope
from pipelines.disclosure.record_keys import add_record_keys
from pipelines.disclosure.secret import secret_for_build
from pipelines.home import Home
from pipelines.metrics import MetricQuery, compute, open_warehouse
from pipelines.metrics.protection import Protection
from pipelines.targets import load_targets
from reach.dashboard import create_dashboard
from support import callbacks
from support.access import signed_in_client
from support.dashboard import as_shown
from support.marts import MartBuilder, home_with_marts

ULK, LBK = Scope(frozenset({"ULK"})), Scope(frozenset({"LBK"}))
PEOPLE = {"ULK": 30, "LBK": 45}
SECOND_BUILD_ULK = 60
FROM, TO = date(2022, 8, 1), date(2023, 7, 31)
SEARCH = f"?preset=custom&from={FROM.isoformat()}&to={TO.isoformat()}"


def _marts(people: dict[str, int]) -> MartBuilder:
    marts = MartBuilder("ULK")
    for centre, district in (("ULK", "CZ0427"), ("LBK", "CZ0513")):
        marts.centre = centre
        for n in range(people[centre]):
            marts.client(f"c{n}", registered_on=date(2022, 9, 1), district=district)
            marts.contact(f"k{n}", f"c{n}", date(2022, 9, 1 + n % 28))
    return marts


def _publish(home: Home, people: dict[str, int]) -> None:
    """A second build: a whole new file, with record keys, renamed onto the published one."""
    build = home.builds_dir / "next.duckdb"
    _marts(people).write(build)
    add_record_keys(build, secret_for_build(home, None))
    os.replace(build, home.warehouse_db)


def _query(scope: Scope, protection: Protection = Protection.PROTECTED, **changes: object) -> MetricQuery:
    query = MetricQuery(FROM, TO, metrics=("clients_reached", "contacts"), protection=protection, scope=scope)
    return replace(query, **changes)


def _exact(home: Home, query: MetricQuery) -> dict[str, object]:
    """The metric layer's own answer, on a connection of its own (no dashboard, no cache)."""
    con = open_warehouse(home)
    try:
        return compute(con, query).frame.to_dicts()[0]
    finally:
        con.close()


@pytest.fixture
def home(tmp_path: Path) -> Home:
    return home_with_marts(tmp_path / "home", _marts(PEOPLE))


@pytest.mark.parametrize("protection", [Protection.EXACT, Protection.PROTECTED])
def test_a_hit_is_the_same_answer_and_costs_no_query(home: Home, protection: Protection) -> None:
    source = WarehouseSource(home)
    query = _query(ULK, protection, by=("month",))
    first = source.figures(query)
    misses = source.results.misses
    again = source.figures(replace(query))  # an equal query, another object
    assert again is first
    assert source.results.misses == misses and source.results.hits >= 1
    assert source.compute(query) is source.compute(query)
    source.close()


@pytest.mark.parametrize("protection", [Protection.EXACT, Protection.PROTECTED])
def test_a_new_build_is_never_answered_from_the_old_builds_entries(home: Home, protection: Protection) -> None:
    source = WarehouseSource(home)
    query = _query(ULK, protection)
    before = source.figures(query)
    assert before.value("clients_reached") == _exact(home, query)["clients_reached"]
    assert source.figures(query) is before  # kept
    _publish(home, {"ULK": SECOND_BUILD_ULK, "LBK": PEOPLE["LBK"]})
    after = source.figures(query)
    assert after is not before
    assert after.value("clients_reached") == _exact(home, query)["clients_reached"]
    assert after.value("clients_reached") != before.value("clients_reached")
    assert source.compute(query).frame.to_dicts()[0]["contacts"] == _exact(home, query)["contacts"]
    source.close()


def test_an_answer_of_a_replaced_build_is_not_kept_for_the_new_one(home: Home) -> None:
    """A request pinned to the old build before the publish still reads it whole, and what it reads
    after the publish is not served to the requests that come after."""
    source = WarehouseSource(home)
    first, late = _query(ULK, Protection.EXACT), _query(ULK, Protection.EXACT, by=("month",))
    with source.pinned():
        old = source.figures(first)  # pins the first build
        _publish(home, {"ULK": SECOND_BUILD_ULK, "LBK": PEOPLE["LBK"]})
        stale = source.figures(late)  # the pinned (old) build's answer, asked only now
        assert stale.frame["clients_reached"].sum() == old.value("clients_reached") == PEOPLE["ULK"]
    fresh = source.figures(late)
    assert fresh.frame["clients_reached"].sum() == SECOND_BUILD_ULK
    source.close()


def test_no_scope_is_answered_from_another_scopes_entry(home: Home) -> None:
    source = WarehouseSource(home)
    answers = {}
    for name, scope in (("ULK", ULK), ("LBK", LBK), ("everything", EVERYTHING), ("ULK again", ULK)):
        query = _query(scope, Protection.EXACT)
        answers[name] = source.figures(query)
        assert answers[name].value("clients_reached") == _exact(home, query)["clients_reached"], name
    assert answers["ULK"].value("clients_reached") == PEOPLE["ULK"]
    assert answers["LBK"].value("clients_reached") == PEOPLE["LBK"]
    assert answers["everything"].value("clients_reached") == PEOPLE["ULK"] + PEOPLE["LBK"]
    assert answers["ULK again"] is answers["ULK"]
    # A district scope within a centre is a scope of its own too (Liberec's district has no ULK client).
    liberec = Scope(frozenset({"ULK"}), frozenset({"CZ0513"}))
    assert source.figures(_query(liberec, Protection.EXACT)).value("clients_reached") in (0, None)
    source.close()


def test_the_key_holds_every_part_of_the_query() -> None:
    base = _query(ULK)
    variants = [
        _query(LBK), _query(EVERYTHING), _query(Scope(frozenset({"ULK"}), frozenset({"CZ0427"}))),
        _query(ULK, Protection.EXACT),
        replace(base, date_from=date(2022, 9, 1)), replace(base, date_to=date(2023, 6, 30)),
        replace(base, metrics=("clients_reached",)), replace(base, by=("month",)),
        replace(base, where={"district": ("CZ0427",)}), replace(base, exclude={"district": ("CZ0427",)}),
    ]
    keys = {query_key(q) for q in [base, *variants]}
    assert len(keys) == 1 + len(variants)
    # The order filters were given in is not part of what they mean.
    assert (query_key(replace(base, where={"sex": ("female",), "district": ("CZ0427",)}))
            == query_key(replace(base, where={"district": ("CZ0427",), "sex": ("female",)})))
    with pytest.raises(TypeError):
        query_key(replace(base, scope=None))  # type: ignore[arg-type]


def test_the_cache_is_bounded_least_recently_used_first() -> None:
    cache = ResultCache(max_entries=2)
    cache.publish("build-1")
    queries = [_query(ULK, by=("month",)), _query(ULK, by=("sex",)), _query(ULK, by=("district",))]
    answers = [cache.get_or_compute("build-1", "result", q, object) for q in queries[:2]]
    assert cache.get_or_compute("build-1", "result", queries[0], object) is answers[0]  # now the most recent
    cache.get_or_compute("build-1", "result", queries[2], object)  # evicts queries[1], the least recent
    assert len(cache) == 2
    assert cache.get_or_compute("build-1", "result", queries[0], object) is answers[0]
    assert cache.get_or_compute("build-1", "result", queries[1], object) is not answers[1]
    cache.publish("build-2")
    assert len(cache) == 0
    cache.get_or_compute("build-1", "result", queries[0], object)  # a replaced build's answer is not kept
    assert len(cache) == 0


def _app_with_its_source(home: Home, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, WarehouseSource, dict[str, Any]]:
    """The real app, the one WarehouseSource it reads through (to empty its caches) and a signed-in
    coordinator of each centre."""
    sources: list[WarehouseSource] = []

    class Recorded(WarehouseSource):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            sources.append(self)

    monkeypatch.setattr("dashboard.app.WarehouseSource", Recorded)
    app = create_dashboard(home)
    [source] = sources
    users = {centre: signed_in_client(app, home, "coordinator", name=f"coordinator-{centre}", centres=(centre,))
             for centre in ("ULK", "LBK")}
    return app, source, users


def test_through_the_app_each_user_gets_their_own_scope_and_the_new_build(
        home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two coordinators of different centres post the same callback to the same app (one cache): each
    gets the figures of their own centre, again (from the cache) after the other asked, and the new
    ones once a build is published."""
    app, source, users = _app_with_its_source(home, monkeypatch)

    def shown(centre: str) -> str:
        answer = callbacks.render(app, users[centre], "overview", SEARCH, ["on"])
        return callbacks.kpi_values(answer)["clients_reached"]

    def expected(centre: str) -> str:
        scope = Scope(frozenset({centre}))
        figure = _exact(home, _query(scope, Protection.PROTECTED, metrics=("clients_reached",)))["clients_reached"]
        return as_shown(str(figure))

    first = {"ULK": shown("ULK"), "LBK": shown("LBK")}
    assert first == {"ULK": expected("ULK"), "LBK": expected("LBK")}
    assert first["ULK"] != first["LBK"]
    hits = source.results.hits
    assert shown("ULK") == first["ULK"] and shown("LBK") == first["LBK"]  # answered again, each their own
    assert source.results.hits > hits
    _publish(home, {"ULK": SECOND_BUILD_ULK, "LBK": PEOPLE["LBK"]})
    assert shown("ULK") == expected("ULK") != first["ULK"]
    assert shown("LBK") == expected("LBK")



# --- drawn chart cards (dashboard/card_cache.py) ----------------------------------------------------------


def _counted_draws(monkeypatch: pytest.MonkeyPatch, page: str) -> list[str]:
    """The ids of the page's charts each time one is drawn: every chart's own drawer, wrapped to count."""
    drawn: list[str] = []

    def counted(chart: Chart) -> Chart:
        def draw(data: ChartData, ctx: PageContext) -> object:
            drawn.append(chart.id)
            return chart.draw(data, ctx)
        return replace(chart, draw=draw)

    module = PAGE_MODULES[page]
    monkeypatch.setattr(module, "CHARTS", tuple(counted(chart) for chart in module.CHARTS))
    return drawn


def _export_buttons(answer: dict[str, object]) -> int:
    return sum(1 for c in callbacks.components(answer)
               if isinstance(c["props"].get("id"), dict) and c["props"]["id"].get("type") == "export")


def test_a_card_is_drawn_once_per_build_scope_role_and_view(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Reach page through the app: asked again, the same cards without drawing; for another scope, another
    role, exact figures, another language or any other view, cards drawn for it; after a new build, new cards."""
    drawn = _counted_draws(monkeypatch, "reach")
    pools: list[object] = []

    class CountedPool(ThreadPoolExecutor):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            pools.append(self)

    monkeypatch.setattr("dashboard.callbacks.ThreadPoolExecutor", CountedPool)
    app = create_dashboard(home)
    users = {name: signed_in_client(app, home, role, name=f"{role}-{name}", centres=centres)
             for name, role, centres in (("ULK", "coordinator", ("ULK",)), ("LBK", "coordinator", ("LBK",)),
                                         ("analyst", "analyst", ("ULK",)), ("ministry", "ministry", ()))}

    def page(user: str, search: str = SEARCH, privacy: tuple[str, ...] = ("on",)) -> tuple[dict[str, object], int]:
        before = len(drawn)
        answer = callbacks.render(app, users[user], "reach", search, list(privacy))
        return answer, len(drawn) - before

    first, charts = page("ULK")
    assert charts == len(PAGE_MODULES["reach"].CHARTS)
    started = len(pools)
    again, count = page("ULK")
    assert count == 0 and callbacks.text_of(again) == callbacks.text_of(first)
    assert len(pools) == started  # every card kept: no worker threads started

    # Another scope: its own cards, with its own figures (LBK's people live in another district).
    other, count = page("LBK")
    assert count == charts
    assert callbacks.drawn(other, "reach-district") != callbacks.drawn(first, "reach-district")
    # Another role with the same scope, and exact figures: drawn for them, never the coordinator's.
    assert page("analyst")[1] == charts
    assert page("analyst", privacy=())[1] == charts
    ministry, count = page("ministry")
    assert count == charts and _export_buttons(ministry) == 0 < _export_buttons(first)

    # The language and every other part of the view give cards of their own.
    english, count = page("ULK", SEARCH + "&lang=en")
    assert count == charts
    assert "Clients reached by service" in callbacks.text_of(english)
    assert "Clients reached by service" not in callbacks.text_of(first)
    for variant in ("&district=CZ0427", "&cmp=none", "&cmp=year",
                    "&district=CZ0427&lang=en"):
        assert page("ULK", SEARCH + variant)[1] == charts, variant
    assert page("ULK", "?preset=custom&from=2022-09-01&to=2023-07-31")[1] == charts

    # A new build: nothing drawn from the old one is served, and the new figures are drawn.
    _publish(home, {"ULK": SECOND_BUILD_ULK, "LBK": PEOPLE["LBK"]})
    after, count = page("ULK")
    assert count == charts
    assert callbacks.drawn(after, "reach-district") != callbacks.drawn(first, "reach-district")
    assert page("ULK")[1] == 0  # kept for the new build


def test_a_served_card_is_the_one_drawn_afresh(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    """After other scopes asked the same view, each user's cached Overview cards equal the cards drawn
    for them with every cache emptied."""
    drawn = _counted_draws(monkeypatch, "overview")
    app, source, users = _app_with_its_source(home, monkeypatch)
    cached = {}
    for centre in ("ULK", "LBK", "ULK", "LBK"):
        cached[centre] = callbacks.text_of(callbacks.render(app, users[centre], "overview", SEARCH, ["on"]))
    assert cached["ULK"] != cached["LBK"]
    count = len(drawn)
    for centre in ("LBK", "ULK"):
        source.results.clear()  # the cards go with the results they were drawn from
        fresh = callbacks.text_of(callbacks.render(app, users[centre], "overview", SEARCH, ["on"]))
        assert fresh == cached[centre], centre
    assert len(drawn) > count


def _context(**changes: object) -> PageContext:
    view = ViewState(page="reach", preset="custom", custom_from=FROM, custom_to=TO, filters={"sex": ("female",)})
    context = PageContext(None, view, Period(FROM, TO), None, Protection.PROTECTED,  # type: ignore[arg-type]
                          None, None, scope=ULK)  # type: ignore[arg-type]
    return replace(context, **changes)


def test_the_card_key_holds_the_role_the_day_and_every_part_of_the_view_and_context() -> None:
    base = _context()
    view = base.view
    views = {
        "page": replace(view, page="overview"), "preset": replace(view, preset="project"),
        "period_value": replace(view, period_value="2023"), "custom_from": replace(view, custom_from=date(2022, 9, 1)),
        "custom_to": replace(view, custom_to=date(2023, 6, 30)), "comparison": replace(view, comparison="none"),
        "filters": replace(view, filters={"sex": ("male",)}), "lang": replace(view, lang="en"),
        "ignored": replace(view, ignored=("from",)),
    }
    assert set(views) == {f.name for f in fields(ViewState)}  # a new part of the view needs a variant here
    contexts = {
        "view": [_context(view=v) for v in views.values()],
        "period": [_context(period=Period(FROM, date(2023, 6, 30)))],
        "comparison": [_context(comparison=Period(date(2021, 8, 1), date(2022, 7, 31)))],
        "protection": [_context(protection=Protection.EXACT)],
        "comparison_has_data": [_context(comparison_has_data=False)],
        "scope": [_context(scope=LBK), _context(scope=EVERYTHING),
                  _context(scope=Scope(frozenset({"ULK"}), frozenset({"CZ0427"})))],
    }
    assert set(contexts) == {f.name for f in fields(PageContext)} - SHARED_PARTS
    today = date(2026, 12, 2)
    keys = [card_key("reach-service", c, Role.COORDINATOR, today) for cs in contexts.values() for c in cs]
    keys += [card_key("reach-service", base, role, today) for role in (Role.ANALYST, Role.MINISTRY, None)]
    keys += [card_key("reach-service", base, Role.COORDINATOR, date(2026, 12, 3)),
             card_key("reach-district", base, Role.COORDINATOR, today)]
    assert len(set(keys) | {card_key("reach-service", base, Role.COORDINATOR, today)}) == 1 + len(keys)
    # The same view written again (filters given in another order) is the same card.
    two = _context(view=replace(view, filters={"sex": ("female",), "district": ("CZ0427",)}))
    owt = _context(view=replace(view, filters={"district": ("CZ0427",), "sex": ("female",)}))
    assert card_key("c", two, Role.COORDINATOR, today) == card_key("c", owt, Role.COORDINATOR, today)
    with pytest.raises(TypeError):
        card_key("c", _context(scope=None), Role.COORDINATOR, today)


def test_a_derived_cache_follows_every_publish_and_clear_of_its_results() -> None:
    results = ResultCache()
    results.publish("build-1")
    cards = results.derived("cards", 2)
    assert results.derived("cards", 2) is cards  # one per name
    card = cards.get_or_compute_key("build-1", ("card", "a"), object)
    assert cards.get_or_compute_key("build-1", ("card", "a"), object) is card
    results.publish("build-2")
    assert len(cards) == 0
    cards.get_or_compute_key("build-1", ("card", "a"), object)  # drawn from a replaced build: not kept
    assert len(cards) == 0
    for name in ("a", "b", "c"):
        cards.get_or_compute_key("build-2", ("card", name), object)
    assert len(cards) == 2  # bounded
    results.clear()
    assert len(cards) == 0


def test_a_card_drawn_from_a_replaced_build_is_not_served_for_the_new_one(home: Home) -> None:
    """A request pinned to the old build before the publish draws its cards from it, after another request
    already reads the new build: the requests that come after get cards of the new build."""
    source = WarehouseSource(home)
    board = Board(source, load_targets(), None)
    context = board.context(parse_view("/reach", SEARCH), Protection.PROTECTED, ULK)

    def summaries() -> dict[str, str]:
        return {c.id: c.children for c in html.Div(render_content(context))._traverse()
                if isinstance(getattr(c, "id", None), str) and c.id.startswith("summary-")}

    first = summaries()
    with source.pinned():
        source.build()  # pins the first build
        _publish(home, {"ULK": SECOND_BUILD_ULK, "LBK": PEOPLE["LBK"]})
        contextvars.Context().run(source.build)  # another request, unpinned: opens the new build
        assert summaries() == first  # the pinned request sees its own build whole
    after = summaries()
    assert after["summary-reach-service"] != first["summary-reach-service"]
    assert after == summaries()
    source.close()


def test_a_kept_cards_figure_is_sent_as_the_figure_itself() -> None:
    """Kept cards hold their figures as plain data (a Figure copies itself on every serialisation): the
    JSON the browser gets is the same."""
    figure = figures.bar_by_dimension(pl.DataFrame({"sex": ["female", "male"], "clients_reached": [30, 45],
                                                    "clients_reached__flag": ["", ""]}),
                                      "sex", "clients_reached", "cs")
    card = chart_card("reach-sex", "Pohlaví", figure, "cs")
    sent = to_json(card)
    plain = plain_figures(card)
    assert to_json(plain) == sent
    assert not any(isinstance(getattr(c, "figure", None), go.Figure) for c in plain._traverse())


def test_a_kept_map_card_holds_the_apps_district_map_not_a_copy(home: Home) -> None:
    """A kept card is bounded in number, not in size: its map trace holds the app's district map (an
    operator's map may be megabytes), not Plotly's copy of it; the JSON sent is the one of the drawn card."""
    shapes = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": code},
         "geometry": {"type": "Polygon", "coordinates": [[[13.0 + i, 50.0], [13.5 + i, 50.0], [13.0 + i, 50.5],
                                                          [13.0 + i, 50.0]]]}}
        for i, code in enumerate(("CZ0427", "CZ0513"))]}
    source = WarehouseSource(home)
    board = Board(source, load_targets(), shapes)
    context = board.context(parse_view("/reach", SEARCH), Protection.PROTECTED, ULK)
    with source.pinned():
        drawn = to_json(html.Div(render_content(context)))
        kept = to_json(html.Div(render_content(context)))  # every card kept now
        [section] = [c for c in html.Div(render_content(context))._traverse()
                     if isinstance(c, html.Section) and "reach-district" in to_json(c)]
    assert kept == drawn
    traces = [trace for c in section._traverse() if isinstance(getattr(c, "figure", None), dict)
              for trace in c.figure["data"] if "geojson" in trace]
    assert traces and all(trace["geojson"] is shapes for trace in traces)
    other = {**shapes, "features": shapes["features"][:1]}  # another map is kept as it is
    card = chart_card("reach-district", "Okresy", figures.district_choropleth(
        pl.DataFrame({"district": ["CZ0427"], "clients_reached": [30], "clients_reached__flag": [""]}),
        "clients_reached", other, "cs"), "cs")
    sent = to_json(card)
    plain = plain_figures(card, shared=shapes)
    assert to_json(plain) == sent
    assert all(t["geojson"] is not shapes and t["geojson"] == other
               for c in plain._traverse() if isinstance(getattr(c, "figure", None), dict) for t in c.figure["data"])
    source.close()


def test_cards_asked_at_once_by_several_threads_are_each_their_own_scopes(home: Home) -> None:
    """Threads asking the Reach page for two scopes at once (one cache, first views racing to draw and keep
    the same cards) each get the cards of their own scope, the same as drawn one at a time."""
    source = WarehouseSource(home)
    board = Board(source, load_targets(), None)
    contexts = {name: board.context(parse_view("/reach", SEARCH), Protection.PROTECTED, scope)
                for name, scope in (("ULK", ULK), ("LBK", LBK))}

    def summaries(name: str) -> dict[str, str]:
        with source.pinned():  # one request
            return {c.id: c.children for c in html.Div(render_content(contexts[name]))._traverse()
                    if isinstance(getattr(c, "id", None), str) and c.id.startswith("summary-")}

    names = ["ULK", "LBK"] * 4
    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        answers = list(pool.map(summaries, names))
    source.results.clear()
    alone = {name: summaries(name) for name in ("ULK", "LBK")}
    assert alone["ULK"] != alone["LBK"]
    assert answers == [alone[name] for name in names]
    source.close()
