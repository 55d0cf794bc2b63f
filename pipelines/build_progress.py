"""The steps of `reach build` as it reports them to a progress callback (reach/build.py).

In the foundation so that the Deliveries page (dashboard/routine/) can show a build's progress
without importing the build: the composition root passes the page's callback to the build. The
build reports each step as it starts and, where it counts its work, after each part of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

DBT, RECORD_KEYS, GATE, PUBLISH = "dbt", "record_keys", "gate", "publish"
BUILD_STEPS = (DBT, RECORD_KEYS, GATE, PUBLISH)  # in the order a build runs them
PUBLISHED = "published"  # reported once, after the new warehouse is in place


@dataclass(frozen=True)
class BuildProgress:
    step: str  # one of BUILD_STEPS, or PUBLISHED
    done: int | None = None  # within the step, where it counts: dbt's nodes, the gate's suites
    total: int | None = None

    @property
    def number(self) -> int:
        """1-based place of the step among BUILD_STEPS (PUBLISHED: the last)."""
        return len(BUILD_STEPS) if self.step == PUBLISHED else BUILD_STEPS.index(self.step) + 1

    @property
    def steps(self) -> int:
        return len(BUILD_STEPS)

    @property
    def completed(self) -> float:
        """Steps completed, a fraction for the part of the current step done: 0 to `steps`."""
        if self.step == PUBLISHED:
            return float(self.steps)
        part = self.done / self.total if self.done is not None and self.total else 0.0
        return self.number - 1 + min(part, 1.0)


BuildReport = Callable[[BuildProgress], None]
