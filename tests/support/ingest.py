"""Tiny delivery files for the ingestion tests, written in the export format by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl

from pipelines.home import Home
from pipelines.ingest.raw_schema import connect_raw_layer

CLIENT_HEADER = ["ID klienta", "Pohlaví", "Rok narození", "Státní občanství", "Pobytový status",
                 "Okres bydliště", "Obec bydliště", "Datum registrace", "Cílová skupina", "Smazáno"]
CONTACT_HEADER = ["ID kontaktu", "ID klienta", "Datum", "Služba", "Oblast", "Forma", "Délka (min)",
                  "Pracoviště", "Tlumočení", "Smazáno"]


def client(client_id: str = "CLI0001", **overrides: str) -> dict[str, str]:
    row = {"ID klienta": client_id, "Pohlaví": "žena", "Rok narození": "1988", "Státní občanství": "Ukrajina",
           "Pobytový status": "dočasná ochrana", "Okres bydliště": "Děčín", "Obec bydliště": "Děčín",
           "Datum registrace": "5.1.2023", "Cílová skupina": "", "Smazáno": "ne"}
    row.update(overrides)
    return row


def contact(contact_id: str = "K1", client_id: str = "CLI0001", **overrides: str) -> dict[str, str]:
    row = {"ID kontaktu": contact_id, "ID klienta": client_id, "Datum": "6.1.2023",
           "Služba": "sociální poradenství", "Oblast": "pobyt", "Forma": "osobně", "Délka (min)": "30",
           "Pracoviště": "Děčín", "Tlumočení": "ne", "Smazáno": "ne"}
    row.update(overrides)
    return row


def csv_text(header: list[str], rows: list[dict[str, str]], delimiter: str = ";", newline: str = "\n") -> str:
    def quote(cell: str) -> str:
        return f'"{cell.replace(chr(34), chr(34) * 2)}"' if any(ch in cell for ch in f'{delimiter}"\n') else cell

    lines = [delimiter.join(quote(h) for h in header)]
    lines += [delimiter.join(quote(row.get(h, "")) for h in header) for row in rows]
    return newline.join(lines) + newline


def write_csv(folder: Path, name: str, header: list[str], rows: list[dict[str, str]], *,
              delimiter: str = ";", encoding: str = "utf-8", newline: str = "\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(csv_text(header, rows, delimiter, newline).encode(encoding))
    return path


def write_xlsx(folder: Path, name: str, header: list[str], rows: list[list[object]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    path = folder / name
    workbook.save(path)
    return path


def query(home: Home, sql: str, params: list[object] | None = None) -> list[tuple]:
    with connect_raw_layer(str(home.raw_db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def today() -> date:
    return date.today()
