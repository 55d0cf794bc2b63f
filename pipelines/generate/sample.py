"""`generate_sample`: a whole sample (all deliveries, manifest) from one seed; `generate_national`:
one per centre.

Streaming: a centre is generated in chunks of CHUNK_CLIENTS clients, each self-contained
(its clients and every record naming them), rendered and spilled to disk per month; then
each month's files are written piece by piece. Memory holds one chunk, not the sample.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from pipelines import contract
from pipelines.errors import ReachError
from pipelines.generate import activities, history, people
from pipelines.generate.centres import CentreProfile, default_clients, parse_centres, profile, split_clients
from pipelines.generate.clients import generate_clients
from pipelines.generate.manifest import (
    CLEAN,
    MANIFEST_NAME,
    NATIONAL_MANIFEST,
    ORPHAN,
    QUARANTINE,
    UNKNOWN_COLUMN,
    UNKNOWN_VALUE,
    CentreEntry,
    DeliveryEntry,
    FileEntry,
    Irregularity,
    Manifest,
    NationalManifest,
    Revision,
    Spool,
)
from pipelines.generate.messiness import Messiness
from pipelines.generate.period import Period
from pipelines.generate.raw_export import RawIdentities
from pipelines.generate.render import country_labels, render
from pipelines.generate.writers import DeliveryWriter, FileFormat, csv_bytes, xlsx_bytes

MAX_CLIENTS = 1_000_000
MAX_MONTHS = 120
DEFAULT_MESSY_RATE = 0.02
# Clients generated and held at a time. A chunk is a self-contained part of the centre (its
# clients with their contacts, courses, events and outcomes), so memory stays bounded however
# many clients a sample has; a sample of at most this many clients is one chunk.
CHUNK_CLIENTS = 50_000
WORK_PREFIX = ".generate-work-"  # per-run spill folder inside OUT, removed at the end
# The national sample's linkage key (public: it keys fake people only). Pseudonymising the
# national raw sample with this key as --linkage-key-file gives the same Národní klíč.
SAMPLE_LINKAGE_KEY = b"reach national sample linkage key - public, for fake people only"
_ID_TABLES = ("kontakty", "kurzy", "akce", "vysledky")  # tables whose IDs are numbered across chunks


def _streams(seed: int, centre: str | None, chunk: int, count: int = 8) -> list[np.random.Generator]:
    """The random streams of one chunk. The first chunk of the regional sample (centre None) uses
    the streams the generator always used, so `reach generate` keeps writing the same files."""
    if centre is None and chunk == 0:
        sequence = np.random.SeedSequence(seed)
    else:
        sequence = np.random.SeedSequence([seed, zlib.crc32((centre or "").encode()), chunk])
    return [np.random.default_rng(s) for s in sequence.spawn(count)]


def _aux_stream(seed: int, tag: int, centre: str | None, chunk: int = 0) -> np.random.Generator:
    """Messiness (tag 7) and identities (tag 11): the regional sample's first chunk as always."""
    if centre is None and chunk == 0:
        return np.random.default_rng(np.random.SeedSequence([seed, tag]))
    return np.random.default_rng(np.random.SeedSequence([seed, tag, zlib.crc32((centre or "").encode()), chunk]))


@dataclass
class _Centre:
    """What one centre's sample is made of."""

    out: Path
    centre: str | None  # None: the regional sample (OUT/<month>/, as always)
    clients: int
    profile: CentreProfile
    shared: pl.DataFrame | None  # people also served by another centre (national samples)


def _chunk_tables(streams: list[np.random.Generator], size: int, period: Period, unit: _Centre,
                  shared: pl.DataFrame | None, first: dict[str, int]) -> dict[str, pl.DataFrame]:
    """Every record of one chunk of clients per contract file, with its delivery history planned."""
    profile = unit.profile
    client_frame = generate_clients(streams[0], size, period, profile, shared).with_columns(
        pl.col("_reg_day").alias("_day")
    )
    contacts = activities.generate_contacts(streams[1], client_frame, period, profile, first["kontakty"])
    courses = activities.generate_courses(streams[2], size, period, profile, first["kurzy"])
    enrolments = activities.generate_enrolments(streams[2], courses, client_frame, period)
    events = activities.generate_events(streams[3], size, period, profile, first["akce"])
    participants = activities.generate_event_participants(streams[3], events, client_frame)
    outcomes = activities.generate_outcomes(streams[4], contacts, enrolments, period, first["vysledky"])
    raw = {
        "klienti": client_frame, "kontakty": contacts, "kurzy": courses, "ucastnici_kurzu": enrolments,
        "akce": events, "ucastnici_akci": participants, "vysledky": outcomes,
    }
    planner = streams[5]
    return {name: history.plan(planner, frame, name, period) for name, frame in raw.items()}


