"""What a load did: per-file and per-delivery summaries, and their table for the terminal."""

from __future__ import annotations

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
