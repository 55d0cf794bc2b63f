"""Sign-in wrapped around the dashboard's Flask server: nothing past this without a signed-in user.

`install(app, home, config)` adds, in front of every route Dash or the app defines:
- sessions (Flask-Login; the cookie holds a random id the server keeps, `sessions.py`),
- the sign-in and sign-out routes with rate limits on failures (Flask-Limiter, in memory),
- CSRF tokens on every POST (Flask-WTF), Dash's callbacks included: the token travels in the
  `_csrf_token` cookie, which Dash's renderer sends back as the X-CSRFToken header,
- a refusal (403, in the UI language) of a page the role may not open,
- security headers on every response and error pages without a stack trace,
- the optional reverse-proxy identity header (`config.ProxyConfig`).
"""

from __future__ import annotations

import ipaddress
import logging
from urllib.parse import parse_qs, urlencode, urlsplit

import dash
import flask
from flask import Response, g, redirect, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
from werkzeug.exceptions import HTTPException

from dashboard.auth.config import AccessConfig
from dashboard.auth.html_pages import message_page, sign_in_page
from dashboard.auth.sessions import Sessions
from dashboard.auth.texts import word
from dashboard.state.pages import page_allowed
from dashboard.state.url import page_from_path
from pipelines import audit
from pipelines.access import Account, AccountStore, verify_password
from pipelines.access.accounts import normalise_name
from pipelines.errors import ReachError
from pipelines.home import Home

log = logging.getLogger(__name__)

SIGN_IN, SIGN_OUT = "/sign-in", "/sign-out"
CSRF_COOKIE = "_csrf_token"  # the name Dash's renderer reads (dash-renderer: csrf_token_name)
ACCOUNT_LIMIT = "10 per minute"  # failed sign-ins of one account: the 11th within a minute is refused
ADDRESS_LIMIT = "30 per minute"  # failed sign-ins from one address, whatever the names tried
PUBLIC_PREFIXES = ("/assets/",)  # the app's own stylesheets and scripts: no data in them
PUBLIC_PATHS = (SIGN_IN, "/_favicon.ico")
STATIC_PREFIXES = ("/assets/", "/_dash-component-suites/")  # cacheable; everything else is no-store
UNKNOWN_USER = "(unknown name)"  # never the typed text: it may be a password typed in the wrong field


class SignedIn(UserMixin):
    def __init__(self, account: Account, via_proxy: bool = False) -> None:
        self.account, self.via_proxy = account, via_proxy

    def get_id(self) -> str:
        return f"{self.account.name}:{self.account.generation}"


def request_lang() -> str:
    """The UI language of a request: its `lang`, else that of the page it comes back to."""
    lang = request.args.get("lang")
    if lang is None:
        target = request.args.get("next") or request.form.get("next") or ""
        lang = (parse_qs(urlsplit(target).query).get("lang") or [""])[0]
    return "en" if lang == "en" else "cs"


def request_actor(name: str | None = None, role: str = "") -> audit.Actor:
    user = getattr(current_user, "account", None)
    if name is None and user is not None:
        name, role = user.name, user.role.value
    return audit.Actor(user=name or UNKNOWN_USER, role=role, address=request.remote_addr or "unknown")


