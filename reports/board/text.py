"""Words of the board pack in Czech (default) and English."""

from __future__ import annotations

from pipelines.metrics.protection import NOTICE

TEXT: dict[str, tuple[str, str]] = {
    "title": ("Zpráva pro vedení", "Board report"),
    "period": ("Období", "Period"),
    "previous": ("Srovnávací období", "Comparison period"),
    "data_as_of": ("Data ke dni", "Data as of"),
    "kpis": ("Klíčové ukazatele", "Key figures"),
    "indicator": ("Ukazatel", "Indicator"),
    "value": ("Období", "Period"),
    "previous_short": ("Předchozí", "Previous"),
    "change": ("Změna", "Change"),
    "target": ("Cíl za období", "Period target"),
    "achieved": ("Plnění", "Achieved"),
    "highlights": ("Hlavní zjištění", "Highlights"),
    "trend": ("Vývoj", "Trend"),
    "reach": ("Dosah", "Reach"),
    "outcomes": ("Výsledky", "Outcomes"),
    "courses": ("Výsledky kurzů", "Course results"),
    "course": ("Kurz", "Course"),
    "quality": ("Kvalita dat", "Data quality"),
    "quality_status": ("Stav kontroly kvality", "Quality check status"),
    "checked_at": ("Kontrola provedena", "Checked at"),
    "failed_checks": ("Neúspěšné kontroly", "Failed checks"),
    "deliveries": ("Použité dodávky", "Deliveries used"),
    "quarantined": ("Řádky v karanténě", "Quarantined rows"),
    "hidden": ("skryto", "hidden"),
    "suppression": (
        NOTICE["cs"] + " Počty záznamů za méně než 5 osob a součty za méně než 10 osob nejsou zobrazeny. "
        "Jedna osoba se v součtu počítá jednou, části se proto nesčítají do celku.",
        NOTICE["en"] + " Counts of records behind fewer than 5 people and sums behind fewer than 10 are not "
        "shown. A person counts once in a total, so parts do not add up to the total.",
    ),
    "targets_note": (
        "Cíl za období = cíl projektu poměrně ke dnům projektu v období.",
        "Period target = the project target pro rata to the project days in the period.",
    ),
    "none": ("—", "—"),
}

QUALITY: dict[str, tuple[str, str]] = {
    "passed": ("v pořádku", "passed"),
    "warnings": ("s varováními", "passed with warnings"),
    "failed": ("neprošla", "failed"),
    "not_checked": ("nekontrolováno", "not checked"),
}


def t(key: str, lang: str) -> str:
    cs, en = TEXT[key]
    return cs if lang == "cs" else en


def quality_label(status: str, lang: str) -> str:
    cs, en = QUALITY.get(status, (status, status))
    return cs if lang == "cs" else en
