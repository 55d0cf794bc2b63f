"""`reach centres`: the centres the product knows (seeds/ref_centres.csv), one line each."""

from __future__ import annotations

import argparse

from pipelines.home import Home
from pipelines.reference.centres import Centre, centres


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=("cs", "en"), default="cs", help="language of the region names")


def table(rows: tuple[Centre, ...], lang: str = "cs") -> str:
    lines = [("code", "name", "region", "project", "period", "basis")]
    lines += [(c.code, c.name, f"{c.region_code} {c.region.name(lang)}", c.project_code or "-", c.period or "-",
               c.basis) for c in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
                     for line in lines)


def run(args: argparse.Namespace, home: Home) -> int:
    print(table(centres(), args.lang))
    print("\nbasis: source = project code and period from a named source; illustrative = a placeholder "
          "without a sourced project (seeds/ref_centres.csv).")
    return 0
