"""Project targets per centre and project period (config/targets.yaml, or the file named by env REACH_TARGETS).

The file lists, per centre code (seeds/ref_centres.csv), the centre's projects: code, names,
period and a target per metric for the whole period. A centre that is not listed has no targets.

`load_targets()` gives one `ProjectTargets`: the file's only project as it stands, or, with
several, their combination, whose `targets` and `pro_rata` add up what adds up (counts and sums)
and leave out what does not (unique people, `additive`). A view of some centres asks
`for_view(metric, centres, date_from, date_to)`, which says why a target is missing.

The older form of the file (`project:` and `targets:` at the top, one project of no named centre)
is still read; such a project applies to whichever centres a view shows.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

from pipelines.errors import ReachError
from pipelines.metrics.catalogue import METRICS_BY_NAME, Kind
from pipelines.reference.centres import known_codes

DEFAULT_TARGETS = Path(__file__).resolve().parent.parent / "config" / "targets.yaml"


def additive(metric: str) -> bool:
    """Whether the targets of several centres or projects add up: counts and sums do; unique people
    (the catalogue's Kind.UNIQUE: one person served by two centres is one person), medians and rates do not."""
    return METRICS_BY_NAME[metric].kind in (Kind.COUNT, Kind.SUM)


@dataclass(frozen=True)
class ViewTarget:
    """The target of one metric for a view of some centres over a period, and why it may be missing."""

    value: float | None
    projects: tuple[ProjectTargets, ...] = ()  # the projects whose targets the value is made of
    not_additive: bool = False  # several projects' targets of unique people: no sum is shown
    uncovered: tuple[str, ...] = ()  # centres of the view without a target for the metric in the period

    @property
    def summed(self) -> bool:
        return self.value is not None and len(self.projects) > 1


@dataclass(frozen=True)
class ProjectTargets:
    """One centre's project (its targets for the whole period), or a combination of several (`parts`)."""

    code: str
    name_cs: str
    name_en: str
    period_from: date
    period_to: date
    targets: Mapping[str, float]
    centre: str | None = None  # None: a project of the older one-project file, or a combination
    parts: tuple[ProjectTargets, ...] = field(default=(), kw_only=True, repr=False)

    @property
    def projects(self) -> tuple[ProjectTargets, ...]:
        return self.parts or (self,)

    @property
    def centres(self) -> tuple[str, ...]:
        """The centre codes with targets, in code order."""
        return tuple(sorted({p.centre for p in self.projects if p.centre is not None}))

    def pro_rata(self, metric: str, date_from: date, date_to: date) -> float | None:
        """The target for a period: each project's target scaled by the share of its days covered,
        added up over the projects where the metric is additive (else only a single project's)."""
        if not self.parts:
            return _own_pro_rata(self, metric, date_from, date_to)
        return self.for_view(metric, None, date_from, date_to).value

    def for_centres(self, centres: Collection[str] | None) -> ProjectTargets | None:
        """The projects of `centres` (None: all) as one ProjectTargets; None when none has targets."""
        chosen = _applying(self.projects, centres)
        return combine(chosen) if chosen else None

    def for_view(self, metric: str, centres: Collection[str] | None, date_from: date, date_to: date) -> ViewTarget:
        """The target of a view of `centres` (None: every centre of the file) over a period."""
        chosen = _applying(self.projects, centres)
        contributing = tuple(p for p in chosen if _own_pro_rata(p, metric, date_from, date_to) is not None)
        covered = {p.centre for p in contributing}
        uncovered = () if centres is None or None in covered else tuple(sorted(set(centres) - covered))
        if not contributing:
            return ViewTarget(None, uncovered=uncovered)
        if len(contributing) > 1 and not additive(metric):
            return ViewTarget(None, contributing, not_additive=True, uncovered=uncovered)
        value = sum(_own_pro_rata(p, metric, date_from, date_to) or 0.0 for p in contributing)
        return ViewTarget(value, contributing, uncovered=uncovered)


def _own_pro_rata(project: ProjectTargets, metric: str, date_from: date, date_to: date) -> float | None:
    if metric not in project.targets:
        return None
    start, end = max(date_from, project.period_from), min(date_to, project.period_to)
    if end < start:
        return None
    project_days = (project.period_to - project.period_from).days + 1
    return project.targets[metric] * ((end - start).days + 1) / project_days


def _applying(projects: tuple[ProjectTargets, ...], centres: Collection[str] | None) -> tuple[ProjectTargets, ...]:
    if centres is None:
        return projects
    wanted = {c.upper() for c in centres}
    return tuple(p for p in projects if p.centre is None or p.centre in wanted)


def combine(projects: tuple[ProjectTargets, ...] | list[ProjectTargets]) -> ProjectTargets:
    """Several projects as one: the span of their periods and the targets that add up over it."""
    projects = tuple(projects)
    if len(projects) == 1:
        return projects[0]
    if not projects:
        raise ValueError("No project to combine.")
    first, last = min(p.period_from for p in projects), max(p.period_to for p in projects)
    whole = ProjectTargets("", "", "", first, last, {}, parts=projects)
    metrics = dict.fromkeys(m for p in projects for m in p.targets)
    totals = {m: v for m in metrics if (v := whole.pro_rata(m, first, last)) is not None}
    return ProjectTargets(
        code=", ".join(dict.fromkeys(p.code for p in projects)),
        name_cs="; ".join(dict.fromkeys(p.name_cs for p in projects)),
        name_en="; ".join(dict.fromkeys(p.name_en for p in projects)),
        period_from=first, period_to=last, targets=totals, parts=projects,
    )


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _project(entry: Mapping[str, Any], targets: Mapping[str, Any] | None, centre: str | None) -> ProjectTargets:
    values = {str(k): float(v) for k, v in (targets or {}).items()}
    for metric, value in values.items():
        if metric not in METRICS_BY_NAME:
            raise ValueError(f"unknown metric '{metric}' (known: {', '.join(METRICS_BY_NAME)})")
        if value < 0:
            raise ValueError(f"the target of {metric} is negative")
    project = ProjectTargets(
        code=str(entry["code"]), name_cs=str(entry["name_cs"]), name_en=str(entry["name_en"]),
        period_from=_date(entry["period_from"]), period_to=_date(entry["period_to"]),
        targets=values, centre=centre,
    )
    if project.period_to < project.period_from:
        raise ValueError(f"the project {project.code} ends before it starts")
    return project


def _centre_projects(data: Mapping[str, Any]) -> list[ProjectTargets]:
    known = known_codes()
    projects: list[ProjectTargets] = []
    for code, entries in (data.get("centres") or {}).items():
        centre = str(code).strip().upper()
        if centre not in known:
            raise ValueError(f"unknown centre code '{code}' (known: {', '.join(known)})")
        own = sorted((_project(e, e.get("targets"), centre) for e in entries or ()), key=lambda p: p.period_from)
        for before, after in pairwise(own):
            if after.period_from <= before.period_to:
                raise ValueError(f"the periods of {centre}'s projects {before.code} and {after.code} overlap")
        projects.extend(own)
    return projects


def load_targets(path: str | os.PathLike[str] | None = None) -> ProjectTargets:
    chosen = Path(path or os.environ.get("REACH_TARGETS") or DEFAULT_TARGETS)
    try:
        data = yaml.safe_load(chosen.read_text(encoding="utf-8"))
        if "centres" in data:
            projects = _centre_projects(data)
        else:  # the older one-project form
            entry = data["project"]
            projects = [_project(entry, data.get("targets"), entry.get("centre"))]
        if not projects:
            raise ValueError("it names no project")
        return combine(projects)
    except FileNotFoundError:
        raise ReachError(f"The targets file {chosen} does not exist.") from None
    except (KeyError, TypeError, ValueError, AttributeError, yaml.YAMLError) as error:
        raise ReachError(f"The targets file {chosen} is not valid: {error}.") from None
