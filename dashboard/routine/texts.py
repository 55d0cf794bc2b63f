"""UI text of the monthly routine (Deliveries, Schedules, the trace view), Czech (default) and English.

Merged into dashboard/i18n.py's TEXT, so `t(key, lang)` finds these too; `rt` is the same lookup
for the modules here. Messages of the loader, the upload checks and the build are the command
line's (English), shown as they are, after a Czech or English lead-in.
"""

from __future__ import annotations

from pipelines.formatting import fmt_int

TEXT: dict[str, tuple[str, str]] = {
    # Upload
    "upload_title": ("Nahrát dodávku", "Upload a delivery"),
    "upload_help": (
        "Soubory jedné dodávky (CSV nebo XLSX) nebo ZIP s dodávkami. Načtou se stejně jako příkazem reach load; "
        "nahrané soubory se uloží s otiskem (SHA-256) a nikdy se nezobrazují ani nestahují zpět.",
        "The files of one delivery (CSV or XLSX) or ZIP files of deliveries. They are loaded as reach load loads "
        "them; uploaded files are kept with their hash (SHA-256) and never shown or served back.",
    ),
    "upload_centre": ("Centrum", "Centre"),
    "upload_files": ("Soubory (CSV, XLSX, ZIP)", "Files (CSV, XLSX, ZIP)"),
    "upload_drop": ("…nebo je sem přetáhněte.", "…or drop them here."),
    "upload_submit": ("Nahrát a načíst", "Upload and load"),
    "upload_limit": ("Nejvýše {files} souborů, dohromady {mb} MB.", "At most {files} files, {mb} MB together."),
    "upload_none_chosen": ("Nejdřív vyberte soubory.", "Choose files first."),
    "upload_sending": ("Odesílání: {percent} %", "Sending: {percent}%"),
    "upload_too_large": (
        "Nahrání odmítnuto: soubory mají dohromady {size} MB, limit je {mb} MB. Nic nebylo odesláno.",
        "Upload refused: the files are {size} MB together, the limit is {mb} MB. Nothing was sent.",
    ),
    "upload_refused": ("Nahrání odmítnuto: ", "Upload refused: "),
    "upload_role_refused": ("Nahrávat dodávky může jen analytik nebo správce.",
                            "Only an analyst or an admin may upload deliveries."),
    "upload_centre_refused": ("Centrum {centre} není ve vašem rozsahu.", "The centre {centre} is not in your scope."),
    "upload_no_length": ("Nahrání musí uvést svou velikost.", "The upload must state its length."),
    "upload_not_form": ("Nahrání není formulář se soubory.", "The upload is not a form with files."),
    "upload_loading_start": ("Načítání nahraných souborů ({total})…", "Loading the uploaded files ({total})…"),
    "upload_loading": ("Načítání: načteno {done} z {total} souborů (naposledy {file}), přečteno {rows} řádků",
                       "Loading: {done} of {total} files loaded (last {file}), {rows} rows read"),
    "upload_failed": ("Načtení selhalo: ", "The load failed: "),
    "upload_done": ("Načteno: {n} dodávek.", "Loaded: {n} deliveries."),
    "already_loaded": ("Tato dodávka už byla načtena; nic se nezměnilo.",
                       "This delivery was loaded already; nothing changed."),
    "delivery": ("Dodávka", "Delivery"),
    "file": ("Soubor", "File"),
    "kind": ("Druh", "Kind"),
    "status": ("Stav", "Status"),
    "dialect": ("Formát", "Format"),
    "rows_read": ("Přečteno", "Read"),
    "rows_loaded": ("Načteno", "Loaded"),
    "rows_quarantined": ("V karanténě", "Quarantined"),
    "warnings": ("Varování", "Warnings"),
    "message": ("Zpráva", "Message"),
    "row": ("Řádek", "Row"),
    "column": ("Sloupec", "Column"),
    "value": ("Hodnota", "Value"),
    "reason": ("Důvod", "Reason"),
    "rows": ("Řádků", "Rows"),
    "summary_files": ("Soubory dodávky", "Files of the delivery"),
    "quarantine_rows": ("Řádky v karanténě", "Quarantined rows"),
    "quarantine_filter": ("Filtrovat řádky v karanténě (soubor, sloupec, hodnota, důvod)",
                          "Filter the quarantined rows (file, column, value, reason)"),
    "quarantine_shown": ("Zobrazeno {shown} z {total} řádků.", "{shown} of {total} rows shown."),
    "quarantine_download": ("Stáhnout řádky v karanténě (CSV)", "Download the quarantined rows (CSV)"),
    "quarantine_truncated": ("Souhrn ukazuje prvních 10 000 řádků; CSV obsahuje všechny.",
                             "The summary shows the first 10,000 rows; the CSV holds them all."),
    "no_quarantine": ("Žádný řádek v karanténě.", "No row in quarantine."),
    "unknown_values": ("Neznámé hodnoty (načteny jako „unknown“)", "Unknown values (loaded as 'unknown')"),
    "unknown_columns": ("Neznámé sloupce (nenačteny)", "Unknown columns (not loaded)"),
    "none": ("Žádné.", "None."),
    "no_such_delivery": ("Taková dodávka není.", "There is no such delivery."),
    # Build
    "build_title": ("Sestavit a publikovat", "Build and publish"),
    "build_help": (
        "Spustí reach build: sestavení skladu, kontrolu kvality a publikování. Dosavadní sklad zůstává "
        "v provozu, dokud nový kontrolou neprojde.",
        "Runs reach build: the warehouse build, the quality gate and the publish. The published warehouse "
        "stays in service until the new one passes the gate.",
    ),
    "build_start": ("Sestavit a publikovat", "Build and publish"),
    "build_running": ("Sestavení běží od {time} (spustil {user}), {seconds} s.",
                      "A build is running since {time} (started by {user}), {seconds} s."),
    "build_starting": ("Sestavení se připravuje…", "The build is getting ready…"),
    "build_step": ("Krok {number} z {steps}: {name}", "Step {number} of {steps}: {name}"),
    # One per step of pipelines/build_progress.py (BUILD_STEPS and PUBLISHED)
    "build_step_dbt": ("sestavení modelů (dbt)", "building the models (dbt)"),
    "build_step_record_keys": ("klíče záznamů pro ochranu údajů", "record keys for data protection"),
    "build_step_gate": ("kontrola kvality (Great Expectations)", "quality gate (Great Expectations)"),
    "build_step_publish": ("publikování", "publishing"),
    "build_step_published": ("publikováno", "published"),
    "build_count_dbt": ("hotovo {done} z {total} modelů, seedů a testů",
                        "{done} of {total} models, seeds and tests done"),
    "build_count_gate": ("hotovo {done} z {total} sad kontrol", "{done} of {total} suites done"),
    "build_already": ("Sestavení už běží; najednou běží jen jedno.", "A build is running already; one runs at a time."),
    "build_done": ("Publikováno: ", "Published: "),
    "build_failed": ("Sestavení nebylo publikováno: ", "The build was not published: "),
    "gate_title": ("Kontrola kvality při sestavení", "Quality gate of the build"),
    "gate_passed": ("prošla", "passed"),
    "gate_failed": ("neprošla", "failed"),
    # What changed
    "changes_title": ("Dodávky a co změnily", "Deliveries and what they changed"),
    "changes_help": (
        "Pro každou dodávku: noví klienti, opravené a smazané záznamy a vyřešení sirotci podle souborů.",
        "For each delivery: new clients, corrected and retracted records and orphans resolved, by file.",
    ),
    "loaded_at": ("Načteno", "Loaded at"),
    "source": ("Zdroj", "Source"),
    "new_clients": ("Noví klienti", "New clients"),
    "new": ("Nové", "New"),
    "corrected": ("Opravené", "Corrected"),
    "unchanged": ("Beze změny", "Unchanged"),
    "retracted": ("Smazané", "Retracted"),
    "orphans_resolved": ("Vyřešení sirotci", "Orphans resolved"),
    "months": ("Měsíce", "Months"),
    "set_aside": ("odložena", "set aside"),
    "no_deliveries": ("Zatím žádná načtená dodávka.", "No delivery has been loaded yet."),
    "moves_title": ("Jak se pohnuly hlavní údaje", "How the headline figures moved"),
    "moves_not_built": ("Dodávka zatím není v žádném publikovaném sestavení.",
                        "No published build includes this delivery yet."),
    "moves_protected": (
        "Změny hlavních údajů jsou přesné, proto se ukazují jen s vypnutou ochranou údajů (analytik, správce; "
        "zapisuje se do auditního záznamu). S ochranou: chráněné údaje dotčených měsíců v aktuálním skladu.",
        "The moves of the headline figures are exact, so they are shown only with data protection off (analyst, "
        "admin; written to the audit log). With protection on: the protected figures of the months touched, in "
        "the current warehouse.",
    ),
    "moves_shared": ("Změnu sdílí s dodávkami načtenými mezi stejnými sestaveními: {n}.",
                     "Shared with the deliveries loaded between the same builds: {n}."),
    "month": ("Měsíc", "Month"),
    "metric": ("Ukazatel", "Metric"),
    "before": ("Před", "Before"),
    "after": ("Po", "After"),
    "change": ("Změna", "Change"),
    "current_protected": ("Nyní (chráněno)", "Now (protected)"),
    # Trace
    "trace_button": ("Odkud to je?", "Where does this come from?"),
    "trace_title": ("Původ údaje: {metric}", "Where the figure comes from: {metric}"),
    "trace_close": ("Zavřít", "Close"),
    "trace_definition": ("Definice", "Definition"),
    "trace_view": ("Období a filtry", "Period and filters"),
    "trace_figure": ("Údaj", "Figure"),
    "trace_ignored": ("Filtry, které se na ukazatel nevztahují (vynechány): {names}",
                      "Filters that do not apply to the metric (left out): {names}"),
    "trace_files": ("Dodávky, z jejichž řádků je údaj", "The deliveries whose rows make up the figure"),
    "trace_rows_note_protected": (
        "Počty řádků jsou chráněné stejně jako údaje (drobná odchylka); kde je za souborem méně než 5 osob, "
        "počet se neuvádí. Nikdy se neukazují jednotliví lidé.",
        "Row counts are protected like the figures (a small deviation); where fewer than 5 people are behind a "
        "file, its count is not shown. Individual people are never listed.",
    ),
    "trace_rows_note_exact": ("Přesné počty řádků (ochrana údajů vypnuta).", "Exact row counts (protection off)."),
    "trace_sparse": ("Výběr je příliš malý; dodávky se z ochrany soukromí neuvádějí.",
                     "The selection is too small; the deliveries are not listed, to protect people."),
    "trace_rows_note_events": (
        "Řádky jsou akce. Jejich počty jsou chráněné stejně jako údaje (drobná odchylka); kde má soubor méně "
        "než 5 akcí, počet se neuvádí.",
        "The rows are events. Their counts are protected like the figures (a small deviation); where a file "
        "has fewer than 5 events, its count is not shown.",
    ),
    "trace_rows_total": ("Řádků celkem", "Rows in all"),
    "trace_hidden": ("neuvedeno (méně než 5 osob)", "not shown (fewer than 5 people)"),
    "trace_hidden_events": ("neuvedeno (méně než 5 akcí)", "not shown (fewer than 5 events)"),
    "centre": ("Centrum", "Centre"),
    "hash": ("Otisk (SHA-256)", "Hash (SHA-256)"),
    # Schedules
    "schedules_title": ("Plánované odesílání", "Scheduled sending"),
    "schedules_help": (
        "Které zprávy se odesílají, komu a kdy (soubor schedules.yaml v domově skladu; odesílá reach send --due "
        "nebo reach schedule --run).",
        "Which reports are sent, to whom and when (schedules.yaml in the warehouse home; sent by reach send --due "
        "or reach schedule --run).",
    ),
    "schedule_id": ("Označení", "Id"),
    "schedule_report": ("Zpráva", "Report"),
    "schedule_centres": ("Centra (kódy oddělené čárkou, nebo all)", "Centres (codes separated by commas, or all)"),
    "schedule_period": ("Období", "Period"),
    "schedule_recipients": ("Příjemci (adresy oddělené čárkou)", "Recipients (addresses separated by commas)"),
    "schedule_when": ("Kdy (cron: minuta hodina den měsíc den_týdne)", "When (cron: minute hour day month weekday)"),
    "schedule_lang": ("Jazyk (zpráva pro vedení)", "Language (board pack)"),
    "schedule_next": ("Příště", "Next"),
    "schedule_last": ("Naposledy odesláno", "Last sent"),
    "schedule_failure": ("Chyba", "Failure"),
    "schedule_recipient_count": ("Příjemců", "Recipients"),
    "schedule_edit": ("Upravit", "Edit"),
    "schedule_delete": ("Smazat", "Delete"),
    "schedule_add_title": ("Přidat nebo upravit položku", "Add or edit an entry"),
    "schedule_save": ("Uložit", "Save"),
    "schedule_new": ("Nová položka", "New entry"),
    "schedule_saved": ("Uloženo.", "Saved."),
    "schedule_deleted": ("Smazáno: {id}.", "Deleted: {id}."),
    "schedule_none": ("Žádné plánované odesílání.", "Nothing is scheduled."),
    "schedule_invalid": ("Položku nelze uložit: ", "The entry cannot be saved: "),
    "schedule_editing": ("Upravujete položku {id}.", "Editing the entry {id}."),
}


def rt(key: str, lang: str) -> str:
    pair = TEXT[key]
    return pair[0] if lang == "cs" else pair[1]


def build_step_text(step: str, number: int, steps: int, done: int | None, total: int | None, lang: str) -> str:
    """"Step k of n: name", and what of it is done where the step counts (pipelines/build_progress.py);
    the Deliveries page's words, and the terminal's (reach/progress.py, in English)."""
    text = rt("build_step", lang).format(number=number, steps=steps, name=rt(f"build_step_{step}", lang))
    if total and f"build_count_{step}" in TEXT:
        text += " – " + rt(f"build_count_{step}", lang).format(done=fmt_int(done or 0, lang),
                                                                total=fmt_int(total, lang))
    return text
