"""The dashboard's pages, declared once: navigation order, path, title in Czech and English, and who may open it.

Navigation, URL parsing, document titles, the page modules (`dashboard.pages.<key>`) and the
server's page refusals (dashboard/auth) all derive from this list; adding a page is one line
here plus its module.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.access import Role

EVERY_ROLE = frozenset(Role)
# The figures pages: not the board (the Overview and the board pack only, access.md).
READERS = frozenset({Role.ADMIN, Role.ANALYST, Role.COORDINATOR, Role.MINISTRY})
# Quarantined rows and delivery details: only those who load and review deliveries.
STEWARDS = frozenset({Role.ADMIN, Role.ANALYST})


@dataclass(frozen=True)
class PageSpec:
    key: str  # also the module name under dashboard/pages/ and the URL path
    title_cs: str
    title_en: str
    roles: frozenset[Role] = READERS  # who may open the page; anyone else is refused by the server

    @property
    def path(self) -> str:
        return "/" if self.key == HOME_PAGE else f"/{self.key}"

    def title(self, lang: str) -> str:
        return self.title_cs if lang == "cs" else self.title_en


PAGE_SPECS: tuple[PageSpec, ...] = (
    PageSpec("overview", "Přehled", "Overview", EVERY_ROLE),
    PageSpec("reach", "Dosah", "Reach"),
    PageSpec("services", "Služby", "Services"),
    PageSpec("courses", "Kurzy", "Courses"),
    PageSpec("outcomes", "Výsledky", "Outcomes"),
    PageSpec("events", "Akce", "Events"),
    PageSpec("quality", "Kvalita dat", "Data quality", STEWARDS),
    PageSpec("deliveries", "Dodávky", "Deliveries", STEWARDS),  # upload, build and publish, what changed
    PageSpec("definitions", "Definice", "Definitions"),
    PageSpec("admin", "Správa", "Administration", frozenset({Role.ADMIN})),  # accounts and the audit log
    PageSpec("schedules", "Plánované zprávy", "Schedules", frozenset({Role.ADMIN})),  # scheduled sending
)
HOME_PAGE = "overview"
PAGES: tuple[str, ...] = tuple(spec.key for spec in PAGE_SPECS)
_BY_KEY = {spec.key: spec for spec in PAGE_SPECS}


def page_spec(key: str) -> PageSpec:
    return _BY_KEY[key]


def page_title(key: str, lang: str) -> str:
    return _BY_KEY[key].title(lang)


def page_allowed(key: str, role: Role | None) -> bool:
    return role is not None and role in _BY_KEY[key].roles
