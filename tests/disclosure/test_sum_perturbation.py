"""The sums' perturbation (cell_key.perturbed_sums): unbiased, bounded, zero stays zero, and independent of
what a published count tells of the same cell key."""

from __future__ import annotations

import numpy as np
import pytest

from pipelines.disclosure.ptable import load_parameters, ptable
from pipelines.metrics.cell_key import perturbed_sums, sum_shares

RANGE = load_parameters().key_range


@pytest.mark.parametrize("metric", ["service_hours", "contacts_hours_other"])
def test_shares_are_a_permutation_of_an_even_grid_with_mean_zero(metric: str) -> None:
    shares = sum_shares(np.arange(RANGE), metric, RANGE)
    assert shares.min() > -1 and shares.max() < 1
    assert len(set(shares.tolist())) == RANGE
    assert abs(shares.mean()) < 1e-12
    assert sorted(shares.tolist()) == pytest.approx(((2 * np.arange(RANGE) + 1) / RANGE - 1).tolist())


def test_metrics_get_different_shares_from_the_same_key() -> None:
    keys = np.arange(RANGE)
    assert not np.array_equal(sum_shares(keys, "service_hours", RANGE), sum_shares(keys, "event_attendance", RANGE))


def test_a_published_count_tells_next_to_nothing_of_its_keys_sum_deviation() -> None:
    """The ptable lays each count's deviations out as key intervals: a published count tells the interval.
    Over every interval of some size the sums' shares stay spread and centred."""
    for row_count, first, last, _ in ptable().intervals():
        if last - first + 1 < 200:
            continue
        shares = sum_shares(np.arange(first, last + 1), "service_hours", RANGE)
        assert abs(shares.mean()) < 0.05, (row_count, first, last)
        assert shares.min() < -0.9 and shares.max() > 0.9, (row_count, first, last)


def test_zero_stays_zero_sums_stay_non_negative_and_within_the_largest_share() -> None:
    deviation = load_parameters().sum_deviation
    keys = list(range(0, RANGE, 7))
    zero = perturbed_sums([0] * len(keys), keys, [0] * len(keys), "service_hours", RANGE)
    assert set(zero) == {0.0}
    one = perturbed_sums([1.0] * len(keys), keys, [1.0] * len(keys), "service_hours", RANGE)
    assert min(one) >= 0 and max(one) <= 1 + deviation
    sums = perturbed_sums([100.0] * len(keys), keys, [7.5] * len(keys), "service_hours", RANGE)
    assert all(abs(s - 100) <= deviation * 7.5 for s in sums)
    assert abs(np.mean(sums) - 100) < 0.1  # unbiased over the keys
    assert perturbed_sums([None], [5], [None], "service_hours", RANGE) == [None]


def test_the_same_key_gives_the_same_sum_and_keys_are_taken_modulo_the_range() -> None:
    first = perturbed_sums([50.0, 50.0], [123, 123 + 5 * RANGE], [4.0, 4.0], "service_hours", RANGE)
    assert first[0] == first[1] == perturbed_sums([50.0], [123], [4.0], "service_hours", RANGE)[0]
