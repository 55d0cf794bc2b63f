"""`reach check`: quality checks on the published warehouse (and the raw layer it came from).

Prints a short table per suite and the failed expectations; results are appended to
<home>/raw.duckdb meta.quality_runs / meta.quality_results and written to <home>/quality/.
Exits non-zero (QualityGateFailed) when an error-severity expectation fails.
"""

from __future__ import annotations

import argparse
from collections import defaultdict

from expectations.results import GateResult, Outcome
from pipelines.errors import QualityGateFailed
from pipelines.home import Home


def configure(parser: argparse.ArgumentParser) -> None:
    pass


def table(result: GateResult) -> str:
    """Per suite: expectations checked, passed, errors and warnings failed; then each failure."""
    by_suite: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in result.outcomes:
        by_suite[outcome.suite].append(outcome)
    width = max([len("suite"), *map(len, by_suite)])
    lines = [f"{'suite':<{width}}  checked  passed  errors  warnings"]
    for suite, outcomes in by_suite.items():
        passed = sum(o.success for o in outcomes)
        errors = sum(not o.success and o.severity == "error" for o in outcomes)
        warnings = sum(not o.success and o.severity == "warning" for o in outcomes)
        lines.append(f"{suite:<{width}}  {len(outcomes):>7}  {passed:>6}  {errors:>6}  {warnings:>8}")
    failures = [o.line() for o in [*result.errors, *result.warnings]]
    if failures:
        lines += ["", "Failed:", *failures]
    return "\n".join(lines)


def run(args: argparse.Namespace, home: Home) -> int:
    from expectations.gx_docs import GX_DOCS_DIR
    from expectations.runner import run_check  # imports Great Expectations: only when checking

    result = run_check(home)
    print(table(result))
    gx_docs = home.quality_dir / GX_DOCS_DIR / "index.html"
    print(f"\nRun {result.run_id}: results in {home.raw_db} (meta.quality_results) and "
          f"{home.quality_dir / 'data_docs' / 'index.html'}"
          + (f"; Great Expectations Data Docs: {gx_docs}." if gx_docs.exists() else "."))
    if not result.passed:
        names = ", ".join(f"{o.suite}.{o.expectation}" for o in result.errors)
        raise QualityGateFailed(
            f"{len(result.errors)} error-severity expectation(s) failed on the published warehouse: {names}. "
            "See the table above for what failed and example rows."
        )
    return 0
