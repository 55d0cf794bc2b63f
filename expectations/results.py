"""What a quality run found: one Outcome per expectation, a GateResult per run, and where they are stored."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime

import duckdb

from pipelines.database import insert_rows

SAMPLE_SIZE = 10  # failing keys kept per expectation

RUNS_DDL = """
CREATE TABLE IF NOT EXISTS {schema}.quality_runs (
    run_id VARCHAR PRIMARY KEY,
    context VARCHAR NOT NULL,          -- build | check
    target VARCHAR NOT NULL,           -- the database file that was checked
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    passed BOOLEAN NOT NULL,           -- no error-severity expectation failed
    expectations INTEGER NOT NULL,
    errors_failed INTEGER NOT NULL,
    warnings_failed INTEGER NOT NULL
);
"""


@dataclass
class Outcome:
    suite: str
    expectation: str
    expectation_type: str
    severity: str
    description: str
    success: bool
    observed_value: str | None = None
    element_count: int | None = None
    unexpected_count: int | None = None
    failing_sample: list[str] = field(default_factory=list)
    exception: str | None = None

    def line(self) -> str:
        """One readable line for a failure list."""
        detail = self.exception or self.observed_value or ""
        sample = f" e.g. {'; '.join(self.failing_sample[:3])}" if self.failing_sample else ""
        return f"[{self.severity}] {self.suite}.{self.expectation}: {self.description} — {detail}.{sample}"


# quality_results: the run's id, then one column per Outcome field in its order (checked below).
RESULT_TYPES = {
    "run_id": "VARCHAR NOT NULL",
    "suite": "VARCHAR NOT NULL",
    "expectation": "VARCHAR NOT NULL",
    "expectation_type": "VARCHAR NOT NULL",  # GX expectation type that decided success
    "severity": "VARCHAR NOT NULL",  # error | warning
    "description": "VARCHAR NOT NULL",
    "success": "BOOLEAN NOT NULL",
    "observed_value": "VARCHAR",
    "element_count": "BIGINT",  # rows examined (row expectations)
    "unexpected_count": "BIGINT",  # failing rows (row expectations) or violations (checks)
    "failing_sample": "VARCHAR[]",  # up to SAMPLE_SIZE failing keys: file and row, or record key
    "exception": "VARCHAR",  # set when the expectation could not be evaluated (counts as failed)
}
_OUTCOME_FIELDS = tuple(f.name for f in fields(Outcome))
if tuple(RESULT_TYPES) != ("run_id", *_OUTCOME_FIELDS):
    raise RuntimeError("expectations/results.py: RESULT_TYPES must list run_id and then Outcome's fields in order")
_RESULTS_DDL = "CREATE TABLE IF NOT EXISTS {schema}.quality_results (\n    " + ",\n    ".join(
    f"{name} {sql}" for name, sql in RESULT_TYPES.items()) + "\n);"


@dataclass
class GateResult:
    run_id: str
    context: str
    target: str
    started_at: datetime
    finished_at: datetime
    outcomes: list[Outcome]

    @property
    def errors(self) -> list[Outcome]:
        """Failed error-severity expectations: any of these stops publishing."""
        return [o for o in self.outcomes if not o.success and o.severity == "error"]

    @property
    def warnings(self) -> list[Outcome]:
        """Failed warning-severity expectations: recorded, publishing goes on."""
        return [o for o in self.outcomes if not o.success and o.severity == "warning"]

    @property
    def passed(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        head = (
            f"Quality run {self.run_id}: {len(self.outcomes)} expectations, "
            f"{len(self.errors)} error(s) failed, {len(self.warnings)} warning(s)."
        )
        lines = [o.line() for o in [*self.errors, *self.warnings]]
        return "\n".join([head, *lines])

    def to_json(self) -> str:
        return json.dumps({
            "run_id": self.run_id, "context": self.context, "target": self.target,
            "started_at": self.started_at.isoformat(), "finished_at": self.finished_at.isoformat(),
            "passed": self.passed, "outcomes": [asdict(o) for o in self.outcomes],
        }, ensure_ascii=False, indent=1, default=str)


def store(con: duckdb.DuckDBPyConnection, schema: str, result: GateResult) -> None:
    """Append the run and its results to <schema>.quality_runs / quality_results (created if missing)."""
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    con.execute(RUNS_DDL.format(schema=schema))
    con.execute(_RESULTS_DDL.format(schema=schema))
    con.execute(
        f"INSERT INTO {schema}.quality_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [result.run_id, result.context, result.target, result.started_at, result.finished_at,
         result.passed, len(result.outcomes), len(result.errors), len(result.warnings)],
    )
    kept = (replace(o, failing_sample=o.failing_sample[:SAMPLE_SIZE]) for o in result.outcomes)
    insert_rows(con, f"{schema}.quality_results", tuple(RESULT_TYPES),
                [[result.run_id, *(getattr(o, name) for name in _OUTCOME_FIELDS)] for o in kept])
