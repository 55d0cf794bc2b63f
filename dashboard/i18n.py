"""UI text in Czech (default) and English, and human labels for codes and metric names."""

from __future__ import annotations

from pipelines.reference.labels import catalogue, label

LANGS = ("cs", "en")
DEFAULT_LANG = "cs"

# Short names of metrics for axes, cards and legends: (Czech, English).
METRIC_NAMES: dict[str, tuple[str, str]] = {
    "clients_reached": ("Oslovení klienti", "Clients reached"),
    "new_clients": ("Noví klienti", "New clients"),
    "contacts": ("Kontakty", "Contacts"),
    "service_hours": ("Hodiny služeb", "Service hours"),
    "course_participants": ("Účastníci kurzů", "Course participants"),
    "course_completions": ("Dokončení kurzu", "Course completions"),
    "level_gains": ("Zlepšení úrovně", "Level gains"),
    "event_attendance": ("Účast na akcích", "Event attendance"),
    "outcomes": ("Výsledky", "Outcomes"),
    "clients_with_outcome": ("Klienti s výsledkem", "Clients with an outcome"),
    "enrolments": ("Zápisy do kurzů", "Course enrolments"),
    "interpreted_contacts": ("Tlumočené kontakty", "Interpreted contacts"),
    "events": ("Akce", "Events"),
    "event_participants_foreign": ("Cizinci na akcích", "Foreign participants at events"),
    "reach_per_1000_foreign": ("Oslovení na 1 000 cizinců", "Reach per 1,000 foreign residents"),
    "median_days_to_outcome": ("Medián dnů do výsledku", "Median days to outcome"),
    "delivery_contacts": ("Kontakty v dodávkách", "Contacts delivered"),
}

DIMENSION_NAMES: dict[str, tuple[str, str]] = {
    "nationality": ("Státní příslušnost", "Nationality"),
    "district": ("Okres", "District"),
    "target_group": ("Cílová skupina", "Target group"),
    "sex": ("Pohlaví", "Sex"),
    "age_band": ("Věková skupina", "Age band"),
    "residence_status": ("Pobytový status", "Residence status"),
    "service": ("Služba", "Service"),
    "month": ("Měsíc", "Month"),
    "centre": ("Centrum", "Centre"),
    "topic": ("Téma", "Topic"),
    "mode": ("Forma", "Mode"),
    "branch": ("Pobočka", "Branch"),
    "interpreted": ("Tlumočeno", "Interpreted"),
    "course_type": ("Typ kurzu", "Course type"),
    "level_in": ("Vstupní úroveň", "Entry level"),
    "level_out": ("Výstupní úroveň", "Exit level"),
    "exam": ("Zkouška", "Exam"),
    "attendance_band": ("Docházka", "Attendance"),
    "event_type": ("Typ akce", "Event type"),
    "audience": ("Cílové publikum", "Audience"),
    "outcome": ("Výsledek", "Outcome"),
    "verified": ("Ověřeno", "Verified"),
    "days_to_outcome_band": ("Dny do výsledku", "Days to outcome"),
}

# Dimensions whose codes share a catalogue under another name.
_CATALOGUE_ALIASES = {"level_in": "cefr", "level_out": "cefr", "course_type": "service"}
_BOOLEAN_DIMENSIONS = {"interpreted", "verified"}
_YES_NO = {True: ("Ano", "Yes"), False: ("Ne", "No")}
REST_CODE = "__rest__"
_REST = ("Ostatní", "Other")

MONTHS_CS = ("led", "úno", "bře", "dub", "kvě", "čvn", "čvc", "srp", "zář", "říj", "lis", "pro")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

