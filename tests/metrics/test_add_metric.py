"""Adding a metric is one declaration: in a copy of the project, one `Metric(...)` added to the
catalogue shows, named in Czech and English, in `reach metrics --list`, in `reach metrics` figures,
on the dashboard's metric lists and in the generated docs/metrics.md."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

from support.marts import MartBuilder, home_with_marts

ROOT = Path(__file__).parents[2]
PACKAGES = ("pipelines", "charts", "dashboard", "reports", "reach", "expectations")
CATALOGUE = Path("pipelines/metrics/catalogue/metrics.py")
NEW = "clients_interpreted"
CS, EN = "Klienti s tlumočením", "Clients with interpreting"
DECLARATION = f'''    Metric(
        "{NEW}", Family.CONTACTS, Kind.UNIQUE, "{CS}", "{EN}",
        "Počet různých klientů, jimž se v období při kontaktu tlumočilo.",
        "Distinct clients with at least one interpreted contact in the period.",
        measure="count(DISTINCT client_key) FILTER (WHERE is_interpreted)", extension=True,
    ),
)
'''


def _copy_with_new_metric(target: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, target / package, ignore=shutil.ignore_patterns("__pycache__"))
    for data in ("config", "seeds"):  # the ptable parameters and the reference seeds the packages read
        shutil.copytree(ROOT / data, target / data)
    catalogue = target / CATALOGUE
    text = catalogue.read_text(encoding="utf-8")
    assert text.endswith(")\n") and NEW not in text
    catalogue.write_text(text[: -len(")\n")] + DECLARATION, encoding="utf-8")  # the one change
    return target


def _python(copy: Path, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(copy)}
    done = subprocess.run([sys.executable, *args], cwd=copy, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_one_declaration_reaches_the_cli_the_dashboard_and_the_docs(tmp_path: Path) -> None:
    copy = _copy_with_new_metric(tmp_path / "project")
    assert _python(copy, "-c", "import pipelines; print(pipelines.__file__)").startswith(str(copy))

    listing = json.loads(_python(copy, "-m", "reach.cli", "metrics", "--list", "--format", "json"))
    assert {"type": "metric", "code": NEW, "name_cs": CS, "name_en": EN, "kind": "unique"} in listing

    marts = (MartBuilder().client("AAAAAA", registered_on=date(2022, 1, 1))
             .client("BBBBBB", registered_on=date(2022, 1, 1))
             .contact("c1", "AAAAAA", date(2022, 9, 5), interpreted=True)
             .contact("c2", "AAAAAA", date(2022, 9, 6), interpreted=True)
             .contact("c3", "BBBBBB", date(2022, 9, 7)))
    home = home_with_marts(tmp_path / "home", marts)
    figures = json.loads(_python(copy, "-m", "reach.cli", "--home", str(home.root), "metrics", "--from",
                                 "2022-09-01", "--to", "2022-09-30", "--metric", NEW, "--by", "sex",
                                 "--format", "json", "--exact"))
    assert figures == [{"sex": "female", NEW: 1}]

    dashboard = json.loads(_python(copy, "-c", (
        "import json, polars as pl\n"
        "from dashboard.pages.definitions import metric_rows\n"
        "from dashboard.exports import header_labels\n"
        f"frame = pl.DataFrame(schema={{'{NEW}': pl.Int64}})\n"
        "print(json.dumps({lang: {'definitions': [list(r) for r in metric_rows(lang)],"
        " 'export': header_labels(frame, lang)} for lang in ('cs', 'en')}))")))
    for lang, name in (("cs", CS), ("en", EN)):
        assert [row[0] for row in dashboard[lang]["definitions"] if row[2] == NEW] == [name]
        assert dashboard[lang]["export"] == [name]

    doc = _python(copy, "-m", "pipelines.metrics.doc")
    section = re.search(rf"### `{NEW}` \(extension\)\n\n- cs: \*\*(.+?)\*\* — .*\n- en: \*\*(.+?)\*\* — .*\n"
                        r".*\n- dimensions: (.*)\n", doc)
    assert section is not None and section.group(1, 2) == (CS, EN)
    assert "`topic`" in section.group(3) and "`outcome`" not in section.group(3)  # the contacts' dimensions
