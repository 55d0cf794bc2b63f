"""SMTP delivery of scheduled reports: settings from the environment or a file outside the repo,
one message with the document attached, bounded retries with backoff (docs/routine.md, "SMTP").

Settings (environment variables override the file's values):

    REACH_SMTP_CONFIG    a TOML file with an [smtp] table of the keys below (mode 0600 if it holds
                         a password; refused inside the project's checkout)
    REACH_SMTP_HOST      host                    REACH_SMTP_PORT      port (default by security)
    REACH_SMTP_SECURITY  starttls | ssl | none   (default starttls)
    REACH_SMTP_USER      user                    REACH_SMTP_PASSWORD  password
    REACH_SMTP_FROM      the sender address      REACH_SMTP_TIMEOUT   seconds (default 30)

The password is never logged, printed or written to the audit log; error messages carry no
e-mail address (staff addresses are personal data).
"""

from __future__ import annotations

import ipaddress
import os
import re
import smtplib
import ssl
import stat
import time
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from pipelines.errors import ReachError
from pipelines.schedule.model import Retry

SECURITIES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
KEYS = ("host", "port", "security", "user", "password", "from", "timeout")
PROJECT_DIR = Path(__file__).resolve().parents[2]
_ADDRESS_IN_TEXT = re.compile(r"[^\s<>@,;:\"']+@[^\s<>@,;:\"']+")
MIME_TYPES = {
    "pdf": ("application", "pdf"),
    "pptx": ("application", "vnd.openxmlformats-officedocument.presentationml.presentation"),
    "xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    sender: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0


class SendFailed(ReachError):
    def __init__(self, message: str, attempts: int) -> None:
        super().__init__(message)
        self.attempts = attempts


def without_addresses(text: str) -> str:
    """An SMTP error as it may be logged: addresses replaced by <address>, one line."""
    return " ".join(_ADDRESS_IN_TEXT.sub("<address>", text).split())


def load_settings(config_file: Path | None = None, environ: Mapping[str, str] | None = None) -> SmtpSettings:
    environ = os.environ if environ is None else environ
    values: dict[str, object] = {}
    chosen = config_file or (Path(environ["REACH_SMTP_CONFIG"]) if environ.get("REACH_SMTP_CONFIG") else None)
    if chosen is not None:
        values |= _read_file(chosen.expanduser())
    for key in KEYS:
        if environ.get(f"REACH_SMTP_{key.upper()}"):
            values[key] = environ[f"REACH_SMTP_{key.upper()}"]
    if not values.get("host"):
        raise ReachError("No SMTP server is configured: set REACH_SMTP_HOST (and REACH_SMTP_FROM, ...) or "
                         "REACH_SMTP_CONFIG=FILE (docs/routine.md, 'SMTP').")
    security = str(values.get("security") or "starttls").lower()
    if security not in SECURITIES:
        raise ReachError(f"SMTP security '{security}' is not one of {', '.join(SECURITIES)}.")
    try:
        port = int(values.get("port") or DEFAULT_PORTS[security])
        timeout = float(values.get("timeout") or 30)
    except (TypeError, ValueError):
        raise ReachError("The SMTP port must be a whole number and the timeout a number of seconds.") from None
    sender = str(values.get("from") or "").strip()
    if not sender or "@" not in sender:
        raise ReachError("No sender address for scheduled reports: set REACH_SMTP_FROM (or `from` in the SMTP file).")
    user = str(values["user"]) if values.get("user") else None
    password = str(values["password"]) if values.get("password") else None
    host = str(values["host"])
    if password and security == "none" and not _loopback(host):
        raise ReachError(f"The SMTP password would cross the network unencrypted to {host}: use security "
                         "starttls or ssl (none is only for a server on this machine).")
    return SmtpSettings(host, port, security, sender, user, password, timeout)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _read_file(path: Path) -> dict[str, object]:
    resolved = path.resolve()
    if resolved.is_relative_to(PROJECT_DIR):
        raise ReachError(f"The SMTP settings file {path} lies inside the project's checkout ({PROJECT_DIR}), where "
                         "it could be committed; keep it outside, e.g. /etc/reach/smtp.toml.")
    try:
        info = resolved.stat()
        data = tomllib.loads(resolved.read_text(encoding="utf-8"))
    except OSError as error:
        raise ReachError(f"Cannot read the SMTP settings file {path} ({error.strerror or error}).") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ReachError(f"The SMTP settings file {path} is not valid TOML ({error}).") from None
    table = data.get("smtp")
    if not isinstance(table, dict):
        raise ReachError(f"The SMTP settings file {path} has no [smtp] table.")
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ReachError(f"The SMTP settings file {path} has unknown keys: {', '.join(unknown)} "
                         f"(allowed: {', '.join(KEYS)}).")
    if table.get("password") and info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ReachError(f"The SMTP settings file {path} holds a password and others can read it; "
                         f"chmod 600 {path}.")
    return dict(table)


def build_message(settings: SmtpSettings, recipients: tuple[str, ...], subject: str, body: str,
                  attachment: bytes, filename: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=settings.sender.rsplit("@", 1)[-1])
    message.set_content(body)
    maintype, subtype = MIME_TYPES[filename.rsplit(".", 1)[-1]]
    message.add_attachment(attachment, maintype=maintype, subtype=subtype, filename=filename)
    return message


def send(settings: SmtpSettings, message: EmailMessage, retry: Retry,
         sleep: Callable[[float], None] = time.sleep) -> int:
    """Send `message`, trying up to retry.attempts times with growing pauses; the number of tries
    it took, or SendFailed (the last error, without addresses) after the last."""
    pauses = retry.pauses()
    for attempt in range(1, retry.attempts + 1):
        try:
            _send_once(settings, message)
            return attempt
        except (smtplib.SMTPException, OSError) as error:
            last = _describe(settings, error)
        if attempt <= len(pauses):
            sleep(pauses[attempt - 1])
    raise SendFailed(f"the SMTP server {settings.host}:{settings.port} did not accept the report after "
                     f"{retry.attempts} tries: {last}", retry.attempts)


def _send_once(settings: SmtpSettings, message: EmailMessage) -> None:
    context = ssl.create_default_context()
    if settings.security == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                                context=context)
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with client:
        if settings.security == "starttls":
            client.starttls(context=context)
        if settings.user:
            client.login(settings.user, settings.password or "")
        refused = client.send_message(message)
    if refused:  # some recipients were refused, the others got it: a failure, so it is looked at
        raise smtplib.SMTPRecipientsRefused(refused)


def _describe(settings: SmtpSettings, error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({f"{code} {reply.decode('utf-8', 'replace') if isinstance(reply, bytes) else reply}"
                        for code, reply in error.recipients.values()})
        text = f"{len(error.recipients)} recipient(s) refused ({'; '.join(codes)})"
    elif isinstance(error, smtplib.SMTPResponseException):
        reply = error.smtp_error.decode("utf-8", "replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        text = f"{error.smtp_code} {reply}"
    elif isinstance(error, ConnectionRefusedError):
        text = "connection refused"
    else:
        text = f"{type(error).__name__}: {error}"
    if settings.password:
        text = text.replace(settings.password, "***")
    return without_addresses(text)
