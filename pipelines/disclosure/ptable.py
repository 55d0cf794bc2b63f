"""The perturbation table of the cell key method (disclosure.md, rule 1).

A row per true count holds the probabilities of each published count; the row is laid out over
the cell keys `[0, key_range)` so that a (true count, cell key) pair always gives the same
published count. Rows are built as the R package `ptable` (Destatis) builds them: the
maximum-entropy distribution over the allowed published counts with the required mean
(unbiased) and variance, here solved with SciPy. Where a small count cannot meet a constraint
(a true 3 cannot move down by 2 without landing on the forbidden 1), the constraint that cannot
hold is dropped, in this order: variance, then mean. From `row_limit` on every row is the same
distribution of deviations, so one row serves all larger counts.

The parameters are in config/ptable.yaml (one reviewed file).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path

import numpy as np
import yaml

from pipelines.errors import ReachError

PARAMETERS_FILE = Path(__file__).resolve().parents[2] / "config" / "ptable.yaml"


@dataclass(frozen=True)
class PtableParameters:
    key_range: int
    max_deviation: int
    variance: float
    forbidden_values: tuple[int, ...]
    # Sums of people's contributions (hours): the largest deviation as a share of the cell's largest
    # contribution of one person; pipelines/metrics/cell_key.py `perturbed_sums`.
    sum_deviation: float

    @property
    def row_limit(self) -> int:
        """The smallest count whose published range [n - D, n + D] avoids every forbidden value."""
        return max(self.forbidden_values, default=0) + self.max_deviation + 1


@dataclass(frozen=True)
class PtableRow:
    """One true count: the published counts and how many cell keys lead to each (in key order)."""

    count: int
    published: tuple[int, ...]
    keys: tuple[int, ...]  # keys[i] cell keys give published[i]; they sum to the key range

    def probabilities(self, key_range: int) -> dict[int, float]:
        return {value: n / key_range for value, n in zip(self.published, self.keys, strict=True)}


@dataclass(frozen=True)
class Ptable:
    parameters: PtableParameters
    rows: tuple[PtableRow, ...]  # counts 0 .. row_limit

    def row(self, count: int) -> PtableRow:
        return self.rows[min(count, self.parameters.row_limit)]

    def perturb(self, count: int, cell_key: int) -> int:
        """The published count of a true `count` whose cell key is `cell_key`."""
        if count < 0:
            raise ValueError("a count cannot be negative")
        row = self.row(count)
        shift = count - row.count  # counts beyond row_limit reuse its deviations
        upper = 0
        for value, keys in zip(row.published, row.keys, strict=True):
            upper += keys
            if cell_key < upper:
                return value + shift
        raise ValueError(f"cell key {cell_key} outside [0, {self.parameters.key_range})")

    def intervals(self) -> list[tuple[int, int, int, int]]:
        """(row count, first key, last key, deviation) for every key interval: the table as SQL joins it."""
        out = []
        for row in self.rows:
            start = 0
            for value, keys in zip(row.published, row.keys, strict=True):
                if keys:
                    out.append((row.count, start, start + keys - 1, value - row.count))
                start += keys
        return out


def load_parameters(path: Path = PARAMETERS_FILE) -> PtableParameters:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        parameters = PtableParameters(
            key_range=int(raw["key_range"]), max_deviation=int(raw["max_deviation"]),
            variance=float(raw["variance"]), forbidden_values=tuple(int(v) for v in raw["forbidden_values"]),
            sum_deviation=float(raw["sum_deviation"]),
        )
    except (OSError, KeyError, TypeError, ValueError, yaml.YAMLError) as error:
        raise ReachError(f"The perturbation parameters in {path} cannot be read: {error}.") from None
    if parameters.key_range < 256 or parameters.max_deviation < 1 or parameters.variance <= 0 \
            or 0 in parameters.forbidden_values or not 0 < parameters.sum_deviation <= 2:
        raise ReachError(f"The perturbation parameters in {path} are out of range (see the file's comments).")
    return parameters


@cache
def ptable() -> Ptable:
    """The table of the reviewed parameters (built once per process; deterministic)."""
    return build_ptable(load_parameters())


# Where a build keeps the tables it made, inside the warehouse home (`cached_ptable`).
CACHE_FOLDER = Path("cache") / "ptable"


def cached_ptable(cache_dir: Path, parameters: PtableParameters | None = None) -> Ptable:
    """`build_ptable(parameters)` (default: the reviewed file's), kept in `cache_dir`: building it
    solves an optimisation per row (1 to 2 s, most of the build's record-key step at regional
    scale). Keyed by the parameters, this module's code and the NumPy and SciPy versions, so any of
    them changing builds it anew; a file that cannot be read is built again and replaced."""
    parameters = parameters or load_parameters()
    digest = hashlib.sha256(json.dumps(
        [asdict(parameters), hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
         version("numpy"), version("scipy")], sort_keys=True).encode()).hexdigest()[:24]
    path = cache_dir / f"ptable-{digest}.json"
    try:
        rows = tuple(PtableRow(int(r["count"]), tuple(map(int, r["published"])), tuple(map(int, r["keys"])))
                     for r in json.loads(path.read_text(encoding="utf-8")))
        if rows and all(sum(row.keys) == parameters.key_range for row in rows):
            return Ptable(parameters, rows)
    except (OSError, ValueError, KeyError, TypeError):
        pass
    table = build_ptable(parameters)
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(json.dumps([asdict(row) for row in table.rows]), encoding="utf-8")
    os.replace(partial, path)
    return table


def build_ptable(parameters: PtableParameters) -> Ptable:
    rows = [PtableRow(0, (0,), (parameters.key_range,))]  # zeros stay zero
    for count in range(1, parameters.row_limit + 1):
        targets = _targets(count, parameters.max_deviation, parameters.forbidden_values)
        if not min(targets) < count < max(targets):
            targets = _targets(count, parameters.max_deviation + 1, parameters.forbidden_values)
        probabilities = _max_entropy(np.array(targets, dtype=float), count, parameters.variance)
        keys = _quantise(targets, probabilities, count, parameters.key_range)
        rows.append(PtableRow(count, tuple(targets), tuple(keys)))
    return Ptable(parameters, tuple(rows))


def _targets(count: int, deviation: int, forbidden: tuple[int, ...]) -> list[int]:
    return [m for m in range(max(count - deviation, 0), count + deviation + 1) if m not in forbidden]


def _max_entropy(targets: np.ndarray, mean: float, variance: float) -> np.ndarray:
    """Maximum-entropy probabilities over `targets` with the mean and variance, dropping what cannot hold."""
    if not targets.min() < mean < targets.max():
        # The mean sits on the edge of what the targets reach: only staying put keeps it.
        nearest = np.abs(targets - mean).argmin()
        return np.eye(len(targets))[nearest]
    for wanted in ((mean, variance), (mean, None)):
        result = _solve(targets, *wanted)
        if result is not None:
            return result
    raise ReachError("The perturbation table cannot be built from its parameters.")


def _solve(targets: np.ndarray, mean: float, variance: float | None) -> np.ndarray | None:
    constraints = [
        {"type": "eq", "fun": lambda p: p.sum() - 1.0},
        {"type": "eq", "fun": lambda p: p @ targets - mean},
    ]
    if variance is not None:
        constraints.append({"type": "eq", "fun": lambda p: p @ (targets - mean) ** 2 - variance})

    def negative_entropy(p: np.ndarray) -> float:
        p = np.clip(p, 1e-15, 1.0)
        return float(p @ np.log(p))

    # SciPy (about 0.35 s to import) only where the table is built: the metric layer reads the
    # parameters of this module (load_parameters) and the table stored in the warehouse.
    from scipy.optimize import minimize

    start = np.full(len(targets), 1.0 / len(targets))
    result = minimize(negative_entropy, start, method="SLSQP", bounds=[(0.0, 1.0)] * len(targets),
                      constraints=constraints, options={"ftol": 1e-14, "maxiter": 1000})
    if not result.success or any(abs(c["fun"](result.x)) > 1e-7 for c in constraints):
        return None
    return np.clip(result.x, 0.0, 1.0)


def _quantise(targets: list[int], probabilities: np.ndarray, count: int, key_range: int) -> list[int]:
    """Whole numbers of keys per target summing to the key range; symmetric rows stay exactly symmetric,
    so counts from `row_limit` on are exactly unbiased."""
    deviations = [m - count for m in targets]
    if deviations == [-d for d in reversed(deviations)]:
        half = {d: int(np.floor(p * key_range)) for d, p in zip(deviations, probabilities, strict=True) if d > 0}
        keys = [half.get(abs(d), 0) for d in deviations]
        keys[deviations.index(0)] = key_range - sum(keys)
        return keys
    raw = probabilities * key_range
    keys = [int(np.floor(x)) for x in raw]
    remainders = sorted(range(len(keys)), key=lambda i: (-(raw[i] - keys[i]), i))
    for i in remainders[: key_range - sum(keys)]:
        keys[i] += 1
    return keys
