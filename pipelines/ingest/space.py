"""Telling a full disk (or a file that may not grow) from other failures, for one clear message.

The raw layer is written in one transaction per delivery, so a full disk loses nothing that
was committed; what the user needs is where space ran out and what was and was not loaded,
not a DuckDB traceback. DuckDB reports the operating system's error in its message text;
Python raises OSError with an errno.
"""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

_NO_SPACE = {errno.ENOSPC: "no space left", errno.EDQUOT: "the disk quota is used up"}
_TOO_LARGE = errno.EFBIG
_DUCKDB_TEXT = {"No space left on device": errno.ENOSPC, "Disk quota exceeded": errno.EDQUOT,
                "File too large": errno.EFBIG}
_QUOTED_PATH = re.compile(r'file "([^"]+)"')


@dataclass(frozen=True)
class OutOfSpace:
    code: int  # errno
    path: str | None  # the file being written, when the error names it

    def describe(self, near: Path) -> str:
        """What ran out, e.g. `no space left on the disk holding /srv/reach/raw.duckdb.wal`."""
        where = self.path or str(near)
        if self.code == _TOO_LARGE:
            return f"the file {where} cannot grow any larger (the system's file size limit)"
        return f"{_NO_SPACE[self.code]} on the disk holding {where}"


def out_of_space(error: BaseException) -> OutOfSpace | None:
    """The full-disk cause anywhere in `error`'s chain, else None."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in (*_NO_SPACE, _TOO_LARGE):
            return OutOfSpace(current.errno, current.filename if isinstance(current.filename, str) else None)
        if isinstance(current, duckdb.Error):
            text = str(current)
            for marker, code in _DUCKDB_TEXT.items():
                if marker in text:
                    match = _QUOTED_PATH.search(text)
                    return OutOfSpace(code, match.group(1) if match else None)
        current = current.__cause__ or current.__context__
    return None
