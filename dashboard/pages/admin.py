"""Administration (admin only, dashboard/state/pages.py): the accounts and the audit log, newest entries first.

Accounts are added, disabled, enabled and given new passwords here as with `reach users` (the same
rules and audit entries); the section and its callbacks are in dashboard/admin/accounts_view.py.
"""

from __future__ import annotations

from dash import html

from dashboard.admin.accounts_view import accounts_section
from dashboard.pages.base import Chart, PageContext
from pipelines import audit

AUDIT_ROWS = 200
CHARTS: tuple[Chart, ...] = ()


def _table(headers: list[str], rows: list[list[str]], table_id: str) -> html.Table:
    return html.Table(className="data-table", id=table_id, children=[
        html.Thead(html.Tr([html.Th(h, scope="col") for h in headers])),
        html.Tbody([html.Tr([html.Td(audit.printable(cell)) for cell in row]) for row in rows]),
    ])


def header(ctx: PageContext) -> html.Div:
    cs = ctx.lang == "cs"
    home = ctx.source.home
    log = audit.read(home)
    entries = list(reversed(log.entries))[:AUDIT_ROWS]
    entry_rows = [[e.time.isoformat(timespec="seconds"), e.user, e.role, e.address, e.action, e.object, e.detail]
                  for e in entries]
    damaged = ([html.P((f"{len(log.unreadable)} řádků záznamu není čitelných (poškozeno nebo upraveno ručně)."
                        if cs else f"{len(log.unreadable)} lines of the log are not entries (damaged or edited)."),
                       className="notice notice-warning")] if log.unreadable else [])
    return html.Div([
        accounts_section(home, ctx.lang),
        html.Div(className="card", children=[
            html.H2("Auditní záznam" if cs else "Audit log"),
            html.P(f"Posledních {len(entries)} z {len(log.entries)} záznamů, nejnovější nahoře; celý záznam: "
                   "reach audit." if cs else
                   f"The latest {len(entries)} of {len(log.entries)} entries, newest first; all: reach audit."),
            *damaged,
            _table(["Čas", "Uživatel", "Role", "Adresa", "Akce", "Objekt", "Podrobnosti"] if cs
                   else ["Time", "User", "Role", "Address", "Action", "Object", "Detail"], entry_rows, "admin-audit"),
        ]),
    ])
