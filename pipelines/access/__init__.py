"""Who may see what (../shared/spec/access.md): roles, scopes, accounts and their password hashes.

The data types live here, in the foundation, so the CLI (`reach users`), the dashboard's
sign-in and the metric layer (which applies `Scope` below every query) share one definition.
"""

from pipelines.access.accounts import AccountStore
from pipelines.access.model import EVERYTHING, Account, Role, Scope
from pipelines.access.passwords import check_password_policy, hash_password, verify_password

__all__ = [
    "EVERYTHING", "Account", "AccountStore", "Role", "Scope", "check_password_policy", "hash_password",
    "verify_password",
]
