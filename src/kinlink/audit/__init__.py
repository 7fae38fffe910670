"""Audit: append-only, hash-chained events written in the caller's transaction."""

from kinlink.audit.log import GENESIS_HASH, AuditEvent, append_event, event_hash

__all__ = ["GENESIS_HASH", "AuditEvent", "append_event", "event_hash"]
