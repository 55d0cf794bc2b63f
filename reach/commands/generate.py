"""`reach generate OUT`: sample deliveries in the export format."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipelines.home import Home
from reach.commands._args import positive_int, year_month


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not 0 <= value <= 0.5:
        raise argparse.ArgumentTypeError(f"{value} must be between 0 and 0.5")
    return value


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out", metavar="OUT", help="folder to write one delivery folder per month into")
    parser.add_argument(
        "--clients", type=positive_int, default=None,
        help="clients, up to 1,000,000 (default 3,000; with --centres: all the centres' clients together, "
             "default about 4,400 per centre-year)",
    )
    parser.add_argument(
        "--centres", default=None, metavar="CODES",
        help="a national sample: centre codes (ULK,LBK,...) or 'all'; writes OUT/<CODE>/<month>/ per centre "
             "(load each with `reach load OUT/<CODE> --centre CODE`)",
    )
    parser.add_argument("--months", type=positive_int, default=12, help="months of deliveries")
    parser.add_argument("--start", type=year_month, default=year_month("2022-08"), help="first month YYYY-MM")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same files)")
    parser.add_argument("--messy", action="store_true", help="add every irregularity the contract allows")
    parser.add_argument(
        "--messy-rate", type=_rate, default=None, metavar="R",
        help="with --messy: share of rows per file given an irregularity (default 0.02)",
    )
    parser.add_argument(
        "--raw", action="store_true",
        help="write a raw export with fake direct identifiers (docs/raw-export.md) for `reach pseudonymise`",
    )


def run(args: argparse.Namespace, home: Home) -> int:
    from pipelines.generate import generate_national, generate_sample  # heavy imports only when the command runs
    from pipelines.generate.centres import parse_centres
    from pipelines.generate.sample import DEFAULT_MESSY_RATE

    rate = DEFAULT_MESSY_RATE if args.messy_rate is None else args.messy_rate
    kind = "raw export" if args.raw else "messy sample" if args.messy else "sample"
    if args.centres is not None:
        national = generate_national(
            Path(args.out), parse_centres(args.centres), clients=args.clients, months=args.months, start=args.start,
            seed=args.seed, messy=args.messy, raw=args.raw, messy_rate=rate,
        )
        rows = sum(c.rows for c in national.centres)
        print(f"Wrote a national {kind}: {len(national.centres)} centres, {national.clients:,} clients "
              f"({national.shared_people:,} people served by two centres), {rows:,} rows, into {national.out}.")
        for centre in national.centres:
            print(f"  {centre.code}: {centre.clients:,} clients -> reach load {Path(national.out) / centre.path} "
                  f"--centre {centre.code}")
        print(f"Manifest: {Path(national.out) / 'national-manifest.json'}")
        return 0
    manifest = generate_sample(
        Path(args.out), clients=3000 if args.clients is None else args.clients, months=args.months,
        start=args.start, seed=args.seed, messy=args.messy, raw=args.raw, messy_rate=rate,
    )
    rows = sum(f.rows for d in manifest.deliveries for f in d.files)
    print(f"Wrote a {kind}: {len(manifest.deliveries)} deliveries, {rows:,} rows, into {manifest.out}.")
    if args.messy:
        print(f"{len(manifest.irregularities)} irregularities injected "
              f"({len(manifest.kinds())} kinds); listed in the manifest.")
    print(f"Manifest: {Path(manifest.out) / 'generator-manifest.json'}")
    return 0
