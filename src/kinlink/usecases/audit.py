"""The audit log: check that nobody edited, deleted, inserted, moved or forged an event,
keep its head in a signed checkpoint outside the database, and replace its key
(``kinlink audit verify`` / ``checkpoint`` / ``rotate-key``)."""

from __future__ import annotations

from pathlib import Path

from kinlink.audit import (
    AuditAction,
    AuditEvent,
    ChainReport,
    Checkpoint,
    KeyRotation,
    append_event,
    read_checkpoint,
    rotate_key,
    trust_checkpoint,
    verify_chain,
    write_checkpoint,
)
from kinlink.domain.access import Actor
from kinlink.domain.permissions import Action, require
from kinlink.errors import FileRefusedError
from kinlink.storage import Store

__all__ = ["checkpoint_audit", "rotate_audit_key", "verify_audit"]


def verify_audit(store: Store, actor: Actor, checkpoint_file: Path | None = None
                 ) -> ChainReport:
    """Check every event of the chain (and, with ``checkpoint_file``, that the signed
    checkpoint's head is there unchanged); the check itself is audited with its counts.

    A checkpoint file whose signature fails, or that another key signed, is refused
    (:class:`FileRefusedError`) and the refusal is audited."""
    require(actor, Action.AUDIT_VERIFY)
    checkpoint: Checkpoint | None = None
    try:
        if checkpoint_file is not None:
            checkpoint = read_checkpoint(checkpoint_file)
            with store.transaction() as session:
                trust_checkpoint(session, checkpoint, checkpoint_file.name)
    except FileRefusedError:
        with store.transaction() as session:
            append_event(session, AuditEvent(actor.name, AuditAction.AUDIT_VERIFIED,
                                             "audit_log", None, {"checkpoint_refused": True}))
        raise
    with store.transaction() as session:
        report = verify_chain(session, checkpoint)
        append_event(session, AuditEvent(actor.name, AuditAction.AUDIT_VERIFIED, "audit_log",
                                         None, {"events": report.events,
                                                "problems": len(report.problems),
                                                "unkeyed": report.unkeyed,
                                                "with_checkpoint": checkpoint is not None}))
    return report


def checkpoint_audit(store: Store, actor: Actor, file: Path) -> Checkpoint:
    """Write the chain's head (its own event included) to ``file``, signed."""
    require(actor, Action.AUDIT_VERIFY)
    with store.transaction() as session:
        append_event(session, AuditEvent(actor.name, AuditAction.AUDIT_CHECKPOINT,
                                         "audit_log"))
        return write_checkpoint(session, file)


def rotate_audit_key(store: Store, actor: Actor) -> KeyRotation:
    """Make a new key for new audit events (old keys stay, to verify older events); the
    rotation is audited with the new key. Administrators only."""
    require(actor, Action.AUDIT_KEYS)
    with store.transaction() as session:
        return rotate_key(session, actor.name)
