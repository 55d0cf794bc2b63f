"""Which files `reach load` accepts: encodings, delimiters, quoting, line ends, XLSX, zips, rejections."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest

from pipelines.errors import ReachError
from pipelines.home import Home
from pipelines.ingest import load_paths
from pipelines.ingest.reading import FileRejected, detect_delimiter, detect_encoding, read_table
from support.ingest import CLIENT_HEADER, client, csv_text, query, write_csv, write_xlsx


@pytest.fixture
def home(tmp_path: Path) -> Home:
    return Home(tmp_path / "home")


def _clients(home: Home) -> list[tuple]:
    return query(home, "SELECT client_id, sex, citizenship, district, registered_on "
                       "FROM raw.clients ORDER BY client_id")


@pytest.mark.parametrize(
    ("encoding", "delimiter", "newline"),
    [("utf-8", ";", "\n"), ("utf-8-sig", ";", "\r\n"), ("cp1250", ";", "\r\n"), ("utf-8", ",", "\n"),
     ("cp1250", ",", "\n")],
)
def test_csv_encodings_delimiters_and_line_ends_load_alike(home: Home, tmp_path: Path, encoding: str,
                                                          delimiter: str, newline: str) -> None:
    rows = [client("CLI0001", **{"Obec bydliště": "Ústí nad Labem; Střekov"}), client("CLI0002", Pohlaví="muž")]
    write_csv(tmp_path / "d", "klienti.csv", CLIENT_HEADER, rows, delimiter=delimiter, encoding=encoding,
              newline=newline)
    [report] = load_paths(home, [tmp_path / "d"])
    loaded = report.file("klienti")
    assert (loaded.status, loaded.rows_read, loaded.rows_loaded, loaded.rows_quarantined) == ("loaded", 2, 2, 0)
    assert loaded.encoding == encoding and loaded.delimiter == delimiter
    # The quoted delimiter in Obec bydliště (which the warehouse does not store) does not shift
    # Datum registrace, the next column.
    assert _clients(home) == [
        ("CLI0001", "female", "UA", "CZ0421", date(2023, 1, 5)),
        ("CLI0002", "male", "UA", "CZ0421", date(2023, 1, 5)),
    ]


def test_encoding_detection() -> None:
    assert detect_encoding("Děčín".encode()) == "utf-8"
    assert detect_encoding(b"\xef\xbb\xbf" + "Děčín".encode()) == "utf-8-sig"
    assert detect_encoding("Děčín".encode("cp1250")) == "cp1250"
    with pytest.raises(FileRejected, match="neither UTF-8 nor Windows-1250"):
        detect_encoding(b"abc\x98")


def test_delimiter_detection_ignores_quoted_text() -> None:
    assert detect_delimiter('"a,b,c";d') == ";"
    assert detect_delimiter("a,b;c,d") == ","
    assert detect_delimiter("a;b") == ";"


def test_header_matching_ignores_case_diacritics_whitespace_and_order(home: Home, tmp_path: Path) -> None:
    header = ["  datum   REGISTRACE", "statni obcanstvi", "id KLIENTA", "Poznámka"]
    rows = [{"  datum   REGISTRACE": "2023-01-05", "statni obcanstvi": "VNM", "id KLIENTA": "CLI0009",
             "Poznámka": "x"}]
    write_csv(tmp_path / "d", "KLIENTI.CSV", header, rows)
    [report] = load_paths(home, [tmp_path / "d"])
    loaded = report.file("klienti")
    assert loaded.rows_loaded == 1 and loaded.warnings == 1
    assert "'Poznámka'" in (loaded.message or "")
    assert query(home, "SELECT client_id, citizenship, sex, district FROM raw.clients") == [
        ("CLI0009", "VN", "unknown", "unknown")]
    assert query(home, "SELECT kind, column_name, source_row FROM meta.load_warnings") == [
        ("unknown_column", "Poznámka", None)]


def test_header_matching_is_not_looser_than_the_contract(tmp_path: Path) -> None:
    table = read_table("klienti.csv", "IDklienta;Státní občanství;Datum registrace\nCLI0001;UA;1.1.2023\n".encode())
    from pipelines.contract import CLIENTS
    from pipelines.ingest.rows import check_file
    with pytest.raises(FileRejected, match="'ID klienta' is missing"):
        check_file(CLIENTS, table)


def test_missing_required_column_rejects_only_that_file(home: Home, tmp_path: Path) -> None:
    write_csv(tmp_path / "d", "klienti.csv", CLIENT_HEADER, [client()])
    header = ["ID kontaktu", "ID klienta", "Datum"]  # no Služba
    write_csv(tmp_path / "d", "kontakty.csv", header, [{"ID kontaktu": "K1", "ID klienta": "CLI0001",
                                                        "Datum": "1.2.2023"}])
    [report] = load_paths(home, [tmp_path / "d"])
    rejected = report.file("kontakty")
    assert rejected.status == "rejected"
    assert rejected.message == "kontakty.csv: the required column 'Služba' is missing; file rejected."
    assert report.file("klienti").rows_loaded == 1
    assert query(home, "SELECT status, message FROM meta.load_files WHERE file_name = 'kontakty.csv'") == [
        ("rejected", rejected.message)]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("klienti.csv", b"", "the file is empty"),
        ("klienti.csv", b"   \r\n", "the file is empty"),
        ("klienti.xlsx", "ID klienta;Státní občanství\n".encode(), "not an XLSX workbook"),
        ("klienti.xlsx", b"PK\x03\x04garbage garbage", "the XLSX workbook cannot be read"),
        ("klienti.csv", b"PK\x03\x04\x14\x00\x00\x00", "is a zip archive"),
        ("klienti.csv", b"ID klienta\x00\x01\x02;x\n", "binary data"),
        ("klienti.csv", b"abc\x98\x98;def\n", "neither UTF-8 nor Windows-1250"),
    ],
)
def test_unreadable_files_are_rejected_naming_the_file(home: Home, tmp_path: Path, name: str, content: bytes,
                                                     reason: str) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / name).write_bytes(content)
    write_csv(folder, "kontakty.csv", ["ID kontaktu", "ID klienta", "Datum", "Služba"], [])
    [report] = load_paths(home, [folder])
    rejected = report.file("klienti")
    assert rejected.status == "rejected"
    assert rejected.message is not None and rejected.message.startswith(f"{name}: ") and reason in rejected.message
    assert report.file("kontakty").status == "loaded"


def test_a_ragged_csv_row_is_quarantined_naming_the_row(home: Home, tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "klienti.csv").write_text("ID klienta;Státní občanství;Datum registrace\nA;B;C;D;E\n")
    [report] = load_paths(home, [folder])
    loaded = report.file("klienti")
    assert (loaded.status, loaded.rows_read, loaded.rows_loaded, loaded.rows_quarantined) == ("loaded", 1, 0, 1)
    [(row, column, value, reason)] = query(home, "SELECT source_row, column_name, value, reason FROM meta.quarantine")
    assert (row, column, value) == (2, None, "D;E")
    assert reason.startswith("the row has 5 fields but the header has 3")


def test_xlsx_first_sheet_with_date_cells_and_numbers(home: Home, tmp_path: Path) -> None:
    write_xlsx(tmp_path / "d", "Klienti.XLSX", ["ID klienta", "Státní občanství", "Datum registrace",
                                                "Rok narození", "Smazáno"],
               [["CLI0001", "Vietnam", date(2023, 2, 1), 1990, "ne"],
                ["CLI0002", "UA", "3.2.2023", 1991.0, 0],
                ["CLI0003", "MN", "2023-02-04", None, None]])
    [report] = load_paths(home, [tmp_path / "d"])
    assert report.file("klienti").file_format == "xlsx"
    assert query(home, "SELECT client_id, citizenship, registered_on, birth_year, deleted FROM raw.clients "
                       "ORDER BY 1") == [
        ("CLI0001", "VN", date(2023, 2, 1), 1990, False),
        ("CLI0002", "UA", date(2023, 2, 3), 1991, False),
        ("CLI0003", "MN", date(2023, 2, 4), None, False),
    ]


def test_unrecognised_file_is_ignored_and_reported(home: Home, tmp_path: Path) -> None:
    write_csv(tmp_path / "d", "klienti.csv", CLIENT_HEADER, [client()])
    (tmp_path / "d" / "poznamky.txt").write_text("notes")
    [report] = load_paths(home, [tmp_path / "d"])
    ignored = next(f for f in report.files if f.file_name == "poznamky.txt")
    assert ignored.status == "ignored" and "not an export file" in (ignored.message or "")


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_zip_delivery_loads_like_a_folder(home: Home, tmp_path: Path) -> None:
    data = csv_text(CLIENT_HEADER, [client("CLI0001"), client("CLI0002")]).encode("cp1250")
    archive = _zip(tmp_path / "2023-01.zip", {"export/klienti.csv": data})
    [report] = load_paths(home, [archive])
    assert report.file("klienti").rows_loaded == 2
    assert query(home, "SELECT DISTINCT _file_name FROM raw.clients") == [("klienti.csv",)]


@pytest.mark.parametrize("member", ["../klienti.csv", "/etc/klienti.csv", "a/../../klienti.csv"])
def test_zip_with_path_traversal_is_rejected(home: Home, tmp_path: Path, member: str) -> None:
    archive = _zip(tmp_path / "evil.zip", {member: b"x"})
    with pytest.raises(ReachError, match="leaves the archive"):
        load_paths(home, [archive])
    assert not home.raw_db.exists()


def test_zip_bomb_is_rejected(home: Home, tmp_path: Path) -> None:
    archive = _zip(tmp_path / "bomb.zip", {"klienti.csv": b"0" * (50 * 1024 * 1024)})
    with pytest.raises(ReachError, match="zip bomb"):
        load_paths(home, [archive])


def test_not_a_zip_is_rejected(home: Home, tmp_path: Path) -> None:
    fake = tmp_path / "fake.zip"
    fake.write_text("hello")
    with pytest.raises(ReachError, match=r"fake\.zip is not a readable \.zip"):
        load_paths(home, [fake])


def test_missing_path_is_an_error(home: Home, tmp_path: Path) -> None:
    with pytest.raises(ReachError, match="does not exist"):
        load_paths(home, [tmp_path / "nowhere"])


def test_two_files_of_one_kind_reject_the_second(home: Home, tmp_path: Path) -> None:
    write_csv(tmp_path / "d", "klienti.csv", CLIENT_HEADER, [client("CLI0001")])
    write_xlsx(tmp_path / "d", "klienti.xlsx", ["ID klienta", "Státní občanství", "Datum registrace"],
               [["CLI0002", "UA", "1.1.2023"]])
    [report] = load_paths(home, [tmp_path / "d"])
    statuses = {f.file_name: (f.status, f.rows_loaded) for f in report.files}
    assert statuses == {"klienti.csv": ("loaded", 1), "klienti.xlsx": ("rejected", 0)}
    assert query(home, "SELECT client_id FROM raw.clients") == [("CLI0001",)]


def test_zip_with_two_members_of_one_name_is_rejected(home: Home, tmp_path: Path) -> None:
    archive = _zip(tmp_path / "twice.zip", {"a/klienti.csv": b"x", "b/klienti.csv": b"y"})
    with pytest.raises(ReachError, match=r"two files named klienti\.csv"):
        load_paths(home, [archive])


def test_a_folder_of_folders_and_zips_loads_all_in_name_order(home: Home, tmp_path: Path) -> None:
    parent = tmp_path / "exports"
    write_csv(parent / "2023-01", "klienti.csv", CLIENT_HEADER, [client("CLI0001")])
    _zip(parent / "2023-02.zip", {"klienti.csv": csv_text(CLIENT_HEADER, [client("CLI0002")]).encode()})
    write_csv(parent / "2023-03", "klienti.csv", CLIENT_HEADER, [client("CLI0003")])
    reports = load_paths(home, [parent])
    assert [Path(r.source).name for r in reports] == ["2023-01", "2023-02.zip", "2023-03"]
    assert query(home, "SELECT client_id, _load_seq FROM raw.clients ORDER BY 2") == [
        ("CLI0001", 1), ("CLI0002", 2), ("CLI0003", 3)]


def test_a_folder_without_deliveries_is_an_error(home: Home, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "readme.txt").write_text("x")
    with pytest.raises(ReachError, match="holds no export files"):
        load_paths(home, [tmp_path / "empty"])
