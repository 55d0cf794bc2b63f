"""A home of two centres with a person served by both, with or without every linkage key."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pipelines.home import Home
from support.marts import MartBuilder, home_with_marts


def two_centre_home(root: Path, *, lbk_linked: bool) -> Home:
    """15 clients in each of ULK and LBK (enough people for figures), five of them the same persons;
    ULK's clients all have a linkage key, LBK's only with `lbk_linked`. One contact each, 1 Feb 2023."""
    marts = MartBuilder("ULK")
    for centre in ("ULK", "LBK"):
        marts.centre = centre
        for n in range(15):
            person = n if n < 5 else n + (100 if centre == "LBK" else 0)
            linked = centre == "ULK" or lbk_linked
            client = f"{centre}{n}"
            marts.client(client, registered_on=date(2023, 1, 2), linkage_key=f"{person:064x}" if linked else None)
            marts.contact(f"{client}-c", client, date(2023, 2, 1))
    return home_with_marts(root, marts)
