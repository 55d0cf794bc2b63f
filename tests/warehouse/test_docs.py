"""dbt docs generate works offline into a temporary target path and documents every model and column."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.raw_rows import Delivery, client, write_raw

from pipelines.home import Home
from reach.build import generate_docs, run_dbt

pytestmark = pytest.mark.slow


def test_docs_generate_into_a_temporary_target(tmp_path: Path) -> None:
    home = Home(tmp_path / "home").ensure()
    write_raw(home, client(Delivery(1), "client01"))
    build_db = home.builds_dir / "docs.duckdb"
    run_dbt(home, build_db, home.builds_dir / "target")

    target = tmp_path / "docs"
    page = generate_docs(home, target, database=build_db)

    assert page.exists() and page.stat().st_size > 10_000
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    catalog = json.loads((target / "catalog.json").read_text(encoding="utf-8"))
    models = {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model"}
    undocumented = sorted(name for name, node in models.items() if not node["description"].strip())
    assert undocumented == []
    assert {"dashboard", "ministry_workbook", "board_pack"} <= {e["name"] for e in manifest["exposures"].values()}
    # Every column a built model has is described in the YAML beside it.
    for node in catalog["nodes"].values():
        name = node["metadata"]["name"]
        if name in models:
            described = {c for c, spec in models[name]["columns"].items() if spec["description"].strip()}
            assert sorted(set(node["columns"]) - described) == [], name
    fct_contacts = next(n for n in catalog["nodes"].values() if n["metadata"]["name"] == "fct_contacts")
    assert "client_key" in fct_contacts["columns"]
    assert not (target / "catalog.duckdb").exists()
