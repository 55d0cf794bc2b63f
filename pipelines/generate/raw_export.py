"""Fake direct identifiers for a raw export (docs/raw-export.md), so the pseudonymiser can
be demonstrated and tested. Names are random combinations of common given names and
surnames; e-mails use the reserved domain example.com; phone numbers use the Czech
mobile range with random digits. No real person's data is used.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.contract import ExportFile
from pipelines.generate.render import czech_date
from pipelines.pseudonymise import layout

_GIVEN_FEMALE = ("Olena", "Tetiana", "Natalia", "Iryna", "Oksana", "Lan", "Huong", "Oyuna", "Anna",
                 "Maria", "Elena", "Svetlana", "Ana", "Jana", "Sara", "Fatima", "Nadia", "Alina")
_GIVEN_MALE = ("Oleksandr", "Andrii", "Serhii", "Dmytro", "Minh", "Tuan", "Bat", "Ivan", "Pavel",
               "Nikolai", "Ion", "Petr", "Ahmad", "Omar", "Giorgi", "Arman", "Tomas", "Lukas")
_SURNAMES = ("Kovalenko", "Bondarenko", "Shevchenko", "Melnyk", "Nguyen", "Tran", "Pham", "Le",
             "Bold", "Ganbaatar", "Ivanov", "Petrov", "Rusu", "Ceban", "Novak", "Horvath",
             "Ahmadi", "Beridze", "Sargsyan", "Popescu", "Kowalski", "Dvorak", "Svoboda")


class RawIdentities:
    """One fake identity and case-system client number per generated client."""

    def __init__(self, rng: np.random.Generator, clients: pl.DataFrame) -> None:
        n = clients.height
        female = (clients["sex"] == "female").to_numpy()
        given = np.where(
            female,
            np.asarray(_GIVEN_FEMALE)[rng.integers(0, len(_GIVEN_FEMALE), n)],
            np.asarray(_GIVEN_MALE)[rng.integers(0, len(_GIVEN_MALE), n)],
        )
        surname = np.asarray(_SURNAMES)[rng.integers(0, len(_SURNAMES), n)]
        years = clients["birth_year"].to_numpy()
        jan_first = _jan_first(years)
        # born on or before registration (a baby registered in its birth year)
        birth_day = np.minimum(jan_first + rng.integers(0, 365, n), clients["_reg_day"].to_numpy())
        letters = np.frombuffer(b"ABCDEFGHJKLMNPRSTUVXYZ", dtype=np.uint8)
        prefix = letters[rng.integers(0, len(letters), size=(n, 2))].view("S2").ravel().astype("U2")
        self.frame = pl.DataFrame({
            "client_id": clients["client_id"],
            layout.CLIENT_NUMBER: pl.Series(np.arange(100001, 100001 + n)).cast(pl.String),
            layout.FIRST_NAME: given,
            layout.SURNAME: surname,
            "_birth": pl.Series(birth_day.astype("datetime64[D]")).cast(pl.Date),
            layout.DOCUMENT_NUMBER: pl.Series(prefix)
            + pl.Series(rng.integers(1_000_000, 9_999_999, n)).cast(pl.String),
            layout.PHONE: "+420 7" + pl.Series(rng.integers(10_000_000, 99_999_999, n)).cast(pl.String),
        })
        self.frame = self.frame.with_columns(
            czech_date(pl.col("_birth")).alias(layout.BIRTH_DATE),
            pl.concat_str(  # the names are ASCII: usable as e-mail local parts as they are
                pl.col(layout.FIRST_NAME).str.to_lowercase(), pl.lit("."), pl.col(layout.SURNAME).str.to_lowercase(),
                pl.lit("."), pl.col(layout.CLIENT_NUMBER), pl.lit("@example.com"),
            ).alias(layout.EMAIL),
        ).drop("_birth")
        self.numbers = dict(zip(self.frame["client_id"], self.frame[layout.CLIENT_NUMBER], strict=True))

    def apply(self, written: pl.DataFrame, spec: ExportFile, records: pl.DataFrame) -> pl.DataFrame:
        """The contract-format frame of one file -> the raw layout."""
        if layout.CLIENT_ID_HEADER not in written.columns:
            return written
        if spec.name != "klienti":
            return written.with_columns(
                pl.col(layout.CLIENT_ID_HEADER).replace_strict(self.numbers, return_dtype=pl.String)
            ).rename({layout.CLIENT_ID_HEADER: layout.CLIENT_NUMBER})
        joined = written.with_columns(records["client_id"].alias("client_id")).join(
            self.frame, on="client_id", how="left", maintain_order="left"
        )
        contract_rest = [c for c in written.columns if c not in (layout.CLIENT_ID_HEADER, layout.BIRTH_YEAR_HEADER)]
        citizenship = contract_rest.index("Státní občanství") + 1
        order = [
            *layout.CLIENTS_LEADING, *contract_rest[:citizenship], *layout.CLIENTS_AFTER_CITIZENSHIP,
            *contract_rest[citizenship:],
        ]
        return joined.select(order)


def _jan_first(years: np.ndarray) -> np.ndarray:
    """Day number of 1 January of each year."""
    return (years.astype("int64") - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype("int64")