TEXT: dict[str, tuple[str, str]] = {
    "app_title": ("Dosah integračních služeb", "Integration Reach"),
    "page_overview": ("Přehled", "Overview"),
    "page_reach": ("Dosah", "Reach"),
    "page_services": ("Služby", "Services"),
    "page_courses": ("Kurzy", "Courses"),
    "page_outcomes": ("Výsledky", "Outcomes"),
    "page_events": ("Akce", "Events"),
    "page_quality": ("Kvalita dat", "Data quality"),
    "page_definitions": ("Definice", "Definitions"),
    "period": ("Období", "Period"),
    "reports": ("Zprávy za období", "Reports for the period"),
    "report_board_pdf": ("Zpráva pro vedení (PDF)", "Board pack (PDF)"),
    "report_board_pptx": ("Zpráva pro vedení (PPTX)", "Board pack (PPTX)"),
    "report_ministry_xlsx": ("Indikátory pro ministerstvo (XLSX)", "Ministry indicators (XLSX)"),
    "preset_project": ("Projektové období", "Project period"),
    "preset_year": ("Kalendářní rok", "Calendar year"),
    "preset_quarter": ("Čtvrtletí", "Quarter"),
    "preset_month": ("Měsíc", "Month"),
    "preset_custom": ("Vlastní", "Custom"),
    "comparison": ("Srovnání", "Comparison"),
    "compare_previous": ("Předchozí období", "Previous period"),
    "compare_year": ("Stejné období o rok dříve", "Same period a year earlier"),
    "compare_none": ("Bez srovnání", "No comparison"),
    "all": ("Vše", "All"),
    "language": ("Jazyk", "Language"),
    "privacy_on": ("Ochrana malých čísel: zapnuta", "Small-number protection: on"),
    "privacy_off": ("Ochrana malých čísel: vypnuta", "Small-number protection: off"),
    "privacy_hidden": (
        "Některé hodnoty jsou skryty (1–4 osoby se zobrazují jako <5, další buňky jsou skryty, "
        "aby je nešlo dopočítat).",
        "Some values are hidden (1–4 people are shown as <5, further cells are hidden so that "
        "they cannot be worked out).",
    ),
    "privacy_off_warning": (
        "Ochrana malých čísel je vypnuta jen na této obrazovce. Nesdílejte snímky ani exporty.",
        "Small-number protection is off on this screen only. Do not share screenshots or exports.",
    ),
    "versus": ("oproti", "vs"),
    "target": ("cíl", "target"),
    "of_target": ("plnění cíle", "of target"),
    "no_target": ("bez cíle", "no target"),
    "no_comparison": ("bez srovnání", "no comparison"),
    "export_csv": ("CSV", "CSV"),
    "export_xlsx": ("XLSX", "XLSX"),
    "empty_period": ("Za zvolené období a filtry nejsou žádná data.", "No data for the chosen period and filters."),
    "no_warehouse": (
        "Zatím není publikován žádný datový sklad. Spusťte `reach load` a `reach build`.",
        "No warehouse has been published yet. Run `reach load` and `reach build`.",
    ),
    "link_ignored": (
        "Část odkazu byla neplatná a je vynechána ({params}); zobrazuje se výchozí volba. "
        "Období může ležet mezi {earliest} a {latest}.",
        "Part of the link was not valid and is left out ({params}); the default is shown instead. "
        "Periods can lie between {earliest} and {latest}.",
    ),
    "click_hint": (
        "Kliknutím na sloupec nebo dlaždici filtrujete; z klávesnice tlačítky řádků v zobrazení tabulky.",
        "Click a bar or tile to filter by it; from the keyboard, use the row buttons of the table view.",
    ),
    "clear_filters": ("Zrušit filtry", "Clear filters"),
    "rest": _REST,
    "hidden": ("skryto", "hidden"),
    "trend_title": ("Oslovení klienti po měsících podle cílové skupiny", "Clients reached by month and target group"),
    "pyramid_title": ("Věk a pohlaví oslovených klientů", "Age and sex of clients reached"),
    "tile_map_title": ("Oslovení klienti podle okresu bydliště", "Clients reached by district of residence"),
    "per_1000_title": ("Oslovení na 1 000 cizinců s pobytem v okrese", "Reach per 1,000 foreign residents"),
    "cefr_title": ("Vstupní → výstupní úroveň (CEFR)", "Entry → exit level (CEFR)"),
    "outside_region_note": ("Mimo kraj / neuvedeno", "Outside the region / not stated"),
    "data_docs": ("Otevřít Data Docs (výsledky kontrol)", "Open Data Docs (check results)"),
    "quality_no_results": (
        "Výsledky kontrol kvality zatím nejsou k dispozici (spusťte `reach check`).",
        "Quality check results are not available yet (run `reach check`).",
    ),
    "last_build": ("Poslední sestavení skladu", "Last warehouse build"),
    "failed_expectations": ("Neúspěšné kontroly", "Failed expectations"),
    "quarantine": ("Řádky v karanténě", "Quarantined rows"),
    "completeness": ("Kontakty dodané po měsících a pobočkách", "Contacts delivered by month and branch"),
    "deliveries": ("Dodávky", "Deliveries"),
    "none_failed": ("Žádná kontrola neselhala.", "No expectation failed."),
    "none_quarantined": ("Žádné řádky v karanténě.", "No rows in quarantine."),
    "interpreted_share": ("Podíl tlumočených kontaktů", "Share of interpreted contacts"),
    "completion_rate": ("Míra dokončení", "Completion rate"),
    "outcome_share": ("Podíl oslovených klientů s výsledkem", "Share of clients reached with an outcome"),
    "median_days": ("Medián dnů od registrace do výsledku", "Median days from registration to outcome"),
    "metric_unavailable": (
        "Tento ukazatel metrické API zatím neposkytuje.", "The metric API does not provide this figure yet."
    ),
    "definitions_missing": ("Definice ukazatelů nejsou k dispozici.", "Metric definitions are not available."),
    "geojson_note": ("Mapa z GeoJSON souboru okresů", "Map from the district GeoJSON file"),
    "from": ("Od", "From"),
    "to": ("Do", "To"),
    # Accessibility: landmarks, switches, text alternatives of charts.
    "skip_to_content": ("Přeskočit na obsah", "Skip to content"),
    "pages_nav": ("Stránky", "Pages"),
    "filters_region": ("Období a filtry", "Period and filters"),
    "privacy_switch": ("Ochrana malých čísel", "Small-number protection"),
    "filters_in_force": ("Filtry", "Filters"),
    "no_filters": ("žádné (všechna data)", "none (all data)"),
    "show_table": ("Zobrazit jako tabulku", "Show as table"),
    "filter_by_row": ("Filtrovat podle tohoto řádku (znovu: zrušit)", "Filter by this row (again: remove)"),
    "download": ("Stáhnout", "Download"),
    "value": ("Hodnota", "Value"),
    "item": ("Položka", "Item"),
    "summary_rows": ("Položek", "Items"),
    "summary_most": ("Nejvíce", "Largest"),
    "summary_largest": ("Nejvyšší hodnota", "Largest value"),
    "summary_hidden": ("Skrytých nebo malých hodnot", "Hidden or small values"),
    "dropdown_select_all": ("Vybrat vše", "Select all"),
    "dropdown_deselect_all": ("Zrušit výběr", "Deselect all"),
    "dropdown_selected_count": ("vybráno: {num_selected}", "{num_selected} selected"),
    "dropdown_search": ("Hledat", "Search"),
    "dropdown_clear_search": ("Vymazat hledání", "Clear search"),
    "dropdown_clear_selection": ("Zrušit výběr", "Clear selection"),
    "dropdown_no_options_found": ("Nic nenalezeno", "No options found"),
}


