"""Checks on written HTML pages shared by the quality tests."""

from __future__ import annotations

import re
from pathlib import Path

REMOTE_ATTRIBUTE = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def remote_references(folder: Path) -> dict[str, list[str]]:
    """Every written .html file under `folder` that loads or links an http(s) URL, with the matches."""
    found = {}
    for page in folder.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        hits = REMOTE_ATTRIBUTE.findall(text) + re.findall(r"https?://", text)
        if hits:
            found[str(page.relative_to(folder))] = hits[:3]
    return found
