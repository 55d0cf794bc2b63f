"""No Ústí district code or name remains in code outside the seeds and tests (issue 11, "Must show").

Centres, regions and districts are reference data (seeds/, pipelines/reference reads them), so no
Python, SQL, YAML or JS file outside seeds/ and tests/ names one of the seven Ústí districts. dbt unit
tests (the `unit_tests:` block of a model's YAML) are tests and may.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SUFFIXES = {".py", ".sql", ".yml", ".yaml", ".js"}
EXEMPT = ("seeds/", "tests/")
HARD_CODED = re.compile(
    r"CZ042[1-7]|\b(?:Děčín|Chomutov|Litoměřice|Louny|Most|Teplice|Ústí nad Labem)\b"
    r"|\b(?i:decin|litomerice|usti nad labem)\b"
)
UNIT_TESTS = re.compile(r"^unit_tests:\s*\n(?:[ \t#].*\n|\n)*", re.MULTILINE)

def code_files() -> list[str]:
    """Tracked and new (not ignored) files of the repository, relative to its root."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.splitlines()
    return sorted({p for p in listed if Path(p).suffix in SUFFIXES and not p.startswith(EXEMPT)
                   and (ROOT / p).is_file()})


def hard_coding(path: str) -> list[str]:
    text = (ROOT / path).read_text(encoding="utf-8", errors="replace")
    if path.endswith((".yml", ".yaml")):
        text = UNIT_TESTS.sub("", text)
    return sorted({match.group(0) for match in HARD_CODED.finditer(text)})


def offenders() -> dict[str, list[str]]:
    return {path: found for path in code_files() if (found := hard_coding(path))}


def test_the_grep_finds_what_it_looks_for(tmp_path: Path) -> None:
    assert HARD_CODED.search("district = 'CZ0426'") and HARD_CODED.search("Okres: Most, Děčín")
    assert HARD_CODED.search("pobočka usti nad labem") and not HARD_CODED.search("CZ0420 Mostek most")
    assert not UNIT_TESTS.sub("", "models:\nunit_tests:\n  - rows: [CZ0427]\n    # x\n").count("CZ0427")
    assert "seeds/ref_districts.csv" not in code_files() and "pipelines/contract.py" in code_files()


def test_no_usti_district_is_hard_coded_anywhere() -> None:
    """Behaviour comes from the reference data: no code file names one of the Ústí districts."""
    assert offenders() == {}
