"""The sample generator: determinism, knobs, contract conformance, distributions, history."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from pipelines import contract
from pipelines.contract import ColumnType
from pipelines.errors import ReachError
from pipelines.generate import MANIFEST_NAME, Manifest, generate_sample
from pipelines.normalise import fold_mapping, fold_value
from pipelines.reference.centres import centre
from pipelines.reference.countries import is_recognised, resolve_citizenship
from pipelines.reference.districts import resolve_district
from reach.cli import main

CZECH_DATE = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{4}$")


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file() and p.name != MANIFEST_NAME
    }


def _read(folder: Path, delivery: str, name: str) -> pl.DataFrame:
    return pl.read_csv(folder / delivery / f"{name}.csv", separator=";", infer_schema=False)


def _all(manifest: Manifest, name: str) -> pl.DataFrame:
    """Every delivered row of a file, with the delivery name and row number."""
    frames = [
        _read(Path(manifest.out), d.name, name).with_columns(
            _delivery=pl.lit(d.name), _row=pl.int_range(2, pl.len() + 2)
        )
        for d in manifest.deliveries
    ]
    return pl.concat(frames)


def _parse(value: str) -> date:
    day, month, year = (int(x) for x in value.split("."))
    return date(year, month, day)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Manifest:
    return generate_sample(tmp_path_factory.mktemp("gen") / "out", clients=1500, months=12, seed=5)


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    for messy in (False, True):
        a = generate_sample(tmp_path / f"a{messy}", clients=150, months=3, seed=9, messy=messy)
        b = generate_sample(tmp_path / f"b{messy}", clients=150, months=3, seed=9, messy=messy)
        assert _digest(Path(a.out)) == _digest(Path(b.out))
        assert a.irregularities == b.irregularities and a.revisions == b.revisions
    c = generate_sample(tmp_path / "c", clients=150, months=3, seed=10)
    assert _digest(Path(c.out)) != _digest(tmp_path / "aFalse")


def test_knobs_set_clients_months_and_start(tmp_path: Path) -> None:
    manifest = generate_sample(tmp_path / "out", clients=240, months=4, start=date(2023, 11, 1), seed=2)
    assert [d.name for d in manifest.deliveries] == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "2023-11", "2023-12", "2024-01", "2024-02", MANIFEST_NAME]
    clients = _all(manifest, "klienti")
    assert clients["ID klienta"].n_unique() == 240
    contacts = _all(manifest, "kontakty")
    days = [_parse(v) for v in contacts["Datum"].to_list()]
    assert min(days) >= date(2023, 11, 1) and max(days) < date(2024, 3, 1)
    # a contact is delivered in the month it happened (first delivery of the record)
    firsts = contacts.unique("ID kontaktu", keep="first", maintain_order=True)
    for value, delivery in zip(firsts["Datum"], firsts["_delivery"], strict=True):
        assert _parse(value).strftime("%Y-%m") == delivery


def test_reregenerating_into_the_same_folder_replaces_the_previous_sample(tmp_path: Path) -> None:
    generate_sample(tmp_path / "out", clients=120, months=3, seed=1, messy=True)
    again = generate_sample(tmp_path / "out", clients=120, months=2, seed=1)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["2022-08", "2022-09", MANIFEST_NAME]
    assert Manifest.read(tmp_path / "out") == again


def test_refuses_bad_arguments_and_foreign_folders(tmp_path: Path) -> None:
    with pytest.raises(ReachError, match="--clients"):
        generate_sample(tmp_path / "a", clients=0)
    with pytest.raises(ReachError, match="--months"):
        generate_sample(tmp_path / "a", clients=100, months=0)
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("keep me")
    with pytest.raises(ReachError, match="not empty"):
        generate_sample(tmp_path / "busy", clients=100, months=1)
    assert (tmp_path / "busy" / "notes.txt").read_text() == "keep me"
    with pytest.raises(ReachError, match="--raw"):
        generate_sample(tmp_path / "b", clients=100, months=1, raw=True, messy=True)


def test_every_contract_file_and_column_is_written_in_order(sample: Manifest) -> None:
    for delivery in sample.deliveries:
        folder = Path(sample.out) / delivery.path
        assert sorted(p.name for p in folder.iterdir()) == sorted(f"{f.name}.csv" for f in contract.FILES)
        for spec in contract.FILES:
            header = (folder / f"{spec.name}.csv").read_text(encoding="utf-8").split("\n", 1)[0]
            # the optional linkage key is written only by national samples (tests/generate/)
            assert header == ";".join(c.header for c in spec.columns if c.name != "linkage_key")


def _valid(column: contract.Column, value: str) -> bool:
    match column.type:
        case ColumnType.CLIENT_ID:
            return re.fullmatch(contract.CLIENT_ID_PATTERN, value) is not None
        case ColumnType.DATE:
            return CZECH_DATE.match(value) is not None and _parse(value) is not None
        case ColumnType.INTEGER:
            number = int(value)
            high = date.today().year if column.name == "birth_year" else column.max_value
            return (column.min_value is None or number >= column.min_value) and (high is None or number <= high)
        case ColumnType.DECIMAL:
            return 0 <= float(value) <= 100
        case ColumnType.BOOLEAN:
            return value in ("ano", "ne")
        case ColumnType.ENUM:
            assert column.values is not None
            return fold_value(value) in fold_mapping(column.values)
        case ColumnType.COUNTRY:
            return is_recognised(value)
        case ColumnType.DISTRICT:
            return resolve_district(value) not in (None, contract.UNKNOWN)
        case _:
            return bool(value)


def test_clean_output_parses_with_plain_polars_and_holds_valid_values(sample: Manifest) -> None:
    delivered_clients: set[str] = set()
    for delivery in sample.deliveries:
        for spec in contract.FILES:
            frame = _read(Path(sample.out), delivery.name, spec.name)
            entry = next(f for f in delivery.files if f.table == spec.name)
            assert frame.height == entry.rows
            for column in spec.columns:
                if column.name == "linkage_key":  # national samples only (tests/generate/)
                    continue
                values = frame[column.header]
                if column.required:
                    assert values.null_count() == 0, (delivery.name, spec.name, column.header)
                bad = [v for v in values.drop_nulls().unique().to_list() if not _valid(column, v)]
                assert not bad, (delivery.name, spec.name, column.header, bad[:5])
            keys = [c.header for c in spec.key_columns]
            assert frame.select(keys).is_duplicated().sum() == 0, (delivery.name, spec.name)
            if spec is contract.CLIENTS:
                delivered_clients |= set(frame["ID klienta"].to_list())
            elif "ID klienta" in frame.columns:  # no orphans: every client arrived by now
                assert set(frame["ID klienta"].to_list()) <= delivered_clients, (delivery.name, spec.name)
    # cross-column rules of the contract
    courses = _all(sample, "kurzy").drop_nulls("Konec")
    assert all(_parse(e) >= _parse(s) for s, e in zip(courses["Začátek"], courses["Konec"], strict=True))
    events = _all(sample, "akce").drop_nulls("z toho cizinců")
    assert (events["z toho cizinců"].cast(int) <= events["Počet účastníků"].cast(int)).all()


def test_nationality_and_district_mix_follow_the_sources(sample: Manifest) -> None:
    clients = _all(sample, "klienti").unique("ID klienta")
    after_february = clients.filter(
        pl.col("Datum registrace").map_elements(_parse, return_dtype=pl.Date) >= date(2022, 3, 1))
    nationality = Counter(resolve_citizenship(v) for v in after_february["Státní občanství"])
    ranked = [code for code, _ in nationality.most_common()]
    assert ranked[0] == "UA" and nationality["UA"] / after_february.height > 0.35
    assert ranked[1] == "VN"
    assert {"MN", "RU", "MD"} <= set(ranked[:8])
    assert nationality["CZ"] > 0 and nationality["SK"] > 0  # majority society and EU citizens
    districts = Counter(resolve_district(v) for v in clients["Okres bydliště"].drop_nulls())
    assert districts.most_common(1)[0][0] == "CZ0426"  # Teplice
    own = {d.code for d in centre(contract.DEFAULT_CENTRE).districts()}  # the default centre's region
    assert sum(n for code, n in districts.items() if code in own) / clients.height > 0.9


def test_service_mix_and_contacts_per_client(sample: Manifest) -> None:
    contacts = _all(sample, "kontakty").unique("ID kontaktu")
    services = [code for code, _ in Counter(
        fold_mapping(contract.SERVICE)[fold_value(v)] for v in contacts["Služba"]).most_common()]
    assert set(services[:3]) == {"information_centre", "legal_counselling", "social_counselling"}
    per_client_year = contacts.height / sample.clients
    assert 3.5 <= per_client_year <= 5.5  # SUZ: about 13,000 services for 4,400 clients a year, plus repeat visits


def test_courses_record_cefr_progress_and_exams(sample: Manifest) -> None:
    enrolments = _all(sample, "ucastnici_kurzu")
    latest = enrolments.unique(["ID kurzu", "ID klienta"], keep="last", maintain_order=True)
    finished = latest.filter(pl.col("Výstupní úroveň").is_not_null())
    assert finished.height > 20
    order = {level: i for i, level in enumerate(contract.CEFR_LEVELS)}
    progress = [order[o] - order[i] for i, o in zip(finished["Vstupní úroveň"], finished["Výstupní úroveň"],
                                                      strict=True)]
    assert min(progress) >= 0 and sum(p > 0 for p in progress) > len(progress) / 2
    assert {"složena", "nesložena", "nekonána"} <= set(latest["Zkouška"].to_list())
    assert set(_all(sample, "kurzy")["Typ kurzu"]) == {
        "čeština A1", "čeština A2", "čeština B1", "sociokulturní orientace"}


def test_events_have_head_counts_and_registered_clients(sample: Manifest) -> None:
    events = _all(sample, "akce")
    assert events["Počet účastníků"].cast(int).sum() > _all(sample, "ucastnici_akci").height
    assert set(events["Cílové publikum"]) >= {"cizinci", "veřejnost"}


def test_outcomes_follow_a_contact_of_the_client(sample: Manifest) -> None:
    first_contact = (
        _all(sample, "kontakty").with_columns(day=pl.col("Datum").map_elements(_parse, return_dtype=pl.Date))
        .group_by("ID klienta").agg(pl.col("day").min())
    )
    outcomes = _all(sample, "vysledky").with_columns(
        day=pl.col("Datum").map_elements(_parse, return_dtype=pl.Date)).join(first_contact, on="ID klienta")
    assert outcomes.height > 50
    assert (outcomes["day"] > outcomes["day_right"]).all()


def test_later_deliveries_repeat_correct_and_retract_records(sample: Manifest) -> None:
    kinds = Counter(r.kind for r in sample.revisions)
    assert kinds["repeated"] and kinds["corrected"] and kinds["retracted"]
    contacts = _all(sample, "kontakty")
    for revision in [r for r in sample.revisions if r.file == "kontakty.csv"][:60]:
        versions = contacts.filter(pl.col("ID kontaktu") == revision.key[0])
        assert versions.height == 2
        first, later = versions.row(0, named=True), versions.row(1, named=True)
        assert later["_delivery"] == revision.delivery and later["_row"] == revision.row
        fields = [c.header for c in contract.CONTACTS.columns]
        if revision.kind == "repeated":
            assert [first[f] for f in fields] == [later[f] for f in fields]
        elif revision.kind == "corrected":
            assert [first[f] for f in fields] != [later[f] for f in fields] and later["Smazáno"] == "ne"
        else:
            assert later["Smazáno"] == "ano" and first["Smazáno"] == "ne"


def test_cli_generate_writes_the_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", str(tmp_path / "out"), "--clients", "100", "--months", "2",
                 "--start", "2023-01", "--seed", "3"]) == 0
    assert "2 deliveries" in capsys.readouterr().out
    assert Manifest.read(tmp_path / "out").start == "2023-01-01"
    assert main(["generate", str(tmp_path / "x"), "--clients", "100", "--months", "1", "--raw", "--messy"]) == 1
    assert "--raw" in capsys.readouterr().err


def test_a_clean_sample_loads_without_quarantine_or_warnings(tmp_path: Path) -> None:
    from pipelines.home import Home
    from pipelines.ingest import load_paths

    manifest = generate_sample(tmp_path / "out", clients=300, months=6, seed=12)
    reports = load_paths(Home(tmp_path / "home"), manifest.delivery_paths())
    for entry, report in zip(manifest.deliveries, reports, strict=True):
        for file in report.files:
            expected = next(f for f in entry.files if f.file == file.file_name)
            assert file.status == "loaded", file.message
            assert (file.rows_read, file.rows_loaded, file.rows_quarantined, file.warnings) == (
                expected.rows, expected.rows, 0, 0), (entry.name, file.file_name)