class _Spill:
    """Rendered month pieces of each chunk, on disk until the month's files are written."""

    def __init__(self, out: Path) -> None:
        self.root = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=out))
        self.pieces: dict[tuple[str, int], list[Path]] = {}  # (file, month) -> pieces in chunk order
        self.schemas: dict[str, pl.DataFrame] = {}  # file -> an empty frame of its written columns
        self.rows: Counter[str] = Counter()  # records per file (all chunks)

    def put(self, file: str, month: int, chunk: int, written: pl.DataFrame) -> None:
        self.schemas.setdefault(file, written.clear())
        if written.height:
            path = self.root / f"{file}-{month:04d}-{chunk:05d}.arrow"
            written.write_ipc(path)
            self.pieces.setdefault((file, month), []).append(path)

    def take(self, file: str, month: int) -> Iterator[pl.DataFrame]:
        """The month's pieces in chunk order, each deleted once read."""
        for path in self.pieces.pop((file, month), []):
            piece = pl.read_ipc(path)
            path.unlink()
            yield piece

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _spill_chunks(seed: int, period: Period, unit: _Centre, raw: bool, spill: _Spill) -> None:
    """Generate the centre chunk by chunk and spill each chunk's rendered deliveries."""
    first = dict.fromkeys(_ID_TABLES, 1)
    for chunk, offset in enumerate(range(0, unit.clients, CHUNK_CLIENTS)):
        _spill_chunk(seed, period, unit, raw, spill, chunk, offset, first)


def _spill_chunk(seed: int, period: Period, unit: _Centre, raw: bool, spill: _Spill, chunk: int, offset: int,
                 first: dict[str, int]) -> None:
    """One chunk: generated, rendered, spilled; nothing of it outlives the call (`first`, the next
    IDs to number from, is moved on)."""
    national = unit.centre is not None
    size = min(CHUNK_CLIENTS, unit.clients - offset)
    shared = people.in_chunk(unit.shared, offset, size) if unit.shared is not None else None
    tables = _chunk_tables(_streams(seed, unit.centre, chunk), size, period, unit, shared, first)
    for name in _ID_TABLES:
        first[name] += tables[name].height
    identities = None
    if raw or national:
        identities = RawIdentities(_aux_stream(seed, 11, unit.centre, chunk), tables["klienti"],
                                   first_number=100001 + offset, varied=national, shared=shared)
    if national and not raw:  # the export carries the linkage key; a raw export gets it from the pseudonymiser
        labels = tables["klienti"]["citizenship"].replace_strict(country_labels(), default=None).to_list()
        tables["klienti"] = tables["klienti"].with_columns(
            linkage_key=pl.Series(identities.linkage_keys(SAMPLE_LINKAGE_KEY, labels), dtype=pl.String)
        )
    for spec in contract.FILES:
        frame = tables.pop(spec.name)
        spill.rows[spec.name] += frame.height
        for month, records in history.deliveries(frame, spec.name, period.months):
            written = render(records, spec)
            if raw and identities is not None:
                written = identities.apply(written, spec, records)
            spill.put(spec.name, month, chunk, written)
        del frame


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
    for stale in out.glob(WORK_PREFIX + "*") if out.is_dir() else []:  # a run that was killed
        shutil.rmtree(stale, ignore_errors=True)
    if out.is_dir() and any(out.iterdir()) and not any((out / m).exists() for m in (MANIFEST_NAME, NATIONAL_MANIFEST)):
        raise ReachError(
            f"{out} is not empty and holds no {MANIFEST_NAME}; choose an empty folder so no files are overwritten."
        )


