"""`reach pseudonymise IN OUT --key-file F`: keyed pseudonyms for a raw export."""

from __future__ import annotations

import argparse

from pipelines.errors import ReachError
from pipelines.home import Home


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", metavar="IN", help="raw export folder (with direct identifiers)")
    parser.add_argument("output", metavar="OUT", help="folder to write the export format into")
    parser.add_argument(
        "--key-file", default=None,
        help="file holding the secret key (>= 32 bytes); else env REACH_PSEUDONYM_KEY",
    )


def run(args: argparse.Namespace, home: Home) -> int:
    raise ReachError("reach pseudonymise is not built yet")
