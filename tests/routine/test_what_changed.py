"""What a delivery changed (issue 15 item 2), on hand-made raw layers with the counts worked out by hand.

The base is the quality tests' clean centre (eight monthly deliveries, 24 clients), plus, in the
eighth delivery, a contact and an outcome of client900, whom the centre has not delivered (orphans).
The ninth delivery then holds:
- clients: client900 (new; resolves the two orphans) and client901 (new), client023 retracted
  (live before; no activity, so no figure moves with it), client020 again unchanged;
- contacts: k-202303-0-00 again with another duration (corrected), k-202303-1-00 retracted (March
  loses a contact; its client keeps another contact that month), k-901 (new, client901, April),
  k-nope retracted although never delivered (changes nothing).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipelines.changes import delivery_changes, headline_moves
from pipelines.home import Home
from reach.build import build_warehouse
from support.quality import BRANCHES, clean_deliveries
from support.raw_rows import Delivery, client, write_raw

CONTACT = {"service": "social_counselling", "topic": None, "mode": "in_person", "duration_min": 30,
           "branch": BRANCHES[0], "interpreted": False, "deleted": False}


def _contact(rows: list[dict], contact_id: str) -> dict:
    return dict(next(r for r in rows if r["contact_id"] == contact_id))


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Home, Delivery]:
    home = Home(Path(tmp_path_factory.mktemp("changes")) / "home")
    base = clean_deliveries()
    base[-1].add("contacts", contact_id="k-orphan", client_id="client900", contact_date=date(2023, 2, 15), **CONTACT)
    base[-1].add("outcomes", outcome_id="o-orphan", client_id="client900", outcome_date=date(2023, 2, 20),
                 outcome="employment_found", verified=False, deleted=False)
    write_raw(home, *base)
    build_warehouse(home)

    ninth = Delivery(9)
    client(ninth, "client900", registered_on=date(2023, 2, 1))
    client(ninth, "client901", registered_on=date(2023, 4, 1))
    clients = base[0].rows["clients"]
    ninth.add("clients", **(clients[23] | {"deleted": True}))
    ninth.add("clients", **clients[20])
    march = base[7].rows["contacts"]
    ninth.add("contacts", **(_contact(march, "k-202303-0-00") | {"duration_min": 75}))
    ninth.add("contacts", **(_contact(march, "k-202303-1-00") | {"deleted": True}))
    ninth.add("contacts", contact_id="k-901", client_id="client901", contact_date=date(2023, 4, 2), **CONTACT)
    ninth.add("contacts", contact_id="k-nope", client_id="client901", contact_date=date(2023, 4, 3),
              **(CONTACT | {"deleted": True}))
    write_raw(home, ninth)
    return home, ninth


def test_the_first_deliveries_bring_only_new_records(home: tuple[Home, Delivery]) -> None:
    first = delivery_changes(home[0])[0]
    assert first.load_seq == 1 and first.new_clients == 24 and first.orphans_resolved == 0
    assert {f.file_kind: (f.new, f.corrected, f.unchanged, f.retracted) for f in first.files}["kontakty"] == \
        (20, 0, 0, 0)


def test_a_delivery_s_new_corrected_retracted_and_resolved_records_by_file(home: tuple[Home, Delivery]) -> None:
    root, ninth = home
    [changes] = delivery_changes(root, ninth.delivery_id)
    by_kind = {f.file_kind: f for f in changes.files}
    assert set(by_kind) == {"klienti", "kontakty"}
    clients, contacts = by_kind["klienti"], by_kind["kontakty"]
    assert (clients.records, clients.new, clients.corrected, clients.unchanged, clients.retracted,
            clients.retracted_unknown) == (4, 2, 0, 1, 1, 0)
    assert clients.orphans_resolved == {"kontakty": 1, "vysledky": 1}
    assert (contacts.records, contacts.new, contacts.corrected, contacts.unchanged, contacts.retracted,
            contacts.retracted_unknown) == (4, 1, 1, 0, 1, 1)
    assert changes.new_clients == 2 and changes.orphans_resolved == 2
    # registrations of client020/023 (Aug 2022), client900 (Feb), client901 (Apr); contacts in March and April
    assert changes.months == ("2022-08", "2023-02", "2023-03", "2023-04")
    assert not changes.set_aside


def test_headline_figures_move_only_after_the_next_build(home: tuple[Home, Delivery]) -> None:
    root, ninth = home
    assert not headline_moves(root, ninth.delivery_id).built  # loaded, not yet built
    build_warehouse(root)
    moves = headline_moves(root, ninth.delivery_id)
    assert moves.built and (moves.before_loaded_through, moves.after_loaded_through) == (8, 9)
    assert moves.shared_with == ()
    moved = {(m.month, m.metric): (m.before, m.after) for m in moves.moves if m.before != m.after}
    assert set(moved) == {("2023-02", "contacts"), ("2023-02", "clients_reached"), ("2023-02", "new_clients"),
                          ("2023-03", "contacts"), ("2023-04", "contacts"), ("2023-04", "clients_reached"),
                          ("2023-04", "new_clients")}
    assert moved[("2023-02", "contacts")] == (20, 21)  # the orphan contact counts now that its client arrived
    before, after = moved[("2023-02", "clients_reached")]
    assert after == before + 1  # client900
    assert moved[("2023-02", "new_clients")] == (0, 1)  # client900 registered in February
    assert moved[("2023-03", "contacts")] == (20, 19)  # k-202303-1-00 retracted; its client has another
    assert moved[("2023-04", "contacts")] == (None, 1)  # a month that had no figure before
    assert moved[("2023-04", "clients_reached")] == (None, 1)
    assert moved[("2023-04", "new_clients")] == (None, 1)
    touched = {m.month for m in moves.moves if m.touched}
    assert touched == {"2022-08", "2023-02", "2023-03", "2023-04"} & {m.month for m in moves.moves}
    # Building again without a new delivery changes nothing of the record.
    build_warehouse(root)
    assert headline_moves(root, ninth.delivery_id) == moves
