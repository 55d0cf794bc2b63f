"""A load's progress on the terminal (rich): files done, rows read, elapsed time.

Shown on stderr, so stdout keeps only the per-file summary that scripts and tests read, and
only where it helps: on a terminal, once a load has run for SHOW_AFTER_SECONDS (a quick load
shows nothing), and gone again when the load ends (`transient`); not when stdout is piped. `--progress` shows it at once
on any stream, `--no-progress` never. The loader calls back after each file
(pipelines.ingest.LoadProgress, the same callback the Deliveries page uses); between files the
spinner and the clock keep moving, so a large file does not look like a hang.
"""

from __future__ import annotations

import sys
import threading
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from pipelines.formatting import fmt_int
from pipelines.ingest.report import LoadProgress

SHOW_AFTER_SECONDS = 2.0


def wanted(choice: bool | None, console: Console) -> bool:
    """--progress (True), --no-progress (False) or, unset (None), only when both stdout and the
    console (stderr) are a terminal: output piped to a file or a script stays plain."""
    if choice is not None:
        return choice
    return console.is_terminal and sys.stdout.isatty()


class LoadProgressDisplay:
    """Context manager; pass `update` to load_paths as its progress callback."""

    def __init__(self, console: Console, delay: float = SHOW_AFTER_SECONDS) -> None:
        self._progress = Progress(
            SpinnerColumn(), TextColumn("{task.description}", markup=False),  # file names are delivered text
            BarColumn(), MofNCompleteColumn(),
            TextColumn("files · {task.fields[rows]} rows read"), TimeElapsedColumn(),
            console=console, transient=True,
        )
        self._lock = threading.Lock()
        self._latest: LoadProgress | None = None
        self._task: int | None = None
        self._timer = threading.Timer(delay, self._show)
        self._timer.daemon = True

    def __enter__(self) -> LoadProgressDisplay:
        self._timer.start()
        return self

    def update(self, report: LoadProgress) -> None:
        with self._lock:
            self._latest = report
            if self._task is not None:
                self._draw(report)

    def _show(self) -> None:
        with self._lock:
            self._progress.start()
            self._task = self._progress.add_task("loading", total=None, rows="0")
            if self._latest is not None:
                self._draw(self._latest)

    def _draw(self, report: LoadProgress) -> None:
        assert self._task is not None
        self._progress.update(self._task, completed=report.files_done, total=report.files_total,
                              rows=fmt_int(report.rows_read, "en"), description=f"loading {report.file_name}")

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._timer.cancel()
        self._timer.join()  # a display being started finishes starting, then stops below
        with self._lock:
            if self._task is not None:
                self._progress.stop()
