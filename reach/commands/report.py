"""`reach report ministry|board`: the fund's indicator workbook and the board pack."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipelines.access import EVERYTHING, Scope
from pipelines.errors import ReachError
from pipelines.home import Home
from reach.commands._args import iso_date


def configure(parser: argparse.ArgumentParser) -> None:
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True)
    ministry = kinds.add_parser("ministry", help="the fund's indicator workbook (.xlsx)")
    board = kinds.add_parser("board", help="the board pack (.pdf or .pptx)")
    for sub in (ministry, board):
        sub.add_argument("--from", dest="date_from", type=iso_date, required=True, metavar="D")
        sub.add_argument("--to", dest="date_to", type=iso_date, required=True, metavar="D")
    ministry.add_argument("--out", required=True, metavar="FILE")
    # Both formats at once draw the charts once: --out board.pdf --out board.pptx.
    board.add_argument("--out", required=True, action="append", metavar="FILE",
                       help="a .pdf or .pptx file (repeatable: each gets the same pack)")
    ministry.add_argument("--framework", default="amif-2021-2027", metavar="F")
    ministry.add_argument("--centre", action="append", default=[], metavar="C",
                          help="only this centre's sheet (repeatable: a sheet per centre and their total); "
                               "default every centre and the national sheet")
    board.add_argument("--lang", choices=("cs", "en"), default="cs")
    board.add_argument("--centre", action="append", default=[], metavar="C",
                       help="only this centre's figures (repeatable); default every centre")


def _scope(centres: list[str]) -> Scope:
    """The operator runs reach on the server and sees everything (access.md), unless the pack is for some centres."""
    codes = frozenset(code.strip().upper() for code in centres if code.strip())
    return Scope(codes) if codes else EVERYTHING


def _known_centres(centres: list[str]) -> Scope:
    """As _scope, but a code that is not in the centres' seed is refused with the list of known codes."""
    from pipelines.reference.centres import centre

    for code in centres:
        centre(code)  # ReachError: "Unknown centre code ...: the known centres are ..."
    return _scope(centres)


def run(args: argparse.Namespace, home: Home) -> int:
    # Imported here so `reach --help` stays fast (the reports pull in plotly, weasyprint, kaleido).
    from pipelines.metrics import open_warehouse

    outs = [Path(o) for o in args.out] if isinstance(args.out, list) else [Path(args.out)]
    scope = _known_centres(args.centre) if args.kind == "ministry" else _scope(args.centre)
    con = open_warehouse(home)
    try:
        if args.kind == "ministry":
            from reports.ministry import write_ministry_workbook

            written = [write_ministry_workbook(con, args.date_from, args.date_to, outs[0], framework=args.framework,
                                               scope=scope)]
        else:
            from reports.board.pack import write_board_packs

            written = write_board_packs(con, args.date_from, args.date_to, outs, lang=args.lang,
                                        scope=scope)
    except OSError as error:
        where = ", ".join(str(o) for o in outs)
        raise ReachError(f"The report could not be written to {where}: {error.strerror or error}.") from None
    finally:
        con.close()
    for path in written:
        print(f"reach report {args.kind}: written {path}")
    return 0
