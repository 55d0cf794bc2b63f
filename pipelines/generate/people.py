"""People served by two centres in a national sample (issue 11: one person, two client IDs).

About SHARED_SHARE of each centre's clients are also clients of another centre (chosen in
proportion to the centres' sizes: people move, or commute to the larger centre). Such a
person has one identity (names, birth date, nationality, sex, residence status) and so one
national linkage key, but a different client ID in each centre, and a registration, district
and history of their own in each.

The plan is drawn once per sample from its own stream and is small (a few per cent of the
clients): per centre, the client index each shared person takes there.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from pipelines.generate import distributions as dist
from pipelines.generate.period import day_number, year_of
from pipelines.generate.raw_export import given_names, surnames

SHARED_SHARE = 0.02  # of a centre's clients, also clients of another centre (estimate)
_BORN = (day_number(date(1950, 1, 1)), day_number(date(2000, 1, 1)))  # adults, born before any registration
_SCHEMA = {
    "_client": pl.Int64, "_person": pl.Int64, "citizenship": pl.String, "sex": pl.String,
    "residence_status": pl.String, "birth_year": pl.Int32, "given": pl.String, "surname": pl.String,
    "_birth_day": pl.Int64,
}


def _pick(rng: np.random.Generator, weights: dist.Weights, mask: np.ndarray, out: np.ndarray) -> None:
    count = int(mask.sum())
    if count:
        out[mask] = np.asarray(weights.codes, dtype=object)[weights.draw(rng, count)]


def _persons(rng: np.random.Generator, n: int) -> pl.DataFrame:
    """`n` identities: foreigners (no majority-society clients), adults."""
    nationality = dist.Weights.of({c: w for c, w in zip(dist.NATIONALITY.codes, dist.NATIONALITY.weights, strict=True)
                                   if c != dist.MAJORITY})
    citizenship = np.empty(n, dtype=object)
    _pick(rng, nationality, np.ones(n, dtype=bool), citizenship)
    ukrainian = citizenship == "UA"
    eu = np.isin(citizenship, list(dist.EU_CITIZENS))
    protection = np.isin(citizenship, list(dist.PROTECTION_ORIGINS))
    sex = np.empty(n, dtype=object)
    _pick(rng, dist.SEX_UKRAINIAN, ukrainian, sex)
    _pick(rng, dist.SEX_OTHER, ~ukrainian, sex)
    status = np.empty(n, dtype=object)
    _pick(rng, dist.STATUS_UKRAINIAN, ukrainian, status)
    _pick(rng, dist.STATUS_EU, eu, status)
    _pick(rng, dist.STATUS_PROTECTION_ORIGIN, protection, status)
    _pick(rng, dist.STATUS_THIRD_COUNTRY, ~(ukrainian | eu | protection), status)
    birth = rng.integers(*_BORN, size=n)
    return pl.DataFrame({
        "_person": np.arange(n, dtype=np.int64),
        "citizenship": citizenship.astype(str),
        "sex": sex.astype(str),
        "residence_status": status.astype(str),
        "birth_year": year_of(birth).astype(np.int32),
        "given": given_names(rng, sex == "female"),
        "surname": surnames(rng, n, varied=True),
        "_birth_day": birth.astype(np.int64),
    })  # "" = not stated, as generate_clients holds it before writing


def plan_shared(seed: int, sizes: dict[str, int]) -> dict[str, pl.DataFrame]:
    """Per centre, its shared clients: `_client` (index among the centre's clients), `_person`
    (the same number in both centres) and the identity they keep. Empty with fewer than two centres."""
    codes = list(sizes)
    plans = {c: pl.DataFrame(schema=_SCHEMA) for c in codes}
    if len(codes) < 2:
        return plans
    rng = np.random.default_rng(np.random.SeedSequence([seed, 13]))
    weights = np.array([sizes[c] for c in codes], dtype=float)
    room = dict(sizes)  # a centre cannot hold more shared people than it has clients
    pairs: list[tuple[int, int]] = []
    for j, code in enumerate(codes):
        others = weights.copy()
        others[j] = 0
        for partner in rng.choice(len(codes), size=int(SHARED_SHARE * sizes[code]), p=others / others.sum()):
            a, b = codes[int(partner)], code
            if room[a] and room[b]:
                room[a] -= 1
                room[b] -= 1
                pairs.append((int(partner), j))
    persons = _persons(rng, len(pairs))
    members = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    for j, code in enumerate(codes):
        mine = np.flatnonzero((members[:, 0] == j) | (members[:, 1] == j))
        slots = rng.choice(sizes[code], size=len(mine), replace=False)
        plans[code] = persons[mine].with_columns(_client=pl.Series(slots, dtype=pl.Int64)).sort("_client") \
            .select(list(_SCHEMA))
    return plans


def in_chunk(plan: pl.DataFrame, offset: int, size: int) -> pl.DataFrame:
    """The shared clients of one chunk of a centre's clients, `_client` counted within the chunk."""
    return plan.filter(pl.col("_client").is_between(offset, offset + size - 1)).with_columns(
        pl.col("_client") - offset
    )