def _safe_next(target: str | None) -> str:
    """Only a path of this site: never `//elsewhere`, a scheme or a back-slash trick."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target if not target.startswith((SIGN_IN, SIGN_OUT)) else "/"


def _html(body: str, status: int) -> Response:
    return Response(body, status=status, mimetype="text/html")


def _is_api(path: str) -> bool:
    return path.startswith("/_dash-")


def install(app: dash.Dash, home: Home, config: AccessConfig) -> None:
    server: flask.Flask = app.server
    store = AccountStore(home)
    sessions = Sessions(config.inactivity, config.lifetime)
    server.config.update(
        SECRET_KEY=config.secret_key,
        SESSION_COOKIE_NAME="reach_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",  # a link from an e-mail opens the page; every POST needs the token
        PERMANENT_SESSION_LIFETIME=config.lifetime,  # also the oldest signed cookie the server accepts
        REMEMBER_COOKIE_DURATION=0,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session, whose expiry is ours
        WTF_CSRF_SSL_STRICT=True,
        DEBUG=False,
        PROPAGATE_EXCEPTIONS=False,
    )
    server.debug = False

    def cookie_secure() -> bool:
        if config.secure_cookie != "auto":
            return config.secure_cookie == "true"
        return request.is_secure or not _loopback(request.remote_addr)

    server.session_interface = _SessionInterface(cookie_secure)
    CSRFProtect(server)
    limiter = Limiter(key_func=lambda: request.remote_addr or "unknown", app=server, storage_uri="memory://",
                      strategy="moving-window", headers_enabled=False)

    manager = LoginManager(server)
    manager.session_protection = "strong"  # a cookie replayed from another browser or address is dropped

    @manager.user_loader
    def load_user(user_id: str) -> SignedIn | None:
        name, _, generation = user_id.rpartition(":")
        account = store.get(name)
        if account is None or account.disabled or str(account.generation) != generation:
            return None  # disabled, reset or changed since the sign-in: the session ends
        state = sessions.touch(session.get("sid"), account.name)
        if state != "ok":
            g.session_expired = state == "expired"
            return None
        return SignedIn(account)

    @manager.request_loader
    def load_from_proxy(req: flask.Request) -> SignedIn | None:
        proxy = config.proxy
        if proxy is None:
            return None
        user = req.headers.get(proxy.user_header, "").strip()
        if not user:
            return None
        if req.remote_addr not in proxy.trusted_addresses:
            log.warning("ignored %s from %s, which is not a trusted proxy", proxy.user_header, req.remote_addr)
            return None
        groups = {part.strip() for part in req.headers.get(proxy.groups_header, "").split(",") if part.strip()}
        account = proxy.account_for(normalise_name(user)[:64], groups)
        if account is None:
            return None
        signed = SignedIn(account, via_proxy=True)
        if session.get("proxy_user") != account.name:  # one sign-in entry per proxy session
            audit.record(home, audit.Actor(account.name, account.role.value, req.remote_addr or ""),
                         "sign_in", "dashboard", "via the reverse proxy")
            login_user(signed)  # binds the session to this browser, as for a local sign-in
            session["proxy_user"] = account.name
        return signed

    @server.before_request
    def guard() -> Response | None:
        path = request.path
        if path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES):
            return None
        if not current_user.is_authenticated:
            if _is_api(path) or request.method != "GET":
                return Response('{"error": "signed out"}', status=401, mimetype="application/json")
            query = {"next": request.full_path.rstrip("?"), "lang": request_lang()}
            if g.get("session_expired"):
                query["expired"] = "1"
            return redirect(SIGN_IN + "?" + urlencode(query), code=303)
        page = None if _is_api(path) or path == SIGN_OUT else (
            "quality" if path.startswith("/quality/") else page_from_path(path))
        if page is not None and not page_allowed(page, current_user.account.role):
            return forbidden()
        return None

    def forbidden() -> Response:
        lang = request_lang()
        text = word("forbidden_text", lang).format(role=current_user.account.role.value)
        return _html(message_page(lang, "forbidden", text), 403)

    @server.route(SIGN_IN, methods=["GET", "POST"])
    @limiter.limit(ACCOUNT_LIMIT, key_func=lambda: "account:" + normalise_name(request.form.get("name", ""))[:64],
                   methods=["POST"], deduct_when=lambda r: r.status_code == 401, scope="sign-in-account")
    @limiter.limit(ADDRESS_LIMIT, methods=["POST"], deduct_when=lambda r: r.status_code == 401,
                   scope="sign-in-address")
    def sign_in() -> Response:
        lang = request_lang()
        target = _safe_next(request.values.get("next"))
        if request.method == "GET":
            if current_user.is_authenticated:
                return redirect(target, code=303)
            message = "expired" if request.args.get("expired") else "signed_out" if request.args.get("out") else ""
            return _html(sign_in_page(lang, generate_csrf(), target, message), 200)
        name, password = request.form.get("name", "")[:64], request.form.get("password", "")
        account = store.get(name)
        ok = verify_password(account.password_hash if account else None, password)
        if not ok or account is None or account.disabled:
            audit.record(home, request_actor(account.name if account else None,
                                             account.role.value if account else ""),
                         "sign_in.failed", "dashboard", "disabled account" if account and ok else "")
            # The same words for an unknown name, a wrong password and a disabled account.
            return _html(sign_in_page(lang, generate_csrf(), target, "failed", name), 401)
        audit.record(home, request_actor(account.name, account.role.value), "sign_in", "dashboard")
        session.clear()  # a fresh session (and CSRF token) for the signed-in user
        session["sid"] = sessions.open(account.name)
        login_user(SignedIn(account))
        return redirect(target, code=303)

    @server.route(SIGN_OUT, methods=["POST"])
    def sign_out() -> Response:
        lang = request_lang()
        audit.record(home, request_actor(), "sign_out", "dashboard")
        sessions.close(session.get("sid"))
        logout_user()
        session.clear()
        return redirect(f"{SIGN_IN}?out=1&lang={lang}", code=303)

    @server.errorhandler(RateLimitExceeded)
    def limited(_error: RateLimitExceeded) -> Response:
        lang = request_lang()
        name = request.form.get("name", "")[:64]
        account = store.get(name)
        audit.record(home, request_actor(account.name if account else None, account.role.value if account else ""),
                     "sign_in.failed", "dashboard", "refused: too many failed sign-ins")
        return _html(sign_in_page(lang, generate_csrf(), _safe_next(request.form.get("next")), "limited", name), 429)

    @server.errorhandler(CSRFError)
    def csrf_refused(_error: CSRFError) -> Response:
        lang = request_lang()
        if _is_api(request.path):
            return Response('{"error": "missing or invalid CSRF token"}', status=400, mimetype="application/json")
        return _html(message_page(lang, "forbidden", word("csrf", lang)), 400)

    @server.errorhandler(ReachError)
    def not_recorded(error: ReachError) -> Response:
        log.error("request refused: %s", error)
        lang = request_lang()
        return _html(message_page(lang, "error", word("audit_failed", lang)), 503)

    @server.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        if _is_api(request.path) or error.code is None or error.code < 400:
            return error
        lang = request_lang()
        key = "not_found" if error.code == 404 else "error"
        return _html(message_page(lang, key, error.description if error.code != 404 else ""), error.code)

    @server.errorhandler(Exception)
    def crashed(error: Exception) -> Response:
        log.exception("unexpected error on %s", request.path)  # the traceback goes to the log only
        lang = request_lang()
        return _html(message_page(lang, "error", word("error_text", lang)), 500)

    hashes: list[str] = []

    @server.after_request
    def secure_headers(response: Response) -> Response:
        if not hashes:  # after every callback (and its inline script) is registered
            hashes.extend(app.csp_hashes())
        headers = response.headers
        headers.setdefault("Content-Security-Policy", content_security_policy(hashes))
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")  # same-origin: Flask-WTF checks it over HTTPS
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if not request.path.startswith(STATIC_PREFIXES):
            headers["Cache-Control"] = "no-store"
        if current_user.is_authenticated and not request.path.startswith(STATIC_PREFIXES):
            response.set_cookie(CSRF_COOKIE, generate_csrf(), secure=cookie_secure(), httponly=False,
                                samesite="Strict", path="/")
        return response


def content_security_policy(script_hashes: list[str]) -> str:
    """Only this server's scripts (and Dash's own inline ones, by hash), styles, images and fonts.

    Styles may be inline: Plotly and Dash set style attributes; styles cannot run code.
    """
    scripts = " ".join(["'self'", *script_hashes])
    return ("default-src 'self'; "
            f"script-src {scripts}; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def _loopback(address: str | None) -> bool:
    try:
        return ipaddress.ip_address(address or "").is_loopback
    except ValueError:
        return False


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, with the Secure flag decided per request (`secure_cookie`)."""

    def __init__(self, secure) -> None:
        self._secure = secure

    def get_cookie_secure(self, app: flask.Flask) -> bool:
        return self._secure()
