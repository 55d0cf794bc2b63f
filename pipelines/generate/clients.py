"""Clients: who registered, when, from where (canonical codes, one row per client)."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from pipelines.generate import distributions as dist
from pipelines.generate.centres import CentreProfile
from pipelines.generate.period import Period, day_number, to_dates, year_of
from pipelines.reference.countries import EU_EEA_CH

_ID_ALPHABET = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", dtype=np.uint8)
CLIENT_ID_LENGTH = 16
_WAR = day_number(date(2022, 3, 1))  # temporary protection for Ukrainians from March 2022


def random_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    """`n` distinct pseudonym-like IDs (16 chars of A-Z a-z 0-9)."""
    ids = np.empty(0, dtype=f"U{CLIENT_ID_LENGTH}")
    while len(ids) < n:
        codes = rng.integers(0, len(_ID_ALPHABET), size=(n - len(ids), CLIENT_ID_LENGTH))
        fresh = _ID_ALPHABET[codes].view(f"S{CLIENT_ID_LENGTH}").ravel().astype(f"U{CLIENT_ID_LENGTH}")
        merged = np.concatenate([ids, fresh])
        _, first = np.unique(merged, return_index=True)
        keep = np.sort(first)  # drop repeats, keep the draw order (deterministic)
        ids = merged[keep]
    return ids[:n]


def _pick(rng: np.random.Generator, weights: dist.Weights, mask: np.ndarray, out: np.ndarray) -> None:
    """Fill out[mask] with codes drawn from weights."""
    count = int(mask.sum())
    if count:
        out[mask] = np.asarray(weights.codes, dtype=object)[weights.draw(rng, count)]


def generate_clients(
    rng: np.random.Generator, n: int, period: Period, profile: CentreProfile,
    shared: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per client with the contract's canonical columns plus `_reg_day` (day number).

    `shared` (national samples): people also served by another centre, one row per client
    index `_client` with the person's `citizenship`, `sex`, `residence_status` and
    `birth_year`, which replace the drawn ones (the draws are made all the same, so the
    random streams do not depend on who is shared).
    """
    ids = random_ids(rng, n)
    carried = rng.random(n) < dist.CARRIED_OVER
    reg_day = np.where(
        carried,
        rng.integers(period.start_day - 3 * 365, period.start_day, size=n),
        rng.integers(period.start_day, period.end_day, size=n),
    )
    before_war = reg_day < _WAR

    citizenship = np.empty(n, dtype=object)
    _pick(rng, dist.NATIONALITY, ~before_war, citizenship)
    _pick(rng, dist.NATIONALITY_BEFORE_2022_03, before_war, citizenship)
    ukrainian = citizenship == "UA"
    eu = np.isin(citizenship, list(dist.EU_CITIZENS))
    majority = citizenship == dist.MAJORITY
    protection = np.isin(citizenship, list(dist.PROTECTION_ORIGINS))
    third = ~(ukrainian | eu | majority | protection)

    sex = np.empty(n, dtype=object)
    _pick(rng, dist.SEX_UKRAINIAN, ukrainian, sex)
    _pick(rng, dist.SEX_OTHER, ~ukrainian, sex)

    band_share = np.where(ukrainian[:, None], np.array(dist.AGE_UKRAINIAN), np.array(dist.AGE_OTHER))
    band = (rng.random(n)[:, None] > np.cumsum(band_share / band_share.sum(1)[:, None], axis=1)).sum(1)
    band = np.minimum(band, len(dist.AGE_BANDS) - 1)
    low = np.array([b[0] for b in dist.AGE_BANDS])[band]
    high = np.array([b[1] for b in dist.AGE_BANDS])[band]
    age = low + np.floor(rng.random(n) * (high - low + 1)).astype(int)
    birth_year = year_of(reg_day) - age

    status = np.full(n, "", dtype=object)
    _pick(rng, dist.STATUS_UKRAINIAN, ukrainian & ~before_war, status)
    _pick(rng, dist.STATUS_UKRAINIAN_BEFORE_2022_03, ukrainian & before_war, status)
    _pick(rng, dist.STATUS_EU, eu, status)
    _pick(rng, dist.STATUS_THIRD_COUNTRY, third, status)
    _pick(rng, dist.STATUS_PROTECTION_ORIGIN, protection, status)

    district = np.empty(n, dtype=object)
    _pick(rng, profile.district, np.ones(n, dtype=bool), district)
    municipality = np.array([profile.seats.get(code, "") for code in district], dtype=object)
    municipality[rng.random(n) < 0.2] = ""  # often left empty by case workers

    if shared is not None and shared.height:
        at = shared["_client"].to_numpy()
        citizenship[at] = shared["citizenship"].to_numpy()
        sex[at] = shared["sex"].to_numpy()
        status[at] = shared["residence_status"].to_numpy()
        birth_year[at] = shared["birth_year"].to_numpy()
        majority = citizenship == dist.MAJORITY
    target = _target_group(citizenship, status)
    target[(rng.random(n) >= dist.TARGET_GROUP_FILLED) & ~majority] = ""  # derived later

    frame = pl.DataFrame({
        "client_id": ids,
        "sex": sex.astype(str),
        "birth_year": birth_year.astype(np.int32),
        "citizenship": citizenship.astype(str),
        "residence_status": status.astype(str),
        "district": district.astype(str),
        "municipality": municipality.astype(str),
        "registered_on": to_dates(reg_day),
        "target_group": target.astype(str),
        "deleted": np.zeros(n, dtype=bool),
        "_reg_day": reg_day.astype(np.int64),
    })
    return frame.with_columns(pl.col(pl.String).replace("", None))


def _target_group(citizenship: np.ndarray, status: np.ndarray) -> np.ndarray:
    """The target group a case worker would record (the contract's derivation rule)."""
    third_country = ~np.isin(citizenship, sorted(EU_EEA_CH))
    result = np.full(len(citizenship), "eu_citizen", dtype=object)
    result[third_country] = "third_country_national"
    result[np.isin(status, ["asylum", "subsidiary_protection"])] = "international_protection"
    result[citizenship == "UA"] = "ukrainian"
    result[citizenship == dist.MAJORITY] = "majority_society"
    return result
