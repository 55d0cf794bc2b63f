"""`reach pseudonymise IN OUT --key-file F [--linkage-key-file N]`: keyed pseudonyms for a raw export."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipelines.home import Home


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "input", metavar="IN",
        help="raw export (folder or .zip, with direct identifiers), or a folder of them (one per month)",
    )
    parser.add_argument(
        "output", metavar="OUT", help="folder to write the export format into (OUT/<month> for a folder of exports)"
    )
    parser.add_argument(
        "--key-file", default=None,
        help="file holding the secret key (>= 32 bytes); else env REACH_PSEUDONYM_KEY",
    )
    parser.add_argument(
        "--linkage-key-file", default=None,
        help="file holding the national linkage key (>= 32 bytes, not the centre's key; else env REACH_LINKAGE_KEY): "
             "adds the column Národní klíč to klienti",
    )


def run(args: argparse.Namespace, home: Home) -> int:
    from pipelines.pseudonymise import load_key, load_linkage_key, pseudonymise_tree

    key = load_key(args.key_file)  # never printed or logged
    national_key = load_linkage_key(args.linkage_key_file, key)  # None: no linkage column
    for summary in pseudonymise_tree(Path(args.input), Path(args.output), key, national_key):
        print(summary.describe())
    print(f"Pseudonymised export written to {Path(args.output).resolve()}.")
    return 0
