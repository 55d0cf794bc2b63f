"""The rules dbt owns (keys, uniqueness, relationships) fail on one broken row, as the GX rules do
in tests/quality/test_gate.py: each break of tests/support/quality_breaks.DBT_BREAKS goes into a copy of
a clean build, and `dbt test` on the broken model must report the named test as failing."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.quality_breaks import DBT_BREAKS, apply
from support.quality import write_clean_raw

from pipelines.home import Home
from pipelines.raw_views import write_source_views
from reach.build import _DBT_LOCK, KEYS_TEST, PROJECT_DIR, _close_dbt_database, broken_key_rules, run_dbt

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def clean_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Home, Path, object]:
    """A clean build file and dbt's parsed manifest (so each `dbt test` skips parsing)."""
    from dbt.cli.main import dbtRunner

    home = Home(tmp_path_factory.mktemp("dbt_quality")).ensure()
    write_clean_raw(home)
    build_db = home.builds_dir / "clean.duckdb"
    run_dbt(home, build_db, home.builds_dir / "target")
    with _dbt(home, build_db):
        parsed = dbtRunner().invoke(_args(home, "parse"))
    assert parsed.success, parsed.exception
    return home, build_db, parsed.result


def _args(home: Home, *command: str) -> list[str]:
    return [*command, "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
            "--target-path", str(home.builds_dir / "test-target"), "--log-path", str(home.logs_dir), "--quiet"]


class _dbt:
    """The environment profiles.yml reads, pointed at `build_db` (as reach.build does for a build)."""

    def __init__(self, home: Home, build_db: Path) -> None:
        sources = home.builds_dir / "test-target" / "sources.duckdb"
        sources.parent.mkdir(parents=True, exist_ok=True)
        write_source_views(home.raw_db, sources)
        self.values = {"REACH_BUILD_DB": str(build_db), "REACH_RAW_DB": str(home.raw_db),
                       "REACH_SOURCES_DB": str(sources)}

    def __enter__(self) -> None:
        _DBT_LOCK.acquire()
        self.saved = {name: os.environ.get(name) for name in self.values}
        os.environ.update(self.values)

    def __exit__(self, *exc: object) -> None:
        _close_dbt_database()
        for name, value in self.saved.items():
            os.environ.pop(name, None) if value is None else os.environ.__setitem__(name, value)
        _DBT_LOCK.release()


def failing_tests(home: Home, build_db: Path, manifest: object, model: str) -> Iterator[tuple[str | None, str]]:
    """(column, rule) of every rule of `model` that fails on `build_db`: each broken rule of its keys
    test as the build names it (reach.build.broken_key_rules), any other data test by its name."""
    from dbt.cli.main import dbtRunner

    with _dbt(home, build_db):
        result = dbtRunner(manifest=manifest).invoke(_args(home, "test", "--select", model,
                                                           "--exclude", "test_type:unit"))
    assert result.exception is None, result.exception
    for node_result in result.result.results:
        if str(node_result.status) in ("fail", "error"):
            node = node_result.node
            metadata = getattr(node, "test_metadata", None)
            if metadata is not None and metadata.name == KEYS_TEST:
                yield from ((column, rule) for rule, column, _ in broken_key_rules(node, build_db))
            else:
                yield getattr(node, "column_name", None), metadata.name if metadata else node.name


def test_clean_build_passes_every_test(clean_build: tuple[Home, Path, object]) -> None:
    home, build_db, manifest = clean_build
    models = sorted({model for model, _, _ in DBT_BREAKS})
    assert [(m, list(failing_tests(home, build_db, manifest, m))) for m in models] == [(m, []) for m in models]


@pytest.mark.parametrize(("model", "column", "test"), sorted(DBT_BREAKS, key=str), ids=str)
def test_one_broken_row_fails_its_dbt_test(clean_build: tuple[Home, Path, object], tmp_path: Path,
                                           model: str, column: str | None, test: str) -> None:
    home, clean_db, manifest = clean_build
    build_db = tmp_path / "broken.duckdb"
    shutil.copy(clean_db, build_db)
    apply(DBT_BREAKS[(model, column, test)], home, build_db)
    assert (column, test) in set(failing_tests(home, build_db, manifest, model))
