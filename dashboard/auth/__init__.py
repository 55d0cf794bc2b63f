"""Who is asking: the signed-in account, its role and scope, for the dashboard's callbacks.

`install` (server.py) wraps the Flask server; everything here reads the request being served
(Flask-Login's `current_user`), so it works in the callbacks and in the page's worker threads,
which run in a copy of the request's context.
"""

from __future__ import annotations

from flask import has_request_context
from flask_login import current_user

from dashboard.auth.server import install, request_actor
from pipelines import audit
from pipelines.access import Account, Role, Scope
from pipelines.home import Home

__all__ = ["current_account", "current_role", "current_scope", "install", "record"]


def current_account() -> Account | None:
    if not has_request_context() or not current_user.is_authenticated:
        return None
    return current_user.account


def current_role() -> Role | None:
    account = current_account()
    return account.role if account else None


def current_scope() -> Scope:
    """The signed-in user's scope; nothing at all outside a signed-in request.

    The metric layer is to apply it below every filter (issue 12, part B).
    """
    account = current_account()
    return account.scope if account else Scope()


def record(home: Home, action: str, obj: str, detail: str = "") -> None:
    """An audit entry by the signed-in user, from the request's address; raises if it cannot be written."""
    audit.record(home, request_actor(), action, obj, detail)
