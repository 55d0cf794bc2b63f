"""Row rules of the contract: values, quarantine, unknown values, duplicates, cross-column rules."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from pipelines.home import Home
from pipelines.ingest import load_paths
from support.ingest import CLIENT_HEADER, CONTACT_HEADER, client, contact, query, write_csv


@pytest.fixture
def home(tmp_path: Path) -> Home:
    return Home(tmp_path / "home")


def _load_clients(home: Home, tmp_path: Path, rows: list[dict[str, str]], header: list[str] = CLIENT_HEADER):
    write_csv(tmp_path / "d", "klienti.csv", header, rows)
    [report] = load_paths(home, [tmp_path / "d"])
    return report.file("klienti")


def _quarantine(home: Home) -> list[tuple]:
    return query(home, "SELECT source_row, column_name, value, reason FROM meta.quarantine ORDER BY 1, 2")


def _warnings(home: Home) -> list[tuple]:
    return query(home, "SELECT file_name, source_row, column_name, value, kind FROM meta.load_warnings "
                       "ORDER BY file_name, source_row, column_name")


@pytest.mark.parametrize("text", ["5.1.2023", "05.01.2023", "2023-01-05", " 5.1.2023 "])
def test_date_forms(home: Home, tmp_path: Path, text: str) -> None:
    _load_clients(home, tmp_path, [client(**{"Datum registrace": text})])
    assert query(home, "SELECT registered_on FROM raw.clients") == [(date(2023, 1, 5),)]


@pytest.mark.parametrize("text", ["31.2.2023", "2023/01/05", "5.1.23", "leden 2023", "2023-1-5"])
def test_unparseable_required_date_is_quarantined(home: Home, tmp_path: Path, text: str) -> None:
    summary = _load_clients(home, tmp_path, [client(**{"Datum registrace": text}), client("CLI0002")])
    assert (summary.rows_read, summary.rows_loaded, summary.rows_quarantined) == (2, 1, 1)
    assert _quarantine(home) == [(2, "Datum registrace", text, "not a date (d.m.yyyy or yyyy-mm-dd)")]


def test_quarantine_keeps_the_whole_row_as_json_with_lineage(home: Home, tmp_path: Path) -> None:
    _load_clients(home, tmp_path, [client("CLI0001"), client("x", Pohlaví="Ž")])
    [(file_name, kind, sha, row, record)] = query(
        home, "SELECT file_name, file_kind, file_sha256, source_row, record FROM meta.quarantine")
    assert (file_name, kind, row) == ("klienti.csv", "klienti", 3) and len(sha) == 64
    # The row as delivered (the contract columns the warehouse stores: not Obec bydliště, which
    # it drops); an empty cell is null.
    delivered = {h: v for h, v in client("x", Pohlaví="Ž").items() if h != "Obec bydliště"}
    assert json.loads(record) == delivered | {"Cílová skupina": None}


def test_missing_required_value_is_quarantined(home: Home, tmp_path: Path) -> None:
    _load_clients(home, tmp_path, [client(**{"Státní občanství": " "}), client("")])
    # The value is shown as delivered (a blank cell).
    assert _quarantine(home) == [(2, "Státní občanství", " ", "missing required value"),
                                 (3, "ID klienta", None, "missing required value")]


@pytest.mark.parametrize("client_id", ["abc12", "a" * 65, "CLI 0001", "CLÍ0001", "CLI0001;"])
def test_invalid_client_id_is_quarantined(home: Home, tmp_path: Path, client_id: str) -> None:
    summary = _load_clients(home, tmp_path, [client(client_id)])
    assert summary.rows_quarantined == 1
    assert _quarantine(home)[0][1:3] == ("ID klienta", client_id)


@pytest.mark.parametrize(("text", "loaded"), [("1900", 1900), (str(date.today().year), date.today().year),
                                              ("1899", None), (str(date.today().year + 1), None),
                                              ("19 90", None), ("1990,5", None)])
def test_birth_year_range(home: Home, tmp_path: Path, text: str, loaded: int | None) -> None:
    summary = _load_clients(home, tmp_path, [client(**{"Rok narození": text})])
    if loaded is None:
        assert summary.rows_quarantined == 1 and _quarantine(home)[0][1] == "Rok narození"
    else:
        assert query(home, "SELECT birth_year FROM raw.clients") == [(loaded,)]


@pytest.mark.parametrize(("text", "expected"), [("ano", True), ("NE", False), ("A", True), ("n", False),
                                                ("1", True), ("0", False), ("True", True), ("FALSE", False),
                                                ("", False)])
def test_boolean_forms(home: Home, tmp_path: Path, text: str, expected: bool) -> None:
    _load_clients(home, tmp_path, [client(Smazáno=text)])
    assert query(home, "SELECT deleted FROM raw.clients") == [(expected,)]


def test_unparseable_optional_boolean_quarantines_the_row(home: Home, tmp_path: Path) -> None:
    write_csv(tmp_path / "d", "klienti.csv", CLIENT_HEADER, [client()])
    write_csv(tmp_path / "d", "kontakty.csv", CONTACT_HEADER, [contact(Tlumočení="snad")])
    load_paths(home, [tmp_path / "d"])
    assert _quarantine(home) == [(2, "Tlumočení", "snad", "not a yes/no value (ano/ne, A/N, 1/0, true/false)")]


def test_enumerations_fold_and_unknown_values_load_as_unknown_with_a_warning(home: Home, tmp_path: Path) -> None:
    rows = [client("CLI0001", Pohlaví=" ZENA ",
                   **{"Pobytový status": "Trvaly Pobyt", "Cílová skupina": "OBČAN UKRAJINY"}),
            client("CLI0002", Pohlaví="", **{"Pobytový status": "turista", "Státní občanství": "Atlantida",
                                              "Okres bydliště": "Gotham"}),
            client("CLI0003", Pohlaví="X", **{"Státní občanství": "bez státní příslušnosti", "Okres bydliště": ""})]
    summary = _load_clients(home, tmp_path, rows)
    assert (summary.rows_loaded, summary.warnings) == (3, 3)
    assert query(home, "SELECT client_id, sex, residence_status, citizenship, district, target_group "
                       "FROM raw.clients ORDER BY 1") == [
        ("CLI0001", "female", "permanent", "UA", "CZ0421", "ukrainian"),
        ("CLI0002", "unknown", "unknown", "unknown", "unknown", None),
        ("CLI0003", "other", "temporary_protection", "stateless", "unknown", None),
    ]
    assert _warnings(home) == [
        ("klienti.csv", 3, "Okres bydliště", "Gotham", "unknown_value"),
        ("klienti.csv", 3, "Pobytový status", "turista", "unknown_value"),
        ("klienti.csv", 3, "Státní občanství", "Atlantida", "unknown_value"),
    ]


def test_unknown_value_in_a_required_enumeration_loads_as_unknown(home: Home, tmp_path: Path) -> None:
    write_csv(tmp_path / "d", "klienti.csv", CLIENT_HEADER, [client()])
    write_csv(tmp_path / "d", "kontakty.csv", CONTACT_HEADER, [contact(Služba="kafe"), contact("K2", Služba="")])
    [report] = load_paths(home, [tmp_path / "d"])
    assert (report.file("kontakty").rows_loaded, report.file("kontakty").rows_quarantined) == (1, 1)
    assert query(home, "SELECT contact_id, service FROM raw.contacts") == [("K1", "unknown")]
    assert _quarantine(home) == [(3, "Služba", None, "missing required value")]
    assert ("kontakty.csv", 2, "Služba", "kafe", "unknown_value") in _warnings(home)


@pytest.mark.parametrize(("text", "ok"), [("1", True), ("600", True), ("0", False), ("601", False),
                                          ("30.5", False), ("třicet", False), ("", True)])
def test_duration_range(home: Home, tmp_path: Path, text: str, ok: bool) -> None:
    write_csv(tmp_path / "d", "klienti.csv", CLIENT_HEADER, [client()])
    write_csv(tmp_path / "d", "kontakty.csv", CONTACT_HEADER, [contact(**{"Délka (min)": text})])
    [report] = load_paths(home, [tmp_path / "d"])
    assert report.file("kontakty").rows_quarantined == (0 if ok else 1)


@pytest.mark.parametrize(("text", "loaded"), [("0", 0.0), ("100", 100.0), ("87,5", 87.5), ("87.5", 87.5),
                                              ("100,1", None), ("-1", None), ("1 000", None)])
def test_attendance_decimal_forms_and_range(home: Home, tmp_path: Path, text: str, loaded: float | None) -> None:
    header = ["ID kurzu", "ID klienta", "Docházka (%)"]
    write_csv(tmp_path / "d", "klienti.csv", CLIENT_HEADER, [client()])
    write_csv(tmp_path / "d", "ucastnici_kurzu.csv", header,
              [{"ID kurzu": "C1", "ID klienta": "CLI0001", "Docházka (%)": text}])
    [report] = load_paths(home, [tmp_path / "d"])
    if loaded is None:
        assert report.file("ucastnici_kurzu").rows_quarantined == 1
    else:
        assert query(home, "SELECT attendance_pct, exam FROM raw.course_enrolments") == [(loaded, "not_taken")]


def test_course_may_not_end_before_it_starts(home: Home, tmp_path: Path) -> None:
    header = ["ID kurzu", "Typ kurzu", "Začátek", "Konec"]
    rows = [{"ID kurzu": "C1", "Typ kurzu": "čeština A1", "Začátek": "1.3.2023", "Konec": "28.2.2023"},
            {"ID kurzu": "C2", "Typ kurzu": "Čeština a2", "Začátek": "1.3.2023", "Konec": "1.3.2023"},
            {"ID kurzu": "C3", "Typ kurzu": "sociokulturni orientace", "Začátek": "1.3.2023", "Konec": ""}]
    write_csv(tmp_path / "d", "kurzy.csv", header, rows)
    load_paths(home, [tmp_path / "d"])
    assert _quarantine(home) == [(2, "Konec", "28.2.2023", "Konec must be at least Začátek")]
    assert query(home, "SELECT course_id, course_type FROM raw.courses ORDER BY 1") == [
        ("C2", "czech_a2"), ("C3", "sociocultural_orientation")]


def test_foreign_participants_may_not_exceed_participants(home: Home, tmp_path: Path) -> None:
    header = ["ID akce", "Typ akce", "Datum", "Počet účastníků", "z toho cizinců", "Okres"]
    rows = [{"ID akce": "E1", "Typ akce": "vzdělávací akce", "Datum": "1.3.2023", "Počet účastníků": "10",
             "z toho cizinců": "11", "Okres": "Most"},
            {"ID akce": "E2", "Typ akce": "vzdělávací akce", "Datum": "1.3.2023", "Počet účastníků": "10",
             "z toho cizinců": "10", "Okres": "Hlavní město Praha"}]
    write_csv(tmp_path / "d", "akce.csv", header, rows)
    load_paths(home, [tmp_path / "d"])
    assert _quarantine(home) == [(2, "z toho cizinců", "11", "z toho cizinců must be at most Počet účastníků")]
    assert query(home, "SELECT event_id, district, participants_foreign FROM raw.events") == [("E2", "CZ0100", 10)]


def test_duplicate_key_within_a_file_is_a_warning_and_both_rows_load(home: Home, tmp_path: Path) -> None:
    summary = _load_clients(home, tmp_path, [client("CLI0001"), client("CLI0002"), client("CLI0001", Pohlaví="muž")])
    assert (summary.rows_loaded, summary.warnings) == (3, 1)
    assert _warnings(home) == [("klienti.csv", 4, "ID klienta", "CLI0001", "duplicate_key")]
    # Latest wins within one delivery by _source_row.
    assert query(home, "SELECT sex FROM raw.clients WHERE client_id = 'CLI0001' ORDER BY _source_row DESC LIMIT 1") \
        == [("male",)]


def test_rows_read_always_equal_loaded_plus_quarantined(home: Home, tmp_path: Path) -> None:
    rows = [client("CLI0001"), client("bad"), client("CLI0003", **{"Rok narození": "x", "Datum registrace": ""}),
            client("CLI0004", Pohlaví="?"), {}]
    summary = _load_clients(home, tmp_path, rows)
    assert summary.rows_read == 5 == summary.rows_loaded + summary.rows_quarantined
    assert summary.rows_quarantined == 3
    assert query(home, "SELECT rows_read, rows_loaded, rows_quarantined, warnings FROM meta.load_files") == [
        (5, 2, 3, 1)]


def test_duplicate_keys_of_a_frame_whose_columns_are_chunked_differently() -> None:
    """polars panicked formatting the warnings of a frame whose columns are split into different
    chunks (a multi-chunk frame with one column replaced, as free-text screening does)."""
    import polars as pl

    from pipelines.contract import FILES_BY_NAME
    from pipelines.ingest.rows import ROW, _duplicate_key_warnings

    parts = [pl.DataFrame({ROW: pl.Series([2 + 3 * j + i for i in range(3)], dtype=pl.Int32),
                           "client_id": [f"CLI000{i}" for i in range(3)]}) for j in range(3)]
    frame = pl.concat(parts, rechunk=False)
    frame = frame.with_columns(pl.Series(ROW, frame[ROW].to_list(), dtype=pl.Int32))
    assert len(set(frame.n_chunks("all"))) > 1  # the shape that panicked
    warnings = _duplicate_key_warnings(FILES_BY_NAME["klienti"], frame)
    assert warnings.select(ROW, "value").rows() == [(5, "CLI0000"), (6, "CLI0001"), (7, "CLI0002"),
                                                   (8, "CLI0000"), (9, "CLI0001"), (10, "CLI0002")]
    assert warnings["message"][0] == "the key 'CLI0000' already appears at row 2 of this file; the later row wins"
