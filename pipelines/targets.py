"""Project targets (config/targets.yaml, or the file named by env REACH_TARGETS)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from pipelines.errors import ReachError

DEFAULT_TARGETS = Path(__file__).resolve().parent.parent / "config" / "targets.yaml"


@dataclass(frozen=True)
class ProjectTargets:
    code: str
    name_cs: str
    name_en: str
    period_from: date
    period_to: date
    targets: dict[str, float]

    def pro_rata(self, metric: str, date_from: date, date_to: date) -> float | None:
        """The target for a period: the project target scaled by the share of project days covered."""
        if metric not in self.targets:
            return None
        start, end = max(date_from, self.period_from), min(date_to, self.period_to)
        if end < start:
            return None
        project_days = (self.period_to - self.period_from).days + 1
        return self.targets[metric] * ((end - start).days + 1) / project_days


def load_targets(path: str | os.PathLike[str] | None = None) -> ProjectTargets:
    chosen = Path(path or os.environ.get("REACH_TARGETS") or DEFAULT_TARGETS)
    try:
        data = yaml.safe_load(chosen.read_text(encoding="utf-8"))
        project = data["project"]
        return ProjectTargets(
            code=str(project["code"]),
            name_cs=str(project["name_cs"]),
            name_en=str(project["name_en"]),
            period_from=project["period_from"],
            period_to=project["period_to"],
            targets={str(k): float(v) for k, v in (data.get("targets") or {}).items()},
        )
    except FileNotFoundError:
        raise ReachError(f"The targets file {chosen} does not exist.") from None
    except (KeyError, TypeError, ValueError, yaml.YAMLError) as error:
        raise ReachError(f"The targets file {chosen} is not valid: {error}.") from None
