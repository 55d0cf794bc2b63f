"""Suite files (expectations/suites/*.yml) read into typed specs, with their value lists resolved.

A suite names one table and holds two kinds of rules:
- `expectations`: row-level Great Expectations expectations (type + kwargs) validated on the
  table's rows in bounded pandas chunks;
- `checks`: aggregate rules computed in DuckDB (uniqueness, relationships, completeness,
  anomalies, identifier scans); each query returns one row per violation, and a GX expectation
  bounds the number of violations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from pipelines.contract import CLIENT_ID_PATTERN, FILES, LINKAGE_KEY_PATTERN, UNKNOWN
from pipelines.errors import ReachError
from pipelines.metrics.catalogue import dimension_values
from pipelines.reference.districts import districts
from pipelines.reference.regions import regions

SUITES_DIR = Path(__file__).parent / "suites"
SEVERITIES = ("error", "warning")
SCOPES = ("raw", "mart")

_SUITE_KEYS = {"suite", "description", "scope", "table", "row_label", "columns", "expectations", "checks"}
_EXPECTATION_KEYS = {"id", "severity", "description", "expect", "kwargs"}
_CHECK_KEYS = {"id", "severity", "description", "query", "kind", "max_violations", "options"}
CHECK_KINDS = ("query", "identifier_scan")
# The export contract's patterns, named in suites as `regex: "{name}"`.
PATTERNS = {"{client_id_pattern}": CLIENT_ID_PATTERN, "{linkage_key_pattern}": LINKAGE_KEY_PATTERN}


@dataclass(frozen=True)
class ExpectationSpec:
    id: str
    severity: str
    description: str
    expect: str  # GX expectation type in snake case, e.g. expect_column_values_to_be_between
    kwargs: dict[str, Any]

    @property
    def columns(self) -> list[str]:
        return [self.kwargs[k] for k in ("column", "column_A", "column_B") if k in self.kwargs]


@dataclass(frozen=True)
class CheckSpec:
    id: str
    severity: str
    description: str
    kind: str  # query | identifier_scan
    query: str | None  # kind=query: SQL returning one row per violation with a `failing_key` column
    max_violations: int = 0
    options: dict[str, Any] = field(default_factory=dict)  # kind-specific settings (identifier_scan)


@dataclass(frozen=True)
class SuiteSpec:
    name: str
    description: str
    scope: str  # raw (the loaded history in raw.duckdb) | mart (the warehouse marts)
    table: str | None  # "{raw}.contacts", "{mart}.fct_contacts"; None for check-only suites
    row_label: str | None  # SQL naming a row in samples of failing rows
    columns: dict[str, str]  # derived columns: name -> SQL expression over the table
    expectations: tuple[ExpectationSpec, ...]
    checks: tuple[CheckSpec, ...]
    path: Path = field(compare=False)

    def rules(self) -> list[ExpectationSpec | CheckSpec]:
        return [*self.expectations, *self.checks]


def _value_lists() -> dict[str, list[str]]:
    """Named value lists suites refer to as `value_set: {list: NAME}`.

    The export contract's lists as they are; the values of the metric dimensions (countries,
    districts, regions) as the catalogue and the reference declare them, so a suite checks what the figures count.
    """
    lists: dict[str, list[str]] = {}
    for export in FILES:
        for column in export.columns:
            if column.values is not None:
                lists[f"{export.table}.{column.name}"] = column.codes
    district_codes = [d.code for d in districts()]
    lists["countries"] = list(dimension_values("nationality"))
    lists["districts"] = [*district_codes, UNKNOWN]
    lists["regions"] = [*(r.code for r in regions()), UNKNOWN]
    lists["centre_regions"] = [r.code for r in regions()]
    lists["in_centre_region"] = ["yes", "no", UNKNOWN]
    return lists


@cache
def value_lists() -> dict[str, list[str]]:
    return _value_lists()


def _resolve_kwargs(kwargs: dict[str, Any], where: str) -> dict[str, Any]:
    """Turn `{list: NAME, plus: [...]}` into concrete value lists and a pattern's name into its regex."""
    resolved = dict(kwargs)
    value_set = resolved.get("value_set")
    if isinstance(value_set, dict):
        name = value_set.get("list")
        if name not in value_lists():
            raise ReachError(f"{where}: unknown value list {name!r}; known: {', '.join(sorted(value_lists()))}.")
        resolved["value_set"] = [*value_lists()[name], *value_set.get("plus", [])]
    if resolved.get("regex") in PATTERNS:
        resolved["regex"] = PATTERNS[resolved["regex"]]
    return resolved


