"""Direct identifiers are never published: a hostile delivery through the real pipeline, and the detector.

End to end: a generated sample is loaded, then one delivery whose free text, extra columns,
quarantined rows, reported values and file names hold made-up names (Latin, upper case,
Cyrillic, with honorifics), phone numbers, birth numbers, passport numbers and e-mails. It is
loaded and built by the real loader, dbt and gate; every VARCHAR column of every table of the
published warehouse (and of the raw layer) is then searched for each planted identifier.

Unit: the detector (pipelines/privacy/identifiers.py) finds each class, leaves invalid birth
numbers, the generator's and the pseudonymiser's IDs and the reference vocabulary alone.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import plotly
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.pages.quality import QUARANTINE_COLUMNS, _quarantine
from expectations.engine import Engine, Target
from expectations.spec import SUITES_DIR, load_suite
from pipelines import contract
from pipelines.generate import distributions, generate_sample
from pipelines.generate.clients import CLIENT_ID_LENGTH, random_ids
from pipelines.generate.sampling import numbered
from pipelines.home import Home
from pipelines.ingest import load_paths
from pipelines.ingest.raw_schema import connect_raw_layer
from pipelines.privacy import names
from pipelines.privacy.free_text import FREE_TEXT, WITHHELD, WITHHELD_KIND, Handling, handling
from pipelines.privacy.identifiers import (
    BIRTH_NUMBER,
    DOCUMENT,
    EMAIL,
    NAME,
    PHONE,
    find_identifiers,
    identifier_kind,
    is_birth_number,
    mask,
    redact,
)
from pipelines.pseudonymise.keys import pseudonym
from pipelines.reference.centres import centre
from reach.build import build_warehouse
from reach.commands.demo import deliveries_in
from support.ingest import CLIENT_HEADER, CONTACT_HEADER, client, contact, write_csv

REPO = Path(__file__).resolve().parents[2]
EXTRA = "Poznámka"  # an extra column the contract does not know: ignored, never stored
EXTRA_HEADER_WITH_NAME = "Olga Petrenko"  # an extra column whose header itself is a name
COURSE_HEADER = ["ID kurzu", "Typ kurzu", "Začátek", "Konec", "Pracoviště", "Počet hodin", "Smazáno"]
IGNORED_FILE = "Marta Kučerová - OP 204123456.txt"


@dataclass(frozen=True)
class Case:
    """One identifier planted in the hostile delivery, and what the warehouse must do with it."""

    id: str
    file: str
    row: int | None  # row as a spreadsheet shows it (None: the file or a header)
    column: str | None  # header as delivered
    planted: str
    needles: tuple[str, ...]  # fragments of the identifier that must appear in no table
    outcome: str  # dropped | withheld | ignored | quarantined | masked


CASES = (
    Case("municipality-name", "klienti.csv", 2, "Obec bydliště", "Olena Kovalenko", ("kovalenko",), "dropped"),
    Case("municipality-upper-name-phone", "klienti.csv", 3, "Obec bydliště", "JAN DVOŘÁK, tel. 777 123 456",
         ("dvořák", "777 123 456"), "dropped"),
    Case("municipality-cyrillic", "klienti.csv", 4, "Obec bydliště", "Олена Бондаренко", ("бондаренко",), "dropped"),
    Case("municipality-honorific", "klienti.csv", 5, "Obec bydliště", "paní Procházková", ("procházková",),
         "dropped"),
    Case("extra-column-name-passport", "klienti.csv", 6, EXTRA, "Taras Melnyk, pas EK123456",
         ("melnyk", "ek123456"), "ignored"),
    Case("extra-header-name", "klienti.csv", None, EXTRA_HEADER_WITH_NAME, EXTRA_HEADER_WITH_NAME,
         ("petrenko",), "ignored"),
    Case("quarantined-row-rc-and-ua-passport", "klienti.csv", 7, "Obec bydliště", "RČ 8503151234",
         ("8503151234", "кв123456"), "quarantined"),
    Case("quarantined-value-email", "klienti.csv", 8, "Datum registrace", "jana.kralova@example.cz",
         ("kralova@example",), "quarantined"),
    Case("unknown-value-name", "klienti.csv", 9, "Státní občanství", "Iryna Shevchuk", ("shevchuk",), "masked"),
    Case("branch-phone", "kontakty.csv", 2, "Pracoviště", "tel: 777123456", ("777123456",), "withheld"),
    Case("branch-honorific", "kontakty.csv", 3, "Pracoviště", "Teplice – paní Horáková", ("horáková",), "withheld"),
    Case("branch-ua-phone", "kontakty.csv", 4, "Pracoviště", "+380 67 123 45 67", ("123 45 67",), "withheld"),
    Case("branch-upper-name", "kontakty.csv", 5, "Pracoviště", "OLENA TKACHENKO", ("tkachenko",), "withheld"),
    Case("branch-cyrillic-upper", "kontakty.csv", 6, "Pracoviště", "Ústí – ОЛЕНА КРАВЧЕНКО", ("кравченко",),
         "withheld"),
    Case("branch-passport", "kontakty.csv", 7, "Pracoviště", "pas č. 12345678", ("12345678",), "withheld"),
    Case("branch-birth-number", "kontakty.csv", 8, "Pracoviště", "Most 855215/1234", ("855215",), "withheld"),
    Case("branch-email", "kontakty.csv", 9, "Pracoviště", "jana.novotna@seznam.cz", ("novotna@",), "withheld"),
    Case("branch-sk-phone", "kontakty.csv", 10, "Pracoviště", "+421 905 123 456", ("905 123 456",), "withheld"),
    Case("branch-vietnamese", "kontakty.csv", 11, "Pracoviště", "Nguyễn Văn Hùng", ("nguyễn",), "withheld"),
    Case("branch-russian-latin", "kontakty.csv", 12, "Pracoviště", "Sergei Volkov", ("volkov",), "withheld"),
    Case("quarantined-contact-branch", "kontakty.csv", 13, "Pracoviště", "Mgr. Petr Svoboda 602 123 456",
         ("svoboda", "602 123 456"), "quarantined"),
    Case("course-branch-russian", "kurzy.csv", 2, "Pracoviště", "Сергей Соколов, +7 912 345 67 89",
         ("соколов", "912 345 67 89"), "withheld"),
    Case("ignored-file-name", IGNORED_FILE, None, None, IGNORED_FILE, ("kučerová", "204123456"), "ignored"),
)
CASE_IDS = [c.id for c in CASES]
WITHHELD_CASES = [c for c in CASES if c.outcome == "withheld"]
KEPT_BRANCHES = ("Ústí nad Labem – pobočka Teplice", "Kontaktní místo Most")


def _cell(case_id: str) -> str:
    return next(c.planted for c in CASES if c.id == case_id)


def _write_hostile_delivery(folder: Path) -> None:
    """The hostile delivery: clients (rows 2-9), contacts (rows 2-14), one course, an unrelated file."""
    def registered(client_id: str, **cells: str) -> dict[str, str]:
        return client(client_id, **{"Datum registrace": "1.9.2022", **cells})

    clients = [
        registered("HOST0001", **{"Obec bydliště": _cell("municipality-name")}),
        registered("HOST0002", **{"Obec bydliště": _cell("municipality-upper-name-phone")}),
        registered("HOST0003", **{"Obec bydliště": _cell("municipality-cyrillic")}),
        registered("HOST0004", **{"Obec bydliště": _cell("municipality-honorific")}),
        registered("HOST0005", **{EXTRA: _cell("extra-column-name-passport")}),
        # quarantined (31 February); its municipality and extra column hold identifiers
        registered("HOST0006", **{"Datum registrace": "31.2.2023", EXTRA: "Pas: КВ123456",
                                  "Obec bydliště": _cell("quarantined-row-rc-and-ua-passport")}),
        registered("HOST0007", **{"Datum registrace": _cell("quarantined-value-email")}),
        registered("HOST0008", **{"Státní občanství": _cell("unknown-value-name")}),
    ]
    write_csv(folder, "klienti.csv", [*CLIENT_HEADER, EXTRA, EXTRA_HEADER_WITH_NAME], clients)

    branches = [c.planted for c in CASES if c.file == "kontakty.csv" and c.outcome == "withheld"]
    contacts = [contact(f"HK{i:02d}", "HOST0001", Datum="15.9.2022", **{"Pracoviště": b})
                for i, b in enumerate(branches, start=1)]
    contacts.append(contact("HK90", "HOST0002", Datum="15.9.2022", **{
        "Pracoviště": _cell("quarantined-contact-branch"), "Délka (min)": "-5"}))  # quarantined: duration
    contacts += [contact(f"HK9{i}", "HOST0003", Datum="16.9.2022", **{"Pracoviště": b})
                 for i, b in enumerate(KEPT_BRANCHES, start=1)]
    assert [c["Pracoviště"] for c in contacts[:12]] == [c.planted for c in CASES if c.file == "kontakty.csv"]
    write_csv(folder, "kontakty.csv", CONTACT_HEADER, contacts)

    course = {"ID kurzu": "HKU1", "Typ kurzu": "čeština A1", "Začátek": "1.9.2022", "Konec": "30.9.2022",
              "Pracoviště": _cell("course-branch-russian"), "Počet hodin": "40", "Smazáno": "ne"}
    write_csv(folder, "kurzy.csv", COURSE_HEADER, [course])
    (folder / IGNORED_FILE).write_text("doklady klienta\n", encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Home, list]:
    """A home with a generated sample and the hostile delivery loaded, built and published."""
    root = tmp_path_factory.mktemp("identifiers")
    generate_sample(root / "sample", clients=60, months=3, start=date(2022, 8, 1), seed=11, messy=False)
    home = Home(root / "home").ensure()
    load_paths(home, [Path(p) for p in deliveries_in(root / "sample")], centre="ULK")
    _write_hostile_delivery(root / "hostile")
    reports = load_paths(home, [root / "hostile"], centre="ULK")
    build_warehouse(home)
    return home, reports


def _text_columns(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    return con.execute(
        "SELECT table_schema, table_name, column_name FROM information_schema.columns "
        "WHERE table_catalog = current_database() AND data_type LIKE 'VARCHAR%' ORDER BY ALL"
    ).fetchall()


def _holding(con: duckdb.DuckDBPyConnection, needle: str) -> list[str]:
    """schema.table.column of every text column (lists of text too) with a value containing `needle`."""
    hits = []
    for schema, table, column in _text_columns(con):
        [(found,)] = con.execute(
            f'SELECT count(*) FROM "{schema}"."{table}" WHERE contains(lower(CAST("{column}" AS VARCHAR)), ?)',
            [needle.lower()],
        ).fetchall()
        if found:
            hits.append(f"{schema}.{table}.{column}")
    return hits


def _published(home: Home, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(home.warehouse_db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


# --- end to end --------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_no_published_table_holds_the_identifier(hostile: tuple[Home, list], case: Case) -> None:
    home, _ = hostile
    assert find_identifiers(case.planted), f"{case.id}: the detector does not see the planted text"
    with duckdb.connect(str(home.warehouse_db), read_only=True) as con:
        for needle in case.needles:
            assert _holding(con, needle) == [], f"{case.id}: '{needle}' is published"


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_the_raw_layer_does_not_store_the_identifier_either(hostile: tuple[Home, list], case: Case) -> None:
    home, _ = hostile
    with connect_raw_layer(str(home.raw_db), read_only=True) as con:
        for needle in case.needles:
            assert _holding(con, needle) == [], f"{case.id}: '{needle}' is stored in the raw layer"


@pytest.mark.slow
def test_the_build_publishes_and_its_gate_finds_nothing(hostile: tuple[Home, list]) -> None:
    home, reports = hostile
    [(passed, errors)] = _published(home, "SELECT passed, errors_failed FROM quality_runs")
    assert (passed, errors) == (True, 0)
    [(success, count)] = _published(home, "SELECT success, unexpected_count FROM quality_results "
                                          "WHERE suite = 'mart_identifiers'")
    assert (success, count) == (True, 0)
    # read = loaded + quarantined, file by file, and the unrelated file is listed as ignored
    files = {f.file_name: f for f in reports[0].files}
    assert {n: (f.status, f.rows_read, f.rows_loaded, f.rows_quarantined) for n, f in files.items()
            if f.file_kind} == {"klienti.csv": ("loaded", 8, 6, 2), "kontakty.csv": ("loaded", 14, 13, 1),
                                "kurzy.csv": ("loaded", 1, 1, 0)}
    assert [f.status for f in reports[0].files if f.file_kind is None] == ["ignored"]


@pytest.mark.slow
@pytest.mark.parametrize("case", WITHHELD_CASES, ids=[c.id for c in WITHHELD_CASES])
def test_a_withheld_value_is_warned_by_file_row_and_column(hostile: tuple[Home, list], case: Case) -> None:
    home, _ = hostile
    warnings = _published(home, "SELECT column_name, value, kind, message FROM mart_load_warnings "
                                "WHERE file_name = ? AND source_row = ?", [case.file, case.row])
    assert len(warnings) == 1, warnings
    [(column, value, kind, message)] = warnings
    expected_kind = identifier_kind(case.planted)
    assert (column, kind) == (case.column, WITHHELD_KIND)
    assert message == f"'{case.column}' looks like {expected_kind}; loaded as {WITHHELD} (the value is not stored)"
    assert value == mask(case.planted)


@pytest.mark.slow
def test_withheld_branches_count_under_unknown_and_ordinary_ones_stay(hostile: tuple[Home, list]) -> None:
    home, _ = hostile
    branches = dict(_published(home, "SELECT contact_id, branch FROM fct_contacts WHERE contact_id LIKE 'HK%'"))
    withheld = [f"HK{i:02d}" for i in range(1, 12)]
    assert {branches[k] for k in withheld} == {WITHHELD}
    assert (branches["HK91"], branches["HK92"]) == KEPT_BRANCHES
    assert _published(home, "SELECT branch FROM intermediate.int_courses WHERE course_id = 'HKU1'") == [(WITHHELD,)]


@pytest.mark.slow
def test_the_quarantine_mart_names_file_row_column_reason_and_masks_identifiers(
        hostile: tuple[Home, list]) -> None:
    home, _ = hostile
    columns = [c for (c,) in _published(home, "SELECT column_name FROM information_schema.columns "
                                              "WHERE table_name = 'mart_quarantine' ORDER BY ordinal_position")]
    assert "record" not in columns
    # the generated sample is clean: every quarantined row is the hostile delivery's
    rows = _published(home, "SELECT file_name, source_row, column_name, value, reason FROM mart_quarantine "
                            "WHERE kind = 'quarantine' ORDER BY file_name, source_row")
    assert rows == [
        # a value without an identifier is shown, so the steward can fix it
        ("klienti.csv", 7, "Datum registrace", "31.2.2023", "not a date (d.m.yyyy or yyyy-mm-dd)"),
        ("klienti.csv", 8, "Datum registrace", mask(_cell("quarantined-value-email")),
         "not a date (d.m.yyyy or yyyy-mm-dd)"),
        ("kontakty.csv", 13, "Délka (min)", "-5", "out of range (1 to 600)"),
    ]


@pytest.mark.slow
def test_the_stored_record_keeps_contract_columns_only_and_masks_identifiers(hostile: tuple[Home, list]) -> None:
    home, _ = hostile
    with connect_raw_layer(str(home.raw_db), read_only=True) as con:
        records = dict(con.execute("SELECT file_name || ':' || source_row, record FROM meta.quarantine").fetchall())
    client_row = json.loads(records["klienti.csv:7"])
    assert EXTRA not in client_row and EXTRA_HEADER_WITH_NAME not in client_row  # extra columns: never stored
    assert "Obec bydliště" not in client_row  # a dropped column is not kept in quarantine either
    assert client_row["ID klienta"] == "HOST0006" and client_row["Datum registrace"] == "31.2.2023"
    contact_row = json.loads(records["kontakty.csv:13"])
    assert contact_row["Pracoviště"] == mask(_cell("quarantined-contact-branch"))
    assert contact_row["Délka (min)"] == "-5"


@pytest.mark.slow
def test_reported_values_and_headers_are_masked(hostile: tuple[Home, list]) -> None:
    home, _ = hostile
    [(column, value, message)] = _published(
        home, "SELECT column_name, value, message FROM mart_load_warnings WHERE kind = 'unknown_value' "
              "AND file_name = 'klienti.csv' AND source_row = 9")
    planted = _cell("unknown-value-name")
    assert (column, value) == ("Státní občanství", mask(planted))
    assert message == f"'{mask(planted)}' is not a recognised country; loaded as unknown"
    headers = [c for (c,) in _published(home, "SELECT column_name FROM mart_load_warnings "
                                              "WHERE kind = 'unknown_column' AND file_name = 'klienti.csv' "
                                              "ORDER BY column_name")]
    assert headers == sorted([EXTRA, mask(EXTRA_HEADER_WITH_NAME)])
    assert [n for (n,) in _published(home, "SELECT file_name FROM mart_load_files WHERE status = 'ignored'")] == [
        redact(IGNORED_FILE)]


# --- the detector --------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "kind"), [
    ("Olena Kovalenko", NAME), ("OLENA KOVALENKO", NAME), ("olena kovalenko", NAME), ("Novák, Jan", NAME),
    ("NOVÁK JAN", NAME), ("Jiri Novak", NAME), ("Jan NOVÁK", NAME), ("paní Nováková", NAME),
    ("Pan Dvořák", NAME), ("slečna Malá", NAME), ("Mrs Smith", NAME), ("Mgr. Novák", NAME),
    ("Олена Коваленко", NAME), ("ОЛЕНА КОВАЛЕНКО", NAME), ("пані Коваленко", NAME), ("Сергей Иванов", NAME),
    ("Марек Новак", NAME),  # Марек is listed only in Latin (Marek): matched by transliteration
    ("Nguyễn Văn Hùng", NAME), ("NGUYEN VAN HUNG", NAME), ("Taras Shevchenko", NAME),
    ("8552151234", BIRTH_NUMBER), ("855215/1234", BIRTH_NUMBER), ("RČ 8503151234", BIRTH_NUMBER),
    ("rč: 850315/1234", BIRTH_NUMBER), ("530315123", BIRTH_NUMBER), ("0452150006", BIRTH_NUMBER),
    ("7801040050", BIRTH_NUMBER),
    ("EK123456", DOCUMENT), ("КВ123456", DOCUMENT), ("C1234567", DOCUMENT), ("pas č. 12345678", DOCUMENT),
    ("OP 204123456", DOCUMENT), ("passport: 40123456", DOCUMENT), ("204123456", PHONE),
    ("123456789", DOCUMENT),  # nine digits starting with 1: a Czech identity card
    ("+420 777 123 456", PHONE), ("+420777123456", PHONE), ("00420 777 123 456", PHONE),
    ("777 123 456", PHONE), ("777123456", PHONE), ("tel: 777123456", PHONE), ("tel. 60 21 23", PHONE),
    ("+380 67 123 45 67", PHONE), ("067 123 45 67", PHONE), ("+421 905 123 456", PHONE),
    ("0905 123 456", PHONE), ("420777123456", PHONE), ("+44 20 7946 0958", PHONE), ("+1 (555) 123-4567", PHONE),
    ("jan.novak@example.cz", EMAIL), ("JAN.NOVAK@EXAMPLE.CZ", EMAIL), ("jan.novak(at)seznam.cz", EMAIL),
])
def test_each_kind_of_identifier_is_found(text: str, kind: str) -> None:
    assert identifier_kind(text) == kind
    assert identifier_kind(f"Teplice, {text}, pobočka") == kind  # inside other text too


def test_birth_number_checksum_and_calendar() -> None:
    assert is_birth_number("8552151234") and is_birth_number("8503150007")  # divisible by 11
    assert is_birth_number("7801040050") and 7801040050 % 11 == 1  # 780104005 % 11 == 10: check digit 0
    assert is_birth_number("0452150006") and is_birth_number("0472150008")  # women; +70 since 2004
    assert is_birth_number("530315123")  # nine digits, before 1954: no checksum
    assert not is_birth_number("9922150007")  # divisible by 11, but month +20 only since 2004
    assert not is_birth_number("8502300004")  # 30 February
    assert not is_birth_number("8513150008")  # month 13
    assert not is_birth_number("540315123")  # nine digits after 1953


@pytest.mark.parametrize("text", ["8503151234", "850315/1235", "8552151235", "Most 8552151230"])
def test_a_birth_number_with_a_wrong_checksum_is_not_flagged(text: str) -> None:
    assert identifier_kind(text) is None


def test_the_generators_pseudonyms_and_record_ids_are_not_flagged() -> None:
    ids = random_ids(np.random.default_rng(20260101), 20_000).tolist()
    keys = [pseudonym(b"k" * 32 + bytes([i % 251]), f"C{i:06d}") for i in range(3_000)]
    # record IDs as the generator numbers them (activities.py), far beyond a national sample's counts
    records = [*numbered("KT", 2_000_000, 8)[::97], *numbered("KU", 99_999, 5)[::3], *numbered("AK", 99_999, 6),
               *numbered("VY", 999_999, 7)[::11]]
    flagged = [v for v in ["4VeOp7414981lmX4", *ids, *keys, *records] if identifier_kind(v)]
    assert flagged == []
    # and in the texts the loader writes about them
    assert identifier_kind("the key 'KT00012345' already appears at row 7 of this file; the later row wins") is None
    assert identifier_kind("client '4VeOp7414981lmX4' has not been delivered by centre ULK") is None


_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


@settings(max_examples=3_000, deadline=None)
@given(st.text(alphabet=_ID_ALPHABET, min_size=CLIENT_ID_LENGTH, max_size=CLIENT_ID_LENGTH))
def test_no_pseudonym_of_the_generators_shape_is_flagged(client_id: str) -> None:
    assert identifier_kind(client_id) is None


def _seed_texts() -> list[str]:
    texts = []
    for path in sorted((REPO / "seeds").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                texts += [v for v in row.values() if v and not v.replace(".", "").isdigit()]
    return texts


def _vocabulary() -> list[str]:
    """Labels, places and branch names the warehouse legitimately holds."""
    value_lists = [contract.SEX, contract.RESIDENCE_STATUS, contract.TARGET_GROUP, contract.SERVICE,
                   contract.TOPIC, contract.MODE, contract.COURSE_TYPE, contract.CEFR, contract.EXAM,
                   contract.EVENT_TYPE, contract.AUDIENCE, contract.OUTCOME]
    labels = [label for values in value_lists for label in values]
    headers = [c.header for f in contract.FILES for c in f.columns]
    places = [*distributions.DISTRICT_SEAT.values(), *distributions.BRANCH.codes,
              *(d.name for d in centre(contract.DEFAULT_CENTRE).districts())]
    ustecky_kraj = ["Dolní Poustevna", "Jiříkov", "Krásná Lípa", "Mikulášovice", "Rumburk", "Šluknov", "Varnsdorf",
                    "Velký Šenov", "Benešov nad Ploučnicí", "Česká Kamenice", "Horní Jiřetín", "Litvínov",
                    "Meziboří", "Klášterec nad Ohří", "Kadaň", "Jirkov", "Vejprty", "Bílina", "Dubí", "Krupka",
                    "Roudnice nad Labem", "Lovosice", "Štětí", "Žatec", "Podbořany", "Postoloprty",
                    "Svatý Jan pod Skalou", "Mariánské Lázně", "Karlovy Vary", "Jindřichův Hradec",
                    "Havlíčkův Brod", "Frýdek-Místek", "Mladá Boleslav", "Nový Jičín", "Janov", "Petrovice",
                    "Adamov", "Josefův Důl", "Janské Lázně"]
    branches = ["Ústí nad Labem – pobočka Teplice", "Kontaktní místo Most", "Pobočka Děčín", "Čeština A1",
                "Čeština A1 – Teplice", "Sociokulturní orientace", "Integrační centrum Ústí", "KC Chomutov",
                "Zkouška z ČJ složena", "Občan Ukrajiny", "pre-A1", "2022-08-01", "5.1.2023", "CZ0427"]
    return labels + headers + places + ustecky_kraj + branches


def test_reference_data_and_the_vocabulary_are_not_flagged() -> None:
    texts = _seed_texts() + _vocabulary()
    assert len(texts) > 1_000
    assert [t for t in texts if identifier_kind(t)] == []


def test_masking_and_redaction_never_copy_the_identifier() -> None:
    assert mask("Olena Kovalenko") == "Ol…(15 chars)"
    assert redact("Teplice, tel: 777123456, paní Nováková") == "Teplice, tel: 77…(9 chars), pa…(13 chars)"
    assert redact("Ústí nad Labem – pobočka Teplice") == "Ústí nad Labem – pobočka Teplice"
    assert identifier_kind(mask("Olena Kovalenko")) is None and identifier_kind(redact("+420 777 123 456")) is None


def test_the_name_lists_hold_both_scripts() -> None:
    listed = names.listed_names()
    assert {"olena", "олена", "oksana", "оксана", "jiří", "nguyễn", "сергей"} <= listed
    assert names.is_listed_name("Jiri") and names.is_listed_name("JIŘÍ") and names.is_listed_name("Тарас")
    assert not names.is_listed_name("daná")  # "dana" without diacritics is a name; "daná" is a word


def test_every_free_text_column_of_the_contract_has_a_handling() -> None:
    text_columns = {(f.name, c.name) for f in contract.FILES for c in f.columns if c.type is contract.ColumnType.TEXT}
    assert text_columns == set(FREE_TEXT)
    assert handling(contract.CLIENTS, contract.CLIENTS.column("municipality")) is Handling.DROP
    assert handling(contract.CONTACTS, contract.CONTACTS.column("branch")) is Handling.SCREEN


def _gate(tables: dict[str, dict[str, list[str]]]) -> list[str]:
    """The gate's identifier scan over in-memory tables {"schema.table": {column: values}}."""
    con = duckdb.connect()
    for name, columns in tables.items():
        schema, table = name.split(".")
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        con.execute(f"CREATE TABLE {schema}.{table} ({', '.join(f'{c} VARCHAR' for c in columns)})")
        rows = list(zip(*columns.values(), strict=True))
        con.executemany(f"INSERT INTO {schema}.{table} VALUES ({', '.join('?' for _ in columns)})", rows)
    engine = Engine(con, Target(raw="memory.main", meta="memory.main", mart_catalog="memory"))
    (outcome,) = engine.validate(load_suite(SUITES_DIR / "mart_identifiers.yml"))
    assert outcome.exception is None, outcome.exception
    return outcome.failing_sample


