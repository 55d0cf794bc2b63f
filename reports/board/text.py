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
    "project": ("Projekt od začátku", "Project to date"),
    "to_date": ("Od začátku projektu", "Project to date"),
    "pace": ("Tempo k cíli", "Pace to target"),
    "project_target": ("Cíl projektu", "Project target"),
    "projection": ("Projekce do konce", "Projection to the end"),
    "project_note": (
        "Od začátku projektu ({start}) do konce měsíce {month}; jedinečné osoby se počítají jednou za celé "
        "období. Tempo k cíli = cíl poměrně ke dnům projektu do konce měsíce; projekce = dosavadní tempo "
        "udržené do konce projektu ({end}).",
        "From the project's start ({start}) to the end of {month}; unique people count once over the whole "
        "span. Pace to target = the target pro rata to the project days to the month's end; projection = the "
        "rate so far kept up to the project's end ({end}).",
    ),
    "not_additive": ("nesčítá se", "not additive"),
    "targets_summed": (
        "Cíle {count} center: počty a součty jsou sečteny; cíle jedinečných osob se nesčítají (osoba "
        "obsloužená dvěma centry je jedna osoba), proto nejsou uvedeny.",
        "Targets of {count} centres: counts and sums are added up; unique-people targets are not additive "
        "(a person served by two centres is one person), so none is shown.",
    ),
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
