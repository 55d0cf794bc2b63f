"""Sign-in settings: <home>/access.toml (or the file named by REACH_ACCESS_CONFIG), then the environment.

```toml
[session]
inactivity_minutes = 30      # signed out after this long without a request (env REACH_SESSION_MINUTES)
lifetime_hours = 12          # and at the latest this long after signing in
secure_cookie = "auto"       # "auto": Secure unless a loopback client speaks plain HTTP; true; false
                             # (env REACH_SECURE_COOKIE)

[proxy]                      # optional single sign-on: off unless this table exists
user_header = "X-Remote-User"
groups_header = "X-Remote-Groups"   # comma-separated groups
trusted_addresses = ["127.0.0.1"]   # the proxy; the header from anywhere else is ignored
[proxy.groups]                      # the first group listed that the user is in gives role and scope
"reach-admins" = { role = "admin" }
"reach-ulk" = { role = "coordinator", centres = ["ULK"] }
```

The session key comes from REACH_SECRET_KEY, else from <home>/secret_key, created once (mode 0600).
"""

from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from pipelines.access import Account, Role
from pipelines.errors import ReachError
from pipelines.home import Home

SECRET_ENV = "REACH_SECRET_KEY"
CONFIG_ENV = "REACH_ACCESS_CONFIG"


@dataclass(frozen=True)
class ProxyConfig:
    user_header: str
    groups_header: str
    trusted_addresses: frozenset[str]
    groups: tuple[tuple[str, Account], ...]  # group -> role and scope, in the order of the file

    def account_for(self, user: str, groups: set[str]) -> Account | None:
        for group, template in self.groups:
            if group in groups:
                return Account(name=user, role=template.role, centres=template.centres,
                               districts=template.districts, generation=0)
        return None


@dataclass(frozen=True)
class AccessConfig:
    secret_key: bytes = field(repr=False)
    inactivity: timedelta = timedelta(minutes=30)
    lifetime: timedelta = timedelta(hours=12)
    secure_cookie: str = "auto"  # "auto", "true" or "false"
    proxy: ProxyConfig | None = None

    @classmethod
    def load(cls, home: Home) -> AccessConfig:
        path = Path(os.environ.get(CONFIG_ENV) or home.access_config)
        settings: dict[str, Any] = {}
        if path.exists():
            try:
                settings = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as error:
                raise ReachError(f"The sign-in settings {path} cannot be read: {error}.") from None
        session = settings.get("session", {})
        minutes = os.environ.get("REACH_SESSION_MINUTES") or session.get("inactivity_minutes", 30)
        secure = str(os.environ.get("REACH_SECURE_COOKIE") or session.get("secure_cookie", "auto")).lower()
        if secure not in ("auto", "true", "false"):
            raise ReachError(f"secure_cookie must be auto, true or false, not '{secure}' ({path}).")
        try:
            inactivity = timedelta(minutes=float(minutes))
            lifetime = timedelta(hours=float(session.get("lifetime_hours", 12)))
        except (TypeError, ValueError):
            raise ReachError(f"inactivity_minutes and lifetime_hours must be numbers ({path}).") from None
        return cls(secret_key=secret_key(home), inactivity=inactivity, lifetime=lifetime, secure_cookie=secure,
                   proxy=_proxy(settings.get("proxy"), path))


def secret_key(home: Home) -> bytes:
    """The environment's key, or the home's key file (made on first use, readable by its owner only)."""
    if os.environ.get(SECRET_ENV):
        return os.environ[SECRET_ENV].encode("utf-8")
    path = home.secret_key_file
    if not path.exists():
        home.root.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(32))
        except FileExistsError:
            pass  # another process made it first: use theirs
    if path.stat().st_mode & 0o077:
        raise ReachError(f"{path} can be read by other users: `chmod 600 {path}` (it signs the session cookies).")
    return path.read_text(encoding="utf-8").strip().encode("utf-8")


def _proxy(table: Any, path: Path) -> ProxyConfig | None:
    if table is None:
        return None
    try:
        groups = []
        for group, entry in table["groups"].items():
            role = Role(entry["role"])
            groups.append((str(group), Account(name=str(group), role=role, centres=tuple(entry.get("centres", ())),
                                               districts=tuple(entry.get("districts", ())))))
        trusted = frozenset(str(a) for a in table["trusted_addresses"])
        config = ProxyConfig(str(table["user_header"]), str(table.get("groups_header", "X-Remote-Groups")),
                             trusted, tuple(groups))
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ReachError(f"The [proxy] settings in {path} are incomplete or wrong ({error}): they need user_header, "
                         "trusted_addresses and [proxy.groups] with a role for each group.") from None
    if not config.trusted_addresses or not config.groups:
        raise ReachError(f"The [proxy] settings in {path} need at least one trusted address and one group.")
    return config
