"""UI text of the Administration page (accounts and the audit log), Czech (default) and English.

Merged into dashboard/i18n.py's TEXT, as the routine's texts are; `at` is the same lookup for the
modules here. A refused account change is worded from its problem's `kind`
(pipelines/access/rules.py, manage.py), `{codes}` being the values it names.
"""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "accounts_title": ("Účty", "Accounts"),
    "accounts_help": (
        "Účty se mění zde nebo příkazem reach users na serveru; každá změna se zapíše do auditního záznamu. "
        "Zakázání nebo nové heslo ukončí otevřená přihlášení účtu při jeho dalším požadavku.",
        "Accounts are changed here or with reach users on the server; each change is written to the audit log. "
        "Disabling an account or giving it a new password ends its open sessions at their next request.",
    ),
    "accounts_none": ("Žádné účty.", "No accounts."),
    "account_col_name": ("Jméno", "Name"),
    "account_col_role": ("Role", "Role"),
    "account_col_scope": ("Rozsah", "Scope"),
    "account_col_state": ("Stav", "State"),
    "account_col_changed": ("Změněno", "Changed"),
    "account_col_actions": ("Akce", "Actions"),
    "account_enabled": ("aktivní", "enabled"),
    "account_disabled": ("zakázán", "disabled"),
    "account_yours": ("váš účet", "your account"),
    "account_disable": ("Zakázat", "Disable"),
    "account_reset": ("Nové heslo", "New password"),
    "account_enable": ("Povolit s novým heslem", "Enable with a new password"),
    "account_add_title": ("Přidat účet", "Add an account"),
    "account_name": ("Uživatelské jméno", "User name"),
    "account_role": ("Role", "Role"),
    "account_centres": ("Centra", "Centres"),
    "account_districts": ("Okresy (jen koordinátor; bez výběru: všechny okresy center)",
                          "Districts (coordinator only; none chosen: every district of the centres)"),
    "account_add": ("Přidat účet", "Add the account"),
    "role_admin": ("správce", "admin"),
    "role_analyst": ("analytik", "analyst"),
    "role_coordinator": ("koordinátor", "coordinator"),
    "role_board": ("vedení", "board"),
    "role_ministry": ("ministerstvo", "ministry"),
    # Results (role=status). The password is in the message only: never stored, logged or audited.
    "account_added": ("Účet {name} je přidán ({scope}).", "The account {name} is added ({scope})."),
    "account_was_reset": ("Účet {name} má nové heslo; dosavadní přihlášení skončila.",
                          "The account {name} has a new password; its sessions have ended."),
    "account_was_enabled": ("Účet {name} je znovu povolen s novým heslem.",
                            "The account {name} is enabled again, with a new password."),
    "account_was_disabled": ("Účet {name} je zakázán; jeho přihlášení skončí jeho dalším požadavkem.",
                             "The account {name} is disabled; its sessions end with its next request."),
    "account_password": ("Heslo: ", "Password: "),
    "account_password_once": (
        "Heslo se zobrazuje jen teď a nikde se neukládá. Předejte ho uživateli bezpečnou cestou (ne e-mailem "
        "spolu se jménem). Uživatel ho sám změnit nemůže; nové heslo mu dá správce.",
        "The password is shown only now and kept nowhere. Give it to the user by a safe channel (not in one "
        "e-mail with the name). Users cannot change it themselves; an admin gives them a new one.",
    ),
    "account_refused": ("Nic nebylo změněno. ", "Nothing was changed. "),
    # Problems, by kind (pipelines/access/rules.py and manage.py)
    "problem_name_invalid": ("Jméno: 1–64 malých písmen, číslic a znaků . _ @ -, na začátku písmeno nebo číslice.",
                             "Name: 1–64 lower-case letters, digits and . _ @ -, starting with a letter or digit."),
    "problem_name_taken": ("Účet {codes} už existuje.", "The account {codes} exists already."),
    "problem_role_unknown": ("Vyberte roli.", "Choose a role."),
    "problem_centre_unknown": ("Neznámé centrum: {codes}.", "Unknown centre: {codes}."),
    "problem_centre_needed": ("Tato role potřebuje alespoň jedno centrum.", "This role needs at least one centre."),
    "problem_admin_everything": ("Správce vidí všechna centra: nevybírejte centrum ani okres.",
                                 "An admin sees every centre: choose no centre and no district."),
    "problem_district_unknown": ("Neznámý okres: {codes}.", "Unknown district: {codes}."),
    "problem_district_outside": ("Okres {codes} neleží v kraji vybraných center.",
                                 "The district {codes} lies outside the regions of the chosen centres."),
    "problem_districts_coordinator": ("Na okresy lze zúžit jen rozsah koordinátora.",
                                      "Only a coordinator's scope can be narrowed to districts."),
    "problem_account_unknown": ("Účet {codes} neexistuje.", "There is no account {codes}."),
    "problem_own_account": ("Svůj vlastní účet zde neměníte; použijte reach users na serveru.",
                            "Your own account is not changed here; use reach users on the server."),
    "problem_last_admin": ("{codes} je poslední povolený správce; nejdřív přidejte nebo povolte jiného.",
                           "{codes} is the last enabled admin; add or enable another admin first."),
}


def at(key: str, lang: str) -> str:
    pair = TEXT[key]
    return pair[0] if lang == "cs" else pair[1]
