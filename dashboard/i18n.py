"""UI text of the dashboard in Czech (default) and English.

Names of metrics, dimensions and codes come from `pipelines.metrics.catalogue`; texts that the charts
draw themselves from `charts.words`; `t` looks in both so a page asks one function.
"""

from __future__ import annotations

from charts import words
from dashboard.admin.texts import TEXT as ADMIN_TEXT
from dashboard.delivery_texts import TEXT as DELIVERY_TEXT
from dashboard.routine.texts import TEXT as ROUTINE_TEXT
from pipelines.metrics.catalogue import DEFAULT_LANG, LANGS, normalise_lang

__all__ = ["DEFAULT_LANG", "LANGS", "TEXT", "normalise_lang", "t"]

TEXT: dict[str, tuple[str, str]] = {
    "app_title": ("Dosah integračních služeb", "Integration Reach"),
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
    "privacy_on": ("Ochrana údajů: zapnuta", "Data protection: on"),
    "privacy_off": ("Ochrana údajů: vypnuta (přesné údaje)", "Data protection: off (exact figures)"),
    "privacy_hidden": (
        "Některé hodnoty nejsou zobrazeny: počty záznamů za méně než 5 osob, součty a mediány za méně "
        "než 10 osob.",
        "Some values are not shown: counts of records behind fewer than 5 people, sums and medians "
        "behind fewer than 10.",
    ),
    "privacy_off_warning": (
        "Přesné údaje jen na této obrazovce (zapsáno do auditního záznamu). Nesdílejte snímky; exporty "
        "a sestavy jsou vždy chráněné.",
        "Exact figures on this screen only (written to the audit log). Do not share screenshots; exports "
        "and reports are always protected.",
    ),
    "versus": ("oproti", "vs"),
    "target": ("cíl", "target"),
    "of_target": ("plnění cíle", "of target"),
    "no_target": ("bez cíle", "no target"),
    "target_sum": ("součet cílů {count} center", "sum of {count} centres' targets"),
    "target_not_additive": ("cíle center se nesčítají", "centres' targets do not add up"),
    "target_unique_people": ("jedinečné osoby", "unique people"),
    "target_uncovered": ("bez cíle: {centres}", "no target: {centres}"),
    "target_scope": ("cíl platí pro celé centrum", "target applies to the whole centre"),
    "project_to_date_note": (
        "Projekt od začátku: od začátku projektu do konce každého měsíce, osoby se počítají jednou za celé "
        "období. Tempo = cíl poměrně k uplynulým dnům projektu (jen bez filtrů); projekce = dosavadní tempo "
        "do konce projektu. Zvolené období stránky se na graf nevztahuje.",
        "Project to date: from the project's start to the end of each month, people counted once over the "
        "whole span. Pace = the target pro rata to the project days elapsed (without filters only); "
        "projection = the rate so far kept to the project's end. The page's period does not apply to it.",
    ),
    "no_comparison": ("bez srovnání", "no comparison"),
    "export_csv": ("CSV", "CSV"),
    "export_xlsx": ("XLSX", "XLSX"),
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
    "trend_title": ("Oslovení klienti po měsících podle cílové skupiny", "Clients reached by month and target group"),
    "pyramid_title": ("Věk a pohlaví oslovených klientů", "Age and sex of clients reached"),
    "tile_map_title": ("Oslovení klienti podle okresu bydliště", "Clients reached by district of residence"),
    "per_1000_title": ("Oslovení na 1 000 cizinců s pobytem v okrese", "Reach per 1,000 foreign residents"),
    "cefr_title": ("Vstupní → výstupní úroveň (CEFR)", "Entry → exit level (CEFR)"),
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
    "privacy_switch": ("Ochrana údajů", "Data protection"),
    "filters_in_force": ("Filtry", "Filters"),
    "no_filters": ("žádné (všechna data)", "none (all data)"),
    "show_table": ("Zobrazit jako tabulku", "Show as table"),
    "filter_by_row": ("Filtrovat podle tohoto řádku (znovu: zrušit)", "Filter by this row (again: remove)"),
    "download": ("Stáhnout", "Download"),
    "dropdown_select_all": ("Vybrat vše", "Select all"),
    "dropdown_deselect_all": ("Zrušit výběr", "Deselect all"),
    "dropdown_selected_count": ("vybráno: {num_selected}", "{num_selected} selected"),
    "dropdown_search": ("Hledat", "Search"),
    "dropdown_clear_search": ("Vymazat hledání", "Clear search"),
    "dropdown_clear_selection": ("Zrušit výběr", "Clear selection"),
    "dropdown_no_options_found": ("Nic nenalezeno", "No options found"),
}


TEXT.update(ROUTINE_TEXT)  # the monthly routine's pages (dashboard/routine/texts.py)
TEXT.update(ADMIN_TEXT)  # the Administration page (dashboard/admin/texts.py)
TEXT.update(DELIVERY_TEXT)  # the delivery calendar and the incomplete-figures notice (dashboard/delivery_texts.py)


def t(key: str, lang: str) -> str:
    pair = TEXT.get(key) or words.TEXT[key]
    return pair[0] if lang == "cs" else pair[1]
