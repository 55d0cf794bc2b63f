"""Where the dbt seeds live, and reading a hand-kept one (the reference data the operator edits)."""

from __future__ import annotations

import csv
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"


def read_seed(name: str, folder: Path = SEEDS_DIR) -> list[dict[str, str]]:
    """The rows of seeds/<name> as dicts of text (empty cells are empty strings)."""
    with (folder / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
