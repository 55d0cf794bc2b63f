"""Killed builds leave files in builds/; the next build removes them, and only when no build runs.

`reach build` holds <home>/build.lock (flock) while it runs. The kernel drops the lock of a killed
process, so the next build knows that everything in builds/ except the kept failed build is left
over. A build that finds the lock held refuses to start and touches nothing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest

from pipelines.errors import ReachError
from pipelines.home import Home
from reach.build import FAILED_SUFFIX, build_lock, build_warehouse
from reach.cli import main
from support.quality import copy_home, digest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
WAIT_FOR_BUILD_FILE = 300  # seconds at most for the killed build to get as far as writing its file


def contacts(home: Home) -> int:
    with duckdb.connect(str(home.warehouse_db), read_only=True) as con:
        return int(con.execute("SELECT count(*) FROM fct_contacts").fetchall()[0][0])


def test_a_build_killed_with_sigkill_leaves_files_the_next_build_removes(clean_built_home: Home,
                                                                        tmp_path: Path) -> None:
    home = copy_home(clean_built_home, tmp_path / "home")
    published = digest(home.warehouse_db)
    raw = digest(home.raw_db)
    build = subprocess.Popen([sys.executable, "-m", "reach.cli", "--home", str(home.root), "build"],
                             cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stop = threading.Event()
    timer = threading.Timer(WAIT_FOR_BUILD_FILE, stop.set)
    timer.start()
    try:  # kill it once dbt has written part of the new warehouse file
        while not stop.is_set() and build.poll() is None:
            files = [p for p in home.builds_dir.glob("*.duckdb") if p.stat().st_size > 0]
            if files and list(home.builds_dir.glob("*.target")):
                break
            stop.wait(0.05)
        assert build.poll() is None, "the build finished before it could be killed"
        os.kill(build.pid, signal.SIGKILL)
        build.wait()
    finally:
        timer.cancel()
        if build.poll() is None:
            build.kill()
            build.wait()
    left = sorted(p.name for p in home.builds_dir.iterdir())
    assert any(name.endswith(".duckdb") for name in left) and any(name.endswith(".target") for name in left)
    assert digest(home.warehouse_db) == published and digest(home.raw_db) == raw

    summary = build_warehouse(home)

    assert set(summary.removed_leftovers) >= {n for n in left if n.endswith((".duckdb", ".target", ".wal"))}
    assert "left by builds that did not finish" in summary.text()
    assert list(home.builds_dir.iterdir()) == []
    assert contacts(home) == contacts(clean_built_home)  # the new warehouse is whole and readable
    assert digest(home.raw_db) == raw


def test_leftovers_go_but_the_kept_failed_build_and_other_files_stay(clean_built_home: Home, tmp_path: Path) -> None:
    home = copy_home(clean_built_home, tmp_path / "home")
    dead = "20240101T000000Z-dead00"
    (home.builds_dir / f"{dead}.duckdb").write_bytes(b"partial")
    (home.builds_dir / f"{dead}.duckdb.wal").write_bytes(b"wal")
    (home.builds_dir / f"{dead}.target" / "run").mkdir(parents=True)
    (home.builds_dir / f"{dead}.target" / "sources.duckdb").write_bytes(b"views")
    kept = home.builds_dir / f"20231231T000000Z-old000{FAILED_SUFFIX}"
    kept.write_bytes(b"failed build kept for inspection")
    notes = home.builds_dir / "README.txt"
    notes.write_text("not ours", encoding="utf-8")

    summary = build_warehouse(home)

    assert sorted(summary.removed_leftovers) == sorted([f"{dead}.duckdb", f"{dead}.duckdb.wal", f"{dead}.target"])
    assert sorted(p.name for p in home.builds_dir.iterdir()) == sorted([kept.name, notes.name])


def test_a_running_build_is_never_cleaned_up_nor_joined(clean_built_home: Home, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    home = copy_home(clean_built_home, tmp_path / "home")
    published = digest(home.warehouse_db)
    running = home.builds_dir / "20990101T000000Z-alive0.duckdb"
    running.write_bytes(b"being written")
    with build_lock(home):  # as a build in another process holds it
        with pytest.raises(ReachError, match=r"Another `reach build` .* is running \(process \d+\)"):
            build_warehouse(home)
        assert main(["--home", str(home.root), "build"]) == 1
        assert "Another `reach build`" in capsys.readouterr().err
        assert running.read_bytes() == b"being written"
        assert digest(home.warehouse_db) == published
    build_warehouse(home)  # the lock is free again: that file was left by a build that is gone
    assert not running.exists()
