"""The raw export layout (docs/raw-export.md): the export format, except that clients are
named by the case system's client number and klienti holds direct identifiers."""

from __future__ import annotations

CLIENT_NUMBER = "Číslo klienta"  # replaces "ID klienta" in every file
FIRST_NAME = "Jméno"
SURNAME = "Příjmení"
BIRTH_DATE = "Datum narození"  # replaces "Rok narození"
DOCUMENT_NUMBER = "Číslo dokladu"
PHONE = "Telefon"
EMAIL = "E-mail"

# Dropped by the pseudonymiser (birth date is reduced to the birth year first).
DIRECT_IDENTIFIERS = (FIRST_NAME, SURNAME, BIRTH_DATE, DOCUMENT_NUMBER, PHONE, EMAIL)

# Column order of klienti in the raw layout; the other contract columns follow as in the contract.
CLIENTS_LEADING = (CLIENT_NUMBER, FIRST_NAME, SURNAME, BIRTH_DATE)
CLIENTS_AFTER_CITIZENSHIP = (DOCUMENT_NUMBER, PHONE, EMAIL)

CLIENT_ID_HEADER = "ID klienta"
BIRTH_YEAR_HEADER = "Rok narození"
