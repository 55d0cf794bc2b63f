"""The signed-in user's box in the header: name, role and the sign-out button (a POST with the CSRF token)."""

from __future__ import annotations

from dash import Input, Output, State, dcc, html
from flask_wtf.csrf import generate_csrf

from dashboard.auth.server import SIGN_OUT
from dashboard.auth.texts import word
from dashboard.state.url import parse_view
from pipelines.access import Account


def account_box(account: Account | None) -> html.Form | None:
    if account is None:
        return None
    return html.Form(className="account-box", action=SIGN_OUT, method="post", children=[
        html.Span(id="account-name", className="account-name", children=f"{account.name} ({account.role.value})"),
        dcc.Input(type="hidden", name="csrf_token", value=generate_csrf()),
        html.Button(id="sign-out", type="submit", className="btn-sign-out"),
    ])


def register_account_box(app) -> None:
    @app.callback(Output("sign-out", "children"), Input("url", "search"), State("url", "pathname"))
    def label_sign_out(search: str | None, pathname: str | None) -> str:
        return word("sign_out", parse_view(pathname, search).lang)
