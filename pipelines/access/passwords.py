"""Password hashes: Argon2id (argon2-cffi, RFC 9106's recommended low-memory parameters), never logged."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from pipelines.errors import ReachError

MIN_LENGTH = 12
MAX_LENGTH = 1024  # a longer "password" is a denial-of-service attempt on the hash, not a password
_HASHER = PasswordHasher()  # argon2id, t=3, m=64 MiB, p=4


@cache
def _dummy_hash() -> str:
    """Verified when the account does not exist, so an unknown name takes as long as a wrong password.
    Computed on first use, not at import (an Argon2 hash takes about 0.4 s: every `reach` command and
    report imports this module, few verify a password)."""
    return _HASHER.hash("not a password of any account")


def check_password_policy(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise ReachError(f"The password is too short: at least {MIN_LENGTH} characters are needed.")
    if len(password) > MAX_LENGTH:
        raise ReachError(f"The password is too long: at most {MAX_LENGTH} characters.")


def hash_password(password: str) -> str:
    check_password_policy(password)
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; with no hash (unknown account) the same work is done and False returned."""
    if len(password) > MAX_LENGTH:
        return False
    dummy = _dummy_hash()  # also when the account exists: the first verification is as slow for both
    try:
        return _HASHER.verify(password_hash or dummy, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
