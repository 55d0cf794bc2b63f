"""National samples (reach generate --centres) and the streamed, chunked generator."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipelines.errors import ReachError
from pipelines.generate import Manifest, NationalManifest, generate_national, generate_sample, sample
from pipelines.generate.centres import ALL_CENTRES, CENTRE_REGIONS, default_clients, parse_centres, split_clients
from pipelines.home import Home
from pipelines.ingest import load_paths
from pipelines.reference.districts import districts, resolve_district
from reach.cli import main


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.endswith(".json")}


def _klienti(folder: Path) -> pl.DataFrame:
    return pl.concat([pl.read_csv(p, separator=";", infer_schema=False) for p in sorted(folder.glob("*/klienti.csv"))])


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> NationalManifest:
    return generate_national(tmp_path_factory.mktemp("nat") / "out", ["LBK", "ULK"], clients=2000, months=4, seed=3)


def test_centres_are_parsed_and_sized_by_their_regions_foreign_residents() -> None:
    assert parse_centres("all") == list(ALL_CENTRES) and len(ALL_CENTRES) == 14
    assert parse_centres("lbk, ULK") == ["ULK", "LBK"]  # national order
    with pytest.raises(ReachError, match="known centres"):
        parse_centres("ULK,XYZ")
    sizes = split_clients(600_000, list(ALL_CENTRES))
    assert sum(sizes.values()) == 600_000
    total = sum(v[2] for v in CENTRE_REGIONS.values())
    for code, size in sizes.items():
        assert abs(size - 600_000 * CENTRE_REGIONS[code][2] / total) <= 15
    assert default_clients(list(ALL_CENTRES), 12) == 14 * 4_400
    assert default_clients(["ULK"], 120) == 44_000


def test_one_folder_of_deliveries_per_centre(national: NationalManifest) -> None:
    out = Path(national.out)
    assert [c.code for c in national.centres] == ["ULK", "LBK"]
    assert sum(c.clients for c in national.centres) == 2000
    for centre in national.centres:
        manifest = Manifest.read(out / centre.path)
        assert [d.name for d in manifest.deliveries] == ["2022-08", "2022-09", "2022-10", "2022-11"]
        assert manifest.clients == centre.clients
        header = (out / centre.path / "2022-08" / "klienti.csv").read_text(encoding="utf-8").split("\n")[0]
        assert "Národní klíč" in header.split(";")
    assert NationalManifest.read(out) == national


def test_clients_live_mostly_in_their_centres_region(national: NationalManifest) -> None:
    region_of = {d.code: d.region_code for d in districts()}
    for centre in national.centres:
        clients = _klienti(Path(national.out) / centre.path).unique("ID klienta", keep="last")
        codes = [resolve_district(v) for v in clients["Okres bydliště"].drop_nulls()]
        inside = sum(region_of.get(c) == centre.region for c in codes)
        assert 0.9 < inside / clients.height < 1.0, centre.code  # some live elsewhere


def test_people_served_by_two_centres_share_the_linkage_key_not_the_client_id(national: NationalManifest) -> None:
    out = Path(national.out)
    ulk, lbk = (_klienti(out / c).unique("ID klienta", keep="last") for c in ("ULK", "LBK"))
    assert ulk["Národní klíč"].null_count() == 0 and ulk["Národní klíč"].n_unique() == ulk.height
    both = ulk.join(lbk, on="Národní klíč", suffix="_lbk")
    assert both.height == national.shared_people > 0
    assert (both["ID klienta"] != both["ID klienta_lbk"]).all()
    same = ["Státní občanství", "Rok narození", "Pohlaví"]
    assert both.select(same).rows() == both.select([f"{c}_lbk" for c in same]).rows()


def test_each_centre_loads_under_its_code_without_quarantine_or_warnings(national: NationalManifest,
                                                                         tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    for code, path in national.centre_paths().items():
        reports = load_paths(home, [path], centre=code)
        assert sum(r.rows_quarantined for r in reports) == 0 and sum(r.warnings for r in reports) == 0


def test_same_seed_same_files_and_a_second_run_replaces_the_first(national: NationalManifest, tmp_path: Path) -> None:
    again = generate_national(tmp_path / "again", ["LBK", "ULK"], clients=2000, months=4, seed=3)
    assert _files(Path(again.out)) == _files(Path(national.out))
    other = generate_national(tmp_path / "again", ["PHA", "VYS"], clients=500, months=2, seed=4)
    assert sorted(p.name for p in Path(other.out).iterdir()) == ["PHA", "VYS", "national-manifest.json"]


def test_many_chunks_stream_to_the_same_kind_of_sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sample larger than one chunk: every chunk self-contained (no orphans), IDs unique, the same
    seed the same bytes, and the first chunk's clients are those of a one-chunk sample."""
    monkeypatch.setattr(sample, "CHUNK_CLIENTS", 150)
    a = generate_sample(tmp_path / "a", clients=400, months=5, seed=8)
    b = generate_sample(tmp_path / "b", clients=400, months=5, seed=8)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    clients = _klienti(tmp_path / "a").unique("ID klienta")
    assert clients.height == 400
    contacts = pl.concat([pl.read_csv(p, separator=";", infer_schema=False)
                          for p in sorted((tmp_path / "a").glob("*/kontakty.csv"))])
    assert contacts.filter(pl.col("Smazáno") == "ne")["ID kontaktu"].n_unique() == \
        sum(f.origins.get("new", 0) for d in a.deliveries for f in d.files if f.table == "kontakty")
    reports = load_paths(Home(tmp_path / "home"), a.delivery_paths())
    assert sum(r.rows_quarantined for r in reports) == 0 and sum(r.warnings for r in reports) == 0
    assert not list((tmp_path / "a").glob(".generate-work-*"))
    monkeypatch.setattr(sample, "CHUNK_CLIENTS", 50_000)
    one = generate_sample(tmp_path / "one", clients=150, months=5, seed=8)
    first = _klienti(tmp_path / "one")["ID klienta"].unique().sort().to_list()
    assert set(first) <= set(clients["ID klienta"])
    assert b.revisions == a.revisions and one.deliveries


