"""docs/metrics.md is the rendering of the definitions the code uses."""

from __future__ import annotations

from pathlib import Path

from pipelines.metrics import DIMENSIONS, METRICS
from pipelines.metrics.doc import render

DOC = Path(__file__).parents[2] / "docs" / "metrics.md"


def test_doc_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/metrics.md is stale: python -m pipelines.metrics.doc > docs/metrics.md"
    )


def test_every_metric_and_dimension_has_a_section_in_both_languages() -> None:
    text = render()
    for item in (*METRICS, *DIMENSIONS):
        assert f"### `{item.name}`" in text
        assert item.label_cs and item.label_en and item.definition_cs and item.definition_en


def test_contract_names_are_all_defined() -> None:
    contract = {"clients_reached", "new_clients", "contacts", "service_hours", "course_participants",
                "course_completions", "level_gains", "event_attendance", "outcomes", "clients_with_outcome"}
    dimensions = {"nationality", "district", "region", "in_centre_region", "target_group", "sex", "age_band",
                  "residence_status", "service", "outcome", "month", "centre"}
    assert contract == {m.name for m in METRICS if not m.extension}
    assert dimensions == {d.name for d in DIMENSIONS if not d.extension}
