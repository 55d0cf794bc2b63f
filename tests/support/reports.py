"""Small hand-made report data for unit tests of the writers and the highlights (no warehouse)."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl

from pipelines.targets import ProjectTargets
from reports.board.model import BoardData, Comparison, Kpi, PartChange
from reports.framework import load_framework
from reports.ministry_model import Breakdown, BreakdownRow, IndicatorValue, MinistryData, TargetRow
from reports.provenance import Delivery, Provenance, QualityStatus

TARGETS = ProjectTargets(
    code="AMIF/31/03", name_cs="Centrum na podporu integrace", name_en="Integration support centre",
    period_from=date(2022, 8, 1), period_to=date(2023, 7, 31),
    targets={"clients_reached": 3000, "contacts": 12000},
)
PROVENANCE = Provenance(
    deliveries=(Delivery("ULK", 1, "/data/2022-08", datetime(2022, 9, 2, 8, 30), 7, 1200, 3),
                Delivery("ULK", 2, "=HYPERLINK(\"x\")", datetime(2022, 10, 3, 9, 0), 7, 1300, 0)),
    quality=QualityStatus("warnings", datetime(2022, 10, 3, 9, 5), ("contacts_per_branch_month",)),
    quarantined_rows=3,
)


def ministry_data() -> MinistryData:
    framework = load_framework("amif-2021-2027")
    # Published cells, with the exact figure behind each hidden one (the writer audits them).
    values: list[tuple[int | float | str, int | None]] = [
        (412, None), (120, None), ("<5", 3), (250, None), (37, None), (0, None), ("x", 6), (9, None)]
    indicators = tuple(IndicatorValue(i, v, e) for i, (v, e) in zip(framework.indicators, values, strict=True))
    separate = tuple(IndicatorValue(i, 55) for i in framework.reported_separately)
    main = framework.indicator(framework.breakdown_indicator)
    # One `<5` beside a total needs two complements: with one, it could be narrowed to four values.
    sex = Breakdown("sex", main, (
        BreakdownRow("female", "Žena", "Female", "x", 230), BreakdownRow("male", "Muž", "Male", "x", 178),
        BreakdownRow("other", "-jiné", "=other", "<5", 4),
    ))
    return MinistryData(
        framework=framework, date_from=date(2022, 8, 1), date_to=date(2022, 12, 31),
        indicators=indicators, separate=separate, breakdowns=(sex,), targets=TARGETS,
        # All clients reached: the 412 participants, 55 of the majority society, 55 EU citizens.
        target_rows=(TargetRow("clients_reached", 3000, 1260.3, 522), TargetRow("contacts", 12000, 5041.1, 1834)),
        provenance=PROVENANCE,
    )


def board_data(lang_neutral_previous: int = 300) -> BoardData:
    kpis = (
        Kpi("clients_reached", 412, lang_neutral_previous, 1260.3),
        Kpi("new_clients", 150, 140, None),
        Kpi("contacts", 1834, 1700, 5041.1),
        Kpi("service_hours", 912.5, 880.0, None),
        Kpi("course_participants", "<5", 0, None),
    )
    comparisons = (
        Comparison("clients_reached", "service", (
            PartChange("social_counselling", 200, 120), PartChange("legal_counselling", 90, 95),
            PartChange("czech_a1", "<5", 8),
        )),
        Comparison("clients_reached", "nationality", (
            PartChange("UA", 180, 150), PartChange("VN", 90, 70), PartChange("unknown", 300, 10),
        )),
    )
    months = ["2022-08", "2022-09", "2022-10"]
    charts = {
        "trend": pl.DataFrame({"month": months * 2, "target_group": ["ukrainian"] * 3 + ["third_country_national"] * 3,
                               "clients_reached": [50, 60, 70, 30, None, 45],
                               "clients_reached__flag": ["", "", "", "", "<5", ""]}),
        "nationality": pl.DataFrame({"nationality": ["UA", "VN", "MN"], "clients_reached": [180, 90, None],
                                     "clients_reached__flag": ["", "", "<5"]}),
        "district": pl.DataFrame({"district": ["CZ0427", "CZ0426", "CZ0100"], "clients_reached": [200, 150, 12],
                                  "clients_reached__flag": ["", "", ""]}),
        "service": pl.DataFrame({"service": ["social_counselling", "legal_counselling"], "clients_reached": [200, 90],
                                 "clients_reached__flag": ["", ""]}),
        "outcomes": pl.DataFrame({"outcome": ["employment_found", "housing_secured"], "outcomes": [40, 25],
                                  "outcomes__flag": ["", ""]}),
        "cefr": pl.DataFrame({"level_in": ["pre-A1", "A1"], "level_out": ["A1", "A2"], "enrolments": [20, 12],
                              "enrolments__flag": ["", ""]}),
    }
    courses = pl.DataFrame({
        "service": ["czech_a1", "czech_a2"], "course_participants": [25, None], "enrolments": [30, 10],
        "course_completions": [20, 8], "level_gains": [12, 3],
        "course_participants__flag": ["", "<5"], "enrolments__flag": ["", ""],
        "course_completions__flag": ["", ""], "level_gains__flag": ["", ""],
    })
    return BoardData(
        date_from=date(2022, 11, 1), date_to=date(2022, 12, 31), targets=TARGETS, kpis=kpis,
        comparisons=comparisons, charts=charts, provenance=PROVENANCE, course_results=courses,
    )
