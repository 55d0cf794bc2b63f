"""`generate_sample`: a whole sample (all deliveries, manifest) from one seed."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from pipelines import contract
from pipelines.errors import ReachError
from pipelines.generate import activities, history
from pipelines.generate.clients import generate_clients
from pipelines.generate.manifest import (
    CLEAN,
    MANIFEST_NAME,
    ORPHAN,
    QUARANTINE,
    UNKNOWN_COLUMN,
    UNKNOWN_VALUE,
    DeliveryEntry,
    FileEntry,
    Irregularity,
    Manifest,
    Revision,
)
from pipelines.generate.messiness import Messiness
from pipelines.generate.period import Period
from pipelines.generate.raw_export import RawIdentities
from pipelines.generate.render import render
from pipelines.generate.writers import DeliveryWriter, FileFormat, csv_bytes, xlsx_bytes

MAX_CLIENTS = 1_000_000
MAX_MONTHS = 120
DEFAULT_MESSY_RATE = 0.02


def _build_tables(seed: int, clients: int, period: Period) -> dict[str, pl.DataFrame]:
    """Every record of the period per contract file, with its delivery history planned."""
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(8)]
    client_frame = generate_clients(streams[0], clients, period).with_columns(pl.col("_reg_day").alias("_day"))
    contacts = activities.generate_contacts(streams[1], client_frame, period)
    courses = activities.generate_courses(streams[2], clients, period)
    enrolments = activities.generate_enrolments(streams[2], courses, client_frame, period)
    events = activities.generate_events(streams[3], clients, period)
    participants = activities.generate_event_participants(streams[3], events, client_frame)
    outcomes = activities.generate_outcomes(streams[4], contacts, enrolments, period)
    raw = {
        "klienti": client_frame, "kontakty": contacts, "kurzy": courses, "ucastnici_kurzu": enrolments,
        "akce": events, "ucastnici_akci": participants, "vysledky": outcomes,
    }
    planner = streams[5]
    return {name: history.plan(planner, frame, name, period) for name, frame in raw.items()}


def _check_arguments(out: Path, clients: int, months: int, start: date, messy: bool, raw: bool) -> None:
    if not 1 <= clients <= MAX_CLIENTS:
        raise ReachError(f"--clients must be between 1 and {MAX_CLIENTS:,}; got {clients}.")
    if not 1 <= months <= MAX_MONTHS:
        raise ReachError(f"--months must be between 1 and {MAX_MONTHS}; got {months}.")
    if start.day != 1:
        raise ReachError(f"the start must be the first day of a month; got {start.isoformat()}.")
    if messy and raw:
        raise ReachError("--raw writes a clean raw export for the pseudonymiser; it cannot be combined with --messy.")
    if out.exists() and not out.is_dir():
        raise ReachError(f"{out} exists and is not a folder.")
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST_NAME).exists():
        raise ReachError(
            f"{out} is not empty and holds no {MANIFEST_NAME}; choose an empty folder so no files are overwritten."
        )


def _clear_previous(out: Path) -> None:
    """Remove the deliveries of an earlier run into the same folder (named in its manifest)."""
    previous = Manifest.read(out)
    for path in previous.delivery_paths():
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def generate_sample(
    out: Path,
    clients: int = 3000,
    months: int = 12,
    start: date = date(2022, 8, 1),
    seed: int = 1,
    messy: bool = False,
    raw: bool = False,
    messy_rate: float = DEFAULT_MESSY_RATE,
) -> Manifest:
    """Write sample deliveries into `out` (one folder per month, OUT/2022-08/klienti.csv ...)
    and OUT/generator-manifest.json; return the manifest (see docs/sample-data.md).

    The same arguments give byte-identical files. `messy` injects every irregularity the
    contract allows (at about `messy_rate` of rows per file, each kind at least once);
    `raw` writes the raw layout with fake direct identifiers (docs/raw-export.md) instead.
    """
    out = Path(out)
    _check_arguments(out, clients, months, start, messy, raw)
    if (out / MANIFEST_NAME).exists():
        _clear_previous(out)
    out.mkdir(parents=True, exist_ok=True)
    period = Period(start, months)
    tables = _build_tables(seed, clients, period)
    manifest = Manifest(str(out.resolve()), seed, clients, months, start.isoformat(), messy, raw)
    mess = Messiness(np.random.default_rng(np.random.SeedSequence([seed, 7])), tables, period, messy_rate) \
        if messy else None
    identities = RawIdentities(np.random.default_rng(np.random.SeedSequence([seed, 11])), tables["klienti"]) \
        if raw else None

    for month in range(months):
        name = period.delivery_name(month)
        zipped = mess.zip_delivery(month) if mess else False
        writer = DeliveryWriter(out, name, zipped)
        entry = DeliveryEntry(name, writer.path.name)
        if zipped:
            manifest.irregularities.append(
                Irregularity(name, "", None, None, None, "zip", writer.path.name, CLEAN)
            )
        for spec in contract.FILES:
            records = history.delivery(tables[spec.name], spec.name, month)
            written = render(records, spec)
            if identities is not None:
                written = identities.apply(written, spec, records)
            fmt, irregularities = FileFormat(), []
            if mess is not None:
                written, fmt, irregularities = mess.apply(written, spec, month, name)
            file_name, content, fmt = _encode(written.drop("_origin"), spec, fmt)
            if fmt.encoding != "cp1250":  # the text did not fit Windows-1250: written as UTF-8
                irregularities = [i for i in irregularities if i.kind != "encoding_cp1250"]
            writer.add(file_name, content)
            for irregularity in irregularities:
                irregularity.file = file_name
            manifest.irregularities.extend(irregularities)
            manifest.revisions.extend(_revisions(written, spec, name, file_name))
            entry.files.append(_file_entry(written, spec, file_name, fmt, irregularities))
        writer.close()
        manifest.deliveries.append(entry)
    manifest.write()
    return manifest


def _encode(frame: pl.DataFrame, spec: contract.ExportFile, fmt: FileFormat) -> tuple[str, bytes, FileFormat]:
    """File name, bytes and the format actually written."""
    if fmt.kind == "xlsx":
        return spec.name + fmt.extension, xlsx_bytes(frame, spec), fmt
    content, fmt = csv_bytes(frame, fmt)
    return spec.name + fmt.extension, content, fmt


def _revisions(written: pl.DataFrame, spec: contract.ExportFile, delivery: str, file_name: str) -> list[Revision]:
    key_positions = [spec.columns.index(c) for c in spec.key_columns]
    origin = written["_origin"]
    rows = np.flatnonzero(origin.is_in([history.REPEATED, history.CORRECTED, history.RETRACTED]).to_numpy())
    if not len(rows):
        return []
    # Messiness renames headers in place and appends extra columns, so positions hold.
    keys = written.select([written.columns[p] for p in key_positions])[rows].rows()
    kinds = origin.gather(rows).to_list()
    return [
        Revision(delivery, file_name, int(row) + 2, kind, [str(v) for v in key])
        for row, kind, key in zip(rows, kinds, keys, strict=True)
    ]


def _file_entry(
    written: pl.DataFrame, spec: contract.ExportFile, file_name: str, fmt: FileFormat,
    irregularities: list[Irregularity],
) -> FileEntry:
    origins = Counter(written["_origin"].to_list())
    expects = Counter(i.expect for i in irregularities if i.row is not None)
    quarantined = expects[QUARANTINE]
    return FileEntry(
        file=file_name, table=spec.name, rows=written.height, format=fmt.describe(),
        origins=dict(sorted(origins.items())),
        expected={
            "read": written.height,
            "loaded": written.height - quarantined,
            "quarantined": quarantined,
            "unknown_value_warnings": expects[UNKNOWN_VALUE],
            "orphan_warnings": expects[ORPHAN],
            "unknown_column_warnings": sum(1 for i in irregularities if i.expect == UNKNOWN_COLUMN),
        },
    )
