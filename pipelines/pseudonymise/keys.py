"""The pseudonymisation key and the keyed pseudonym (HMAC-SHA256).

The key is secret and held apart from the data (EDPB Guidelines 01/2025, ENISA 2019): it
is read from a file or the environment, never written to output or logs, and never part
of an error message.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping
from pathlib import Path

from pipelines.errors import ReachError

KEY_ENV = "REACH_PSEUDONYM_KEY"
LINKAGE_KEY_ENV = "REACH_LINKAGE_KEY"  # the national linkage key (docs/raw-export.md, "Linkage key")
MIN_KEY_BYTES = 32
# A key of the right length can still be guessable: 32 NUL bytes, 32 x "a", "abcd" repeated.
# Random keys (even base64 or hex text) use far more distinct byte values than this.
MIN_DISTINCT_KEY_BYTES = 8
_HOW_TO_MAKE_ONE = (
    "create one with e.g. `head -c 48 /dev/urandom | base64 > pseudonym.key` and keep it apart from the data"
)


def load_key(key_file: str | os.PathLike[str] | None, environ: Mapping[str, str] | None = None, *,
             env: str = KEY_ENV) -> bytes:
    """The key bytes from `key_file` (surrounding whitespace ignored) or env `env` (REACH_PSEUDONYM_KEY);
    ReachError when there is none, or it is short or degenerate (the message never quotes the key)."""
    environ = os.environ if environ is None else environ
    option = "--key-file" if env == KEY_ENV else "--linkage-key-file"
    what = "pseudonymisation" if env == KEY_ENV else "national linkage"
    if key_file is not None:
        path = Path(key_file)
        source = f"the key file {path}"
        try:
            key = path.read_bytes().strip()
        except FileNotFoundError:
            raise ReachError(f"{source} does not exist; {_HOW_TO_MAKE_ONE}.") from None
        except OSError as error:
            raise ReachError(f"{source} cannot be read ({error.strerror}).") from None
    elif environ.get(env):
        source = f"the environment variable {env}"
        try:
            key = environ[env].strip().encode("utf-8")
        except UnicodeEncodeError:  # POSIX hands undecodable bytes over as surrogates; never echo them
            raise ReachError(
                f"the key in {source} is not UTF-8 text; set it to text (e.g. base64) or put the key in a file "
                f"and give {option}; {_HOW_TO_MAKE_ONE}."
            ) from None
    else:
        raise ReachError(
            f"no {what} key: give {option} F or set {env}. The key must be at least "
            f"{MIN_KEY_BYTES} bytes; {_HOW_TO_MAKE_ONE}."
        )
    if len(key) < MIN_KEY_BYTES:
        raise ReachError(
            f"the key in {source} is too short ({len(key)} bytes); at least {MIN_KEY_BYTES} bytes are "
            f"required; {_HOW_TO_MAKE_ONE}."
        )
    weakness = _weakness(key)
    if weakness:
        raise ReachError(f"the key in {source} is too easy to guess: {weakness}; {_HOW_TO_MAKE_ONE}.")
    return key


def load_linkage_key(key_file: str | os.PathLike[str] | None, centre_key: bytes,
                     environ: Mapping[str, str] | None = None) -> bytes | None:
    """The national linkage key from `key_file` or env REACH_LINKAGE_KEY (None when neither is given),
    with the same rules as the centre's key; refused when it equals the centre's key, which would
    let anyone holding a centre's key recompute every centre's linkage keys."""
    environ = os.environ if environ is None else environ
    if key_file is None and not environ.get(LINKAGE_KEY_ENV):
        return None
    key = load_key(key_file, environ, env=LINKAGE_KEY_ENV)
    if hmac.compare_digest(key, centre_key):
        raise ReachError(
            "the national linkage key is the same as the centre's pseudonymisation key; the linkage key must be "
            "a national key held apart from every centre's key (docs/raw-export.md, \"Linkage key\"). Nothing was "
            "written."
        )
    return key


def _weakness(key: bytes) -> str | None:
    """Why a key of the right length is still degenerate (never quoting any of its bytes), or None."""
    distinct = len(set(key))
    if distinct < MIN_DISTINCT_KEY_BYTES:
        return (f"it uses only {distinct} distinct byte value{'s' if distinct > 1 else ''} (at least "
                f"{MIN_DISTINCT_KEY_BYTES} are required)")
    for period in range(1, len(key) // 2 + 1):
        if key == (key[:period] * (len(key) // period + 1))[:len(key)]:
            return f"it repeats a {period}-byte pattern"
    return None


def pseudonym(key: bytes, client_number: str) -> str:
    """HMAC-SHA256 of the case-system client number (UTF-8, surrounding whitespace ignored)
    under `key`, as 64 lowercase hex characters: a valid contract client ID."""
    return hmac.new(key, client_number.strip().encode("utf-8"), hashlib.sha256).hexdigest()
