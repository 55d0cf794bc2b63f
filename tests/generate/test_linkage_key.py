"""The national linkage key: reach pseudonymise --linkage-key-file, its normalisation, the loader."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from pipelines.errors import ReachError
from pipelines.generate import NationalManifest, generate_national
from pipelines.home import Home
from pipelines.ingest import load_paths
from pipelines.privacy.identifiers import identifier_kind
from pipelines.pseudonymise import load_linkage_key, pseudonymise_tree
from pipelines.pseudonymise.linkage import linkage_key, linkage_message
from reach.cli import main
from support.ingest import CLIENT_HEADER, client, query, write_csv

CENTRE_KEY = b"centre key: 0123456789abcdefghijklmnopqrstuvwxyz"
NATIONAL_KEY = b"national key: ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210"
OTHER_NATIONAL_KEY = b"another national key: qwertyuiopasdfghjklzxcvbnm1234"


def _klienti(folder: Path) -> pl.DataFrame:
    return pl.concat([pl.read_csv(p, separator=";", infer_schema=False) for p in sorted(folder.glob("*/klienti.csv"))])


@pytest.fixture(scope="module")
def raw_national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A national raw export of two centres: some people are clients of both."""
    out = tmp_path_factory.mktemp("raw") / "raw"
    generate_national(out, ["ULK", "LBK"], clients=1200, months=3, raw=True)
    return out


def _pseudonymised(raw: Path, out: Path, centre: str, national: bytes | None) -> pl.DataFrame:
    pseudonymise_tree(raw / centre, out / centre, CENTRE_KEY, national)
    return _klienti(out / centre)


def test_normalisation_ignores_case_diacritics_whitespace_name_order_and_date_and_country_forms() -> None:
    day = date(1984, 10, 31)
    expected = linkage_message("Tetiana", "Kovalenko", day, "UA")
    assert expected == "reach-linkage-v1|kovalenko tetiana|1984-10-31|UA"
    for given, surname, nationality in (
        ("TETIANA", "kovalenko", "Ukrajina"), ("  Tetiana ", "Kovalenko  ", "UKR"),
        ("Kovalenko", "Tetiana", "ukrajina"), ("Tetiána", "Kovalénko", "UA"),
    ):
        assert linkage_message(given, surname, day, nationality) == expected
    assert linkage_message("Nguyen Van", "Minh", day, "VN") == linkage_message("Minh", "Nguyen  Van", day, "Vietnam")
    assert linkage_message("Łukasz", "Dvořák-Nowak", day, "PL") == "reach-linkage-v1|dvorak lukasz nowak|1984-10-31|PL"
    assert linkage_message("Tetiana", "", None, "UA") is None  # no birth date: no key
    assert linkage_message("", None, day, "UA") is None
    assert linkage_message("Tetiana", "Kovalenko", day, "Atlantida") is None
    key = linkage_key(NATIONAL_KEY, "Tetiana", "Kovalenko", day, "UA")
    assert key == hmac.new(NATIONAL_KEY, expected.encode(), hashlib.sha256).hexdigest()
    assert key != linkage_key(OTHER_NATIONAL_KEY, "Tetiana", "Kovalenko", day, "UA")


def test_without_linkage_key_the_output_has_no_linkage_column(raw_national: Path, tmp_path: Path) -> None:
    clients = _pseudonymised(raw_national, tmp_path, "ULK", None)
    assert "Národní klíč" not in clients.columns


