"""The second factor: time-based one-time codes (RFC 6238, 6 digits, 30 s).

A code is accepted for the current time step and one step either side (clock drift),
and never twice: the step of the last accepted code is stored, and only a later step is
accepted after it (security.md AUTH-01).
"""

from __future__ import annotations

import datetime as dt
import hmac
import re

import pyotp
import segno

__all__ = ["ISSUER", "matching_step", "new_secret", "provisioning_uri", "qr_svg"]

ISSUER = "kinlink"
_STEP_SECONDS = 30
_CODE = re.compile(r"\d{6}")


def new_secret() -> str:
    """A new random secret (base32, 160 bits)."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads (from the QR code or typed)."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The URI as a QR code, inline SVG markup (no script, no external image)."""
    return str(segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff"))


def matching_step(secret: str, code: str, now: dt.datetime, last_step: int | None) -> int | None:
    """The time step ``code`` is valid for, or ``None``; steps up to ``last_step`` are spent."""
    code = code.strip().replace(" ", "")
    if not _CODE.fullmatch(code):
        return None
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // _STEP_SECONDS
    for step in (current - 1, current, current + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None
