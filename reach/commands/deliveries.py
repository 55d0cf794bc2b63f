"""`reach deliveries list | set-aside ID --reason R | restore ID`: loaded deliveries, and leaving one out."""

from __future__ import annotations

import argparse

from pipelines import audit
from pipelines.deliveries import SHORT_ID, DeliveryRecord, list_deliveries, restore, set_aside
from pipelines.home import Home


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("list", help="every loaded delivery in load order, with its state (counted or set aside)")
    aside = actions.add_parser(
        "set-aside", help="leave a delivery out of the next builds (audited); its rows stay in the raw layer")
    aside.add_argument("delivery", metavar="ID", help="the delivery's ID or its first 8+ characters")
    aside.add_argument("--reason", required=True, help="why (written to the audit log)")
    back = actions.add_parser("restore", help="make a set-aside delivery count again (audited)")
    back.add_argument("delivery", metavar="ID", help="the delivery's ID or its first 8+ characters")
    back.add_argument("--reason", default="", help="why (written to the audit log)")


def table(records: list[DeliveryRecord]) -> str:
    rows = [("load", "centre", "delivery", "loaded at", "read", "loaded", "quarantined", "state", "source")]
    for r in records:
        state = (f"set aside {r.set_aside_at:%Y-%m-%d %H:%M} by {r.set_aside_by}: {r.reason}" if r.set_aside
                 else "counted")
        rows.append((str(r.load_seq), r.centre, r.delivery_id[:SHORT_ID], f"{r.loaded_at:%Y-%m-%d %H:%M}",
                     f"{r.rows_read:,}", f"{r.rows_loaded:,}", f"{r.rows_quarantined:,}",
                     audit.printable(state), audit.printable(r.source)))
    numeric = {0, 4, 5, 6}
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]

    def line(row: tuple[str, ...]) -> str:
        cells = zip(row, widths, strict=True)
        return "  ".join(c.rjust(w) if i in numeric else c.ljust(w) for i, (c, w) in enumerate(cells)).rstrip()

    return "\n".join(line(row) for row in rows)


def run(args: argparse.Namespace, home: Home) -> int:
    if args.action == "list":
        records = list_deliveries(home)
        print(table(records) if records else f"No deliveries are loaded in {home.root}.")
        return 0
    actor = audit.cli_actor()
    if args.action == "set-aside":
        record = set_aside(home, args.delivery, args.reason, actor)
        reason = audit.printable(record.reason or "")
        print(f"Set aside {record.describe()}: {reason}. Its rows stay in {home.raw_db} but stop counting "
              "from the next `reach build`; `reach deliveries restore` undoes this. Recorded in the audit log.")
    else:
        record = restore(home, args.delivery, actor, args.reason)
        print(f"Restored {record.describe()}: it counts again from the next `reach build`. "
              "Recorded in the audit log.")
    return 0
