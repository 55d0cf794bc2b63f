"""`reach centres` lists the seed; `reach load --centre XYZ` refuses an unknown code before touching the home."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.reference.centres import centres
from reach.cli import main


def test_reach_centres_lists_every_centre(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["--home", str(tmp_path), "centres"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["code", "name", "region", "project", "period", "basis"]
    by_code = {line.split()[0]: line for line in lines[1:15]}
    assert list(by_code) == [c.code for c in centres()]
    assert "CZ042 Ústecký kraj" in by_code["ULK"] and "AMIF/31/03" in by_code["ULK"]
    assert "2022-08-01 – 2023-07-31" in by_code["ULK"]
    assert "CZ051 Liberecký kraj" in by_code["LBK"] and "illustrative" in by_code["LBK"]


def test_reach_centres_in_english(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["--home", str(tmp_path), "centres", "--lang", "en"]) == 0
    assert "CZ051 Liberec Region" in capsys.readouterr().out


def test_load_refuses_a_centre_not_in_the_seed(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    home = tmp_path / "home"
    delivery = tmp_path / "delivery"
    delivery.mkdir()
    (delivery / "klienti.csv").write_text("ID klienta;Státní občanství;Datum registrace\nKL0001;UA;1.8.2022\n",
                                          encoding="utf-8")
    assert main(["--home", str(home), "load", str(delivery), "--centre", "XYZ"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("reach load: Unknown centre code 'XYZ'")
    assert "PHA, STC, JHC, PLK, KVK, ULK, LBK, HKK, PAK, VYS, JHM, OLK, ZLK, MSK" in error
    assert "Traceback" not in error
    assert not home.exists()  # refused before anything is written


def test_load_accepts_a_known_centre_in_any_case(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    home = tmp_path / "home"
    delivery = tmp_path / "delivery"
    delivery.mkdir()
    (delivery / "klienti.csv").write_text("ID klienta;Státní občanství;Datum registrace\nKL0001;UA;1.8.2022\n",
                                          encoding="utf-8")
    assert main(["--home", str(home), "load", str(delivery), "--centre", "lbk"]) == 0
    assert "centre LBK" in capsys.readouterr().out
