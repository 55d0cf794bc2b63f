"""The board pack's project to date and targets of its scope, and the incomplete-months note on every
document surface (board pack PDF and PPTX, ministry workbook, chart exports).

Hand-made homes of ULK (project AMIF/31/03, 1 Aug 2022 - 31 Jul 2023, config/targets.yaml) for the
period 1 Sep - 30 Nov 2022: 25 clients with a contact in September, 10 of them and 10 others in
November. In the incomplete home ULK delivered September and November, not October (due 10 Nov
2022, long past): every surface names "ULK (říj 2022)" / "ULK (Oct 2022)". The complete home
delivered October too (a contact of one more client) and no surface says anything of it.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import openpyxl
import pytest

from dashboard.callbacks import Board
from dashboard.data import WarehouseSource
from dashboard.exports import export_table, to_csv, to_xlsx, with_incomplete
from dashboard.state.url import parse_view
from pipelines.access import EVERYTHING, Scope
from pipelines.home import Home
from pipelines.metrics import MetricQuery, compute, open_warehouse
from pipelines.metrics.protection import Protection
from pipelines.targets import load_targets
from reports.board.data import gather_board
from reports.board.pack import write_board_packs
from reports.board.tables import kpi_rows, project_rows, targets_line
from reports.ministry import write_ministry_workbook
from support.marts import MartBuilder, home_with_marts
from support.raw_rows import Delivery as RawDelivery
from support.raw_rows import client, write_raw
from support.readback import pdf_text, pptx_text, squash

FROM, TO = date(2022, 9, 1), date(2022, 11, 30)
NOTE = {"cs": "Neúplné údaje: v období zatím chybí dodávky ULK (říj 2022).",
        "en": "Incomplete figures: the period lacks the deliveries of ULK (Oct 2022)."}
MARKS = ("Neúplné údaje", "Incomplete figures")
# (month of the delivery's contact, loaded at): each delivery brings its month.
LOADS = {9: datetime(2022, 10, 5, 9), 10: datetime(2022, 11, 5, 9), 11: datetime(2022, 12, 5, 9)}


def _home(root: Path, months: tuple[int, ...]) -> Home:
    marts = MartBuilder("ULK")
    for number in range(1, 26):
        marts.client(f"S{number:02d}", registered_on=date(2022, 9, 1)).contact(
            f"S{number:02d}-9", f"S{number:02d}", date(2022, 9, 12))
    for number in range(1, 11):
        marts.contact(f"S{number:02d}-11", f"S{number:02d}", date(2022, 11, 14))
        marts.client(f"N{number:02d}", registered_on=date(2022, 11, 1)).contact(
            f"N{number:02d}-11", f"N{number:02d}", date(2022, 11, 15))
    if 10 in months:
        marts.client("O01", registered_on=date(2022, 10, 1)).contact("O01-10", "O01", date(2022, 10, 11))
    raw = []
    for seq, month in enumerate(months, start=1):
        day = date(2022, month, 12)
        delivery = RawDelivery(seq, "ULK")
        client(delivery, f"raw{month}", registered_on=day)
        delivery.add("contacts", contact_id=f"raw-c{month}", client_id=f"raw{month}", contact_date=day,
                     service="social_counselling", deleted=False)
        raw.append((delivery, LOADS[month]))
    home = home_with_marts(root, marts)
    write_raw(home, *(d for d, _ in raw))
    with duckdb.connect(str(home.warehouse_db)) as con:
        con.execute("CREATE TABLE mart_deliveries (delivery_id VARCHAR, centre VARCHAR, load_seq BIGINT, "
                    "source VARCHAR, loaded_at TIMESTAMP, files BIGINT, rows_loaded BIGINT, rows_quarantined BIGINT)")
        con.executemany("INSERT INTO mart_deliveries VALUES (?, ?, ?, ?, ?, 7, 2, 0)",
                        [[d.delivery_id, d.centre, d.load_seq, f"/data/{d.load_seq}", at] for d, at in raw])
    return home


@pytest.fixture(scope="module")
def incomplete(tmp_path_factory: pytest.TempPathFactory) -> Home:
    return _home(tmp_path_factory.mktemp("incomplete"), (9, 11))


@pytest.fixture(scope="module")
def complete(tmp_path_factory: pytest.TempPathFactory) -> Home:
    return _home(tmp_path_factory.mktemp("complete"), (9, 10, 11))


def _packs(home: Home, folder: Path, lang: str) -> tuple[str, str]:
    con = open_warehouse(home)
    try:
        pdf, pptx = write_board_packs(con, FROM, TO, [folder / f"board-{lang}.pdf", folder / f"board-{lang}.pptx"],
                                      lang, scope=EVERYTHING)
    finally:
        con.close()
    return squash(pdf_text(pdf)), squash(pptx_text(pptx))


@pytest.fixture(scope="module")
def incomplete_packs(incomplete: Home, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str]]:
    folder = tmp_path_factory.mktemp("incomplete-packs")
    return {lang: _packs(incomplete, folder, lang) for lang in ("cs", "en")}


def test_the_pack_holds_the_metric_layers_project_to_date(incomplete: Home) -> None:
    con = open_warehouse(incomplete)
    try:
        data = gather_board(con, load_targets(), FROM, TO, scope=EVERYTHING)
        project = data.project
        assert project is not None and project.date_from == date(2022, 8, 1)
        assert project.data_months == 4  # August .. November, the period's end
        metrics = tuple(m.metric for m in project.metrics)
        for index, month_end in enumerate(project.month_ends[:project.data_months]):
            # The metric layer's figure from the project's start to the month's end, as published.
            result = compute(con, MetricQuery(project.date_from, month_end, metrics,
                                              protection=Protection.PROTECTED, scope=EVERYTHING))
            for item in project.metrics:
                expected = (result.frame[item.metric][0], result.flags[item.metric][0])
                assert (item.cumulative[index], item.flags[index]) == expected, (item.metric, month_end)
        reached = next(m for m in project.metrics if m.metric == "clients_reached")
        # Unique people over the span: 25 by September, still 25 in October, 35 by November (perturbed by at most 2).
        assert abs(reached.cumulative[1] - 25) <= 2 and abs(reached.cumulative[3] - 35) <= 2
        assert reached.cumulative[1] == reached.cumulative[2]  # the same people, the same published figure
        row = next(r for r in project_rows(data, "cs")[1:] if r[0] == "Oslovení klienti")
        assert row[1] == str(int(reached.cumulative[3])) and row[3] == "3\u00a0000"
    finally:
        con.close()


def test_a_one_centre_pack_has_that_centres_targets(incomplete: Home, tmp_path: Path) -> None:
    both = tmp_path / "targets.yaml"
    both.write_text("""centres:
  ULK:
    - {code: U1, name_cs: U, name_en: U, period_from: 2022-08-01, period_to: 2023-07-31,
       targets: {clients_reached: 3000, contacts: 12000}}
  LBK:
    - {code: L1, name_cs: L, name_en: L, period_from: 2022-08-01, period_to: 2023-07-31,
       targets: {clients_reached: 1000, contacts: 5000}}
