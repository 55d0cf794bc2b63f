"""How figures are protected (disclosure.md, rule 1): the mode, the rules after perturbation, the bounds.

`Protection.PROTECTED` (the default everywhere) publishes counts perturbed by the cell key
method (cell_key.py, sql.py) and then applies, to every result:
- record counts only where the perturbed count of the people behind them is at least
  `RECORDS_MIN_PEOPLE`; sums and medians only where it is at least `SUMS_MIN_PEOPLE`, rounded
  (hours to whole hours, medians to whole days); event head counts, which name no person, only
  where they are at least `SUMS_MIN_PEOPLE`; rates are computed from the perturbed counts;
- a row whose every figure is 0 or not shown is left out: a true 0 has no row, so a row of
  zeros would tell a true 1 or 2 (published as 0) from nothing;
- sparse views: a result whose filtered population (the perturbed people count of the view's
  filters, no breakdown) is below `SPARSE_BELOW` carries no figures, only `sparse`.
What can be asked is bounded (`check_bounds`), so many differences cannot average the noise away.

`Protection.EXACT` gives exact figures: only for admin and analyst on their own screen, `reach
metrics --exact` (audited) and the ministry workbook (which hides with its own LP audit). The
caller decides the mode from the user's role, on the server.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum

from pipelines.errors import UsageError


class Protection(StrEnum):
    PROTECTED = "protected"
    EXACT = "exact"


SHOWN = ""  # a figure as published
HIDDEN = "x"  # not shown: too few people behind it, or a sparse view

RECORDS_MIN_PEOPLE = 5
SUMS_MIN_PEOPLE = 10
SPARSE_BELOW = 20

MAX_FILTER_VALUES = 5
MAX_ATTRIBUTES = 3
# Attributes of people whose combinations are bounded; period, month and centre do not count.
# in_centre_region is a coarsening of district (beside the centre): counted as an attribute of its own.
ATTRIBUTES = ("nationality", "district", "region", "in_centre_region", "target_group", "sex", "age_band",
              "residence_status", "service", "outcome")

NOTICE = {
    "cs": "Údaje jsou chráněny drobnou náhodnou odchylkou; součty se nemusí shodovat.",
    "en": "Figures carry a small random deviation to protect people; parts need not add up to totals.",
}
SPARSE_NOTICE = {
    "cs": f"Výběr zahrnuje méně než {SPARSE_BELOW} osob; údaje se z ochrany soukromí nezobrazují.",
    "en": f"The selection covers fewer than {SPARSE_BELOW} people; figures are not shown, to protect them.",
}


def check_bounds(by: Sequence[str], where: Mapping[str, Sequence[str]]) -> None:
    """Refuse a protected query that asks for too much detail (disclosure.md, rule 1)."""
    for dimension, values in where.items():
        if len(values) > MAX_FILTER_VALUES:
            raise UsageError(
                f"The filter on '{dimension}' selects {len(values)} values; protected figures allow at most "
                f"{MAX_FILTER_VALUES} values of one dimension at a time."
            )
    combined = [d for d in ATTRIBUTES if d in by or d in where]
    if len(combined) > MAX_ATTRIBUTES:
        raise UsageError(
            f"This view combines {len(combined)} attributes ({', '.join(combined)}); protected figures allow at "
            f"most {MAX_ATTRIBUTES} of {', '.join(ATTRIBUTES)} in one view, filters and breakdown together."
        )
