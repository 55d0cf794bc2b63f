"""Figures already computed, kept per build, scope and query (a bounded LRU), so a view asked again is not recomputed.

A key is (build, what, query): `build` is the published file's generation the figures were read
from (dashboard/data.py: each file `reach build` publishes is opened as a new generation), `what`
the kind of answer (a metric result, a chart's joined figures), and the whole `MetricQuery` —
period, metrics, grouping, filters, exclusions, protection and the scope. The scope is the
query's own `Scope`, the object the metric layer applies below every filter, which the dashboard
takes from the signed-in account (never from anything the browser sends): two users with
different scopes never share an entry, and neither do protected and exact figures.

When a new build is published the entries of every other build are dropped (`publish`), and an
answer read from a replaced build (a request that pinned it before the publish) is not kept.
A cache `derived` from this one (the drawn chart cards, dashboard/card_cache.py) follows it: every
publish and every clear of this one is applied to it too.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import TypeVar

from pipelines.access import Scope
from pipelines.metrics import MetricQuery
from pipelines.metrics.protection import Protection

# Entries, not bytes: an entry is a query's few rows (a breakdown has at most a few hundred), so
# this many stay within a few tens of MB even at the national scale's widest breakdowns.
MAX_ENTRIES = 2048

T = TypeVar("T")


def query_key(query: MetricQuery) -> tuple[Hashable, ...]:
    """Everything a query's figures depend on besides the build, as a hashable tuple."""
    if not isinstance(query.scope, Scope):  # the metric layer refuses such a query too; never key it
        raise TypeError(f"A metric query needs a Scope, not {query.scope!r}.")
    if not isinstance(query.protection, Protection):
        raise TypeError(f"A metric query needs a Protection, not {query.protection!r}.")
    return (query.scope, query.protection, query.date_from, query.date_to, tuple(query.metrics), tuple(query.by),
            _mapping(query.where), _mapping(query.exclude))


def _mapping(values: Mapping[str, tuple[str, ...]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(sorted((str(name), tuple(codes)) for name, codes in values.items()))


class ResultCache:
    """A thread-safe LRU of answers keyed by (build, what, query), holding the current build's only."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        if max_entries < 1:
            raise ValueError("a result cache holds at least one entry")
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[Hashable, ...], object] = OrderedDict()
        self._lock = threading.Lock()
        self._build: Hashable | None = None
        self.hits = 0
        self.misses = 0
        self._derived: dict[str, ResultCache] = {}  # caches made from these answers (derived)

    def __len__(self) -> int:
        return len(self._entries)

    def publish(self, build: Hashable) -> None:
        """`build` is the one published now: the entries of every other build are dropped."""
        with self._lock:
            self._build = build
            for key in [key for key in self._entries if key[0] != build]:
                del self._entries[key]
            for cache in self._derived.values():  # under this lock: two publishes reach them in order
                cache.publish(build)

    def get_or_compute(self, build: Hashable, what: str, query: MetricQuery, compute: Callable[[], T]) -> T:
        """The answer kept for (build, what, query), else `compute()` (kept while `build` is the current one).

        An exception from `compute` is raised and nothing is kept. Two threads asking the same new
        key at once may both compute it; the answers are equal, the later one is kept.
        """
        return self.get_or_compute_key(build, (what, *query_key(query)), compute)

    def get_or_compute_key(self, build: Hashable, key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
        """Like get_or_compute, for a caller that makes the rest of the key itself (dashboard/card_cache.py)."""
        key = (build, *key)
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return self._entries[key]  # type: ignore[return-value]
            self.misses += 1
        value = compute()
        with self._lock:
            if build == self._build:  # never keep what a replaced build answered
                self._entries[key] = value
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return value

    def kept(self, build: Hashable, key: tuple[Hashable, ...]) -> object | None:
        """The entry kept for (build, *key) (counted as a hit), else None; nothing is computed."""
        key = (build, *key)
        with self._lock:
            if key not in self._entries:
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return self._entries[key]

    def derived(self, name: str, max_entries: int) -> ResultCache:
        """The cache `name` of what is made from this one's answers (drawn chart cards), made on first use:
        it is told of every publish and every clear of this one, so it never outlives the answers it was
        made from."""
        with self._lock:
            if name not in self._derived:
                cache = ResultCache(max_entries)
                cache.publish(self._build)
                self._derived[name] = cache
            return self._derived[name]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            for cache in self._derived.values():
                cache.clear()
