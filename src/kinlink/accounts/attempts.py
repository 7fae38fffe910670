"""Failed sign-in attempts in the store: check a wait before an attempt, count a failure
after one, clear the counts after a success. The rules are :mod:`.throttle`'s.

Each function works in the caller's write transaction and writes the audit events of
what it changes: ``auth.throttled`` when a failure starts or lengthens a wait,
``auth.refused_throttled`` for the first attempt refused during a wait (the others are
only counted, so a flood of refused attempts cannot flood the audit log). Details carry
the scope, counts and seconds; never a name, an address or a password.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from kinlink.accounts import throttle
from kinlink.accounts.throttle import Scope
from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.storage import Session
from kinlink.storage.accounts import as_utc
from kinlink.storage.throttles import ThrottleRepository

__all__ = ["Keys", "Wait", "clear", "record_failure", "waiting"]


@dataclass(frozen=True)
class Keys:
    """The two counts an attempt belongs to."""

    account: tuple[str, str]
    address: tuple[str, str]

    @classmethod
    def of(cls, username: str, address: str | None) -> Keys:
        """The keys of an attempt on ``username`` from ``address``."""
        return cls(throttle.account_key(username), throttle.address_key(address))

    def both(self) -> list[tuple[str, str]]:
        """Both keys, account first."""
        return [self.account, self.address]


@dataclass(frozen=True)
class Wait:
    """An attempt refused: which count made it wait and for how many seconds more."""

    scope: Scope
    seconds: int


def waiting(session: Session, keys: Keys, now: dt.datetime, *, user_id: int | None,
            actor: str = "anonymous") -> Wait | None:
    """The wait in force for an attempt with ``keys``, noting the refusal, or ``None``."""
    rows = ThrottleRepository(session).rows(keys.both(), lock=True)
    longest: tuple[dt.datetime, tuple[str, str]] | None = None
    for key, row in rows.items():
        if row.blocked_until is not None and as_utc(row.blocked_until) > now and (
                longest is None or as_utc(row.blocked_until) > longest[0]):
            longest = as_utc(row.blocked_until), key
    if longest is None:
        return None
    until, key = longest
    row = rows[key]
    row.refused += 1
    wait = Wait(Scope(row.scope), math.ceil((until - now).total_seconds()))
    if row.refused == 1:
        _audit(session, actor, AuditAction.AUTH_REFUSED_THROTTLED, user_id,
               {"scope": wait.scope.value, "seconds": wait.seconds})
    return wait


def record_failure(session: Session, keys: Keys, now: dt.datetime, *, user_id: int | None,
                   actor: str = "anonymous") -> int:
    """Count a failure in both scopes; set the waits; returns the account's failures."""
    repo = ThrottleRepository(session)
    forget = now - throttle.FORGET_AFTER
    repo.forget_older(forget)
    account_failures = 0
    for key in keys.both():
        row = repo.add_failure(key, now, forget)
        scope = Scope(row.scope)
        if scope is Scope.ACCOUNT:
            account_failures = row.failures
        wait = throttle.wait_after(scope, row.failures)
        if wait:
            row.blocked_until = now + wait
            _audit(session, actor, AuditAction.AUTH_THROTTLED, user_id,
                   {"scope": scope.value, "failures": row.failures,
                    "seconds": int(wait.total_seconds())})
    return account_failures


def clear(session: Session, keys: list[tuple[str, str]]) -> int:
    """Forget the counts of ``keys`` (a full sign-in, an administrator's unlock)."""
    return ThrottleRepository(session).clear(keys)


def _audit(session: Session, actor: str, action: AuditAction, user_id: int | None,
           details: dict[str, object]) -> None:
    append_event(session, AuditEvent(actor, action, "user",
                                     str(user_id) if user_id is not None else None, details))
