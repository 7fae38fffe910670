"""Audit: append-only, hash-chained events written in the caller's transaction."""

from kinlink.audit.actions import MEANINGS, AuditAction
from kinlink.audit.log import (
    GENESIS_HASH,
    AuditEvent,
    append_event,
    append_events,
    event_hash,
)
from kinlink.audit.verify import (
    ChainReport,
    Checkpoint,
    read_checkpoint,
    verify_chain,
    write_checkpoint,
)

__all__ = [
    "GENESIS_HASH",
    "MEANINGS",
    "AuditAction",
    "AuditEvent",
    "ChainReport",
    "Checkpoint",
    "append_event",
    "append_events",
    "event_hash",
    "read_checkpoint",
    "verify_chain",
    "write_checkpoint",
]
