"""Reading reports back: PDF text (pdftotext) and PPTX text (python-pptx)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pptx import Presentation


def pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return done.stdout


def pptx_text(path: Path) -> str:
    parts: list[str] = []
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return "\n".join(parts)


def pptx_pictures(path: Path) -> int:
    return sum(1 for slide in Presentation(str(path)).slides for shape in slide.shapes if shape.shape_type == 13)


def squash(text: str) -> str:
    """Whitespace (incl. no-break spaces and line wraps) folded to single spaces, for searching."""
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())
