"""Indicator frameworks (reports/frameworks/*.yaml): fund indicators as metric-API queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from pipelines.access import EVERYTHING
from pipelines.errors import ReachError, UsageError
from pipelines.metrics.protection import Protection
from pipelines.metrics.query import MetricQuery, resolve

FRAMEWORKS_DIR = Path(__file__).resolve().parent / "frameworks"


@dataclass(frozen=True)
class Indicator:
    code: str
    name_cs: str
    name_en: str
    metric: str
    where: dict[str, tuple[str, ...]] = field(default_factory=dict)
    judgement: str = ""

    def name(self, lang: str) -> str:
        return self.name_cs if lang == "cs" else self.name_en


@dataclass(frozen=True)
class Framework:
    code: str
    name_cs: str
    name_en: str
    legal_basis: str
    indicators: tuple[Indicator, ...]
    reported_separately: tuple[Indicator, ...]
    breakdown_indicator: str
    breakdown_dimensions: tuple[str, ...]

    def indicator(self, code: str) -> Indicator:
        for indicator in (*self.indicators, *self.reported_separately):
            if indicator.code == code:
                return indicator
        raise KeyError(code)

    def name(self, lang: str) -> str:
        return self.name_cs if lang == "cs" else self.name_en


def available_frameworks() -> list[str]:
    return sorted(path.stem for path in FRAMEWORKS_DIR.glob("*.yaml"))


def load_framework(name_or_path: str | Path) -> Framework:
    """A shipped framework by code (`amif-2021-2027`) or any YAML file by path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = FRAMEWORKS_DIR / f"{name_or_path}.yaml"
    if not path.is_file():
        raise ReachError(
            f"The indicator framework '{name_or_path}' does not exist; shipped frameworks: "
            f"{', '.join(available_frameworks())}, or give the path of a YAML file."
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        framework = _parse(data)
    except yaml.YAMLError as error:
        raise ReachError(f"The indicator framework {path} is not valid YAML: {error}") from None
    except (KeyError, TypeError, ValueError) as error:
        raise ReachError(f"The indicator framework {path} is not valid: {error}") from None
    _check_queries(framework, path)
    return framework


def _check_queries(framework: Framework, path: Path) -> None:
    """Every indicator and breakdown must be a query the metric API accepts; say which one is not."""
    some_day = date(2000, 1, 1)
    main = framework.indicator(framework.breakdown_indicator)
    # Only validated, never run: any scope will do; exact, as the workbook asks (ministry_data.py).
    exact = Protection.EXACT
    checks = [(i.code, MetricQuery(some_day, some_day, (i.metric,), (), i.where, exact, scope=EVERYTHING))
              for i in (*framework.indicators, *framework.reported_separately)]
    checks += [(f"{main.code} by {dim}",
                MetricQuery(some_day, some_day, (main.metric,), (dim,), main.where, exact, scope=EVERYTHING))
               for dim in framework.breakdown_dimensions]
    for name, query in checks:
        try:
            resolve(query)
        except UsageError as error:
            raise ReachError(f"The indicator framework {path}, indicator {name}: {error}") from None


def _values(raw: Any, where: str) -> tuple[str, ...]:
    if isinstance(raw, str):
        return (raw,)
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        raise ValueError(f"{where} must be a list of codes")
    return tuple(raw)


def _indicator(raw: dict[str, Any], participants: dict[str, tuple[str, ...]]) -> Indicator:
    code = str(raw["code"])
    where: dict[str, tuple[str, ...]] = {}
    # Fund indicators count participants only, unless the entry says `participants: false`.
    if raw.get("participants", True):
        where.update(participants)
    for dimension, values in (raw.get("where") or {}).items():
        if dimension in where:
            raise ValueError(f"indicator {code} filters {dimension}, which the participants filter already sets")
        where[str(dimension)] = _values(values, f"indicator {code}, where.{dimension}")
    return Indicator(
        code=code, name_cs=str(raw["name_cs"]), name_en=str(raw["name_en"]),
        metric=str(raw["metric"]), where=where, judgement=str(raw.get("judgement") or "").strip(),
    )


def _parse(data: dict[str, Any]) -> Framework:
    if not isinstance(data, dict):
        raise ValueError("the file must be a mapping with code, name_cs, name_en and indicators")
    participants = {
        str(dim): _values(values, f"participants.{dim}") for dim, values in (data.get("participants") or {}).items()
    }
    if not data.get("indicators"):
        raise ValueError("it lists no indicators")
    indicators = tuple(_indicator(raw, participants) for raw in data["indicators"])
    separate = tuple(_indicator(raw, participants) for raw in data.get("reported_separately") or [])
    codes = [i.code for i in (*indicators, *separate)]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ValueError(f"indicator codes repeat: {', '.join(duplicates)}")
    breakdown = data.get("breakdown") or {}
    breakdown_indicator = str(breakdown.get("indicator") or indicators[0].code)
    if breakdown_indicator not in codes:
        raise ValueError(f"breakdown.indicator {breakdown_indicator} is not one of the indicators")
    return Framework(
        code=str(data["code"]), name_cs=str(data["name_cs"]), name_en=str(data["name_en"]),
        legal_basis=str(data.get("legal_basis") or ""),
        indicators=indicators, reported_separately=separate,
        breakdown_indicator=breakdown_indicator,
        breakdown_dimensions=tuple(str(d) for d in breakdown.get("dimensions") or ()),
    )