def _clear_previous(out: Path) -> None:
    """Remove the deliveries of an earlier run into the same folder (named in its manifest)."""
    if (out / NATIONAL_MANIFEST).exists():
        for centre in json.loads((out / NATIONAL_MANIFEST).read_text(encoding="utf-8"))["centres"]:
            folder = out / centre["path"]
            _clear_previous(folder)
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        (out / NATIONAL_MANIFEST).unlink()
    if not (out / MANIFEST_NAME).exists():
        return
    previous = Manifest.read(out)
    for path in previous.delivery_paths():
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    (out / MANIFEST_NAME).unlink()


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
    _clear_previous(out)
    out.mkdir(parents=True, exist_ok=True)
    unit = _Centre(out, None, clients, profile("ULK"), None)
    return _write_centre(unit, seed, Period(start, months), messy, raw, messy_rate)


def generate_national(
    out: Path,
    centres: list[str],
    clients: int | None = None,
    months: int = 12,
    start: date = date(2022, 8, 1),
    seed: int = 1,
    messy: bool = False,
    raw: bool = False,
    messy_rate: float = DEFAULT_MESSY_RATE,
) -> NationalManifest:
    """One sample per centre in OUT/<CODE>/ (deliveries OUT/<CODE>/<month>/, as `reach load
    OUT/<CODE> --centre CODE` loads them), sizes in proportion to the regions' foreign residents,
    some people served by two centres; OUT/national-manifest.json lists the centres.

    `clients`: all the centres' clients together (default: about 4,400 per centre-year).
    """
    out = Path(out)
    centres = parse_centres(",".join(centres))  # known codes, in the national order
    total = default_clients(centres, months) if clients is None else clients
    _check_arguments(out, total, months, start, messy, raw)
    sizes = split_clients(total, centres)
    _clear_previous(out)
    out.mkdir(parents=True, exist_ok=True)
    period = Period(start, months)
    plans = people.plan_shared(seed, sizes)
    national = NationalManifest(str(out.resolve()), seed, total, months, start.isoformat(), messy, raw)
    for code in centres:
        folder = out / code
        folder.mkdir(exist_ok=True)
        unit = _Centre(folder, code, sizes[code], profile(code), plans[code])
        manifest = _write_centre(unit, seed, period, messy, raw, messy_rate)
        national.centres.append(CentreEntry(
            code, profile(code).region_code, code, sizes[code], plans[code].height,
            sum(f.rows for d in manifest.deliveries for f in d.files),
        ))
        del manifest
    national.shared_people = sum(p.height for p in plans.values()) // 2
    national.write()
    return national


def _write_centre(unit: _Centre, seed: int, period: Period, messy: bool, raw: bool, messy_rate: float) -> Manifest:
    """Generate one centre chunk by chunk (spilled), then write its deliveries month by month."""
    out = unit.out
    manifest = Manifest(str(out.resolve()), seed, unit.clients, period.months, period.start.isoformat(), messy, raw)
    spill = _Spill(out)
    # Irregularities and revisions grow with the sample: spooled to the work folder, copied into the manifest.
    manifest.irregularities = Spool(Irregularity, spill.root / "irregularities.jsonl")
    manifest.revisions = Spool(Revision, spill.root / "revisions.jsonl")
    try:
        _spill_chunks(seed, period, unit, raw, spill)
        mess = Messiness(_aux_stream(seed, 7, unit.centre), dict(spill.rows), period, messy_rate) if messy else None
        for month in range(period.months):
            manifest.deliveries.append(_write_delivery(out, period, month, spill, mess, manifest))
        manifest.write()  # the spools become views of the written manifest
    finally:
        for spooled in (manifest.irregularities, manifest.revisions):
            if isinstance(spooled, Spool):
                spooled.close()
        spill.close()
    return manifest


