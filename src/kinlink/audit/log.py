"""Write audit events into a hash chain, inside the transaction of the change itself.

Each event carries the hash of the event before it, so that an edited, deleted,
inserted or reordered event breaks the chain (verification comes with the review
workflow). Events are written in the caller's session: the change and its audit event
commit together or not at all. ``details`` holds identifiers, counts and codes, never
names, dates of birth or contacts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from kinlink.storage.tables import AuditEventRow

__all__ = ["GENESIS_HASH", "AuditEvent", "append_event", "event_hash"]

GENESIS_HASH = "0" * 64
_PG_CHAIN_LOCK = 0x6B696E6C  # "kinl": serialises writers of the chain on PostgreSQL


@dataclass(frozen=True)
class AuditEvent:
    """What happened: who did which action to which object, with non-personal details."""

    actor: str
    action: str
    entity_type: str
    entity_id: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


def event_hash(prev_hash: str, occurred_at: str, event: AuditEvent) -> str:
    """SHA-256 over the previous hash and a canonical JSON form of the event."""
    payload = json.dumps(
        [prev_hash, occurred_at, event.actor, event.action, event.entity_type,
         event.entity_id, event.details],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append_event(session: Session, event: AuditEvent) -> AuditEventRow:
    """Append ``event`` to the chain in ``session``'s transaction and return its row."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_CHAIN_LOCK})
    last = session.execute(
        select(AuditEventRow.hash).order_by(AuditEventRow.id.desc()).limit(1)
    ).scalar()
    prev_hash = last or GENESIS_HASH
    occurred_at = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    row = AuditEventRow(
        occurred_at=occurred_at,
        actor=event.actor,
        action=event.action,
        entity_type=event.entity_type,
        entity_id=event.entity_id,
        details=event.details,
        prev_hash=prev_hash,
        hash=event_hash(prev_hash, occurred_at, event),
    )
    session.add(row)
    session.flush()
    return row
