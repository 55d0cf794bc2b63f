"""The generator streams (issue 11 item 8): it holds one chunk of clients at a time, writes a
month's file piece by piece with the bytes of writing it at once, and spools the manifest's
revisions and irregularities to disk instead of listing them in memory. Memory itself is
measured in bench/bench_generate.py, not asserted here."""

from __future__ import annotations

import json
import weakref
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from pipelines.generate import Manifest, generate_national, generate_sample, sample
from pipelines.generate.manifest import MANIFEST_NAME, Spool, Written
from pipelines.generate.writers import FileFormat, csv_bytes

CHUNK = 120


class _Watch:
    """Wraps the chunk generator and the identities of a chunk: every call's size, and weak
    references to what each chunk made, checked dead when the next chunk starts."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.sizes: list[int] = []
        self.alive_at_start: list[int] = []  # per chunk: objects of earlier chunks still alive
        self.refs: list[weakref.ref[Any]] = []
        tables, identities = sample._chunk_tables, sample.RawIdentities

        def watched_tables(streams: Any, size: int, *args: Any) -> dict[str, pl.DataFrame]:
            self.alive_at_start.append(sum(ref() is not None for ref in self.refs))
            self.sizes.append(size)
            made = tables(streams, size, *args)
            self.refs.extend(weakref.ref(frame) for frame in made.values())
            return made

        def watched_identities(*args: Any, **kwargs: Any) -> Any:
            made = identities(*args, **kwargs)
            self.refs.extend([weakref.ref(made), weakref.ref(made.frame)])
            return made

        monkeypatch.setattr(sample, "CHUNK_CLIENTS", CHUNK)
        monkeypatch.setattr(sample, "_chunk_tables", watched_tables)
        monkeypatch.setattr(sample, "RawIdentities", watched_identities)


@pytest.mark.parametrize("kind", ["clean", "raw", "national"])
def test_no_chunk_outlives_its_turn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    watch = _Watch(monkeypatch)
    if kind == "national":
        generate_national(tmp_path / "out", ["ULK", "LBK"], clients=700, months=3, seed=4)
    else:
        generate_sample(tmp_path / "out", clients=430, months=3, seed=4, raw=kind == "raw")
    assert max(watch.sizes) == CHUNK and len(watch.sizes) >= 4
    assert watch.refs and watch.alive_at_start == [0] * len(watch.sizes)
    if kind != "clean":
        assert len(watch.refs) > 7 * len(watch.sizes)  # the identities were watched too


def test_a_month_written_piece_by_piece_has_the_bytes_of_writing_it_at_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sample, "CHUNK_CLIENTS", CHUNK)
    generate_sample(tmp_path / "out", clients=430, months=3, seed=6)
    files = sorted((tmp_path / "out").glob("*/*.csv"))
    assert len(files) == 3 * 7
    for path in files:
        whole = pl.read_csv(path, separator=";", infer_schema=False)
        assert csv_bytes(whole, FileFormat())[0] == path.read_bytes(), path


@pytest.mark.parametrize("messy", [False, True])
def test_spooled_manifest_lists_are_written_in_the_manifests_own_format(tmp_path: Path, messy: bool) -> None:
    manifest = generate_sample(tmp_path / "out", clients=300, months=4, seed=2, messy=messy)
    text = (tmp_path / "out" / MANIFEST_NAME).read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=1) + "\n"
    read = Manifest.read(tmp_path / "out")
    assert manifest.kinds() == read.kinds() and len(manifest.irregularities) == len(read.irregularities)
    assert manifest.irregularities._entries is None  # counted and kinds known without reading the file back
    for name in ("revisions", "irregularities"):
        value = getattr(manifest, name)
        assert isinstance(value, Written) and not isinstance(value, list)
        assert value == getattr(read, name) and len(value) == len(getattr(read, name))
    assert len(manifest.revisions) > 0 and (len(manifest.irregularities) > 0) == messy
    assert manifest == read
    assert manifest.to_json() + "\n" == text
    manifest.write()  # written again from its views of the file it rewrites
    assert (tmp_path / "out" / MANIFEST_NAME).read_text(encoding="utf-8") == text


def test_a_spool_keeps_nothing_in_memory_and_reads_back_in_order(tmp_path: Path) -> None:
    from pipelines.generate.manifest import Revision

    spool = Spool(Revision, tmp_path / "r.jsonl")
    entries = [Revision("2022-09", "kontakty.csv", row, "repeated", [f"KT{row:08d}"]) for row in range(2, 50)]
    spool.extend(entries)
    spool.close()
    assert len(spool) == len(entries) == len(spool.path.read_text(encoding="utf-8").splitlines())
    assert [Revision(**r) for r in spool.records()] == entries
    with pytest.raises(AssertionError):
        spool.append(entries[0])
