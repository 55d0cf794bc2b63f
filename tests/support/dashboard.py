"""Helpers for the dashboard tests: figures as `reach metrics` prints them, for the same filters."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import date

from pipelines.home import Home

PROJECT_FROM, PROJECT_TO = date(2022, 8, 1), date(2023, 7, 31)


def reach_metrics(home: Home, metrics: tuple[str, ...], where: dict[str, tuple[str, ...]], *,
                  date_from: date = PROJECT_FROM, date_to: date = PROJECT_TO, exact: bool = False) -> dict[str, str]:
    """The published figures from the real `reach metrics` command (one row, no grouping): protected, as
    the dashboard shows them to every role, unless `exact`."""
    command = [sys.executable, "-m", "reach.cli", "--home", str(home.root), "metrics",
               "--from", date_from.isoformat(), "--to", date_to.isoformat(), "--format", "csv"]
    for metric in metrics:
        command += ["--metric", metric]
    for dimension, values in where.items():
        command += ["--where", f"{dimension}={','.join(values)}"]
    if exact:
        command.append("--exact")
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(rows) == 1, done.stdout
    return rows[0]


def as_shown(published: str, lang: str = "cs") -> str:
    """A published cell as the KPI card shows it: Czech grouping, or hidden."""
    from pipelines.formatting import fmt_decimal, fmt_int

    if published in ("x", ""):
        return "skryto" if lang == "cs" else "hidden"
    number = float(published)
    return fmt_int(number, lang) if number.is_integer() and "." not in published else fmt_decimal(number, lang, 1)
