"""Write audit events into a hash chain, inside the transaction of the change itself.

Each event carries the hash of the event before it, so that an edited, deleted,
inserted or reordered event breaks the chain, and an HMAC of that hash made with a key
the database does not hold (:mod:`kinlink.audit.keyring`), so that someone who can
write the database but has not got the key cannot recompute the chain after changing
it. Events are written in the caller's session: the change and its audit event commit
together or not at all. ``details`` holds identifiers, counts and codes, never names,
dates of birth or contacts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kinlink.audit.actions import AuditAction
from kinlink.audit.keyring import AuditKey, event_mac, signing_key
from kinlink.storage import Session
from kinlink.storage.audit_events import AuditRepository
from kinlink.storage.tables import AuditEventRow

__all__ = ["GENESIS_HASH", "AuditEvent", "append_event", "append_events", "content_hash",
           "event_hash"]

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class AuditEvent:
    """What happened: who did which action to which object, with non-personal details."""

    actor: str
    action: AuditAction
    entity_type: str
    entity_id: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


def content_hash(prev_hash: str, occurred_at: str, actor: str, action: str,
                 entity_type: str, entity_id: str | None, details: dict[str, Any]) -> str:
    """SHA-256 over the previous hash and a canonical JSON form of an event's fields (as
    stored: verification reads them back as plain values)."""
    payload = json.dumps(
        [prev_hash, occurred_at, actor, action, entity_type, entity_id, details],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def event_hash(prev_hash: str, occurred_at: str, event: AuditEvent) -> str:
    """The chain hash of ``event`` written after ``prev_hash`` at ``occurred_at``."""
    return content_hash(prev_hash, occurred_at, event.actor, event.action.value,
                        event.entity_type, event.entity_id, event.details)


def _declared(event: AuditEvent) -> None:
    if not isinstance(event.action, AuditAction):
        raise TypeError(f"audit action {event.action!r} is not declared in "
                        "kinlink.audit.actions.AuditAction")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _locked_head(session: Session) -> tuple[AuditRepository, str, AuditKey]:
    """Take the chain's lock; return the repository, the head's hash and the signing key
    (made now if this is the first keyed event)."""
    repository = AuditRepository(session)
    repository.lock_chain()
    head = repository.head()
    key = signing_key(session, (head.id, head.hash) if head else None, GENESIS_HASH)
    return repository, head.hash if head else GENESIS_HASH, key


def append_event(session: Session, event: AuditEvent) -> AuditEventRow:
    """Append ``event`` to the chain in ``session``'s transaction and return its row.

    Refuses (``TypeError``) an action that is not declared in
    :class:`~kinlink.audit.actions.AuditAction`: the set of actions is closed.
    """
    _declared(event)
    repository, prev_hash, key = _locked_head(session)
    occurred_at = _now()
    digest = event_hash(prev_hash, occurred_at, event)
    return repository.append(
        occurred_at=occurred_at,
        actor=event.actor,
        action=event.action.value,
        entity_type=event.entity_type,
        entity_id=event.entity_id,
        details=event.details,
        prev_hash=prev_hash,
        hash=digest,
        key_id=key.id,
        mac=event_mac(key, digest),
    )


def append_events(session: Session, events: Sequence[AuditEvent]) -> int:
    """Append ``events``, in order, to the chain in ``session``'s transaction; returns
    how many. The chain's head and the key are read once and the events are chained
    here and written in one insert (a thousand cases opened at once write a thousand
    events in a few milliseconds), under the same lock as :func:`append_event`. Refuses
    an undeclared action before writing anything."""
    for event in events:
        _declared(event)
    if not events:
        return 0
    repository, prev_hash, key = _locked_head(session)
    rows = []
    for event in events:
        occurred_at = _now()
        digest = event_hash(prev_hash, occurred_at, event)
        rows.append({"occurred_at": occurred_at, "actor": event.actor,
                     "action": event.action.value, "entity_type": event.entity_type,
                     "entity_id": event.entity_id, "details": event.details,
                     "prev_hash": prev_hash, "hash": digest, "key_id": key.id,
                     "mac": event_mac(key, digest)})
        prev_hash = digest
    repository.append_many(rows)
    return len(rows)
