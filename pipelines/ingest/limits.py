"""The most a reader accepts: every bound checked before bytes are inflated, parsed or allocated.

A centre's monthly export is a few MB to a few hundred MB of CSV (the sample's twelve months of
a million contacts are 127 MiB); the bounds sit well above that and far below what would
exhaust the machine. A file or zip that breaks one is refused with a message naming the limit.
docs/loading.md lists them; `reach pseudonymise` reads through the same readers and limits.
"""

from __future__ import annotations

MIB = 1024**2
GIB = 1024**3

# One delivered file (CSV or XLSX, from a folder or unpacked from a zip).
FILE_BYTES = 1 * GIB

# A delivery zip: the seven export files, perhaps in folders, with a readme or a manifest.
ZIP_MEMBERS = 100
ZIP_TOTAL_BYTES = 1 * GIB  # inflated
# CSV and XML compress 5-50 fold; a member inflating more than this (and over 1 MiB) is crafted.
ZIP_RATIO = 200
ZIP_RATIO_FROM_BYTES = 1 * MIB

# An XLSX workbook is itself a zip of XML parts.
XLSX_MEMBERS = 1_000
XLSX_TOTAL_BYTES = 1 * GIB  # inflated XML
# The first sheet's used range (declared <dimension> and the cells actually present): the XLSX
# reader allocates one slot per cell of that range, so it is bounded before the reader runs.
SHEET_ROWS = 1_048_576  # Excel's own maximum
SHEET_COLUMNS = 256
SHEET_CELLS = 5_000_000  # rows x columns; larger exports belong in CSV
# Formula cells without a calculated value each quarantine their row; a sheet with more than
# this was never calculated at all and is refused as a whole.
XLSX_FORMULAS_WITHOUT_VALUE = 10_000

# One cell (CSV field or XLSX cell): Excel's own maximum. A longer cell quarantines its row;
# the quarantine keeps its first CELL_PREVIEW_CHARS characters.
CELL_CHARS = 32_767
CELL_PREVIEW_CHARS = 100