def _write_delivery(out: Path, period: Period, month: int, spill: _Spill, mess: Messiness | None,
                    manifest: Manifest) -> DeliveryEntry:
    name = period.delivery_name(month)
    zipped = mess.zip_delivery(month) if mess else False
    writer = DeliveryWriter(out, name, zipped)
    entry = DeliveryEntry(name, writer.path.name)
    if zipped:
        manifest.irregularities.append(Irregularity(name, "", None, None, None, "zip", writer.path.name, CLEAN))
    for spec in contract.FILES:
        if mess is None:
            entry.files.append(_stream_clean_file(writer, spill, spec, month, name, manifest))
            continue
        pieces = list(spill.take(spec.name, month))
        written = pl.concat(pieces) if pieces else spill.schemas[spec.name]
        written, fmt, irregularities = mess.apply(written, spec, month, name)
        file_name, content, fmt = _encode(written.drop("_origin"), spec, fmt)
        if fmt.encoding != "cp1250":  # the text did not fit Windows-1250: written as UTF-8
            irregularities = [i for i in irregularities if i.kind != "encoding_cp1250"]
        writer.add(file_name, content)
        for irregularity in irregularities:
            irregularity.file = file_name
        manifest.irregularities.extend(irregularities)
        manifest.revisions.extend(_revisions(written, spec, name, file_name))
        entry.files.append(_file_entry(Counter(written["_origin"].to_list()), written.height, spec, file_name,
                                       fmt, irregularities))
    writer.close()
    return entry


def _stream_clean_file(writer: DeliveryWriter, spill: _Spill, spec: contract.ExportFile, month: int, name: str,
                       manifest: Manifest) -> FileEntry:
    """A clean file written piece by piece: the same bytes as writing the month's rows at once."""
    file_name, fmt = spec.name + ".csv", FileFormat()
    origins: Counter[str] = Counter()
    rows = 0

    def parts() -> Iterator[bytes]:
        nonlocal rows
        header = True
        for piece in spill.take(spec.name, month):
            content, _ = csv_bytes(piece.drop("_origin"), fmt, header=header)
            header = False
            origins.update(piece["_origin"].to_list())
            manifest.revisions.extend(_revisions(piece, spec, name, file_name, first_row=rows))
            rows += piece.height
            yield content
        if header:  # no records this month: the header alone
            yield csv_bytes(spill.schemas[spec.name].drop("_origin"), fmt)[0]

    writer.add_parts(file_name, parts())
    return _file_entry(origins, rows, spec, file_name, fmt, [])


def _encode(frame: pl.DataFrame, spec: contract.ExportFile, fmt: FileFormat) -> tuple[str, bytes, FileFormat]:
    """File name, bytes and the format actually written."""
    if fmt.kind == "xlsx":
        return spec.name + fmt.extension, xlsx_bytes(frame, spec), fmt
    content, fmt = csv_bytes(frame, fmt)
    return spec.name + fmt.extension, content, fmt


def _revisions(written: pl.DataFrame, spec: contract.ExportFile, delivery: str, file_name: str,
               first_row: int = 0) -> list[Revision]:
    """The revisions among `written`, whose first row is data row `first_row` + 1 of the file."""
    key_positions = [spec.columns.index(c) for c in spec.key_columns]
    origin = written["_origin"]
    rows = np.flatnonzero(origin.is_in([history.REPEATED, history.CORRECTED, history.RETRACTED]).to_numpy())
    if not len(rows):
        return []
    # Messiness renames headers in place and appends extra columns, so positions hold.
    keys = written.select([written.columns[p] for p in key_positions])[rows].rows()
    kinds = origin.gather(rows).to_list()
    return [
        Revision(delivery, file_name, first_row + int(row) + 2, kind, [str(v) for v in key])
        for row, kind, key in zip(rows, kinds, keys, strict=True)
    ]


def _file_entry(
    origins: Counter[str], rows: int, spec: contract.ExportFile, file_name: str, fmt: FileFormat,
    irregularities: list[Irregularity],
) -> FileEntry:
    expects = Counter(i.expect for i in irregularities if i.row is not None)
    quarantined = expects[QUARANTINE]
    return FileEntry(
        file=file_name, table=spec.name, rows=rows, format=fmt.describe(),
        origins=dict(sorted(origins.items())),
        expected={
            "read": rows,
            "loaded": rows - quarantined,
            "quarantined": quarantined,
            "unknown_value_warnings": expects[UNKNOWN_VALUE],
            "orphan_warnings": expects[ORPHAN],
            "unknown_column_warnings": sum(1 for i in irregularities if i.expect == UNKNOWN_COLUMN),
        },
    )
