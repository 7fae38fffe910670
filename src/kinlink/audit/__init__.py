"""Audit: append-only, hash-chained, keyed events written in the caller's transaction."""

from kinlink.audit.actions import MEANINGS, AuditAction
from kinlink.audit.checkpoint import (
    Checkpoint,
    read_checkpoint,
    trust_checkpoint,
    write_checkpoint,
)
from kinlink.audit.keyring import AuditKey, KeyRing, event_mac, key_ring
from kinlink.audit.log import (
    GENESIS_HASH,
    AuditEvent,
    append_event,
    append_events,
    event_hash,
)
from kinlink.audit.restore import record_restore
from kinlink.audit.rotation import KeyRotation, rotate_key
from kinlink.audit.verify import ChainReport, verify_chain

__all__ = [
    "GENESIS_HASH",
    "MEANINGS",
    "AuditAction",
    "AuditEvent",
    "AuditKey",
    "ChainReport",
    "Checkpoint",
    "KeyRing",
    "KeyRotation",
    "append_event",
    "append_events",
    "event_hash",
    "event_mac",
    "key_ring",
    "read_checkpoint",
    "record_restore",
    "rotate_key",
    "trust_checkpoint",
    "verify_chain",
    "write_checkpoint",
]