def _require(mapping: dict[str, Any], keys: set[str], allowed: set[str], where: str) -> None:
    missing = keys - mapping.keys()
    if missing:
        raise ReachError(f"{where}: missing {', '.join(sorted(missing))}.")
    extra = mapping.keys() - allowed
    if extra:
        raise ReachError(f"{where}: unknown key(s) {', '.join(sorted(extra))}.")


def _severity(value: Any, where: str) -> str:
    if value not in SEVERITIES:
        raise ReachError(f"{where}: severity must be error or warning, not {value!r}.")
    return str(value)


def load_suite(path: Path) -> SuiteSpec:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ReachError(f"Suite file {path} is not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise ReachError(f"Suite file {path} must hold a mapping.")
    _require(data, {"suite", "scope", "description"}, _SUITE_KEYS, f"Suite file {path}")
    if data["scope"] not in SCOPES:
        raise ReachError(f"Suite file {path}: scope must be raw or mart, not {data['scope']!r}.")
    expectations = []
    for number, item in enumerate(data.get("expectations") or [], start=1):
        where = f"Suite file {path}, expectation {number}"
        _require(item, {"id", "severity", "description", "expect", "kwargs"}, _EXPECTATION_KEYS, where)
        if not data.get("table"):
            raise ReachError(f"{where}: row expectations need the suite's `table`.")
        expectations.append(ExpectationSpec(
            id=item["id"], severity=_severity(item["severity"], where), description=item["description"].strip(),
            expect=item["expect"], kwargs=_resolve_kwargs(item["kwargs"], where),
        ))
    checks = []
    for number, item in enumerate(data.get("checks") or [], start=1):
        where = f"Suite file {path}, check {number}"
        _require(item, {"id", "severity", "description"}, _CHECK_KEYS, where)
        kind = item.get("kind", "query")
        if kind not in CHECK_KINDS:
            raise ReachError(f"{where}: kind must be one of {', '.join(CHECK_KINDS)}, not {kind!r}.")
        if kind == "query" and not item.get("query"):
            raise ReachError(f"{where}: a query check needs `query`.")
        checks.append(CheckSpec(
            id=item["id"], severity=_severity(item["severity"], where), description=item["description"].strip(),
            kind=kind, query=item.get("query"), max_violations=int(item.get("max_violations", 0)),
            options=dict(item.get("options") or {}),
        ))
    ids = [rule.id for rule in [*expectations, *checks]]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ReachError(f"Suite file {path}: duplicate ids {', '.join(duplicates)}.")
    return SuiteSpec(
        name=data["suite"], description=data["description"].strip(), scope=data["scope"],
        table=data.get("table"), row_label=data.get("row_label"), columns=dict(data.get("columns") or {}),
        expectations=tuple(expectations), checks=tuple(checks), path=path,
    )


def load_suites(folder: Path = SUITES_DIR) -> list[SuiteSpec]:
    """Every suite file in the folder, in file-name order."""
    suites = [load_suite(path) for path in sorted(folder.glob("*.yml"))]
    names = [s.name for s in suites]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ReachError(f"Suite names used twice in {folder}: {', '.join(duplicates)}.")
    return suites
