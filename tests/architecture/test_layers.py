"""The layers of docs/architecture.md hold: import-linter's contracts pass, list no exceptions, and
cover every package the project ships."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
LINTER = CONFIG["tool"]["importlinter"]


def test_the_import_contracts_pass() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_contract_lists_an_exception() -> None:
    for contract in LINTER["contracts"]:
        assert not contract.get("ignore_imports"), contract["name"]
        assert not contract.get("allow_indirect_imports"), contract["name"]


def test_every_shipped_package_is_a_layer() -> None:
    shipped = {pattern.rstrip("*") for pattern in CONFIG["tool"]["setuptools"]["packages"]["find"]["include"]}
    assert shipped == set(LINTER["root_packages"])
    layers = next(c for c in LINTER["contracts"] if c["type"] == "layers")["layers"]
    in_layers = {name.strip() for layer in layers for name in layer.split("|")}
    assert in_layers == set(LINTER["root_packages"])
    assert layers[0] == "reach" and layers[-1] == "pipelines"  # composition root on top, foundation below


def test_the_composition_root_is_imported_by_nothing_it_composes() -> None:
    for package in LINTER["root_packages"]:
        if package == "reach":
            continue
        for path in (REPO / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"^\s*(from reach[. ]|import reach\b)", text, re.MULTILINE), path
