"""Who may see what (../shared/spec/access.md): roles, scopes, accounts and their password hashes.

The data types live here, in the foundation, so the CLI (`reach users`), the dashboard's
sign-in and the metric layer (which applies `Scope` below every query) share one definition; so do
the rules of an account (rules.py) and the audited changes (manage.py) of `reach users` and the
Administration page.
"""

from pipelines.access.accounts import AccountStore
from pipelines.access.manage import add_account, describe, disable_account, generate_password, reset_account
from pipelines.access.model import EVERYTHING, Account, Role, Scope
from pipelines.access.passwords import check_password_policy, hash_password, verify_password
from pipelines.access.rules import AccountError, AccountProblem

__all__ = [
    "EVERYTHING", "Account", "AccountError", "AccountProblem", "AccountStore", "Role", "Scope",
    "add_account", "check_password_policy", "describe", "disable_account", "generate_password", "hash_password",
    "reset_account", "verify_password",
]
