"""The page the server sends, before any script runs: its language, its title and its landmarks."""

from __future__ import annotations

import re

import pytest

from dashboard.layout import shell
from dashboard.state.pages import PAGES
from dashboard.state.url import path_of
from pipelines.home import Home
from pipelines.targets import load_targets
from reach.dashboard import create_dashboard
from support.access import signed_in_client


@pytest.mark.parametrize(("query", "lang", "title"), [
    ("", "cs", "Dosah – Dosah integračních služeb"),
    ("?lang=en", "en", "Reach – Integration Reach"),
    ("?lang=xx", "cs", "Dosah – Dosah integračních služeb"),
])
def test_first_response_says_its_language_and_page(published_home: Home, query: str, lang: str, title: str) -> None:
    client = signed_in_client(create_dashboard(published_home), published_home)
    page = client.get("/reach" + query).get_data(as_text=True)
    assert re.search(r"<html[^>]*>", page).group(0) == f'<html lang="{lang}">'
    assert f"<title>{title}</title>" in page


def test_every_page_path_gets_its_own_title(published_home: Home) -> None:
    client = signed_in_client(create_dashboard(published_home), published_home)
    titles = {re.search(r"<title>(.*?)</title>", client.get(path_of(p)).get_data(as_text=True)).group(1)
              for p in PAGES}
    assert len(titles) == len(PAGES)


def _walk(component: object, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], object]]:
    name = type(component).__name__
    found = [((*path, name), component)]
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str):
            found += _walk(child, (*path, name))
    return found


def test_frame_has_skip_link_landmarks_and_named_switches() -> None:
    targets = load_targets()
    parts = _walk(shell("Dosah", targets.period_from, targets.period_to))
    names = [path[-1] for path, _ in parts]
    focusable = [c for _, c in parts if type(c).__name__ in ("A", "Link", "Button", "Dropdown", "RadioItems",
                                                              "Checklist", "DatePickerRange")]
    assert getattr(focusable[0], "id", None) == "skip-link" and focusable[0].href == "#main"
    assert names.count("Header") == 1 and names.count("Main") == 1 and names.count("Nav") == 1
    main = next(c for p, c in parts if p[-1] == "Main")
    assert main.id == "main" and any(type(c).__name__ == "H1" for _, c in _walk(main))
    # The language radios sit in a fieldset named by its legend; the privacy box is named by its label.
    lang = next(p for p, c in parts if getattr(c, "id", None) == "lang")
    assert lang[-2] == "Fieldset" and "Legend" in names
    label = next(c for _, c in parts if getattr(c, "id", None) == "privacy-label")
    assert label.to_plotly_json()["props"]["data-label-for"] == "privacy"
