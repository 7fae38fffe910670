"""Replace the key that authenticates new audit events, and say so in the chain.

The new key is a new file (``audit-hmac-NNNN.key`` with the next number); the old ones
stay, since the events they made must still verify. The rotation itself is an audit
event, made with the new key and naming both. After a rotation, an event made with an
older key is reported by verification: a retired key must not be used again.
"""

from __future__ import annotations

from dataclasses import dataclass

from kinlink.audit.actions import AuditAction
from kinlink.audit.keyring import create_file_key, key_ring
from kinlink.audit.log import GENESIS_HASH, AuditEvent, append_event
from kinlink.errors import ConfigurationError, ConflictError
from kinlink.i18n import N_, Wording
from kinlink.storage import Session
from kinlink.storage.audit_events import AuditRepository

_AUDIT_KEY_COMES_FROM = Wording("audit.rotation.audit_key_comes_from", N_(
    "the audit key comes from KINLINK_AUDIT_KEY: put a new key first in that list, keep the"
    " old ones after it (they verify older events) and restart kinlink"))
_ANOTHER_ROTATION_AUDIT_KEY = Wording("audit.rotation.another_rotation_audit_key", N_(
    "another rotation of the audit key happened at the same time: nothing was changed, run "
    "`kinlink audit verify` and try again"))

__all__ = ["KeyRotation", "rotate_key"]


@dataclass(frozen=True)
class KeyRotation:
    """The key ids before and after a rotation (``before`` is None for the first key)."""

    before: str | None
    after: str


def rotate_key(session: Session, actor: str) -> KeyRotation:
    """Make a new audit key file, and record the rotation with it, in ``session``'s
    transaction. Refused when the key comes from ``KINLINK_AUDIT_KEY`` (kinlink cannot
    change the environment) or when another rotation made the same key number first."""
    repository = AuditRepository(session)
    repository.lock_chain()
    ring = key_ring(session)
    if ring.from_environment:
        raise ConfigurationError(
            _AUDIT_KEY_COMES_FROM())
    head = repository.head()
    made = create_file_key(session, ring, (head.id, head.hash) if head else None,
                           GENESIS_HASH)
    if made is None:
        raise ConflictError(_ANOTHER_ROTATION_AUDIT_KEY())
    before = ring.current.id if ring.current else None
    append_event(session, AuditEvent(actor, AuditAction.AUDIT_KEY_ROTATED, "audit_log",
                                     None, {"from_key": before, "to_key": made.id}))
    return KeyRotation(before, made.id)
