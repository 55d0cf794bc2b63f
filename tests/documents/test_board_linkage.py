"""The board pack says when its people counts over several centres are sums (pipelines/metrics/linkage.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pipelines.access import EVERYTHING, Scope
from pipelines.disclosure.ptable import ptable
from pipelines.metrics import open_warehouse
from pipelines.metrics.linkage import SUMMED_NOTICE
from pipelines.targets import load_targets
from reports.board.data import gather_board
from reports.board.pack import write_board_packs
from support.linkage import two_centre_home
from support.readback import pdf_text, pptx_text, squash

FROM, TO = date(2023, 1, 1), date(2023, 3, 31)


def test_a_national_pack_without_every_linkage_key_says_its_counts_are_sums(tmp_path: Path) -> None:
    home = two_centre_home(tmp_path / "unlinked", lbk_linked=False)
    con = open_warehouse(home)
    try:
        pdf, pptx = write_board_packs(con, FROM, TO, [tmp_path / "b.pdf", tmp_path / "b.pptx"], "en", scope=EVERYTHING)
        one_centre = gather_board(con, load_targets(), FROM, TO, scope=Scope(frozenset({"ULK"})))
    finally:
        con.close()
    notice = squash(SUMMED_NOTICE["en"])
    assert notice in squash(pdf_text(pdf)) and notice in squash(pptx_text(pptx))
    assert not one_centre.people_summed


def test_with_every_linkage_key_the_pack_says_nothing_of_sums(tmp_path: Path) -> None:
    home = two_centre_home(tmp_path / "linked", lbk_linked=True)
    con = open_warehouse(home)
    try:
        data = gather_board(con, load_targets(), FROM, TO, scope=EVERYTHING)
    finally:
        con.close()
    assert not data.people_summed
    # 25 persons (30 clients, five served by both centres), perturbed by at most the ptable's deviation.
    reached = next(k.current for k in data.kpis if k.metric == "clients_reached")
    assert isinstance(reached, int) and abs(reached - 25) <= ptable().parameters.max_deviation
