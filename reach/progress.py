"""A load's or a build's progress on the terminal (rich): files done and rows read, or the build's step.

Shown on stderr, so stdout keeps only the summary that scripts and tests read, and
only where it helps: on a terminal, once the work has run for SHOW_AFTER_SECONDS (a quick load
shows nothing), and gone again when it ends (`transient`); not when stdout is piped. `--progress` shows it at once
on any stream, `--no-progress` never. The loader calls back after each file
(pipelines.ingest.LoadProgress), the build at each step (pipelines.build_progress.BuildProgress):
the same callbacks the Deliveries page uses, and the build's words are the page's English ones.
Between reports the spinner and the clock keep moving, so a large file does not look like a hang.
"""

from __future__ import annotations

import sys
import threading
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from dashboard.routine.texts import build_step_text
from pipelines.build_progress import BuildProgress
from pipelines.formatting import fmt_int
from pipelines.ingest.report import LoadProgress

SHOW_AFTER_SECONDS = 2.0


def wanted(choice: bool | None, console: Console) -> bool:
    """--progress (True), --no-progress (False) or, unset (None), only when both stdout and the
    console (stderr) are a terminal: output piped to a file or a script stays plain."""
    if choice is not None:
        return choice
    return console.is_terminal and sys.stdout.isatty()


class _DelayedDisplay:
    """Context manager; pass `update` to the work as its progress callback. Shown after `delay` seconds."""

    def __init__(self, console: Console, delay: float, *columns: Any, **fields: str) -> None:
        self._progress = Progress(*columns, console=console, transient=True)
        self._fields = fields
        self._lock = threading.Lock()
        self._latest: Any = None
        self._task: int | None = None
        self._timer = threading.Timer(delay, self._show)
        self._timer.daemon = True

    def __enter__(self) -> _DelayedDisplay:
        self._timer.start()
        return self

    def update(self, report: Any) -> None:
        with self._lock:
            self._latest = report
            if self._task is not None:
                self._draw(report)

    def _show(self) -> None:
        with self._lock:
            self._progress.start()
            self._task = self._progress.add_task("", total=None, **self._fields)
            if self._latest is not None:
                self._draw(self._latest)

    def _draw(self, report: Any) -> None:
        raise NotImplementedError

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._timer.cancel()
        self._timer.join()  # a display being started finishes starting, then stops below
        with self._lock:
            if self._task is not None:
                self._progress.stop()


class LoadProgressDisplay(_DelayedDisplay):
    """For load_paths: files done of all, rows read, the file just loaded."""

    def __init__(self, console: Console, delay: float = SHOW_AFTER_SECONDS) -> None:
        super().__init__(console, delay,
                         SpinnerColumn(), TextColumn("{task.description}", markup=False),  # file names are delivered
                         BarColumn(), MofNCompleteColumn(),
                         TextColumn("files · {task.fields[rows]} rows read"), TimeElapsedColumn(), rows="0")

    def _draw(self, report: LoadProgress) -> None:
        assert self._task is not None
        self._progress.update(self._task, completed=report.files_done, total=report.files_total,
                              rows=fmt_int(report.rows_read, "en"), description=f"loading {report.file_name}")


class BuildProgressDisplay(_DelayedDisplay):
    """For build_warehouse: "step k of n: name", what of the step is done where it counts, a bar over the steps."""

    def __init__(self, console: Console, delay: float = SHOW_AFTER_SECONDS) -> None:
        super().__init__(console, delay, SpinnerColumn(), TextColumn("{task.description}", markup=False),
                         BarColumn(), TimeElapsedColumn())

    def _draw(self, report: BuildProgress) -> None:
        assert self._task is not None
        text = build_step_text(report.step, report.number, report.steps, report.done, report.total, "en")
        self._progress.update(self._task, completed=report.completed, total=report.steps, description=text)
