"""Write the generated dbt seeds (seeds/ref_*.csv) from the reference modules.

Countries come from pycountry/babel, districts from pycountry, labels from the export
contract and labels.py, so no reference row is typed by hand. Run after changing any of
those sources and commit the result:

    python -m pipelines.reference.write_seeds

The hand-kept seeds are NOT written here: the centres (`ref_centres.csv`), the regions' English
names (`ref_regions.csv`) and the sourced statistics the operator updates
(`ref_foreign_residents.csv`, `ref_district_population.csv`, `ref_region_foreign_residents.csv`,
`ref_region_population.csv`; see docs/warehouse.md).
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from pipelines import contract
from pipelines.normalise import fold_value
from pipelines.reference.countries import STATELESS, countries
from pipelines.reference.districts import PRAGUE_NAME, districts
from pipelines.reference.labels import catalogue
from pipelines.reference.seeds import SEEDS_DIR

# Dimensions whose labels go to ref_labels.csv (services and outcomes have their own seeds).
LABEL_DIMENSIONS = (
    "sex", "residence_status", "target_group", "topic", "mode", "course_type", "exam",
    "event_type", "audience", "cefr",
)

# District names that are not a town: the seat lies in another district (Praha-východ is run
# from Prague, Brno-venkov from Brno, Plzeň-jih from Plzeň).
_NO_OWN_SEAT_SUFFIXES = ("-venkov", "-jih", "-sever", "-východ", "-západ")


def _seat(name: str) -> str | None:
    """The town a district is named after, used to place a branch named after that town."""
    if name == PRAGUE_NAME:
        return "Praha"
    if name.endswith(_NO_OWN_SEAT_SUFFIXES):
        return None
    return name.removesuffix("-město")


def _bool(value: bool) -> str:
    return "true" if value else "false"


def countries_rows() -> list[list[str]]:
    rows = [["code", "alpha3", "numeric", "name_cs", "name_en", "is_third_country", "is_eu_eea_ch"]]
    rows += [
        [c.alpha2, c.alpha3, c.numeric, c.name_cs, c.name_en, _bool(c.third_country),
         _bool(c.eu_eea_ch)]
        for c in countries()
    ]
    labels = catalogue("nationality")
    # Stateless people are outside the EU/EEA/CH by definition (export-format.md, list T).
    rows.append([STATELESS, "XXA", "", *labels[STATELESS], "true", "false"])
    # An unknown citizenship is neither: it derives to no group of its own (list T: unknown).
    rows.append([contract.UNKNOWN, "", "", *labels[contract.UNKNOWN], "false", "false"])
    return rows


def districts_rows() -> list[list[str]]:
    rows = [["code", "iso_code", "name", "region_code", "region_name", "seat", "seat_folded"]]
    for d in districts():
        seat = _seat(d.name)
        rows.append([d.code, d.iso_code, d.name, d.region_code, d.region_name, seat or "",
                     fold_value(seat) if seat else ""])
    return rows


def services_rows() -> list[list[str]]:
    """Every activity service code (metrics.md): contact services, course types, event_<type>."""
    kinds = {code: "contact" for code in contract.SERVICE.values()}
    kinds |= {code: "course" for code in contract.COURSE_TYPE.values()}
    kinds |= {"event_" + code: "event" for code in contract.EVENT_TYPE.values()}
    labels = catalogue("service")
    rows = [["code", "kind", "label_cs", "label_en"]]
    rows += [[code, kind, *labels[code]] for code, kind in kinds.items()]
    return rows


def outcomes_rows() -> list[list[str]]:
    labels = catalogue("outcome")
    rows = [["code", "label_cs", "label_en"]]
    rows += [[code, *labels[code]] for code in dict.fromkeys(contract.OUTCOME.values())]
    return rows


def labels_rows() -> list[list[str]]:
    rows = [["dimension", "code", "label_cs", "label_en"]]
    for dimension in LABEL_DIMENSIONS:
        rows += [[dimension, code, cs, en] for code, (cs, en) in catalogue(dimension).items()]
    return rows


GENERATED_SEEDS = {
    "ref_countries.csv": countries_rows,
    "ref_districts.csv": districts_rows,
    "ref_services.csv": services_rows,
    "ref_outcomes.csv": outcomes_rows,
    "ref_labels.csv": labels_rows,
}


def render_csv(rows: Iterable[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue()


def rendered_seeds() -> dict[str, str]:
    """File name -> CSV text, exactly as write_seeds writes it."""
    return {name: render_csv(make()) for name, make in GENERATED_SEEDS.items()}


def write_seeds(target: Path = SEEDS_DIR) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in rendered_seeds().items():
        path = target / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main() -> int:
    for path in write_seeds():
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
