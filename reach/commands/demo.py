"""`reach demo`: the whole product on generated sample data, in one command.

generate -> load -> build (with the quality gate) -> check -> demo accounts -> serve. Each step
is the same sub-command a user would run, so the demo exercises exactly what users get.
Re-running is safe: the sample is deterministic and loading the same delivery twice changes
nothing. The dashboard is served behind sign-in: one demo account per role for the sample
centre, each with a new random password printed once (a re-run replaces them).
"""

from __future__ import annotations

import argparse
import secrets
import sys
from collections.abc import Callable
from pathlib import Path

from pipelines import audit
from pipelines.access import AccountStore, Role, add_account, reset_account
from pipelines.contract import DEFAULT_CENTRE
from pipelines.errors import ReachError
from pipelines.home import Home
from reach.commands._args import positive_int

SAMPLE_START = "2022-08"  # the project period of AMIF/31/03 starts on 1 Aug 2022
SERVE_STEP = "Serving the dashboard"
SAMPLE_CENTRE = DEFAULT_CENTRE  # the centre `reach load` files the sample under (ULK)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=8050)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--clients", type=positive_int, default=None,
                        help="clients (default 3,000; with --national: all centres together, about 4,400 per "
                             "centre-year)")
    parser.add_argument("--months", type=positive_int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-serve", action="store_true", help="stop after the checks (for scripts)")
    parser.add_argument("--national", action="store_true",
                        help="all fourteen centres: a national sample, each centre's deliveries loaded with --centre")


def deliveries_in(sample: Path) -> list[str]:
    """Month deliveries (folders or zips) in name order, which is month order."""
    if not sample.is_dir():
        return []
    found = [p for p in sample.iterdir() if p.is_dir() or p.suffix.lower() == ".zip"]
    return [str(p) for p in sorted(found, key=lambda p: p.name)]


def steps(args: argparse.Namespace, home: Home) -> list[tuple[str, Callable[[], list[str]]]]:
    """The demo's steps as `reach` argument lists (without --home).

    Each list is built when its turn comes, so the load step sees what generate wrote.
    """
    if getattr(args, "national", False):  # scripts may build the namespace themselves
        return national_steps(args, home)
    sample = home.root / "sample"
    return [
        ("Generating sample deliveries", lambda: [
            "generate", str(sample), "--clients", str(args.clients or 3000), "--months", str(args.months),
            "--start", SAMPLE_START, "--seed", str(args.seed),
        ]),
        ("Loading deliveries", lambda: ["load", *deliveries_in(sample)]),
        ("Building the warehouse", lambda: ["build"]),
        ("Checking the published warehouse", lambda: ["check"]),
        *([] if args.no_serve else [
            (SERVE_STEP, lambda: ["serve", "--host", args.host, "--port", str(args.port)]),
        ]),
    ]


def national_steps(args: argparse.Namespace, home: Home) -> list[tuple[str, Callable[[], list[str]]]]:
    """`reach demo --national`: the national sample of all centres, each centre's deliveries loaded
    under its code, then one build, check and serve as in the regional demo."""
    from pipelines.generate.centres import ALL_CENTRES

    sample = home.root / "sample-national"
    clients = ["--clients", str(args.clients)] if args.clients else []
    return [
        ("Generating national sample deliveries", lambda: [
            "generate", str(sample), "--centres", "all", *clients, "--months", str(args.months),
            "--start", SAMPLE_START, "--seed", str(args.seed),
        ]),
        *[(f"Loading deliveries of centre {code}", lambda code=code: ["load", str(sample / code), "--centre", code])
          for code in ALL_CENTRES],
        ("Building the warehouse", lambda: ["build"]),
        ("Checking the published warehouse", lambda: ["check"]),
        *([] if args.no_serve else [
            (SERVE_STEP, lambda: ["serve", "--host", args.host, "--port", str(args.port)]),
        ]),
    ]


def demo_accounts(home: Home) -> list[tuple[str, str, str]]:
    """One account per role for the sample centre, each with a new random password: -> (name, role, password).

    An admin sees every centre; the others the sample centre. Each creation or reset is audited.
    """
    store, actor, made = AccountStore(home), audit.cli_actor(), []
    for role in Role:
        name, password = f"demo-{role.value}", secrets.token_urlsafe(12)
        centres = () if role is Role.ADMIN else (SAMPLE_CENTRE,)
        if store.get(name) is None:
            add_account(home, actor, name, role.value, password, centres=centres, note="demo")
        else:
            reset_account(home, actor, name, password, role=role.value, centres=centres, districts=(), note="demo")
        made.append((name, role.value, password))
    return made


def print_accounts(accounts: list[tuple[str, str, str]]) -> None:
    print("\nDemo accounts (sign in at the address below; these passwords are shown only now):")
    for name, role, password in accounts:
        print(f"  {name:<18} {role:<12} {password}")


def run(args: argparse.Namespace, home: Home) -> int:
    from reach.cli import main

    home.ensure()
    for title, make_step in steps(args, home):
        if title == SERVE_STEP:
            print_accounts(demo_accounts(home))
        step = make_step()
        print(f"\n== {title}: reach {' '.join(step)}", flush=True)
        status = main(["--home", str(home.root), *step])
        if status != 0:
            raise ReachError(f"The demo stopped at `reach {step[0]}` (exit status {status}); see the message above.")
    if args.no_serve:
        print(f"\nDone. The warehouse is published at {home.warehouse_db}. "
              f"Run `reach --home {home.root} serve` to open the dashboard.", file=sys.stdout)
    return 0
