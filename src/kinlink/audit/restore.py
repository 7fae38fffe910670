"""The audit side of restoring the store from a backup (the restore itself is issue 19).

A restored store's chain ends where the backup's did: every event written after the
backup was taken is gone, and a checkpoint written after the backup names a head the
store no longer has. Right after restoring, before anything else writes, call
:func:`record_restore`: it writes a ``store.restored`` event naming the restored head
(its id, hash and the count of events), authenticated like every other event.
:func:`kinlink.audit.verify_chain` then accepts a checkpoint newer than the backup only
when such an event names a head that the chain still holds, unchanged, before it, and
was written after the checkpoint; it says so in the report instead of staying silent.
"""

from __future__ import annotations

from kinlink.audit.actions import AuditAction
from kinlink.audit.log import AuditEvent, append_event
from kinlink.errors import KinlinkError
from kinlink.i18n import N_, Wording
from kinlink.storage import Session
from kinlink.storage.audit_events import AuditRepository
from kinlink.storage.tables import AuditEventRow

_RESTORED_STORE_HOLDS_NO = Wording("audit.restore.restored_store_holds_no", N_(
    "the restored store holds no audit events: it is not a backup of a kinlink store"))

__all__ = ["record_restore"]


def record_restore(session: Session, actor: str) -> AuditEventRow:
    """Record, in ``session``'s transaction, that the store was just restored from a
    backup whose audit head is the chain's head now; returns the event."""
    repository = AuditRepository(session)
    repository.lock_chain()
    head = repository.head()
    if head is None:
        raise KinlinkError(_RESTORED_STORE_HOLDS_NO())
    return append_event(session, AuditEvent(
        actor, AuditAction.STORE_RESTORED, "store", None,
        {"backup_head_id": head.id, "backup_head_hash": head.hash,
         "backup_events": repository.count()}))