def test_the_gate_scan_uses_the_detector_across_schemas_and_skips_listed_key_columns() -> None:
    found = _gate({
        "main.mart_quarantine": {"value": ["4VeOp7414981lmX4", "RČ 8503151234", "31.2.2023"]},
        "staging.stg_contacts": {"branch": ["Teplice", "paní Nováková"], "contact_id": ["777123456", "K1"]},
        "main.fct_contacts": {"branch": ["OLENA KOVALENKO", "Most"], "client_key": ["ULK:EK123456", "ULK:x"]},
    })
    assert sorted(found) == [
        "fct_contacts.branch looks like a personal name (value masked: OL…(15 chars))",
        "mart_quarantine.value looks like a birth number (value masked: RČ…(13 chars))",
        "staging.stg_contacts.branch looks like a personal name (value masked: pa…(13 chars))",
    ]


def test_the_quality_page_shows_where_a_row_is_and_why_never_its_content() -> None:
    frame = pl.DataFrame({
        "kind": ["quarantine"], "file_name": ["klienti.csv"], "source_row": [7], "column_name": ["Datum registrace"],
        "value": ["Ol…(15 chars)"], "reason": ["not a date (d.m.yyyy or yyyy-mm-dd)"],
        "record": ['{"Obec bydliště": "Olena Kovalenko"}'],
    })
    page = json.dumps(_quarantine(frame, "en"), cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)
    assert QUARANTINE_COLUMNS == ("kind", "file_name", "source_row", "column_name", "reason")
    assert "klienti.csv" in page and "Datum registrace" in page and "not a date" in page
    assert "Kovalenko" not in page and "Ol…" not in page


