"""Passwords: Argon2id hashes, a length-only policy with a common-password list, and
generated one-time passwords.

Policy (security.md AUTH-02/03): at least 12 and at most 128 characters, any
characters, no composition rules; refused when it is a well-known password or contains
the user name. Hashes use argon2-cffi's defaults (Argon2id, 64 MiB, t=3, p=4), above
the OWASP minimum (19 MiB, t=2, p=1).
"""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kinlink.errors import InputRefusedError

__all__ = ["MAX_LENGTH", "MIN_LENGTH", "check_policy", "generate_password", "hash_password",
           "needs_rehash", "verify_password", "waste_time"]

MIN_LENGTH = 12
MAX_LENGTH = 128

# The most common passwords of 12 characters or more in public breach lists, and words
# any kinlink deployment would think of first. Compared case-insensitively.
_COMMON = frozenset({
    "123456789012", "1234567890123", "12345678901234", "123123123123", "111111111111",
    "000000000000", "qwertyuiop12", "qwertyuiopasdfgh", "1q2w3e4r5t6y", "1qaz2wsx3edc",
    "qwerty123456", "password1234", "password12345", "password123456", "passwordpassword",
    "iloveyou1234", "abcdefghijkl", "abc123abc123", "letmein12345", "welcome12345",
    "administrator", "admin1234567", "adminadminadmin", "changeme1234", "kinlink12345",
    "kinlinkkinlink", "slavaukraini1", "slavaukraini12", "ukraine12345", "ukraine2022",
    "ukraine20222022", "kyiv12345678", "пароль123456", "йцукенгшщзхї", "йцукенгшщзхъ",
})

_HASHER = PasswordHasher()


def check_policy(password: str, username: str) -> None:
    """Raise :class:`InputRefusedError` unless ``password`` may be used by ``username``."""
    if len(password) < MIN_LENGTH:
        raise InputRefusedError(f"a password needs at least {MIN_LENGTH} characters",
                                "password_too_short")
    if len(password) > MAX_LENGTH:
        raise InputRefusedError(f"a password has at most {MAX_LENGTH} characters",
                                "password_too_long")
    if password.casefold().strip() in _common_folded():
        raise InputRefusedError("this password is too well known", "password_common")
    if username and username.casefold() in password.casefold():
        raise InputRefusedError("a password must not contain the user name",
                                "password_has_username")


@cache
def _common_folded() -> frozenset[str]:
    return frozenset(p.casefold() for p in _COMMON)


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
