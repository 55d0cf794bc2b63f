"""Documents as an office suite and a PDF reader see them: LibreOffice headless and poppler's tools."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

SOFFICE = shutil.which("soffice")
CONVERT_TIMEOUT = 300  # seconds; a first start builds the private profile


def soffice_to_pdf(document: Path, out_dir: Path) -> Path:
    """`document` converted to PDF by LibreOffice headless, with a private profile (parallel runs don't clash)."""
    assert SOFFICE, "LibreOffice (soffice) is not installed"
    profile = out_dir / "lo-profile"
    out_dir.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(out_dir), str(document)],
        capture_output=True, text=True, timeout=CONVERT_TIMEOUT,
    )
    pdf = out_dir / (document.stem + ".pdf")
    assert done.returncode == 0 and pdf.is_file(), f"soffice failed: {done.stdout}\n{done.stderr}"
    return pdf


def pdf_info(pdf: Path) -> dict[str, str]:
    done = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in done.stdout.splitlines()) if v}


def page_size(pdf: Path) -> tuple[float, float]:
    """Width and height of the first page in points."""
    found = re.match(r"([\d.]+) x ([\d.]+) pts", pdf_info(pdf)["Page size"])
    assert found, pdf_info(pdf)
    return float(found.group(1)), float(found.group(2))


def page_texts(pdf: Path, *, layout: bool = True) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed)."""
    command = ["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"]
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def page_words(pdf: Path) -> list[list[Word]]:
    """Every word of every page with its box (pdftotext -bbox)."""
    xhtml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    namespace = {"x": "http://www.w3.org/1999/xhtml"}
    root = ET.fromstring(xhtml)
    pages = []
    for page in root.iterfind(".//x:page", namespace):
        pages.append([Word(w.text or "", float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")),
                           float(w.get("yMax"))) for w in page.iterfind("x:word", namespace)])
    return pages


def overlapping_words(words: list[Word]) -> list[tuple[str, str]]:
    """Pairs of words drawn over each other (text overflowing its cell onto the next row, say).

    Boxes of neighbouring lines may touch; a pair counts when they share more than a third of the
    smaller height and a point of width.
    """
    found = []
    ordered = sorted(words, key=lambda w: w.y0)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b.y0 >= a.y1:
                break
            shared_height = min(a.y1, b.y1) - max(a.y0, b.y0)
            shared_width = min(a.x1, b.x1) - max(a.x0, b.x0)
            if shared_width > 1.0 and shared_height > min(a.y1 - a.y0, b.y1 - b.y0) / 3:
                found.append((a.text, b.text))
    return found


def outside(words: list[Word], width: float, height: float) -> list[str]:
    """Words not wholly on the page."""
    return [w.text for w in words if w.x0 < 0 or w.y0 < 0 or w.x1 > width + 0.5 or w.y1 > height + 0.5]


def squash(text: str) -> str:
    """Whitespace (incl. no-break spaces and line wraps) folded to single spaces, for searching."""
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


def number_pattern(value: float, decimals: int = 0) -> str:
    """A regex for `value` as a spreadsheet shows it with grouping (`3,000`, `3 000`, `3.000,5` ...)."""
    whole, _, fraction = f"{abs(value):.{decimals}f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    pattern = r"[,.\s\u00a0\u202f]?".join(groups)
    if fraction:
        pattern += r"[.,]" + fraction
    return ("-" if value < 0 else "") + pattern
