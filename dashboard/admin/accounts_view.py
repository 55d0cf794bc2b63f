"""Accounts on the Administration page: the list with disable / new password / enable, and the add form.

Every change goes through pipelines/access/manage.py, as `reach users` does: checked against the
rules and the reference centres and districts, audited (`user.add`, `user.disable`, `user.reset`,
by the signed-in admin from their address) before the account file is replaced. Each callback
asks the server who is signed in, whatever the browser sends; a role other than admin gets
nothing and changes nothing. The server generates each new password (pipelines.access.
generate_password) and it appears once, in the answer to the admin's click: not in a store, the
URL, the log or the audit log. CSRF: Dash's POSTs carry the token (dashboard/auth/server.py).
A problem is named beside its field and in the status line.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from dashboard.admin.texts import at
from dashboard.auth import current_account
from dashboard.auth.server import request_actor
from dashboard.components import notice
from dashboard.layout import dropdown_labels
from dashboard.state.pages import page_allowed
from dashboard.state.url import parse_view
from pipelines.access import (
    Account,
    AccountError,
    AccountProblem,
    AccountStore,
    Role,
    add_account,
    disable_account,
    generate_password,
    reset_account,
)
from pipelines.errors import ReachError
from pipelines.home import Home
from pipelines.normalise import fold_value
from pipelines.reference.centres import centre_districts, centres

PAGE = "admin"
FIELDS = ("name", "role", "centres", "districts")
FORM = "new-account"  # the fields' id prefix (`account-name` is the header's signed-in name)
ACTIONS = ("disable", "reset", "enable")
NAME_MAX = 64


def _admin() -> Account | None:
    """The signed-in account if it may manage users, else None (every callback asks, the page too)."""
    account = current_account()
    if account is None or not page_allowed(PAGE, account.role) or not account.role.may_manage_users:
        return None
    return account


# --- layout ------------------------------------------------------------------------------------------


def accounts_section(home: Home, lang: str) -> html.Div:
    return html.Div([
        html.Section(className="card", **{"aria-labelledby": "accounts-heading"}, children=[
            html.H2(at("accounts_title", lang), id="accounts-heading"),
            html.P(at("accounts_help", lang)),
            html.Div(id="accounts-result", role="status"),
            html.Div(accounts_table(home, lang), id="accounts-list"),
        ]),
        html.Section(className="card", **{"aria-labelledby": "account-form-heading"}, children=[
            html.H2(at("account_add_title", lang), id="account-form-heading"),
            html.Div(className="schedule-form", children=[_field(name, lang) for name in FIELDS]),
            html.Button(at("account_add", lang), id="account-add", className="btn-export"),
        ]),
    ])


def _field(name: str, lang: str) -> html.Div:
    control_id = f"{FORM}-{name}"
    if name == "name":
        control: Any = dcc.Input(id=control_id, type="text", value="", maxLength=NAME_MAX, autoComplete="off",
                                 debounce=False)
    elif name == "role":
        control = dcc.Dropdown(id=control_id, options=role_options(lang), value=None, clearable=False,
                               labels=dropdown_labels(lang))
    elif name == "centres":
        control = dcc.Dropdown(id=control_id, options=centre_options(), value=[], multi=True,
                               labels=dropdown_labels(lang))
    else:
        control = dcc.Dropdown(id=control_id, options=[], value=[], multi=True, labels=dropdown_labels(lang))
    return html.Div(className="filter schedule-field", children=[
        html.Label(at(f"account_{name}", lang), htmlFor=control_id, id=f"{control_id}-label"),
        control,
        html.Div(id=f"{control_id}-error", className="field-error"),
    ])


def role_options(lang: str) -> list[dict[str, str]]:
    return [{"label": at(f"role_{role.value}", lang), "value": role.value} for role in Role]


def centre_options() -> list[dict[str, str]]:
    return [{"label": f"{c.code} – {c.name}", "value": c.code} for c in centres()]


def district_options(chosen: list[str]) -> list[dict[str, str]]:
    """The districts of the chosen centres' regions (a coordinator's districts lie there)."""
    known = {c.code for c in centres()}
    found: dict[str, str] = {}
    for code in chosen:
        if code in known:
            found.update(centre_districts(code))
    ordered = sorted(found.items(), key=lambda item: fold_value(item[1]))
    return [{"label": f"{name} ({code})", "value": code} for code, name in ordered]


def accounts_table(home: Home, lang: str) -> Any:
    try:
        accounts = sorted(AccountStore(home).accounts().values(), key=lambda a: a.name)
    except ReachError as error:
        return notice(str(error), "warning")
    if not accounts:
        return html.P(at("accounts_none", lang))
    me = current_account()
    headers = [at(f"account_col_{k}", lang) for k in ("name", "role", "scope", "state", "changed", "actions")]
    rows = [html.Tr([
        html.Td(a.name), html.Td(at(f"role_{a.role.value}", lang)), html.Td(a.scope.describe()),
        html.Td(at("account_disabled" if a.disabled else "account_enabled", lang)), html.Td(a.changed),
        html.Td(_actions(a, lang, own=me is not None and me.name == a.name)),
    ]) for a in accounts]
    return html.Table(className="data-table", id="admin-accounts", children=[
        html.Caption(at("accounts_title", lang), className="visually-hidden"),
        html.Thead(html.Tr([html.Th(h, scope="col") for h in headers])),
        html.Tbody(rows),
    ])


def _actions(account: Account, lang: str, *, own: bool) -> Any:
    if own:  # the server refuses it too (pipelines/access/manage.py)
        return at("account_yours", lang)
    actions = ("enable",) if account.disabled else ("reset", "disable")
    return [html.Button(at(f"account_{action}", lang), className="btn-clear",
                        id={"type": "account-action", "action": action, "account": account.name},
                        **{"aria-label": f"{at(f'account_{action}', lang)}: {account.name}"})
            for action in actions]


# --- callbacks ---------------------------------------------------------------------------------------


def _texts(value: Any) -> list[str]:
    """A list of strings from whatever a (possibly crafted) payload holds."""
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value if isinstance(v, str | int)] if isinstance(value, list) else []


def problem_text(problem: AccountProblem, lang: str) -> str:
    return at(f"problem_{problem.kind}", lang).format(codes=", ".join(problem.codes))


def _with_password(lead: str, password: str, lang: str) -> html.Div:
    return html.Div(className="notice notice-ok", children=[
        html.P(lead),
        html.P([at("account_password", lang), html.Code(password, id="account-new-password")]),
        html.P(at("account_password_once", lang)),
    ])


def register_account_callbacks(app: dash.Dash, home: Home) -> None:
    error_outputs = [Output(f"{FORM}-{name}-error", "children") for name in FIELDS]
    value_outputs = [Output(f"{FORM}-{name}", "value") for name in FIELDS]

    @app.callback(
        Output("accounts-list", "children"), Output("accounts-result", "children"), *value_outputs, *error_outputs,
        Input("account-add", "n_clicks"), Input({"type": "account-action", "action": ALL, "account": ALL}, "n_clicks"),
        *[State(f"{FORM}-{name}", "value") for name in FIELDS], State("url", "search"), State("url", "pathname"),
        prevent_initial_call=True,
    )
    def change(_add: Any, _actions: list[Any], name: Any, role: Any, chosen_centres: Any, chosen_districts: Any,
               search: str | None, pathname: str | None) -> tuple:
        keep = (no_update,) * len(FIELDS)
        nothing = (no_update, no_update, *keep, *keep)
        admin, trigger = _admin(), ctx.triggered_id
        # A click, not a button drawn anew (Dash calls with n_clicks None for each new row's button).
        if admin is None or trigger is None or not ctx.triggered[0].get("value"):
            return nothing
        lang = parse_view(pathname, search).lang
        actor, cleared = request_actor(), ("",) * len(FIELDS)
        try:
            if trigger == "account-add":
                password = generate_password()
                account = add_account(home, actor, str(name or ""), str(role or ""),
                                      password, centres=tuple(_texts(chosen_centres)),
                                      districts=tuple(_texts(chosen_districts)))
                result = _with_password(at("account_added", lang).format(name=account.name,
                                                                         scope=account.scope.describe()),
                                        password, lang)
                return (accounts_table(home, lang), result, "", None, [], [], *cleared)
            if not isinstance(trigger, dict) or trigger.get("action") not in ACTIONS:
                return nothing
            target = str(trigger.get("account", ""))
            if trigger["action"] == "disable":
                account = disable_account(home, actor, target, signed_in_as=admin.name)
                result = notice(at("account_was_disabled", lang).format(name=account.name), "ok")
            else:
                was_disabled = getattr(AccountStore(home).get(target), "disabled", False)
                password = generate_password()
                account = reset_account(home, actor, target, password, signed_in_as=admin.name)
                lead = "account_was_enabled" if was_disabled else "account_was_reset"
                result = _with_password(at(lead, lang).format(name=account.name), password, lang)
        except AccountError as error:
            by_field: dict[str, list[str]] = {name: [] for name in FIELDS}
            for problem in error.problems:
                if problem.field in by_field:
                    by_field[problem.field].append(problem_text(problem, lang))
            message = notice(at("account_refused", lang) + " ".join(problem_text(p, lang) for p in error.problems),
                             "warning")
            return (no_update, message, *keep, *[" ".join(by_field[name]) for name in FIELDS])
        except ReachError as error:  # the audit log or the account file cannot be written: nothing changed
            return (no_update, notice(at("account_refused", lang) + str(error), "warning"), *keep, *cleared)
        return (accounts_table(home, lang), result, *keep, *cleared)

    @app.callback(Output(f"{FORM}-districts", "options"), Input(f"{FORM}-centres", "value"))
    def districts_of(chosen_centres: Any) -> Any:
        if _admin() is None:
            return no_update
        return district_options(_texts(chosen_centres))

