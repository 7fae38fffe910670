"""Passwords: Argon2id hashes and generated one-time passwords. What a person may
choose is :mod:`kinlink.accounts.password_policy`.

Hashes use argon2-cffi's defaults (Argon2id, 64 MiB, t=3, p=4), above the OWASP minimum
(19 MiB, t=2, p=1). A generated password is shown once and must be changed at the first
sign-in (``users.must_change_password``).
"""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = ["generate_password", "hash_password", "needs_rehash", "verify_password",
           "waste_time"]

_HASHER = PasswordHasher()


def generate_password() -> str:
    """A random password of 20 URL-safe characters (about 120 bits)."""
    return secrets.token_urlsafe(15)


def hash_password(password: str) -> str:
    """The Argon2id hash to store."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash`` (never raises for a mismatch)."""
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's."""
    return _HASHER.check_needs_rehash(stored_hash)


@cache
def _dummy_hash() -> str:
    return _HASHER.hash(secrets.token_urlsafe(16))


def waste_time(password: str) -> None:
    """Spend the time of one verification, so an unknown user name answers as slowly
    as a wrong password (no user enumeration by timing)."""
    verify_password(_dummy_hash(), password)
