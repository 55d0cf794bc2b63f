"""Bytes of a CSV file -> UTF-8 text with LF line ends, and the encoding it was in.

Valid UTF-8 (with or without a byte-order mark) is UTF-8. Anything else is Windows-1250 or
ISO-8859-2, the two Czech single-byte encodings: they differ in 0x80-0xBF (`š` is 0x9A in one,
0xB9 in the other), so the one under which the header row names more of the contract's
columns wins, then the one that reads more Czech letters; a tie goes to Windows-1250, the
contract's. A file that cannot be one encoding throughout is refused, naming where it breaks:
a byte-order mark followed by non-UTF-8 bytes, or UTF-8 lines mixed with lines in another
encoding. Line ends (CRLF, LF, or the old Mac CR alone) all become LF.
"""

from __future__ import annotations

import re
from collections.abc import Collection

import numpy as np

from pipelines.ingest.table import FileRejected
from pipelines.normalise import fold_header

UTF8_BOM = b"\xef\xbb\xbf"
SINGLE_BYTE = ("cp1250", "iso-8859-2")  # preference order on a tie
_CZECH_LETTERS = "áčďéěíňóřšťúůýžÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ"
_OTHER_LETTERS = "äôĺľŕąęłńśźżöüőűßÄÔĹĽŔĄĘŁŃŚŹŻÖÜŐŰ"  # Slovak, Polish, German, Hungarian names
# A Czech letter written in UTF-8: evidence of UTF-8 lines inside a file that is not UTF-8.
_UTF8_CZECH = re.compile(b"|".join(re.escape(ch.encode("utf-8")) for ch in _CZECH_LETTERS))
_MAX_MIXED_PROBES = 50


def decode(data: bytes, expected_headers: Collection[str] = ()) -> tuple[bytes, str]:
    """(UTF-8 bytes with LF line ends, encoding); `expected_headers` are folded contract headers."""
    encoding = detect_encoding(data, expected_headers)
    if encoding == "utf-8-sig":
        text = data[len(UTF8_BOM):]
    elif encoding == "utf-8":
        text = data
    else:
        text = data.decode(encoding).encode("utf-8")
    if b"\r" in text:
        text = text.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return text, encoding


def detect_encoding(data: bytes, expected_headers: Collection[str] = ()) -> str:
    """utf-8-sig, utf-8, cp1250 or iso-8859-2; FileRejected naming the offending byte otherwise."""
    if data.startswith(UTF8_BOM):
        try:
            data[len(UTF8_BOM):].decode("utf-8")
        except UnicodeDecodeError as error:
            offset = error.start + len(UTF8_BOM)
            raise FileRejected(
                f"the file starts with a UTF-8 byte-order mark, but {_where(data, offset)} is not UTF-8 "
                "(it was perhaps saved in Windows-1250 and marked as UTF-8); save it again as UTF-8, "
                "or as Windows-1250 without the mark"
            ) from None
        return "utf-8-sig"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        not_utf8 = error.start
    else:
        return "utf-8"
    utf8_line = _first_utf8_czech_line(data)
    if utf8_line is not None:
        raise FileRejected(
            f"the file mixes encodings: line {utf8_line} is UTF-8 but {_where(data, not_utf8)} is not; "
            "save the whole file again in one encoding (UTF-8 or Windows-1250)"
        )
    counts = np.bincount(np.frombuffer(data, dtype=np.uint8), minlength=256)
    header_line = re.split(rb"\r|\n", data, maxsplit=1)[0]
    scored = [(score, -rank, name) for rank, name in enumerate(SINGLE_BYTE)
              if (score := _score(counts, header_line, name, expected_headers)) is not None]
    if not scored:
        try:
            data.decode("cp1250")
        except UnicodeDecodeError as error:
            not_utf8 = error.start
        raise FileRejected(f"the file is neither UTF-8 nor Windows-1250 (nor ISO-8859-2) text "
                           f"({_where(data, not_utf8)})")
    return max(scored)[2]


def _score(counts: np.ndarray, header_line: bytes, encoding: str,
           expected_headers: Collection[str]) -> tuple[int, int] | None:
    """(contract headers the header row names, Czech-letter evidence) when the file reads as
    `encoding`, from its byte counts; None when it cannot be that encoding."""
    letters = 0
    for byte in np.flatnonzero(counts[128:]) + 128:
        try:
            char = bytes([byte]).decode(encoding)
        except UnicodeDecodeError:
            return None  # a byte this encoding does not define
        if "\x80" <= char <= "\x9f":
            return None  # C1 control characters are not text
        weight = 2 if char in _CZECH_LETTERS else 1 if char in _OTHER_LETTERS else 0
        letters += weight * int(counts[byte])
    header = header_line.decode(encoding)
    named = max(sum(fold_header(h.strip('"')) in expected_headers for h in header.split(d)) for d in ";,")
    return named, letters


def _first_utf8_czech_line(data: bytes) -> int | None:
    """The number of the first line that is valid UTF-8 holding a Czech letter, if any."""
    for probes, match in enumerate(_UTF8_CZECH.finditer(data)):
        if probes >= _MAX_MIXED_PROBES:
            return None
        start = max(data.rfind(b"\n", 0, match.start()), data.rfind(b"\r", 0, match.start())) + 1
        ends = [i for i in (data.find(b"\n", match.end()), data.find(b"\r", match.end())) if i >= 0]
        try:
            data[start:min(ends, default=len(data))].decode("utf-8")
        except UnicodeDecodeError:
            continue
        return line_of(data, start)
    return None


def line_of(data: bytes, offset: int) -> int:
    """1-based line of a byte offset; CRLF, LF and CR each end a line."""
    before = data[:offset].replace(b"\r\n", b"\n")
    return before.count(b"\n") + before.count(b"\r") + 1


def _where(data: bytes, offset: int) -> str:
    return f"byte 0x{data[offset]:02x} at offset {offset:,} (line {line_of(data, offset)})"
