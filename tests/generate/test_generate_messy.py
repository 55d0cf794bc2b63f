"""`--messy`: every irregularity kind is injected, and the manifest says exactly where."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from pipelines import contract
from pipelines.generate import Manifest, generate_sample
from pipelines.generate.manifest import CLEAN, ORPHAN, QUARANTINE, UNKNOWN_COLUMN, UNKNOWN_VALUE
from pipelines.generate.messiness import FILE_KINDS, ROW_KINDS
from pipelines.normalise import fold_header, fold_value
from pipelines.reference.countries import is_recognised
from support.generate import decode, delivery_files, read_cells

ALL_KINDS = {*ROW_KINDS, *FILE_KINDS, "zip", "xlsx_date_cells"}


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> Manifest:
    return generate_sample(tmp_path_factory.mktemp("messy") / "out", clients=300, months=6, seed=4, messy=True)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_kind_appears_even_in_a_small_sample(tmp_path: Path, seed: int) -> None:
    manifest = generate_sample(tmp_path / "out", clients=150, months=3, seed=seed, messy=True)
    assert manifest.kinds() == ALL_KINDS


def test_the_manifest_reads_back_as_written(messy: Manifest) -> None:
    assert Manifest.read(Path(messy.out)) == messy


def test_row_level_entries_point_at_the_written_cell(messy: Manifest) -> None:
    cache: dict[tuple[str, str], list[list[str | None]]] = {}
    row_entries = [i for i in messy.irregularities if i.row is not None]
    assert len(row_entries) > 25
    for entry in row_entries:
        if (entry.delivery, entry.file) not in cache:
            content = delivery_files(messy, entry.delivery)[entry.file]
            cache[(entry.delivery, entry.file)] = read_cells(entry.file, content)
        rows = cache[(entry.delivery, entry.file)]
        header = rows[0]
        assert entry.column in header, entry
        cell = rows[entry.row - 1][header.index(entry.column)]  # row 1 is the header
        if entry.kind == "iso_date" and entry.file.endswith(".xlsx"):
            continue  # a date cell: the ISO text became a real date
        assert (cell or "") == entry.value, entry


def test_each_kind_is_what_its_name_says(messy: Manifest) -> None:
    for entry in messy.irregularities:
        value = entry.value or ""
        match entry.kind:
            case "iso_date":
                assert len(value) == 10 and value[4] == "-" and entry.expect == CLEAN
            case "boolean_variant":
                assert value not in ("ano", "ne")
                assert value.lower() in ("a", "n", "1", "0", "true", "false", "ano", "ne")
            case "enum_variant":
                column = next(c for f in contract.FILES for c in f.columns if c.name == entry.canonical)
                assert column.values and fold_value(value) in {fold_value(k) for k in column.values}
            case "decimal_comma":
                assert "," in value and "." not in value
            case "unknown_nationality":
                assert not is_recognised(value) and entry.expect == UNKNOWN_VALUE
            case "unknown_enum":
                column = next(c for f in contract.FILES for c in f.columns if c.name == entry.canonical)
                assert column.values and fold_value(value) not in {fold_value(k) for k in column.values}
            case "orphan":
                assert entry.canonical == "client_id" and entry.expect == ORPHAN
            case "missing_key":
                assert value == "" and entry.expect == QUARANTINE
            case "unparseable_date" | "out_of_range":
                assert entry.expect == QUARANTINE
            case "header_variant":
                assert entry.column != value and fold_header(entry.column or "") == fold_header(value)
            case "extra_column":
                assert entry.expect == UNKNOWN_COLUMN


def test_file_level_entries_match_the_bytes(messy: Manifest) -> None:
    for entry in [i for i in messy.irregularities if i.row is None]:
        if entry.kind == "zip":
            assert zipfile.is_zipfile(Path(messy.out) / (entry.value or ""))
            continue
        content = delivery_files(messy, entry.delivery)[entry.file]
        match entry.kind:
            case "encoding_cp1250":
                with pytest.raises(UnicodeDecodeError):
                    content.decode("utf-8")
            case "bom":
                assert content.startswith(b"\xef\xbb\xbf")
            case "comma_delimiter":
                assert decode(content).split("\n")[0].count(",") >= 1
                assert ";" not in decode(content).split("\n")[0]
            case "crlf":
                assert b"\r\n" in content
            case "quoted_fields":
                assert decode(content).startswith('"')
            case "xlsx" | "xlsx_date_cells":
                assert entry.file.endswith(".xlsx") and zipfile.is_zipfile(io.BytesIO(content))
            case "header_variant" | "extra_column":
                assert entry.value in read_cells(entry.file, content)[0]


def test_row_counts_and_expected_results_add_up(messy: Manifest) -> None:
    for delivery in messy.deliveries:
        files = delivery_files(messy, delivery.name)
        assert sorted(files) == sorted(f.file for f in delivery.files)
        for entry in delivery.files:
            assert len(read_cells(entry.file, files[entry.file])) - 1 == entry.rows
            assert sum(entry.origins.values()) == entry.rows
            mine = [i for i in messy.irregularities if i.delivery == delivery.name and i.file == entry.file]
            expect = Counter(i.expect for i in mine if i.row is not None)
            assert entry.expected["quarantined"] == expect[QUARANTINE]
            assert entry.expected["loaded"] == entry.rows - expect[QUARANTINE]
            assert entry.expected["orphan_warnings"] == expect[ORPHAN]
            assert entry.expected["unknown_value_warnings"] == expect[UNKNOWN_VALUE]
            assert entry.origins.get("injected", 0) == sum(
                1 for i in mine if i.kind in ("orphan", "missing_key", "unparseable_date", "out_of_range"))


def test_the_rate_controls_how_many_rows_are_touched(tmp_path: Path) -> None:
    low = generate_sample(tmp_path / "low", clients=600, months=3, seed=8, messy=True, messy_rate=0.005)
    high = generate_sample(tmp_path / "high", clients=600, months=3, seed=8, messy=True, messy_rate=0.1)
    rows = [sum(1 for i in m.irregularities if i.row is not None) for m in (low, high)]
    assert rows[1] > 5 * rows[0]
