"""Texts of the delivery calendar and the incomplete-figures notice (Czech, English); merged into
dashboard.i18n.TEXT, so pages ask `t(key, lang)` as for every other text."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "calendar_title": ("Kdo dodal data: kalendář dodávek", "Who has delivered: delivery calendar"),
    "calendar_caption": (
        "Dodávky center po měsících (termín: do {due_day}. dne následujícího měsíce)",
        "The centres' deliveries by month (due by day {due_day} of the next month)",
    ),
    "calendar_help": (
        "Měsíc je dodán první dodávkou se záznamy s datem v tomto měsíci (kontakty, akce, výsledky, "
        "registrace). Pozdě: tato dodávka byla nahrána po termínu. Opraveno později: pozdější dodávka "
        "záznamy měsíce doplnila, opravila nebo smazala. Chybí: nic nebylo dodáno a termín uplynul. "
        "Počítají se dodávky, z nichž je sestaven zveřejněný sklad.",
        "A month is delivered by the first delivery holding records dated in it (contacts, events, "
        "outcomes, registrations). Late: that delivery was loaded after the due date. Corrected later: a "
        "later delivery added, corrected or retracted records of the month. Missing: nothing was delivered "
        "and the due date has passed. The deliveries the published warehouse was built from count.",
    ),
    "calendar_centre": ("Centrum", "Centre"),
    "calendar_region": ("Kalendář dodávek (posouvatelný)", "Delivery calendar (scrollable)"),
    "calendar_empty": ("Zatím nebyla dodána žádná data.", "No data has been delivered yet."),
    "calendar_unavailable": ("Kalendář dodávek teď nelze zobrazit: {reason}",
                             "The delivery calendar cannot be shown now: {reason}"),
    "delivery_on_time": ("včas", "on time"),
    "delivery_late": ("pozdě", "late"),
    "delivery_missing": ("chybí", "missing"),
    "delivery_pending": ("před termínem", "not yet due"),
    "delivery_not_expected": ("mimo projekt", "outside the project"),
    "delivery_corrected": ("opraveno později", "corrected later"),
    "delivery_detail": ("nahráno {loaded}, termín {due}", "loaded {loaded}, due {due}"),
    "delivery_due": ("termín {due}", "due {due}"),
    "incomplete_notice": (
        "Neúplné údaje: ve vybraném období zatím chybí dodávky {items}. Údaje těchto měsíců jsou neúplné "
        "(kalendář dodávek na stránce Kvalita dat).",
        "Incomplete figures: the selected period lacks the deliveries of {items}. The figures of these "
        "months are incomplete (delivery calendar on the Data quality page).",
    ),
    "incomplete_unknown": (
        "Zda jsou dodávky úplné, teď nelze ověřit: {reason}",
        "Whether the deliveries are complete cannot be checked now: {reason}",
    ),
}
