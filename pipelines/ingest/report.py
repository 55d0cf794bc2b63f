"""What a load did: per-file and per-delivery summaries, and their table for the terminal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from pipelines.formatting import fmt_int


@dataclass(frozen=True)
class FileReport:
    file_name: str
    file_kind: str | None  # export file stem; None if the name is not one of the contract's
    status: str  # loaded | rejected | ignored
    message: str | None = None  # why rejected or ignored, naming the file
    rows_read: int = 0  # = rows_loaded + rows_quarantined
    rows_loaded: int = 0
    rows_quarantined: int = 0
    warnings: int = 0
    sha256: str | None = None
    file_format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    # The first quarantined rows, e.g. "row 3, column 'Datum': not a date …" (reasons only, never values).
    quarantined_rows: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeliveryReport:
    source: str
    centre: str
    delivery_id: str
    already_loaded: bool  # True: this delivery was loaded before; nothing changed
    load_seq: int | None
    files: list[FileReport] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_quarantined(self) -> int:
        return sum(f.rows_quarantined for f in self.files)

    @property
    def warnings(self) -> int:
        return sum(f.warnings for f in self.files)

    def file(self, kind: str) -> FileReport:
        return next(f for f in self.files if f.file_kind == kind and f.status != "ignored")


@dataclass(frozen=True)
class LoadProgress:
    """Passed to a load's progress callback after each file (the Deliveries page's progress bar)."""

    source: str  # the delivery the file belongs to
    file_name: str
    files_done: int  # of every delivery of the call, this one included
    files_total: int
    rows_read: int  # so far, over the whole call


class ProgressTracker:
    """Counts files and rows over one `load_paths` call and calls the callback after each file."""

    def __init__(self, callback: Callable[[LoadProgress], None] | None, files_total: int) -> None:
        self.callback, self.files_total, self.files_done, self.rows_read = callback, files_total, 0, 0

    def file_done(self, source: str, report: FileReport) -> None:
        self.files_done += 1
        self.rows_read += report.rows_read
        if self.callback is not None:
            self.callback(LoadProgress(source, report.file_name, self.files_done, self.files_total, self.rows_read))


_HEADERS = ("file", "status", "read", "loaded", "quarantined", "warnings")


def format_report(report: DeliveryReport) -> str:
    """The per-file table of one delivery, then the messages of rejected or ignored files."""
    if report.already_loaded:
        return (f"{report.source}: already loaded (delivery {report.delivery_id[:12]}, centre "
                f"{report.centre}); nothing changed.")
    rows = [
        (f.file_name, f.status, fmt_int(f.rows_read, "en"), fmt_int(f.rows_loaded, "en"),
         fmt_int(f.rows_quarantined, "en"), fmt_int(f.warnings, "en"))
        for f in report.files
    ]
    rows.append(("total", "", fmt_int(report.rows_read, "en"), fmt_int(report.rows_loaded, "en"),
                 fmt_int(report.rows_quarantined, "en"), fmt_int(report.warnings, "en")))
    widths = [max(len(str(r[i])) for r in [_HEADERS, *rows]) for i in range(len(_HEADERS))]

    def line(cells: tuple[str, ...]) -> str:
        padded = (c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
        return "  ".join(padded).rstrip()

    out = [f"{report.source}: loaded as delivery {report.delivery_id[:12]} (centre {report.centre}, "
           f"load #{report.load_seq})", line(_HEADERS), line(tuple("-" * w for w in widths))]
    out += [line(r) for r in rows]
    out += [f"  {f.message}" for f in report.files if f.message]
    out += [_quarantine_note(f) for f in report.files if f.quarantined_rows]
    return "\n".join(out)


def _quarantine_note(f: FileReport) -> str:
    shown = "; ".join(f.quarantined_rows)
    more = f"; and {fmt_int(f.rows_quarantined - len(f.quarantined_rows), 'en')} more rows" \
        if f.rows_quarantined > len(f.quarantined_rows) else ""
    rows = f"{fmt_int(f.rows_quarantined, 'en')} row{'s' if f.rows_quarantined > 1 else ''}"
    return f"  {f.file_name}: {rows} quarantined: {shown}{more} (all in meta.quarantine)."
