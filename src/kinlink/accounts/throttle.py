"""Sign-in throttling: failures make the next attempt wait, per account and per address.

A hard lock after five failures let anyone who knew a user name lock that account and
end its sessions. Instead, failures are counted per **account** (the canonical user
name, whether or not an account has it, so a wait never tells which names exist) and
per **client address** (an IPv6 address by its /64 network, which one machine usually
holds whole). Each scope allows some failures freely; after that each failure makes
the next attempt wait twice as long as the one before, up to a cap:

=========  ==============  ==========================  ========
scope      free failures   wait after failure *n*      cap
=========  ==============  ==========================  ========
account    5               2^(n − 4) s: 2, 4, 8, …     15 min
address    20              2^(n − 19) s: 2, 4, 8, …    1 hour
=========  ==============  ==========================  ========

While a wait runs an attempt is refused at once, its password or code not even looked
at (so a right guess during the wait tells nothing), with the seconds left. A session
already open is never ended by failures. The second factor's step counts in the same
two scopes. Signing in fully (password and code) clears both counts; an administrator
can clear an account's count (``unlock``); a count whose last failure is a day old is
forgotten. What is stored is a SHA-256 of the name or address, the counts and times.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
from enum import StrEnum

__all__ = ["FORGET_AFTER", "Scope", "account_key", "address_key", "wait_after"]


class Scope(StrEnum):
    """What a count of failures is about."""

    ACCOUNT = "account"
    ADDRESS = "address"


FREE_FAILURES = {Scope.ACCOUNT: 5, Scope.ADDRESS: 20}
MAX_WAIT = {Scope.ACCOUNT: dt.timedelta(minutes=15), Scope.ADDRESS: dt.timedelta(hours=1)}
FORGET_AFTER = dt.timedelta(days=1)
"""A count whose last failure is older than this starts again (and its row is deleted)."""


def wait_after(scope: Scope, failures: int) -> dt.timedelta:
    """How long the next attempt waits after ``failures`` failures in a row."""
    beyond = failures - FREE_FAILURES[scope]
    if beyond < 0:
        return dt.timedelta(0)
    cap = MAX_WAIT[scope]
    if beyond >= int(cap.total_seconds()).bit_length():  # 2 ** beyond would only grow
        return cap
    return min(dt.timedelta(seconds=2 ** (beyond + 1)), cap)


def _digest(scope: Scope, value: str) -> str:
    return hashlib.sha256(f"kinlink-sign-in\0{scope.value}\0{value}".encode()).hexdigest()


def account_key(username: str) -> tuple[str, str]:
    """The key of an account's count: the canonical user name, hashed."""
    return Scope.ACCOUNT.value, _digest(Scope.ACCOUNT, username.strip().casefold())


def address_key(address: str | None) -> tuple[str, str]:
    """The key of a client address's count (IPv6: its /64 network), hashed.

    ``None`` (no address known, as in some test clients) is one shared key.
    """
    text = (address or "").strip()
    try:
        parsed = ipaddress.ip_address(text)
    except ValueError:
        canonical = text
    else:
        if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
            canonical = str(parsed.ipv4_mapped)
        elif isinstance(parsed, ipaddress.IPv6Address):
            canonical = str(ipaddress.IPv6Network(f"{parsed}/64", strict=False))
        else:
            canonical = str(parsed)
    return Scope.ADDRESS.value, _digest(Scope.ADDRESS, canonical)
