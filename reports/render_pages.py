"""Render a board-pack PDF's pages to PNG files (pdftoppm) so a reviewer can look at them.

    python -m reports.render_pages board.pdf [--out FOLDER] [--dpi 80]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path


def render_pages(pdf: Path, out: Path, dpi: int = 80) -> list[Path]:
    if shutil.which("pdftoppm") is None:
        raise SystemExit("pdftoppm is not installed (Debian package poppler-utils).")
    if not pdf.is_file():
        raise SystemExit(f"{pdf} does not exist.")
    out.mkdir(parents=True, exist_ok=True)
    prefix = out / pdf.stem
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True)
    return sorted(out.glob(f"{pdf.stem}-*.png"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", type=Path)
    parser.add_argument("--out", type=Path, default=None, help="folder for the PNG files (default: next to the PDF)")
    parser.add_argument("--dpi", type=int, default=80)
    args = parser.parse_args(argv)
    pages = render_pages(args.pdf, args.out or args.pdf.with_suffix(""), args.dpi)
    for page in pages:
        print(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