# --- client IDs that are birth numbers ---------------------------------------------------------

BIRTH_NUMBER_ID = "7851010002"  # ten digits, a valid date (1 Jan 1978, a woman) and checksum


def test_a_client_id_that_is_a_birth_number_is_quarantined_wherever_it_appears(tmp_path: Path) -> None:
    """The export must carry pseudonyms: a birth number as client ID never reaches the raw tables."""
    assert is_birth_number(BIRTH_NUMBER_ID)
    folder = tmp_path / "delivery"
    write_csv(folder, "klienti.csv", CLIENT_HEADER,
              [client("HOST0101"), client(BIRTH_NUMBER_ID), client("7851010003")])  # the last fails the checksum
    write_csv(folder, "kontakty.csv", CONTACT_HEADER,
              [contact("HB01", BIRTH_NUMBER_ID), contact("HB02", "HOST0101")])
    home = Home(tmp_path / "home").ensure()
    [report] = load_paths(home, [folder], centre="ULK")
    files = {f.file_name: (f.rows_read, f.rows_loaded, f.rows_quarantined) for f in report.files}
    assert files == {"klienti.csv": (3, 2, 1), "kontakty.csv": (2, 1, 1)}
    with connect_raw_layer(str(home.raw_db), read_only=True) as con:
        quarantined = con.execute(
            "SELECT file_name, source_row, column_name, reason FROM meta.quarantine ORDER BY file_name").fetchall()
        assert _holding(con, BIRTH_NUMBER_ID) == []
    reason = "the client ID is a Czech birth number, not a pseudonym (pseudonymise the export with reach pseudonymise)"
    assert quarantined == [("klienti.csv", 3, "ID klienta", reason), ("kontakty.csv", 2, "ID klienta", reason)]
