"""The perturbation secret and the record keys derived from it (disclosure.md, rule 1).

The secret is created once per warehouse home (`<home>/secrets/perturbation.key`, mode 0600 in a
0700 folder), outside the published warehouse file, and never printed, exported or logged: no
message of this module quotes a byte of it. A build records only its fingerprint (a keyed hash
of a fixed text), so a later build can tell a lost or replaced secret from a first one and
refuse, instead of silently publishing other figures.

A record key is HMAC-SHA256(secret, "<kind>:<key>") read as a number, modulo the key range. It
is computed in DuckDB (`record_key_sql`), with the two padded halves of the key passed as
parameters, never spliced into SQL text; `record_key` is the same function in Python.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets

from pipelines.errors import ReachError
from pipelines.home import Home

SECRET_BYTES = 32
_BLOCK = 64  # SHA-256's block size: HMAC pads the key to it
_FINGERPRINT_TEXT = b"integration-reach perturbation secret fingerprint"
NEW_SECRET_HOW = (
    "restore the file from the home's backup; or, to start again with a new secret (every published "
    "figure then changes once), run `reach build --new-perturbation-secret`"
)


def create_secret(home: Home) -> bytes:
    """Write a new random secret; refuses to overwrite one (see `replace_secret`)."""
    path = home.perturbation_secret
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    secret = secrets.token_bytes(SECRET_BYTES)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise ReachError(f"A perturbation secret already exists in {path.parent}.") from None
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(secret.hex().encode("ascii"))
    return secret


def replace_secret(home: Home) -> bytes:
    """Start again with a new secret (the old one is kept beside it as `.replaced`, for the operator)."""
    path = home.perturbation_secret
    if path.exists():
        os.replace(path, path.with_suffix(".key.replaced"))
    return create_secret(home)


def read_secret(home: Home) -> bytes | None:
    """The home's secret, or None when there is none yet."""
    path = home.perturbation_secret
    try:
        text = path.read_bytes().strip()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ReachError(f"The perturbation secret in {path.parent} cannot be read ({error.strerror}).") from None
    try:
        secret = bytes.fromhex(text.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        secret = b""
    if len(secret) != SECRET_BYTES:
        raise ReachError(f"The perturbation secret in {path.parent} is damaged; {NEW_SECRET_HOW}.")
    return secret


def secret_for_build(home: Home, recorded_fingerprint: str | None) -> bytes:
    """The secret a build uses: created on the first build, and the same one ever after.

    `recorded_fingerprint` is what the published warehouse recorded (None before the first build
    with perturbation). A missing or different secret is an error naming the way out.
    """
    secret = read_secret(home)
    if secret is None:
        if recorded_fingerprint is not None:
            raise ReachError(
                f"The perturbation secret of this warehouse is missing ({home.perturbation_secret}); {NEW_SECRET_HOW}."
            )
        return create_secret(home)
    if recorded_fingerprint is not None and fingerprint(secret) != recorded_fingerprint:
        raise ReachError(
            f"The perturbation secret in {home.perturbation_secret.parent} is not the one the published figures "
            f"were made with; {NEW_SECRET_HOW}."
        )
    return secret


def fingerprint(secret: bytes) -> str:
    """Identifies a secret without revealing it (a keyed hash of a fixed text)."""
    return hmac.new(secret, _FINGERPRINT_TEXT, hashlib.sha256).hexdigest()[:16]


def record_key(secret: bytes, kind: str, key: str, key_range: int) -> int:
    """The record key of one person or record, as `record_key_sql` computes it in DuckDB."""
    digest = hmac.new(secret, f"{kind}:{key}".encode(), hashlib.sha256).hexdigest()
    return int(digest[:8], 16) % key_range


def hmac_parameters(secret: bytes) -> dict[str, bytes]:
    """The parameters `record_key_sql` reads: the key XOR-ed with HMAC's inner and outer pads."""
    padded = secret.ljust(_BLOCK, b"\0")
    return {
        "rk_inner": bytes(b ^ 0x36 for b in padded),
        "rk_outer": bytes(b ^ 0x5C for b in padded),
    }


def record_key_sql(kind: str, key_sql: str, key_range: int) -> str:
    """SQL of the record key of `key_sql` (a column expression from a whitelist, never user text).

    HMAC-SHA256 written out: sha256(outer || sha256(inner || message)); `kind` is a fixed word.
    """
    if not kind.isidentifier():
        raise ValueError(f"record key kind {kind!r} must be a plain word")
    message = f"encode('{kind}:' || CAST({key_sql} AS VARCHAR))"
    digest = f"sha256($rk_outer::BLOB || unhex(sha256($rk_inner::BLOB || {message})))"
    return f"(('0x' || substr({digest}, 1, 8))::UBIGINT % {int(key_range)})"
