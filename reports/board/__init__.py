"""The board pack: KPIs, trend, reach, outcomes, courses, quality and highlights as PDF or PPTX.

`reports.board.write_board_pack(con, date_from, date_to, out, lang="cs", scope=...)` is the entry point
(reports/board/pack.py); it is imported on first use so the light modules (model, highlights)
do not pull in kaleido and WeasyPrint.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "write_board_pack":
        from reports.board.pack import write_board_pack

        return write_board_pack
    raise AttributeError(f"module 'reports.board' has no attribute {name!r}")
