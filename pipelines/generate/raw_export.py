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
from pipelines.pseudonymise.linkage import linkage_key

_GIVEN_FEMALE = ("Olena", "Tetiana", "Natalia", "Iryna", "Oksana", "Lan", "Huong", "Oyuna", "Anna",
                 "Maria", "Elena", "Svetlana", "Ana", "Jana", "Sara", "Fatima", "Nadia", "Alina")
_GIVEN_MALE = ("Oleksandr", "Andrii", "Serhii", "Dmytro", "Minh", "Tuan", "Bat", "Ivan", "Pavel",
               "Nikolai", "Ion", "Petr", "Ahmad", "Omar", "Giorgi", "Arman", "Tomas", "Lukas")
_SURNAMES = ("Kovalenko", "Bondarenko", "Shevchenko", "Melnyk", "Nguyen", "Tran", "Pham", "Le",
             "Bold", "Ganbaatar", "Ivanov", "Petrov", "Rusu", "Ceban", "Novak", "Horvath",
             "Ahmadi", "Beridze", "Sargsyan", "Popescu", "Kowalski", "Dvorak", "Svoboda")


_SYLLABLES = ("ko", "va", "len", "bon", "da", "ren", "she", "chen", "mel", "nyk", "ngu", "yen", "tra", "pha",
              "bol", "gan", "baa", "tar", "iva", "nov", "pet", "rus", "ce", "ban", "hor", "vat", "ah", "ma",
              "di", "be", "ri", "dze", "sar", "po", "pes", "cu", "kow", "al", "mun", "zo")
_ENDINGS = ("enko", "ov", "ova", "ian", "escu", "ski", "idze", "yan", "uk", "")


def _varied_surnames(rng: np.random.Generator, n: int) -> np.ndarray:
    """Surnames from a space of about 16,000 (half the common list, half made of syllables), so that
    in a national sample few different people share name, birth date and nationality by chance."""
    made = np.char.add(np.char.add(np.asarray(_SYLLABLES)[rng.integers(0, len(_SYLLABLES), n)],
                                   np.asarray(_SYLLABLES)[rng.integers(0, len(_SYLLABLES), n)]),
                       np.asarray(_ENDINGS)[rng.integers(0, len(_ENDINGS), n)])
    common = np.asarray(_SURNAMES)[rng.integers(0, len(_SURNAMES), n)]
    return np.where(rng.random(n) < 0.5, common, np.char.capitalize(made.astype(str)))


def given_names(rng: np.random.Generator, female: np.ndarray) -> np.ndarray:
    n = len(female)
    return np.where(
        female,
        np.asarray(_GIVEN_FEMALE)[rng.integers(0, len(_GIVEN_FEMALE), n)],
        np.asarray(_GIVEN_MALE)[rng.integers(0, len(_GIVEN_MALE), n)],
    )


def surnames(rng: np.random.Generator, n: int, varied: bool) -> np.ndarray:
    return _varied_surnames(rng, n) if varied else np.asarray(_SURNAMES)[rng.integers(0, len(_SURNAMES), n)]


class RawIdentities:
    """One fake identity and case-system client number per generated client.

    `first_number`: the case-system number of the first client (later chunks of clients go on
    from there). `varied`: national samples draw surnames from a larger space. `shared`: people
    also served by another centre (`_client`, `given`, `surname`, `_birth_day`) keep their identity.
    """

    def __init__(self, rng: np.random.Generator, clients: pl.DataFrame, first_number: int = 100001,
                 varied: bool = False, shared: pl.DataFrame | None = None) -> None:
        n = clients.height
        female = (clients["sex"] == "female").to_numpy()
        given = given_names(rng, female)
        surname = surnames(rng, n, varied)
        years = clients["birth_year"].to_numpy()
        jan_first = _jan_first(years)
        # born on or before registration (a baby registered in its birth year)
        birth_day = np.minimum(jan_first + rng.integers(0, 365, n), clients["_reg_day"].to_numpy())
        if shared is not None and shared.height:
            at = shared["_client"].to_numpy()
            given, surname = given.astype(object), surname.astype(object)
            given[at], surname[at] = shared["given"].to_numpy(), shared["surname"].to_numpy()
            birth_day[at] = shared["_birth_day"].to_numpy()
        letters = np.frombuffer(b"ABCDEFGHJKLMNPRSTUVXYZ", dtype=np.uint8)
        prefix = letters[rng.integers(0, len(letters), size=(n, 2))].view("S2").ravel().astype("U2")
        self.birth_days = birth_day
        self.frame = pl.DataFrame({
            "client_id": clients["client_id"],
            layout.CLIENT_NUMBER: pl.Series(np.arange(first_number, first_number + n)).cast(pl.String),
            layout.FIRST_NAME: pl.Series(given.tolist(), dtype=pl.String),
            layout.SURNAME: pl.Series(surname.tolist(), dtype=pl.String),
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

    def linkage_keys(self, key: bytes, citizenship_labels: list[str | None]) -> list[str | None]:
        """Each client's national linkage key under `key`, as `reach pseudonymise --linkage-key-file` computes it."""
        days = self.birth_days.astype("datetime64[D]").astype(object)
        return [
            linkage_key(key, given, surname, day, nationality)
            for given, surname, day, nationality in zip(
                self.frame[layout.FIRST_NAME].to_list(), self.frame[layout.SURNAME].to_list(), days,
                citizenship_labels, strict=True,
            )
        ]

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
