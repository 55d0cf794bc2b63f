"""`reach pseudonymise`: keyed pseudonyms (HMAC-SHA256), identifiers dropped, birth year kept."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from pipelines import contract
from pipelines.errors import ReachError
from pipelines.generate import Manifest, generate_sample
from pipelines.home import Home
from pipelines.ingest import load_paths
from pipelines.pseudonymise import KEY_ENV, layout, load_key, pseudonym, pseudonymise_export
from reach.cli import main

KEY = b"k3y-for-tests-only-0123456789abcdefXYZ!"  # 39 bytes, not a real secret
OTHER_KEY = b"another-test-key-0123456789abcdefghijkl"


def _csv(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, separator=";", infer_schema=False)


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Manifest:
    return generate_sample(tmp_path_factory.mktemp("raw") / "raw", clients=200, months=3, seed=6, raw=True)


@pytest.fixture(scope="module")
def converted(raw: Manifest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pseudo")
    for delivery in raw.deliveries:
        pseudonymise_export(Path(raw.out) / delivery.path, out / delivery.name, KEY)
    return out


def test_the_raw_export_holds_the_identifiers_it_documents(raw: Manifest) -> None:
    clients = _csv(Path(raw.out) / "2022-08" / "klienti.csv")
    for column in (layout.CLIENT_NUMBER, *layout.DIRECT_IDENTIFIERS):
        assert clients[column].null_count() == 0, column
    assert "ID klienta" not in clients.columns
    assert clients[layout.EMAIL].str.ends_with("@example.com").all()
    contacts = _csv(Path(raw.out) / "2022-09" / "kontakty.csv")
    assert layout.CLIENT_NUMBER in contacts.columns and "ID klienta" not in contacts.columns


def test_ids_are_hmac_sha256_of_the_client_number(raw: Manifest, converted: Path) -> None:
    source = _csv(Path(raw.out) / "2022-08" / "klienti.csv")
    result = _csv(converted / "2022-08" / "klienti.csv")
    expected = [hmac.new(KEY, n.encode(), hashlib.sha256).hexdigest() for n in source[layout.CLIENT_NUMBER]]
    assert result["ID klienta"].to_list() == expected
    assert pseudonym(KEY, " 100001 ") == hmac.new(KEY, b"100001", hashlib.sha256).hexdigest()


def test_the_output_is_the_export_format(converted: Path) -> None:
    for spec in contract.FILES:
        header = (converted / "2022-09" / f"{spec.name}.csv").read_text(encoding="utf-8").split("\n")[0]
        # without --linkage-key-file there is no linkage key (tests/generate/test_linkage_key.py)
        assert header == ";".join(c.header for c in spec.columns if c.name != "linkage_key")


def test_same_key_links_clients_across_months_and_runs(raw: Manifest, converted: Path, tmp_path: Path) -> None:
    clients = pl.concat([_csv(converted / d.name / "klienti.csv") for d in raw.deliveries])
    later_contacts = _csv(converted / "2022-10" / "kontakty.csv")
    assert set(later_contacts["ID klienta"]) <= set(clients["ID klienta"])
    assert len(set(later_contacts["ID klienta"]) - set(_csv(converted / "2022-10" / "klienti.csv")["ID klienta"]))
    pseudonymise_export(Path(raw.out) / "2022-10", tmp_path / "again", KEY)
    assert (tmp_path / "again" / "kontakty.csv").read_bytes() == (converted / "2022-10" / "kontakty.csv").read_bytes()


def test_a_different_key_gives_different_ids(raw: Manifest, converted: Path, tmp_path: Path) -> None:
    pseudonymise_export(Path(raw.out) / "2022-08", tmp_path / "other", OTHER_KEY)
    ours = set(_csv(converted / "2022-08" / "klienti.csv")["ID klienta"])
    theirs = set(_csv(tmp_path / "other" / "klienti.csv")["ID klienta"])
    assert ours.isdisjoint(theirs)


def test_birth_date_becomes_the_birth_year(raw: Manifest, converted: Path) -> None:
    source = _csv(Path(raw.out) / "2022-09" / "klienti.csv")
    result = _csv(converted / "2022-09" / "klienti.csv")
    expected = [d.rsplit(".", 1)[1] for d in source[layout.BIRTH_DATE]]
    assert result["Rok narození"].to_list() == expected


def test_no_identifier_column_or_value_survives(raw: Manifest, converted: Path) -> None:
    identifiers: set[str] = set()
    for delivery in raw.deliveries:
        clients = _csv(Path(raw.out) / delivery.path / "klienti.csv")
        for column in (layout.DOCUMENT_NUMBER, layout.PHONE, layout.EMAIL, layout.BIRTH_DATE, layout.CLIENT_NUMBER):
            identifiers |= set(clients[column])
        names = clients[layout.FIRST_NAME] + " " + clients[layout.SURNAME]
        identifiers |= set(clients[layout.SURNAME]) | set(names)
    for path in converted.rglob("*.csv"):
        frame = _csv(path)
        assert not set(frame.columns) & {layout.CLIENT_NUMBER, *layout.DIRECT_IDENTIFIERS}
        cells = {v for column in frame.columns for v in frame[column].drop_nulls().to_list()}
        assert not cells & identifiers, (path, sorted(cells & identifiers)[:5])
        text = path.read_text(encoding="utf-8")
        assert "@example.com" not in text and "+420 7" not in text


def test_the_pseudonymised_export_loads_cleanly(raw: Manifest, converted: Path, tmp_path: Path) -> None:
    reports = load_paths(Home(tmp_path / "home"), [converted / d.name for d in raw.deliveries])
    for report in reports:
        for file in report.files:
            assert file.status == "loaded" and file.rows_quarantined == 0 and file.warnings == 0, file


def test_refuses_a_missing_or_short_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    with pytest.raises(ReachError, match="no pseudonymisation key"):
        load_key(None)
    short = tmp_path / "short.key"
    short.write_bytes(b"too-short-key\n")
    with pytest.raises(ReachError, match=r"too short \(13 bytes\); at least 32") as error:
        load_key(short)
    assert "too-short-key" not in str(error.value)
    with pytest.raises(ReachError, match="does not exist"):
        load_key(tmp_path / "absent.key")
    monkeypatch.setenv(KEY_ENV, "x" * 31)
    with pytest.raises(ReachError, match=KEY_ENV):
        load_key(None)
    monkeypatch.setenv(KEY_ENV, KEY.decode())
    assert load_key(None) == KEY
    good = tmp_path / "good.key"
    good.write_bytes(OTHER_KEY + b"\n")
    assert load_key(good) == OTHER_KEY  # the file wins over the environment; the newline is not key


def test_cli_never_shows_or_writes_the_key(
    raw: Manifest, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    key_file = tmp_path / "pseudonym.key"
    key_file.write_bytes(KEY)
    home = tmp_path / "home"
    assert main(["--home", str(home), "pseudonymise", str(Path(raw.out) / "2022-08"), str(tmp_path / "out"),
                 "--key-file", str(key_file)]) == 0
    assert main(["--home", str(home), "pseudonymise", str(Path(raw.out) / "2022-08"), str(tmp_path / "o2")]) == 1
    short = tmp_path / "short.key"
    short.write_bytes(KEY[:20])
    assert main(["--home", str(home), "pseudonymise", str(Path(raw.out) / "2022-08"), str(tmp_path / "o3"),
                 "--key-file", str(short)]) == 1
    captured = capsys.readouterr()
    assert "no pseudonymisation key" in captured.err and "too short" in captured.err
    written = [p.read_bytes() for p in [*tmp_path.rglob("*"), *home.rglob("*")] if p.is_file() and p.suffix != ".key"]
    for secret in (KEY, KEY[:20]):
        assert secret.decode() not in captured.out + captured.err
        assert not any(secret in content for content in written)


def test_bad_rows_are_named_and_nothing_is_written(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "klienti.csv").write_bytes(
        "Číslo klienta,Jméno,Příjmení,Datum narození,Státní občanství,Datum registrace\r\n"
        "A1,Olena,Test,31.2.1990,Ukrajina,1.8.2022\r\n"
        ",Ivan,Test,1.1.1980,Ukrajina,1.8.2022\r\n".encode("cp1250")
    )
    with pytest.raises(ReachError) as error:
        pseudonymise_export(source, tmp_path / "out", KEY)
    message = str(error.value)
    assert "klienti.csv row 2 column 'Datum narození'" in message
    assert "klienti.csv row 3 column 'Číslo klienta'" in message
    assert not (tmp_path / "out").exists()


def test_reads_cp1250_comma_files_and_refuses_a_pseudonymised_export(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "Klienti.CSV").write_bytes(
        "ČÍSLO KLIENTA,Jméno,Datum narození,Státní občanství,Datum registrace,Poznámka\r\n"
        '4711,Žofie,1990-05-04,"Ukrajina",1.8.2022,volala\r\n'.encode("cp1250")
    )
    pseudonymise_export(source, tmp_path / "out", KEY)
    result = _csv(tmp_path / "out" / "klienti.csv")
    assert result.row(0, named=True) == {
        "ID klienta": pseudonym(KEY, "4711"), "Rok narození": "1990", "Státní občanství": "Ukrajina",
        "Datum registrace": "1.8.2022",
    }
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "kontakty.csv").write_text("ID kontaktu;ID klienta;Datum;Služba\nK1;abcdef;1.8.2022;tlumočení\n")
    with pytest.raises(ReachError, match="no 'Číslo klienta' column"):
        pseudonymise_export(plain, tmp_path / "out2", KEY)


def test_reads_xlsx_with_date_cells(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    book = xlsxwriter.Workbook(str(source / "klienti.xlsx"))
    sheet = book.add_worksheet()
    day = book.add_format({"num_format": "d.m.yyyy"})
    for col, header in enumerate(["Číslo klienta", "Jméno", "Datum narození", "Státní občanství", "Datum registrace"]):
        sheet.write_string(0, col, header)
    sheet.write_number(1, 0, 4711)
    sheet.write_string(1, 1, "Žofie")
    sheet.write_datetime(1, 2, datetime(1990, 5, 4), day)
    sheet.write_string(1, 3, "Ukrajina")
    sheet.write_datetime(1, 4, datetime(2022, 8, 1), day)
    book.close()
    pseudonymise_export(source, tmp_path / "out", KEY)
    assert _csv(tmp_path / "out" / "klienti.csv").row(0, named=True) == {
        "ID klienta": pseudonym(KEY, "4711"), "Rok narození": "1990", "Státní občanství": "Ukrajina",
        "Datum registrace": "2022-08-01",
    }


def test_a_folder_of_monthly_raw_exports_is_pseudonymised_month_by_month(
    raw: Manifest, converted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_ENV, KEY.decode())
    assert main(["--home", str(tmp_path / "home"), "pseudonymise", raw.out, str(tmp_path / "all")]) == 0
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == [d.name for d in raw.deliveries]
    for delivery in raw.deliveries:
        for spec in contract.FILES:
            name = f"{spec.name}.csv"
            written = (tmp_path / "all" / delivery.name / name).read_bytes()
            assert written == (converted / delivery.name / name).read_bytes()


def test_a_column_given_twice_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "klienti.csv").write_text(
        "Číslo klienta;Státní občanství;STATNI OBCANSTVI;Datum registrace\n1;Ukrajina;Vietnam;1.8.2022\n",
        encoding="utf-8",
    )
    with pytest.raises(ReachError, match=r"klienti\.csv has the column 'Státní občanství' twice"):
        pseudonymise_export(source, tmp_path / "out", KEY)
