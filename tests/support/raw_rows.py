"""Tiny raw layers for build tests: rows inserted straight into a raw.duckdb made by the real DDL.

Each helper writes one delivery's rows with full lineage, so "latest wins", retractions and
orphans can be arranged exactly. Values are already canonical codes, as the loader writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import duckdb

from pipelines.contract import FILES
from pipelines.home import Home
from pipelines.ingest.raw_schema import connect_raw_layer, create_raw_layer

FILE_NAMES = {f.table: f"{f.name}.csv" for f in FILES}
COLUMNS = {f.table: [c.name for c in f.columns] for f in FILES}


@dataclass
class Delivery:
    """Rows of one delivery: table -> list of {canonical column: value}."""

    load_seq: int
    centre: str = "ULK"
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, table: str, **values: Any) -> Delivery:
        unknown = set(values) - set(COLUMNS[table])
        assert not unknown, f"{table} has no column(s) {unknown}"
        self.rows.setdefault(table, []).append(values)
        return self

    @property
    def delivery_id(self) -> str:
        return f"{self.centre}-delivery-{self.load_seq}"


def client(delivery: Delivery, client_id: str, **values: Any) -> Delivery:
    defaults = {"sex": "female", "birth_year": 1990, "citizenship": "UA", "residence_status": "temporary_protection",
                "district": "CZ0427", "municipality": "Ústí nad Labem", "registered_on": date(2022, 8, 1),
                "target_group": None, "deleted": False}
    return delivery.add("clients", client_id=client_id, **(defaults | values))


def write_raw(home: Home, *deliveries: Delivery) -> None:
    """Create the raw layer (if needed) and append the deliveries with their meta rows."""
    home.ensure()
    with connect_raw_layer(str(home.raw_db)) as con:
        create_raw_layer(con)
        for delivery in deliveries:
            _write_delivery(con, delivery)


def _write_delivery(con: duckdb.DuckDBPyConnection, delivery: Delivery) -> None:
    loaded_at = datetime(2022, 9, 1, 12, 0, 0)
    total = 0
    for table, rows in delivery.rows.items():
        columns = COLUMNS[table]
        lineage = ["_centre", "_delivery_id", "_load_seq", "_file_name", "_file_sha256", "_source_row", "_loaded_at"]
        placeholders = ", ".join("?" for _ in columns + lineage)
        statement = f"insert into raw.{table} ({', '.join(columns + lineage)}) values ({placeholders})"
        for index, row in enumerate(rows):
            values = [row.get(c) for c in columns]
            values += [delivery.centre, delivery.delivery_id, delivery.load_seq, FILE_NAMES[table],
                       "0" * 64, index + 2, loaded_at]
            con.execute(statement, values)
        con.execute(
            "insert into meta.load_files values (?, ?, ?, ?, ?, ?, 'csv', 'utf-8', ';', 'loaded', null, ?, ?, 0, 0, ?)",
            [delivery.delivery_id, delivery.centre, delivery.load_seq, FILE_NAMES[table], FILE_NAMES[table][:-4],
             "0" * 64, len(rows), len(rows), loaded_at],
        )
        total += len(rows)
    con.execute(
        "insert into meta.deliveries values (?, ?, ?, ?, ?, ?, ?, ?, 0)",
        [delivery.delivery_id, delivery.centre, delivery.load_seq, f"/deliveries/{delivery.load_seq}", loaded_at,
         len(delivery.rows), total, total],
    )


def query(home: Home, sql: str) -> list[tuple[Any, ...]]:
    """Rows of a query on the published warehouse, opened read-only as every reader does."""
    with duckdb.connect(str(home.warehouse_db), read_only=True) as con:
        return con.execute(sql).fetchall()