""", encoding="utf-8")
    targets = load_targets(both)
    con = open_warehouse(incomplete)
    try:
        ulk = gather_board(con, targets, FROM, TO, scope=Scope(frozenset({"ULK"})))
        two = gather_board(con, targets, FROM, TO, scope=Scope(frozenset({"ULK", "LBK"})))
    finally:
        con.close()
    assert ulk.targets.code == "U1" and dict(ulk.targets.targets) == {"clients_reached": 3000, "contacts": 12000}
    assert targets_line(ulk, "cs") == ""
    assert ulk.project is not None and {m.metric: m.target for m in ulk.project.metrics}["contacts"] == 12000
    # Two centres: contacts add up; unique people do not, and the pack says so.
    assert dict(two.targets.targets) == {"contacts": 17000}
    contacts = next(m for m in two.project.metrics if m.metric == "contacts")
    reached = next(m for m in two.project.metrics if m.metric == "clients_reached")
    assert contacts.target == 17000 and reached.target is None and reached.not_additive
    assert "cíle jedinečných osob se nesčítají" in targets_line(two, "cs")
    assert "unique-people targets are not additive" in targets_line(two, "en")
    assert next(r for r in kpi_rows(two, "en") if r[0] == "Clients reached")[4] == "not additive"


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["cs", "en"])
def test_the_board_pack_names_the_months_not_delivered(incomplete_packs: dict[str, tuple[str, str]],
                                                       lang: str) -> None:
    pdf, pptx = incomplete_packs[lang]
    assert squash(NOTE[lang]) in pdf and squash(NOTE[lang]) in pptx
    title = "Projekt od začátku" if lang == "cs" else "Project to date"
    assert title in pdf and title in pptx


@pytest.mark.slow
def test_a_complete_home_gets_no_note(complete: Home, tmp_path: Path) -> None:
    pdf, pptx = _packs(complete, tmp_path, "cs")
    assert not any(mark in pdf or mark in pptx for mark in MARKS)
    book = _workbook(complete, tmp_path)
    assert not [v for ws in book for row in ws.iter_rows(values_only=True) for v in row
                if isinstance(v, str) and any(mark in v for mark in MARKS)]
    csv, _ = _export(complete)
    assert not any(mark in csv for mark in MARKS)


def _workbook(home: Home, folder: Path) -> openpyxl.Workbook:
    con = open_warehouse(home)
    try:
        out = write_ministry_workbook(con, FROM, TO, folder / "ministry.xlsx", scope=EVERYTHING)
    finally:
        con.close()
    return openpyxl.load_workbook(out)


def test_the_workbook_has_the_note_on_each_sheet(incomplete: Home, tmp_path: Path) -> None:
    book = _workbook(incomplete, tmp_path)
    expected = f"{NOTE['cs']} Údaje těchto měsíců jsou neúplné. / {NOTE['en']}"
    for sheet in book.sheetnames:
        texts = [v for row in book[sheet].iter_rows(values_only=True) for v in row if isinstance(v, str)]
        assert any(expected in v for v in texts), sheet


def _export(home: Home, lang: str = "cs") -> tuple[str, bytes]:
    board = Board(WarehouseSource(home), load_targets(), None)
    search = f"?preset=custom&from={FROM}&to={TO}&lang={lang}"
    context = board.context(parse_view("/", search), Protection.PROTECTED, EVERYTHING)
    con = open_warehouse(home)
    try:
        published = compute(con, MetricQuery(FROM, TO, ("contacts",), ("month",), protection=Protection.PROTECTED,
                                             scope=EVERYTHING)).frame
    finally:
        con.close()
    table = export_table(published, lang)
    note = with_incomplete("Chráněno.", context)
    return to_csv(table, note), to_xlsx(table, "contacts", lang, note)


@pytest.mark.parametrize("lang", ["cs", "en"])
def test_the_chart_export_names_the_months_not_delivered(incomplete: Home, tmp_path: Path, lang: str) -> None:
    csv, xlsx = _export(incomplete, lang)
    assert NOTE[lang] in csv.splitlines()[-1]
    (tmp_path / "export.xlsx").write_bytes(xlsx)
    notes = [v for ws in openpyxl.load_workbook(tmp_path / "export.xlsx") for row in ws.iter_rows(values_only=True)
             for v in row if isinstance(v, str)]
    assert any(NOTE[lang] in v for v in notes)
