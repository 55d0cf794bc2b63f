"""The quality gate: Great Expectations suites (reviewable YAML in suites/) and their runner.

`expectations.runner.run_gate(build_db, home)` runs inside `reach build`;
`expectations.runner.run_check(home)` is `reach check` on the published warehouse.
See docs/quality.md.
"""