def test_cli_generate_centres(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--home", str(tmp_path / "home"), "generate", str(tmp_path / "out"), "--centres", "ULK,PAK",
                 "--clients", "300", "--months", "2"]) == 0
    printed = capsys.readouterr().out
    assert "2 centres" in printed and f"reach load {tmp_path / 'out' / 'PAK'} --centre PAK" in printed
    assert main(["--home", str(tmp_path / "home"), "generate", str(tmp_path / "bad"), "--centres", "XXX"]) != 0


def test_demo_national_generates_all_centres_and_loads_each_under_its_code(tmp_path: Path) -> None:
    import argparse

    from reach.commands.demo import steps

    args = argparse.Namespace(national=True, clients=None, months=12, seed=1, no_serve=True, host="127.0.0.1",
                              port=8050)
    planned = [(title, make()) for title, make in steps(args, Home(tmp_path / "home"))]
    generate = planned[0][1]
    assert generate[:4] == ["generate", str(tmp_path / "home" / "sample-national"), "--centres", "all"]
    loads = [step for _, step in planned if step[0] == "load"]
    assert [step[-1] for step in loads] == list(ALL_CENTRES)
    assert all(step[1] == str(tmp_path / "home" / "sample-national" / step[-1]) and step[2] == "--centre"
               for step in loads)
    assert [step[0] for _, step in planned[-2:]] == ["build", "check"]
    regional = argparse.Namespace(national=False, clients=None, months=12, seed=1, no_serve=True, host="h", port=1)
    assert steps(regional, Home(tmp_path / "home"))[0][1]()[3] == "3000"
