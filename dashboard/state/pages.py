"""The dashboard's pages, declared once: navigation order, path and title in Czech and English.

Navigation, URL parsing, document titles and the page modules (`dashboard.pages.<key>`) all
derive from this list; adding a page is one line here plus its module.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    key: str  # also the module name under dashboard/pages/ and the URL path
    title_cs: str
    title_en: str

    @property
    def path(self) -> str:
        return "/" if self.key == HOME_PAGE else f"/{self.key}"

    def title(self, lang: str) -> str:
        return self.title_cs if lang == "cs" else self.title_en


PAGE_SPECS: tuple[PageSpec, ...] = (
    PageSpec("overview", "Přehled", "Overview"),
    PageSpec("reach", "Dosah", "Reach"),
    PageSpec("services", "Služby", "Services"),
    PageSpec("courses", "Kurzy", "Courses"),
    PageSpec("outcomes", "Výsledky", "Outcomes"),
    PageSpec("events", "Akce", "Events"),
    PageSpec("quality", "Kvalita dat", "Data quality"),
    PageSpec("definitions", "Definice", "Definitions"),
)
HOME_PAGE = "overview"
PAGES: tuple[str, ...] = tuple(spec.key for spec in PAGE_SPECS)
_BY_KEY = {spec.key: spec for spec in PAGE_SPECS}


def page_spec(key: str) -> PageSpec:
    return _BY_KEY[key]


def page_title(key: str, lang: str) -> str:
    return _BY_KEY[key].title(lang)
