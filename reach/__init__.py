"""The composition root: the `reach` command, the build orchestration and the served dashboard.

It sits above every library it wires (pipelines, expectations, charts, reports, dashboard); nothing
imports it (the import-linter contracts in pyproject.toml say so).
"""
