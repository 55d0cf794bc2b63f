"""The server's own pages (sign-in, refusals, errors): plain HTML in the dashboard's style, no script.

Every text put into them is escaped; they carry no stack trace and no data.
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from dashboard.auth.texts import word

_FRAME = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – {app}</title>
<link rel="stylesheet" href="/assets/style.css">
<link rel="stylesheet" href="/assets/access.css">
</head>
<body class="access-page">
<header class="topbar">
<div class="brand"><span class="logo" aria-hidden="true">◆</span><span>{app}</span></div>
{switch}
</header>
<main id="main" class="access-main">
<div class="card access-card">
<h1>{title}</h1>
{body}
</div>
</main>
</body>
</html>
"""


def _frame(lang: str, title: str, body: str, switch: str = "") -> str:
    return _FRAME.format(lang=lang, title=escape(title), app=escape(word("app_title", lang)), body=body,
                         switch=switch)


def _language_switch(lang: str, next_path: str) -> str:
    links = []
    for code, label in (("cs", "CZ"), ("en", "EN")):
        href = "/sign-in?" + urlencode({"lang": code, "next": next_path})
        current = ' aria-current="true"' if code == lang else ""
        links.append(f'<a href="{escape(href)}" lang="{code}" hreflang="{code}"{current}>{label}</a>')
    return f'<nav class="access-lang" aria-label="{escape(word("language", lang))}">{" ".join(links)}</nav>'


def sign_in_page(lang: str, csrf_token: str, next_path: str, message: str = "", name: str = "") -> str:
    notice = (f'<div class="notice notice-warning" role="alert">{escape(word(message, lang))}</div>'
              if message else "")
    body = f"""<p>{escape(word("sign_in_intro", lang))}</p>
{notice}
<form method="post" action="/sign-in?lang={lang}" class="access-form">
<input type="hidden" name="csrf_token" value="{escape(csrf_token)}">
<input type="hidden" name="next" value="{escape(next_path)}">
<label for="name">{escape(word("name", lang))}</label>
<input id="name" name="name" autocomplete="username" autocapitalize="none" spellcheck="false" required
 maxlength="64" value="{escape(name)}">
<label for="password">{escape(word("password", lang))}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024">
<button type="submit" id="sign-in-submit" class="btn-primary">{escape(word("submit", lang))}</button>
</form>"""
    return _frame(lang, word("sign_in", lang), body, _language_switch(lang, next_path))


def message_page(lang: str, title_key: str, text: str, *, link: bool = True) -> str:
    back = f'<p><a href="/?lang={lang}">{escape(word("to_overview", lang))}</a></p>' if link else ""
    return _frame(lang, word(title_key, lang), f'<p class="access-message">{escape(text)}</p>{back}')
