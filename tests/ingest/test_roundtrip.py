"""Round trip: generate --messy -> load; every count reconciles and every injected irregularity
is found at the same file, row and column (docs/sample-data.md describes the manifest)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from pipelines.generate import Manifest, generate_sample
from pipelines.generate.manifest import CLEAN, ORPHAN, QUARANTINE, UNKNOWN_COLUMN, UNKNOWN_VALUE
from pipelines.home import Home
from pipelines.ingest import DeliveryReport, load_paths
from support.ingest import query

FILE_FORM = {  # how the loader must have read a file-level variant
    "encoding_cp1250": lambda f: f.encoding == "cp1250",
    "bom": lambda f: f.encoding == "utf-8-sig",
    "comma_delimiter": lambda f: f.delimiter == ",",
    "xlsx": lambda f: f.file_format == "xlsx",
}
WARNING_KIND = {UNKNOWN_VALUE: "unknown_value", ORPHAN: "orphan", UNKNOWN_COLUMN: "unknown_column"}


@pytest.fixture(scope="module", params=[11, 23])
def round_trip(request: pytest.FixtureRequest,
               tmp_path_factory: pytest.TempPathFactory) -> tuple[Manifest, list[DeliveryReport], Home]:
    root = tmp_path_factory.mktemp("roundtrip")
    manifest = generate_sample(root / "out", clients=300, months=6, start=date(2022, 8, 1), seed=request.param,
                               messy=True)
    home = Home(root / "home")
    return manifest, load_paths(home, manifest.delivery_paths()), home


def test_every_delivery_loads_once_in_manifest_order(round_trip) -> None:  # type: ignore[no-untyped-def]
    manifest, reports, _ = round_trip
    assert [Path(r.source) for r in reports] == manifest.delivery_paths()
    assert [r.load_seq for r in reports] == list(range(1, len(reports) + 1))
    assert not any(r.already_loaded for r in reports)


def test_per_file_counts_reconcile_with_the_manifest(round_trip) -> None:  # type: ignore[no-untyped-def]
    manifest, reports, home = round_trip
    for entry, report in zip(manifest.deliveries, reports, strict=True):
        assert sorted(f.file_name for f in report.files) == sorted(f.file for f in entry.files)
        for expected in entry.files:
            got = next(f for f in report.files if f.file_name == expected.file)
            assert got.status == "loaded", got.message
            assert got.rows_read == got.rows_loaded + got.rows_quarantined
            counts = expected.expected
            assert (got.rows_read, got.rows_loaded, got.rows_quarantined) == (
                counts["read"], counts["loaded"], counts["quarantined"]), (entry.name, expected.file)
            warnings = Counter(kind for (kind,) in query(
                home, "SELECT kind FROM meta.load_warnings WHERE delivery_id = ? AND file_name = ?",
                [report.delivery_id, expected.file]))
            assert warnings == Counter({
                "unknown_value": counts["unknown_value_warnings"], "orphan": counts["orphan_warnings"],
                "unknown_column": counts["unknown_column_warnings"],
            }) - Counter(), (entry.name, expected.file)
            assert got.warnings == warnings.total()


def test_every_irregularity_is_accounted_for(round_trip) -> None:  # type: ignore[no-untyped-def]
    manifest, reports, home = round_trip
    delivery_ids = {entry.name: r.delivery_id for entry, r in zip(manifest.deliveries, reports, strict=True)}
    quarantine = set(query(home, "SELECT delivery_id, file_name, source_row, column_name FROM meta.quarantine"))
    quarantined_rows = {q[:3] for q in quarantine}
    warnings = set(query(home, "SELECT delivery_id, file_name, source_row, column_name, kind FROM meta.load_warnings"))
    files = {(f.file_name, r.delivery_id): f for r in reports for f in r.files}
    assert manifest.irregularities, "a messy sample injects irregularities"
    for irregularity in manifest.irregularities:
        ident = delivery_ids[irregularity.delivery]
        where = (ident, irregularity.file, irregularity.row)
        if irregularity.expect == QUARANTINE:
            assert (*where, irregularity.column) in quarantine, irregularity
        elif irregularity.expect in (UNKNOWN_VALUE, ORPHAN):
            assert (*where, irregularity.column, WARNING_KIND[irregularity.expect]) in warnings, irregularity
        elif irregularity.expect == UNKNOWN_COLUMN:
            assert (ident, irregularity.file, None, irregularity.column, "unknown_column") in warnings, irregularity
        else:
            assert irregularity.expect == CLEAN, irregularity
            if irregularity.row is not None:  # a variant form the contract accepts: loaded, no warning
                assert where not in quarantined_rows, irregularity
                assert (*where, irregularity.column, "unknown_value") not in warnings, irregularity
            elif irregularity.file:
                loaded = files[(irregularity.file, ident)]
                assert loaded.status == "loaded", irregularity
                assert FILE_FORM.get(irregularity.kind, lambda f: True)(loaded), (irregularity, loaded)


def test_loading_the_sample_again_changes_nothing(round_trip) -> None:  # type: ignore[no-untyped-def]
    manifest, _, home = round_trip
    before = query(home, "SELECT count(*) FROM raw.contacts")
    again = load_paths(home, manifest.delivery_paths())
    assert all(r.already_loaded for r in again)
    assert query(home, "SELECT count(*) FROM raw.contacts") == before
