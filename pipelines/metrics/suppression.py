"""Disclosure control of unique-people counts: primary `<5` and complementary `x` suppression.

Primary: a count from 1 to 4 is published as `<5`. 0 stays 0.

Complementary (secondary): for every dimension of the grouping that partitions clients (each
client has exactly one value), the cells that differ only in that dimension add up to a
margin that is published elsewhere (the grand total, or the cell of the coarser table). A
reader knows each `<5` cell lies in 1..4 and each `x` cell in 5.. (smaller ones would show
`<5`), and the margin exactly unless the margin itself is 1..4. From those bounds and the
margin every hidden cell must stay ambiguous; while one can be pinned down, the smallest
still visible nonzero cell of the group is hidden as `x`. Repeated until nothing changes.

Non-partitioning dimensions (service, month, outcome, course and event attributes) need no
complementary cells: one client may appear in several of their values, so the cells do not
add up to any published figure and subtraction reveals nothing.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

SHOWN = ""
SMALL = "<5"
HIDDEN = "x"
THRESHOLD = 5


def primary_flag(value: int) -> str:
    return SMALL if 0 < value < THRESHOLD else SHOWN


def bounds(flag: str, value: int) -> tuple[float, float]:
    """What a reader of the published table knows about a cell."""
    if flag == SMALL:
        return 1, THRESHOLD - 1
    if flag == HIDDEN:
        return THRESHOLD, math.inf
    return value, value


def margin_bounds(margin: int) -> tuple[float, float]:
    """A margin of 1..4 is itself published as `<5`; otherwise it is known exactly."""
    if 0 < margin < THRESHOLD:
        return 1, THRESHOLD - 1
    return margin, margin


def pinned_cells(values: Sequence[int], flags: Sequence[str], margin: tuple[float, float]) -> list[int]:
    """Indices of hidden cells whose value follows exactly from the bounds and the margin."""
    hidden = [i for i, flag in enumerate(flags) if flag != SHOWN]
    if not hidden:
        return []
    shown_sum = sum(v for v, flag in zip(values, flags, strict=True) if flag == SHOWN)
    low_sum, high_sum = margin[0] - shown_sum, margin[1] - shown_sum
    cell_bounds = {i: bounds(flags[i], values[i]) for i in hidden}
    all_low = sum(b[0] for b in cell_bounds.values())
    finite_high = sum(b[1] for b in cell_bounds.values() if b[1] != math.inf)
    unbounded = sum(1 for b in cell_bounds.values() if b[1] == math.inf)
    pinned = []
    for i, (low, high) in cell_bounds.items():
        others_low = all_low - low
        # Counted apart, not subtracted: inf - inf would be nan.
        if high == math.inf:
            others_high = math.inf if unbounded > 1 else finite_high
        else:
            others_high = math.inf if unbounded else finite_high - high
        can_low = max(low, low_sum - others_high)
        can_high = min(high, high_sum - others_low)
        if can_low >= can_high:
            pinned.append(i)
    return pinned


def groups_of(rows: Sequence[tuple[str, ...]], by: Sequence[str], partitioning: Sequence[str]) -> list[list[int]]:
    """Row index groups whose cells add up to a published margin (one per partitioning dimension)."""
    groups: list[list[int]] = []
    for dimension in partitioning:
        position = list(by).index(dimension)
        keyed: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for index, row in enumerate(rows):
            keyed[row[:position] + row[position + 1 :]].append(index)
        groups.extend(keyed.values())
    return groups


def suppress_column(
    values: Sequence[int], rows: Sequence[tuple[str, ...]], by: Sequence[str], partitioning: Sequence[str]
) -> list[str]:
    """Flags ("", "<5", "x") of one unique-people column of a grouped table."""
    flags = [primary_flag(v) for v in values]
    groups = groups_of(rows, by, partitioning)
    groups_with: dict[int, list[list[int]]] = defaultdict(list)
    for group in groups:
        for index in group:
            groups_with[index].append(group)
    changed = True
    while changed:
        changed = False
        for group in groups:
            if not _exposed(group, values, flags):
                continue
            candidates = sorted(
                (i for i in group if flags[i] == SHOWN and values[i] > 0), key=lambda i: (values[i], rows[i])
            )
            if not candidates:
                continue  # every nonzero cell is hidden already; only hiding the margin would help
            # Prefer a complement that does not itself become exposed in a group with nothing left to hide.
            chosen = next(
                (c for c in candidates if all(_can_recover(g, c, values, flags) for g in groups_with[c])),
                candidates[0],
            )
            flags[chosen] = HIDDEN
            changed = True
    return flags


def _exposed(group: Sequence[int], values: Sequence[int], flags: Sequence[str]) -> bool:
    group_values = [values[i] for i in group]
    return bool(pinned_cells(group_values, [flags[i] for i in group], margin_bounds(sum(group_values))))


def _can_recover(group: Sequence[int], hiding: int, values: Sequence[int], flags: Sequence[str]) -> bool:
    """Whether, after hiding `hiding`, `group` is safe or still has a visible nonzero cell to hide."""
    trial = list(flags)
    trial[hiding] = HIDDEN
    if not _exposed(group, values, trial):
        return True
    return any(trial[i] == SHOWN and values[i] > 0 for i in group)
