"""The audit log: check that nobody edited, deleted, inserted or moved an event, and keep
its head outside the database (``kinlink audit verify`` / ``checkpoint``)."""

from __future__ import annotations

from pathlib import Path

from kinlink.audit import (
    AuditAction,
    AuditEvent,
    ChainReport,
    Checkpoint,
    append_event,
    verify_chain,
    write_checkpoint,
)
from kinlink.domain.access import Actor
from kinlink.domain.permissions import Action, require
from kinlink.storage import Store

__all__ = ["checkpoint_audit", "verify_audit"]


def verify_audit(store: Store, actor: Actor, expected: Checkpoint | None = None) -> ChainReport:
    """Check every event of the chain (and, with ``expected``, that the checkpoint's head
    is there unchanged); the check itself is audited with its counts."""
    require(actor, Action.AUDIT_VERIFY)
    with store.transaction() as session:
        report = verify_chain(session, expected)
        append_event(session, AuditEvent(actor.name, AuditAction.AUDIT_VERIFIED, "audit_log",
                                         None, {"events": report.events,
                                                "problems": len(report.problems),
                                                "with_checkpoint": expected is not None}))
    return report


def checkpoint_audit(store: Store, actor: Actor, file: Path) -> Checkpoint:
    """Write the chain's head (its own event included) to ``file``."""
    require(actor, Action.AUDIT_VERIFY)
    with store.transaction() as session:
        append_event(session, AuditEvent(actor.name, AuditAction.AUDIT_CHECKPOINT,
                                         "audit_log"))
        return write_checkpoint(session, file)
