"""The words of sign-in, refusals and error pages, Czech first (the UI's default) and English."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "app_title": ("Dosah integračních služeb", "Integration Reach"),
    "sign_in": ("Přihlášení", "Sign in"),
    "sign_in_intro": ("Data o klientech center jsou chráněná. Přihlaste se svým účtem.",
                      "Client data of the centres is protected. Sign in with your account."),
    "name": ("Uživatelské jméno", "User name"),
    "password": ("Heslo", "Password"),
    "submit": ("Přihlásit se", "Sign in"),
    "failed": ("Jméno nebo heslo nesouhlasí.", "The name or the password is wrong."),
    "limited": ("Příliš mnoho neúspěšných pokusů. Zkuste to znovu za minutu.",
                "Too many failed sign-ins. Try again in a minute."),
    "expired": ("Byli jste odhlášeni po době nečinnosti. Přihlaste se znovu.",
                "You were signed out after a period of inactivity. Please sign in again."),
    "signed_out": ("Byli jste odhlášeni.", "You are signed out."),
    "sign_out": ("Odhlásit", "Sign out"),
    "signed_in_as": ("Přihlášen(a)", "Signed in"),
    "language": ("Jazyk", "Language"),
    "forbidden": ("Přístup odepřen", "Access refused"),
    "forbidden_text": ("Vaše role ({role}) k této stránce ani akci nemá přístup.",
                       "Your role ({role}) may not open this page or do this."),
    "to_overview": ("Zpět na přehled", "Back to the overview"),
    "csrf": ("Požadavek byl odmítnut: chybí platný bezpečnostní token formuláře. Načtěte stránku znovu.",
             "The request was refused: it lacks a valid form token. Reload the page and try again."),
    "error": ("Něco se pokazilo", "Something went wrong"),
    "error_text": ("Požadavek se nepodařilo vyřídit. Podrobnosti jsou v protokolu serveru.",
                   "The request could not be completed. The details are in the server's log."),
    "not_found": ("Stránka neexistuje", "Page not found"),
    "audit_failed": ("Akci nelze zapsat do auditního záznamu, proto nebyla provedena.",
                     "The action could not be written to the audit log, so it was not done."),
    "report_refused": ("Tento dokument vaše role stáhnout nemůže.", "Your role may not download this document."),
}


def word(key: str, lang: str) -> str:
    cs, en = TEXTS[key]
    return en if lang == "en" else cs