def test_same_person_in_two_centres_has_the_same_linkage_key_and_different_client_ids(
    raw_national: Path, tmp_path: Path,
) -> None:
    ulk = _pseudonymised(raw_national, tmp_path / "a", "ULK", NATIONAL_KEY)
    lbk = _pseudonymised(raw_national, tmp_path / "a", "LBK", NATIONAL_KEY)
    assert ulk["Národní klíč"].null_count() == 0 and lbk["Národní klíč"].null_count() == 0
    assert ulk["Národní klíč"].str.contains(r"^[0-9a-f]{64}$").all()
    both = ulk.unique("ID klienta").join(lbk.unique("ID klienta"), on="Národní klíč", suffix="_lbk")
    manifest = NationalManifest.read(raw_national)
    assert both.height == manifest.shared_people > 0
    assert (both["ID klienta"] != both["ID klienta_lbk"]).all()
    # the keys are those of the raw identities: recomputed by hand from one raw row
    raw = _klienti(raw_national / "ULK").row(0, named=True)
    day = date(*reversed([int(x) for x in raw["Datum narození"].split(".")]))
    expected = linkage_key(NATIONAL_KEY, raw["Jméno"], raw["Příjmení"], day, raw["Státní občanství"])
    assert expected in set(ulk["Národní klíč"])
    # another national key: unrelated keys
    other = _pseudonymised(raw_national, tmp_path / "b", "ULK", OTHER_NATIONAL_KEY)
    assert not set(other["Národní klíč"]) & set(ulk["Národní klíč"])


def test_the_national_key_must_not_be_the_centres_key(raw_national: Path, tmp_path: Path) -> None:
    with pytest.raises(ReachError, match="same as the centre's pseudonymisation key"):
        load_linkage_key(None, CENTRE_KEY, {"REACH_LINKAGE_KEY": CENTRE_KEY.decode()})
    assert load_linkage_key(None, CENTRE_KEY, {}) is None
    centre_file, national_file = tmp_path / "c.key", tmp_path / "n.key"
    centre_file.write_bytes(CENTRE_KEY + b"\n")
    national_file.write_bytes(CENTRE_KEY)
    status = main(["--home", str(tmp_path / "home"), "pseudonymise", str(raw_national / "ULK"), str(tmp_path / "out"),
                   "--key-file", str(centre_file), "--linkage-key-file", str(national_file)])
    assert status != 0 and not (tmp_path / "out").exists()
    national_file.write_bytes(b"short")
    assert main(["--home", str(tmp_path / "home"), "pseudonymise", str(raw_national / "ULK"), str(tmp_path / "out"),
                 "--key-file", str(centre_file), "--linkage-key-file", str(national_file)]) != 0
    national_file.write_bytes(NATIONAL_KEY)
    assert main(["--home", str(tmp_path / "home"), "pseudonymise", str(raw_national / "ULK"), str(tmp_path / "out"),
                 "--key-file", str(centre_file), "--linkage-key-file", str(national_file)]) == 0
    assert _klienti(tmp_path / "out")["Národní klíč"].null_count() == 0


def test_the_loader_stores_linkage_keys_and_empties_a_malformed_one_with_a_warning(tmp_path: Path) -> None:
    good = secrets.token_hex(32)
    header = [*CLIENT_HEADER[:-1], "Národní klíč", "Smazáno"]
    write_csv(tmp_path / "d1", "klienti.csv", header, [
        client("CLI0001", **{"Národní klíč": good.upper()}),
        client("CLI0002", **{"Národní klíč": "abc123"}),
        client("CLI0003"),
    ])
    home = Home(tmp_path / "home")
    [report] = load_paths(home, [tmp_path / "d1"])
    assert report.rows_quarantined == 0
    stored = dict(query(home, "SELECT client_id, linkage_key FROM raw.clients ORDER BY client_id"))
    assert stored == {"CLI0001": good, "CLI0002": None, "CLI0003": None}
    warnings = query(home, "SELECT file_name, source_row, column_name, kind FROM meta.load_warnings")
    assert warnings == [("klienti.csv", 3, "Národní klíč", "invalid_linkage_key")]


def test_a_file_without_the_column_still_loads(tmp_path: Path) -> None:
    write_csv(tmp_path / "d1", "klienti.csv", CLIENT_HEADER, [client("CLI0001")])
    home = Home(tmp_path / "home")
    load_paths(home, [tmp_path / "d1"])
    assert query(home, "SELECT linkage_key FROM raw.clients") == [(None,)]


def test_the_identifier_detector_does_not_take_linkage_keys_for_identifiers() -> None:
    assert not [k for k in (secrets.token_hex(32) for _ in range(2000)) if identifier_kind(k)]
