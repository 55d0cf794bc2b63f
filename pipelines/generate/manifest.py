"""The generator manifest (OUT/generator-manifest.json): what was written and every
irregularity injected, so a round-trip test can account for each one.

The format is documented in docs/sample-data.md.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

MANIFEST_NAME = "generator-manifest.json"
FORMAT_VERSION = 1

# What the loader is expected to do with an irregularity (export-format.md).
CLEAN = "clean"  # loads as if it were regular
QUARANTINE = "quarantine"  # the row is quarantined
UNKNOWN_VALUE = "warning:unknown_value"  # loaded with the value mapped to unknown, reported
ORPHAN = "warning:orphan"  # loaded, reported as an orphan
UNKNOWN_COLUMN = "file_warning:unknown_column"  # the file loads; the extra column is reported


@dataclass(slots=True)  # slots: a large sample holds many
class Irregularity:
    delivery: str  # delivery name, e.g. "2022-09"
    file: str  # file name as written, e.g. "kontakty.csv"; "" for a delivery-level kind (zip)
    row: int | None  # spreadsheet row number (header = 1); None for file-level kinds
    column: str | None  # header as written in the file
    canonical: str | None  # the contract's canonical column name
    kind: str
    value: str | None  # the cell as written (file-level kinds: the variant, e.g. "cp1250")
    expect: str


@dataclass(slots=True)
class Revision:
    """A record a later delivery repeats unchanged, corrects or retracts."""

    delivery: str
    file: str
    row: int
    kind: str  # repeated | corrected | retracted
    key: list[str]  # key values as written


@dataclass
class FileEntry:
    file: str  # as written, e.g. "klienti.csv"
    table: str  # contract file name, e.g. "klienti"
    rows: int  # data rows (header excluded)
    format: dict[str, str | bool]  # kind, encoding, bom, delimiter, line_end, quoting
    origins: dict[str, int]  # rows by origin: new, repeated, corrected, retracted, injected
    expected: dict[str, int]  # expected loader result: loaded, quarantined, warnings by kind


@dataclass
class DeliveryEntry:
    name: str  # "2022-08"
    path: str  # relative to OUT: "2022-08" (folder) or "2022-08.zip"
    files: list[FileEntry] = field(default_factory=list)


Entry = TypeVar("Entry", Irregularity, Revision)


class Spool(Generic[Entry]):
    """Manifest entries appended to a file as they are made (one JSON object a line), so a large
    sample keeps none of them in memory while it is generated; `Manifest.write` copies them in."""

    def __init__(self, kind: type[Entry], path: Path) -> None:
        self.kind = kind
        self.path = path
        self._stream: IO[str] | None = path.open("w", encoding="utf-8")
        self._count = 0
        self.kinds: set[str] = set()  # the entries' kinds, so `Manifest.kinds` reads no file

    def append(self, entry: Entry) -> None:
        assert self._stream is not None, "the spool was already read back"
        self._stream.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")
        self._count += 1
        self.kinds.add(entry.kind)

    def extend(self, entries: Iterable[Entry]) -> None:
        for entry in entries:
            self.append(entry)

    def __len__(self) -> int:
        return self._count

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def records(self) -> Iterator[dict[str, Any]]:
        """The entries as dicts, in the order they were appended."""
        self.close()
        with self.path.open(encoding="utf-8") as stream:
            for line in stream:
                yield json.loads(line)


class Written(Sequence[Entry]):
    """The entries of one list of a written manifest, read from the file only when asked for
    (the generator returns its manifest with these in place of the spools it wrote)."""

    def __init__(self, path: Path, key: str, kind: type[Entry], count: int, kinds: set[str]) -> None:
        self.path, self.key, self.kind, self._count, self.kinds = path, key, kind, count, kinds
        self._entries: list[Entry] | None = None

    def _load(self) -> list[Entry]:
        if self._entries is None:
            data = json.loads(self.path.read_text(encoding="utf-8"))[self.key]
            self._entries = [self.kind(**item) for item in data]
        return self._entries

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):  # type: ignore[no-untyped-def,override]
        return self._load()[index]

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._load())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Written({self.key!r}, {self._count} entries)"


def _entry_text(entry: Any) -> str:
    item = entry if isinstance(entry, dict) else asdict(entry)
    return json.dumps(item, ensure_ascii=False, indent=1).replace("\n", "\n  ")


@dataclass
class Manifest:
    """What `generate_sample` wrote. `deliveries` are in load order; `path_of` gives paths."""

    out: str
    seed: int
    clients: int
    months: int
    start: str
    messy: bool
    raw: bool
    deliveries: list[DeliveryEntry] = field(default_factory=list)
    # A list when read or built by hand; a Spool while the generator writes, Written after.
    irregularities: list[Irregularity] | Spool[Irregularity] | Written[Irregularity] = field(default_factory=list)
    revisions: list[Revision] | Spool[Revision] | Written[Revision] = field(default_factory=list)
    format_version: int = FORMAT_VERSION

    def delivery_paths(self) -> list[Path]:
        """Absolute delivery paths (folders or zips) in the order they must be loaded."""
        return [Path(self.out) / d.path for d in self.deliveries]

    def kinds(self) -> set[str]:
        if isinstance(self.irregularities, Spool | Written):
            return set(self.irregularities.kinds)
        return {i.kind for i in self.irregularities}

    def to_json(self) -> str:
        stream = io.StringIO()
        self._dump(stream)
        return stream.getvalue()

    def write(self) -> Path:
        """The manifest as `to_json` gives it (and a newline), written item by item: a large
        sample lists many revisions, and no second copy of them is built in memory. Spooled
        lists are copied from their files, then read from the manifest when asked for."""
        path = Path(self.out) / MANIFEST_NAME
        for value in (self.irregularities, self.revisions):
            if isinstance(value, Written):
                value._load()  # read before the file is rewritten (a manifest written again)
        with path.open("w", encoding="utf-8") as stream:
            self._dump(stream)
            stream.write("\n")
        for name in ("irregularities", "revisions"):
            value = getattr(self, name)
            if isinstance(value, Spool):
                setattr(self, name, Written(path, name, value.kind, len(value), value.kinds))
        return path

    def _dump(self, stream: IO[str]) -> None:
        """The same text as json.dumps(asdict(self), ensure_ascii=False, indent=1)."""
        lists = ("deliveries", "irregularities", "revisions")
        stream.write("{")
        for number, item in enumerate(fields(self)):
            stream.write(("," if number else "") + "\n " + json.dumps(item.name) + ": ")
            value = getattr(self, item.name)
            if item.name not in lists:
                stream.write(json.dumps(value, ensure_ascii=False))
                continue
            entries = value.records() if isinstance(value, Spool) else value
            empty = True
            for entry in entries:
                stream.write(("[" if empty else ",") + "\n  " + _entry_text(entry))
                empty = False
            stream.write("[]" if empty else "\n ]")
        stream.write("\n}")

    @classmethod
    def read(cls, out: Path) -> Manifest:
        data = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
        deliveries = [
            DeliveryEntry(d["name"], d["path"], [FileEntry(**f) for f in d["files"]]) for d in data.pop("deliveries")
        ]
        irregularities = [Irregularity(**i) for i in data.pop("irregularities")]
        revisions = [Revision(**r) for r in data.pop("revisions")]
        data["out"] = str(out.resolve())  # the sample may have been moved since it was written
        return cls(**data, deliveries=deliveries, irregularities=irregularities, revisions=revisions)


NATIONAL_MANIFEST = "national-manifest.json"


@dataclass
class CentreEntry:
    code: str  # centre code, e.g. "LBK"
    region: str  # NUTS 3 code of the centre's region
    path: str  # relative to OUT: the centre's folder of deliveries (its own generator-manifest.json inside)
    clients: int  # client records of the centre
    shared: int  # of them, people also served by another centre (same linkage key there)
    rows: int  # rows written in all its files


@dataclass
class NationalManifest:
    """What `generate_national` wrote (OUT/national-manifest.json): one sample per centre."""

    out: str
    seed: int
    clients: int  # all centres together
    months: int
    start: str
    messy: bool
    raw: bool
    centres: list[CentreEntry] = field(default_factory=list)
    shared_people: int = 0  # people served by two centres (each counted once)
    format_version: int = FORMAT_VERSION

    def centre_paths(self) -> dict[str, Path]:
        """Centre code -> its folder of deliveries (load it with `reach load PATH --centre CODE`)."""
        return {c.code: Path(self.out) / c.path for c in self.centres}

    def write(self) -> Path:
        path = Path(self.out) / NATIONAL_MANIFEST
        path.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return path

    @classmethod
    def read(cls, out: Path) -> NationalManifest:
        data = json.loads((out / NATIONAL_MANIFEST).read_text(encoding="utf-8"))
        centres = [CentreEntry(**c) for c in data.pop("centres")]
        data["out"] = str(out.resolve())
        return cls(**data, centres=centres)
