"""A full disk during `reach build`: one clear message, a non-zero exit, the published warehouse as before.

The home lives on a real, small tmpfs (mounted for the test; needs root). Two points of failure:
dbt writing the new warehouse file, and the quality gate writing its results (the disk is filled
just before the real gate runs). Afterwards builds/ holds nothing of the stopped build, so once
space is freed the next build publishes.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from expectations.runner import run_gate
from pipelines.errors import ReachError
from pipelines.home import Home
from reach.build import build_warehouse
from reach.cli import main
from support.quality import copy_home, digest

pytestmark = pytest.mark.slow

MIB = 2**20
ROOM_FOR_LOGS = 2 * MIB  # beyond the two files: too little for a build, enough to start one


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount_point = tmp_path / "small disk"
    mount_point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (the test fills a real file system)")
    sizes = {"size": 0}

    def mount(size: int) -> Path:
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount_point)], check=True,
                       capture_output=True)
        sizes["size"] = size
        return mount_point

    try:
        probe = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)],
                               capture_output=True, text=True)
        if probe.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here ({probe.stderr.strip()})")
        subprocess.run(["umount", str(mount_point)], check=True)
        yield mount  # type: ignore[misc]
    finally:
        if sizes["size"]:
            subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_disk_full_while_dbt_builds(clean_built_home: Home, small_disk, capsys: pytest.CaptureFixture[str]) -> None:
    needed = clean_built_home.raw_db.stat().st_size + clean_built_home.warehouse_db.stat().st_size
    home = copy_home(clean_built_home, small_disk(needed + ROOM_FOR_LOGS) / "home")
    published = digest(home.warehouse_db)

    status = main(["--home", str(home.root), "build"])

    captured = capsys.readouterr()
    assert status == 1
    message = captured.err.strip()
    assert message.startswith("reach build: The disk holding") and "is full" in message
    assert "the published warehouse is unchanged" in message and "run `reach build` again" in message
    assert "\n" not in message and "Traceback" not in captured.err + captured.out
    assert "Logging error" not in captured.err
    assert digest(home.warehouse_db) == published
    assert [p.name for p in home.builds_dir.iterdir()] == []  # the partial build file is gone
    assert not (home.logs_dir / "reach.log").exists()  # an expected failure, not a crash


def test_disk_full_while_the_gate_writes_its_results(clean_built_home: Home, small_disk) -> None:
    needed = clean_built_home.raw_db.stat().st_size + clean_built_home.warehouse_db.stat().st_size
    disk = small_disk(needed + 40 * MIB)  # room for dbt's build; the gate then finds the disk full
    home = copy_home(clean_built_home, disk / "home")
    published = digest(home.warehouse_db)
    filler = disk / "filler"

    def gate_on_a_full_disk(build_db: Path, gate_home: Home):
        with filler.open("wb") as out:  # take every byte left, then run the real gate
            try:
                while True:
                    out.write(b"\0" * MIB)
                    out.flush()
            except OSError:
                pass
        return run_gate(build_db, gate_home)

    with pytest.raises(ReachError) as failure:
        build_warehouse(home, gate=gate_on_a_full_disk)

    assert "is full" in str(failure.value) and "unchanged" in str(failure.value)
    assert digest(home.warehouse_db) == published
    assert [p.name for p in home.builds_dir.iterdir()] == []
    filler.unlink()
    build_warehouse(home)  # with the space back, the next build publishes
    assert digest(home.warehouse_db) != published
