"""What an intruder who can write the database does to the audit chain, written out.

The security drill's attack: change an event, then recompute the SHA-256 of it and of
every event after it (the recomputation is spelt out here, not borrowed from kinlink),
so that every hash and every ``prev_hash`` agrees again. Without the audit key the
intruder cannot recompute the MACs: they either leave them (stale) or strip them
(pretending the events predate keyed auditing). With a stolen key they recompute them
too (``stolen``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import insert, select, update

from kinlink.audit import AuditKey, event_mac
from kinlink.storage import Store
from kinlink.storage.tables import AuditEventRow

Edit = Callable[[AuditEventRow], dict[str, Any]]


def sha256_of(prev_hash: str, values: dict[str, Any]) -> str:
    """The chained SHA-256 of an event, as the drill recomputed it: the previous hash and
    the stored fields, as canonical JSON."""
    payload = json.dumps(
        [prev_hash, values["occurred_at"], values["actor"], values["action"],
         values["entity_type"], values["entity_id"], values["details"]],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _fields(row: AuditEventRow) -> dict[str, Any]:
    return {"occurred_at": row.occurred_at, "actor": row.actor, "action": row.action,
            "entity_type": row.entity_type, "entity_id": row.entity_id,
            "details": row.details, "key_id": row.key_id, "mac": row.mac}


def rewrite(store: Store, edit: Edit, *, strip_macs: bool = False,
            stolen: AuditKey | None = None) -> None:
    """Apply ``edit`` to every event (it returns the fields to change, or {}) and
    recompute every hash from the start; strip or (with ``stolen``) recompute MACs of
    the events from the first edited one on."""
    with store.transaction() as session:
        rows = list(session.execute(select(AuditEventRow).order_by(AuditEventRow.id))
                    .scalars())
        fields = {row.id: _fields(row) for row in rows}
        for row in rows:  # free the unique hashes first
            session.execute(update(AuditEventRow).where(AuditEventRow.id == row.id)
                            .values(hash=f"x{row.id}"))
        prev, edited = "0" * 64, False
        for row in rows:
            values = fields[row.id]
            change = edit(row)
            values.update(change)
            edited = edited or bool(change)
            digest = sha256_of(prev, values)
            if edited and strip_macs:
                values.update(key_id=None, mac=None)
            elif edited and stolen is not None:
                values.update(key_id=stolen.id, mac=event_mac(stolen, digest))
            session.execute(update(AuditEventRow).where(AuditEventRow.id == row.id)
                            .values(prev_hash=prev, hash=digest, **values))
            prev = digest


def forge_append(store: Store, *, key_id: str | None = None, mac: str | None = None,
                 key: AuditKey | None = None) -> int:
    """Append one forged event after the head with a correct hash; with ``key`` a MAC
    made with it, else the given ``key_id`` and ``mac`` (None: none). Returns its id."""
    with store.transaction() as session:
        head = session.execute(select(AuditEventRow).order_by(AuditEventRow.id.desc())
                               .limit(1)).scalar_one()
        values: dict[str, Any] = {"occurred_at": head.occurred_at, "actor": "intruder",
                                  "action": "record.read", "entity_type": "record",
                                  "entity_id": "99", "details": {}}
        digest = sha256_of(head.hash, values)
        if key is not None:
            key_id, mac = key.id, event_mac(key, digest)
        session.execute(insert(AuditEventRow).values(
            id=head.id + 1, prev_hash=head.hash, hash=digest, key_id=key_id, mac=mac,
            **values))
        return head.id + 1
