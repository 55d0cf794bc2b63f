"""The perturbation secret: created once, stable, private, never quoted; record keys in DuckDB equal
the Python reference."""

from __future__ import annotations

import hashlib
import hmac
import stat

import duckdb
import pytest

from pipelines.disclosure.secret import (
    fingerprint,
    hmac_parameters,
    read_secret,
    record_key,
    record_key_sql,
    replace_secret,
    secret_for_build,
)
from pipelines.errors import ReachError
from pipelines.home import Home

RANGE = 4096


def test_first_build_creates_a_private_secret_and_later_builds_reuse_it(tmp_path) -> None:
    home = Home(tmp_path / "home").ensure()
    assert read_secret(home) is None
    first = secret_for_build(home, None)
    assert len(first) == 32
    assert stat.S_IMODE(home.perturbation_secret.stat().st_mode) == 0o600
    assert stat.S_IMODE(home.perturbation_secret.parent.stat().st_mode) == 0o700
    assert not home.perturbation_secret.is_relative_to(home.warehouse_db.parent / "builds")
    assert secret_for_build(home, fingerprint(first)) == first
    assert secret_for_build(home, None) == first


def test_a_lost_secret_is_a_clear_error_that_names_the_way_out_and_quotes_nothing(tmp_path) -> None:
    home = Home(tmp_path / "home").ensure()
    secret = secret_for_build(home, None)
    recorded = fingerprint(secret)
    home.perturbation_secret.unlink()
    with pytest.raises(ReachError) as error:
        secret_for_build(home, recorded)
    assert "missing" in str(error.value) and "--new-perturbation-secret" in str(error.value)
    assert secret.hex() not in str(error.value) and recorded not in str(error.value)
    assert read_secret(home) is None  # nothing was silently created in its place


def test_a_replaced_secret_is_refused_until_started_again_deliberately(tmp_path) -> None:
    home = Home(tmp_path / "home").ensure()
    old = secret_for_build(home, None)
    new = replace_secret(home)
    assert new != old and home.perturbation_secret.with_suffix(".key.replaced").exists()
    with pytest.raises(ReachError, match="not the one"):
        secret_for_build(home, fingerprint(old))
    assert secret_for_build(home, fingerprint(new)) == new


def test_a_damaged_secret_is_an_error_without_its_bytes(tmp_path) -> None:
    home = Home(tmp_path / "home").ensure()
    home.perturbation_secret.parent.mkdir(parents=True)
    home.perturbation_secret.write_text("not-hex-at-all-5ecret")
    with pytest.raises(ReachError, match="damaged") as error:
        read_secret(home)
    assert "5ecret" not in str(error.value)


def test_record_keys_in_duckdb_equal_hmac_sha256_in_python() -> None:
    secret = bytes(range(32))
    keys = ["ULK:AB12CD34", "LBK:ZZ00", "ULK:Příliš žluťoučký", ""]
    con = duckdb.connect()
    con.execute("CREATE TABLE t (k VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?)", [[k] for k in keys])
    rows = con.execute(f"SELECT k, {record_key_sql('client', 'k', RANGE)} FROM t ORDER BY k",
                       hmac_parameters(secret)).fetchall()
    for key, value in rows:
        expected = int(hmac.new(secret, f"client:{key}".encode(), hashlib.sha256).hexdigest()[:8], 16) % RANGE
        assert value == expected == record_key(secret, "client", key, RANGE)


def test_record_keys_depend_on_the_secret_and_the_kind_and_spread_evenly() -> None:
    a, b = bytes(32), bytes([1] * 32)
    assert record_key(a, "client", "ULK:1", RANGE) != record_key(b, "client", "ULK:1", RANGE)
    assert record_key(a, "client", "ULK:1", RANGE) != record_key(a, "contact", "ULK:1", RANGE)
    values = [record_key(a, "client", f"ULK:{i}", RANGE) for i in range(40_000)]
    buckets = [0] * 8
    for v in values:
        buckets[v * 8 // RANGE] += 1
    assert all(4_500 < n < 5_500 for n in buckets)  # uniform in [0, 4096): 5,000 per eighth


def test_the_sql_takes_no_text_from_outside() -> None:
    with pytest.raises(ValueError):
        record_key_sql("client'; DROP TABLE t; --", "k", RANGE)
