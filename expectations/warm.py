"""The gate's libraries imported ahead of time, in a background thread while dbt runs.

At regional scale the gate is mostly fixed cost, about half of it importing Great Expectations
(docs/performance.md, "Quality gate"). `reach build` starts `start_importing()` just before dbt
runs and `wait()`s before the gate: while dbt's threads wait on DuckDB (which runs without the
GIL) these imports proceed. Only imports: nothing is opened, configured or cached, so a gate
run after a warm-up behaves as one without it; an import that fails here fails again, with its
own message, where the gate imports it.
"""

from __future__ import annotations

import importlib
import threading

# What the gate (expectations.runner, engine, gx_docs) and the publish step after it import,
# the heaviest first.
MODULES = (
    "great_expectations",
    "great_expectations.expectations.registry",
    "great_expectations.data_context.types.base",
    "great_expectations.core.expectation_validation_result",
    "great_expectations.core.run_identifier",
    "great_expectations.render.renderer.page_renderer",
    "great_expectations.render.renderer.site_index_page_renderer",
    "great_expectations.render.view.view",
    "expectations.runner",
    "pipelines.metrics",
    "pipelines.metrics.periods",
    "pipelines.metrics.protection",
)
# Standard-library modules that dbt imports lazily while it runs and these imports need too:
# imported first in the calling thread, so the two threads never import the same module at once.
SHARED = ("_strptime",)


class Warmup:
    def __init__(self, thread: threading.Thread) -> None:
        self._thread = thread

    def wait(self) -> None:
        self._thread.join()


def _import_all() -> None:
    for name in MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # reported where the gate imports it, not here
            return


def start_importing() -> Warmup:
    for name in SHARED:
        importlib.import_module(name)
    thread = threading.Thread(target=_import_all, name="gate-imports", daemon=True)
    thread.start()
    return Warmup(thread)
