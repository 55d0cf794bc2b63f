"""dbt's parsed project is kept in the home between builds and reused; `--full` parses anew; a
damaged kept manifest costs a parse, not a build; all publish the same marts."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from pipelines.home import Home
from reach.build import build_warehouse
from reach.cli import main
from support.quality import copy_home

REUSED = "Partial parsing enabled, no changes found, skipping parsing"


def _marts(path: Path) -> dict[str, str]:
    """Table -> digest of its rows in a fixed order (not the gate's run records, which carry times)."""
    with duckdb.connect(str(path), read_only=True) as con:
        tables = [r[0] for r in con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_catalog = current_database() and table_name not like 'quality_%' order by 1").fetchall()]
        out = {}
        for table in tables:
            rows = con.execute(f"select * from {table} order by all").fetchall()  # names from the catalog
            out[table] = hashlib.sha256(repr(rows).encode()).hexdigest()
        return out


def _log(home: Home) -> str:
    log = home.logs_dir / "dbt.log"
    return log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""


def test_a_second_build_reuses_the_manifest_and_full_parses_anew(clean_built_home: Home, tmp_path: Path) -> None:
    home = copy_home(clean_built_home, tmp_path / "home")
    build_warehouse(home)
    kept = list(home.dbt_state_dir.glob("*partial_parse.msgpack"))
    assert len(kept) == 1, "a build keeps dbt's parsed project in the home"

    offset = len(_log(home))
    build_warehouse(home)
    assert REUSED in _log(home)[offset:]
    incremental = _marts(home.warehouse_db)

    offset = len(_log(home))
    assert main(["--home", str(home.root), "build", "--full"]) == 0
    assert REUSED not in _log(home)[offset:]
    assert _marts(home.warehouse_db) == incremental
    assert list(home.builds_dir.iterdir()) == []  # dbt's fixed-name files were renamed or removed

    for manifest in home.dbt_state_dir.glob("*partial_parse.msgpack"):  # a damaged one costs a parse
        manifest.write_bytes(b"\x00not a manifest")
    build_warehouse(home)
    assert _marts(home.warehouse_db) == incremental
