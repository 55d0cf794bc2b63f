"""The warehouse home folder (`--home`, env REACH_HOME, default ./warehouse) and what lives in it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOME = "warehouse"


@dataclass(frozen=True)
class Home:
    root: Path

    @classmethod
    def resolve(cls, home: str | os.PathLike[str] | None = None) -> Home:
        chosen = home or os.environ.get("REACH_HOME") or DEFAULT_HOME
        return cls(Path(chosen).expanduser().resolve())

    @property
    def raw_db(self) -> Path:
        """Loaded history (raw.* tables) and operational records (meta.*): written by load/check."""
        return self.root / "raw.duckdb"

    @property
    def warehouse_db(self) -> Path:
        """The published warehouse (dbt marts + copies of meta tables); readers open it read-only."""
        return self.root / "warehouse.duckdb"

    @property
    def builds_dir(self) -> Path:
        """Where `reach build` builds a new warehouse file before publishing it by rename."""
        return self.root / "builds"

    @property
    def quality_dir(self) -> Path:
        """Great Expectations Data Docs and result files."""
        return self.root / "quality"

    @property
    def logs_dir(self) -> Path:
        return self.root / "logs"

    @property
    def audit_log(self) -> Path:
        """Who did what (access.md): one JSON object per line, only ever appended (pipelines/audit.py)."""
        return self.root / "audit.jsonl"

    @property
    def accounts_file(self) -> Path:
        """Local accounts (pipelines/access/accounts.py): names, roles, scopes, Argon2id hashes; mode 0600."""
        return self.root / "accounts.json"

    @property
    def secret_key_file(self) -> Path:
        """The key that signs session cookies, made once with mode 0600 unless REACH_SECRET_KEY is set."""
        return self.root / "secret_key"

    @property
    def access_config(self) -> Path:
        """Optional sign-in settings (session expiry, cookies, reverse-proxy identity): docs/access.md."""
        return self.root / "access.toml"

    @property
    def build_lock(self) -> Path:
        """Held (flock) by the running `reach build`: another build is refused, and a build that finds
        it free knows every file left in builds/ belongs to a build that is no longer running."""
        return self.root / "build.lock"

    @property
    def dbt_state_dir(self) -> Path:
        """dbt's parsed project kept between builds (partial parsing; reach/build.py)."""
        return self.root / "dbt_state"

    @property
    def perturbation_secret(self) -> Path:
        """The cell key method's secret (disclosure.md): beside, never inside, the published warehouse."""
        return self.root / "secrets" / "perturbation.key"

    @property
    def schedule_file(self) -> Path:
        """Scheduled sending (`reach schedule`, `reach send --due`): which report, to whom, when."""
        return self.root / "schedules.yaml"

    @property
    def schedule_state(self) -> Path:
        """What each scheduled entry has sent (written atomically; pipelines/schedule/state.py)."""
        return self.root / "schedule_state.json"

    @property
    def uploads_dir(self) -> Path:
        """Deliveries uploaded through the dashboard, one folder each (pipelines/uploads.py)."""
        return self.root / "uploads"

    def ensure(self) -> Home:
        for folder in (self.root, self.builds_dir, self.quality_dir, self.logs_dir):
            folder.mkdir(parents=True, exist_ok=True)
        return self