def t(key: str, lang: str) -> str:
    pair = TEXT[key]
    return pair[0] if lang == "cs" else pair[1]


def normalise_lang(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def metric_name(metric: str, lang: str) -> str:
    pair = METRIC_NAMES.get(metric)
    if pair is None:
        return metric
    return pair[0] if lang == "cs" else pair[1]


def dimension_name(dimension: str, lang: str) -> str:
    pair = DIMENSION_NAMES.get(dimension)
    if pair is None:
        return dimension
    return pair[0] if lang == "cs" else pair[1]


def month_label(code: str, lang: str) -> str:
    """`2022-08` -> cs `srp 2022`, en `Aug 2022`."""
    year, month = code.split("-")[:2]
    names = MONTHS_CS if lang == "cs" else MONTHS_EN
    return f"{names[int(month) - 1]} {year}"


def code_label(dimension: str, code: object, lang: str) -> str:
    """Human label of one value of a dimension in the UI language."""
    if code is None:
        return "—"
    if code == REST_CODE:
        return t("rest", lang)
    if dimension in _BOOLEAN_DIMENSIONS:
        truth = code if isinstance(code, bool) else str(code).lower() in ("true", "1", "yes")
        pair = _YES_NO[truth]
        return pair[0] if lang == "cs" else pair[1]
    if dimension == "month":
        return month_label(str(code), lang)
    catalogue_name = _CATALOGUE_ALIASES.get(dimension, dimension)
    known = catalogue_name in ("nationality", "district", "age_band", "cefr") or catalogue(catalogue_name)
    text = label(catalogue_name, str(code), lang) if known else str(code)
    if text == "unknown":
        return "Neuvedeno" if lang == "cs" else "Not stated"
    return text
