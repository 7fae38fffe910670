"""Verify the audit chain: its hashes, its MACs and, with a checkpoint, its head.

Walking the chain in order finds:

* an **edited** event: its stored hash no longer matches its content;
* a **deleted**, **inserted** or **reordered** event: the next event's ``prev_hash``
  does not name the event before it;
* an event **recomputed, inserted or appended without the audit key**: its MAC does
  not match (the MAC covers the chained hash, so every MAC vouches for everything
  before it), or it carries none where keyed auditing had already begun, or a key that
  is not on this machine;
* an event made with a **retired key** after a newer key was in use.

Events written before keyed auditing began carry no MAC; they are checked by hash only
and counted (``ChainReport.unkeyed``), which is not a failure. They are still covered by
the MAC of the first keyed event, whose hash chains back through them.

What the chain cannot show on its own is a cut tail (the newest events deleted) or a
chain rewritten by someone holding the audit key. A signed checkpoint
(:mod:`kinlink.audit.checkpoint`) covers that: its head must still be there with the
same hash and MAC, and the chain must hold at least as many events as it counted. A
checkpoint newer than the store's head is accepted only after a restore from backup
recorded in the chain (:mod:`kinlink.audit.restore`), and the report says so.
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass, field
from typing import Any

from kinlink.audit.actions import AuditAction
from kinlink.audit.checkpoint import Checkpoint
from kinlink.audit.keyring import AuditKey, KeyRing, event_mac, key_ring
from kinlink.audit.log import GENESIS_HASH, content_hash
from kinlink.i18n import N_, Wording
from kinlink.storage import Session
from kinlink.storage.audit_events import AuditRepository
from kinlink.storage.tables import AuditEventRow

__all__ = ["ChainReport", "verify_chain"]

# What verification finds, in words the command line and the pages translate (the English
# is what the tests and older reports read).
_MAC_REMOVED = Wording("audit.verify.mac_removed", N_(
    "event {event} ({action}): carries no MAC although event {first} before it does — its "
    "MAC was removed, or it was written without the audit key"))
_MAC_REMOVED_AFTER = Wording("audit.verify.mac_removed_after", N_(
    "event {event} ({action}): carries no MAC although keyed auditing began after event "
    "{anchor} — its MAC was removed, or it was written without the audit key"))
_MAC_REMOVED_FIRST = Wording("audit.verify.mac_removed_first", N_(
    "event {event} ({action}): carries no MAC although keyed auditing began with the first "
    "event — its MAC was removed, or it was written without the audit key"))
_HALF_A_MAC = Wording("audit.verify.half_a_mac", N_(
    "event {event} ({action}): carries half of a MAC (a key id or a MAC without the other) "
    "— it was tampered with"))
_KEY_NOT_HERE = Wording("audit.verify.key_not_here", N_(
    "event {event} ({action}): made with key {key}, which is not on this machine "
    "(data_dir/keys, KINLINK_AUDIT_KEY) — it cannot be checked, or it was forged"))
_MAC_DIFFERS = Wording("audit.verify.mac_differs", N_(
    "event {event} ({action}): its MAC does not match — it was changed, inserted or "
    "recomputed by someone without the audit key"))
_RETIRED_KEY = Wording("audit.verify.retired_key", N_(
    "event {event} ({action}): made with key {key}, which key {newer} had replaced before "
    "it (event {since}) — a retired key was used again"))
_CONTENT_CHANGED = Wording("audit.verify.content_changed", N_(
    "event {event} ({action}): its content was changed after it was written"))
_NOT_FOLLOWING = Wording("audit.verify.not_following", N_(
    "event {event} ({action}): does not follow event {previous} — an event was deleted, "
    "inserted or moved here"))
_NOT_FIRST = Wording("audit.verify.not_first", N_(
    "event {event} ({action}): does not follow the start — an event was deleted, inserted "
    "or moved here"))
_ANCHOR_DIFFERS = Wording("audit.verify.anchor_differs", N_(
    "event {event} ({action}), the last event before keyed auditing began, differs from "
    "what the first key file recorded — the events up to it were rewritten"))
_ANCHOR_MISSING = Wording("audit.verify.anchor_missing", N_(
    "event {event}, the last event before keyed auditing began, is missing — the chain was "
    "cut or rewritten"))
_RESTORED = Wording("audit.verify.restored", N_(
    "the store was restored from a backup (event {event}, at {at}) whose head is event "
    "{head}, which the chain holds unchanged; the checkpoint of {written} counted {events} "
    "events up to event {checkpoint_head}, so {lost} events written after the backup are "
    "not in this store — make sure this restore was yours"))
_HEAD_MISSING = Wording("audit.verify.head_missing", N_(
    "event {event}, the head at the checkpoint of {written}, is missing: the chain was cut "
    "or rewritten"))
_HEAD_DIFFERS = Wording("audit.verify.head_differs", N_(
    "event {event} differs from the checkpoint of {written}: the chain was rewritten"))
_FEWER_EVENTS = Wording("audit.verify.fewer_events", N_(
    "the chain holds {count} events, fewer than the {events} at the checkpoint of "
    "{written}"))


@dataclass(frozen=True)
class ChainReport:
    """What verification found: events checked, problems (each naming an event), how
    many events predate keyed auditing, the keys seen, and notices (a restore)."""

    events: int
    problems: tuple[str, ...]
    unkeyed: int = 0
    keys: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()
    checkpoint: Checkpoint | None = None

    @property
    def intact(self) -> bool:
        """True when no problem was found."""
        return not self.problems


@dataclass(frozen=True)
class _Restore:
    """An authentic ``store.restored`` event and the backup head it names."""

    event_id: int
    occurred_at: dt.datetime
    backup_head_id: int
    backup_head_hash: str


@dataclass
class _Walk:
    """What the walk keeps between events."""

    ring: KeyRing
    checkpoint: Checkpoint | None
    problems: list[str] = field(default_factory=list)
    count: int = 0
    unkeyed: int = 0
    first_keyed: int | None = None
    newest: dict[bool, tuple[AuditKey, int]] = field(default_factory=dict)
    keys_seen: dict[str, None] = field(default_factory=dict)
    anchor_seen: bool = False
    head_row: tuple[str, str | None, str | None] | None = None
    restores: list[_Restore] = field(default_factory=list)


def _content_hash(row: AuditEventRow) -> str:
    return content_hash(row.prev_hash, row.occurred_at, row.actor, row.action,
                        row.entity_type, row.entity_id, row.details)


def _name(row: AuditEventRow) -> dict[str, str | int]:
    """The event a problem names: its id and action (``event 7 (case.opened)``)."""
    return {"event": row.id, "action": row.action}


def _check_unkeyed(walk: _Walk, row: AuditEventRow) -> None:
    anchor = walk.ring.anchor
    if walk.first_keyed is not None:
        walk.problems.append(_MAC_REMOVED(**_name(row), first=walk.first_keyed))
    elif anchor is not None and (anchor.event_id is None or row.id > anchor.event_id):
        walk.problems.append(_MAC_REMOVED_AFTER(**_name(row), anchor=anchor.event_id)
                             if anchor.event_id is not None
                             else _MAC_REMOVED_FIRST(**_name(row)))
    else:
        walk.unkeyed += 1


def _check_keyed(walk: _Walk, row: AuditEventRow) -> bool:
    """Check ``row``'s MAC and key; True when it is authentic."""
    if walk.first_keyed is None:
        walk.first_keyed = row.id
    if row.key_id is None or row.mac is None:
        walk.problems.append(_HALF_A_MAC(**_name(row)))
        return False
    walk.keys_seen[row.key_id] = None
    key = walk.ring.keys.get(row.key_id)
    if key is None:
        walk.problems.append(_KEY_NOT_HERE(**_name(row), key=row.key_id))
        return False
    if not hmac.compare_digest(event_mac(key, row.hash), row.mac):
        walk.problems.append(_MAC_DIFFERS(**_name(row)))
        return False
    newest = walk.newest.get(key.from_environment)
    if newest is not None and key.rank < newest[0].rank:
        walk.problems.append(_RETIRED_KEY(**_name(row), key=key.id, newer=newest[0].id,
                                          since=newest[1]))
    elif newest is None or key.rank > newest[0].rank:
        walk.newest[key.from_environment] = (key, row.id)
    return True


def _note_restore(walk: _Walk, row: AuditEventRow) -> None:
    details: dict[str, Any] = row.details if isinstance(row.details, dict) else {}
    backup_id, backup_hash = details.get("backup_head_id"), details.get("backup_head_hash")
    if isinstance(backup_id, int) and isinstance(backup_hash, str) and backup_id < row.id:
        walk.restores.append(_Restore(row.id, _instant(row.occurred_at), backup_id,
                                      backup_hash))


def _instant(stamp: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def verify_chain(session: Session, checkpoint: Checkpoint | None = None) -> ChainReport:
    """Walk the whole chain; report every break, naming the event where it shows.

    ``checkpoint`` must already be read and trusted
    (:func:`~kinlink.audit.checkpoint.read_checkpoint`,
    :func:`~kinlink.audit.checkpoint.trust_checkpoint`)."""
    walk = _Walk(key_ring(session), checkpoint)
    anchor = walk.ring.anchor
    previous_hash, previous_id = GENESIS_HASH, None
    for row in AuditRepository(session).in_order():
        walk.count += 1
        sound = True
        if _content_hash(row) != row.hash:
            sound = False
            walk.problems.append(_CONTENT_CHANGED(**_name(row)))
        if row.prev_hash != previous_hash:
            sound = False
            walk.problems.append(_NOT_FOLLOWING(**_name(row), previous=previous_id)
                                 if previous_id is not None else _NOT_FIRST(**_name(row)))
        if row.mac is None and row.key_id is None:
            _check_unkeyed(walk, row)
        elif not _check_keyed(walk, row):
            sound = False
        if anchor is not None and anchor.event_id == row.id:
            walk.anchor_seen = True
            if row.hash != anchor.hash:
                walk.problems.append(_ANCHOR_DIFFERS(**_name(row)))
        if sound and row.mac is not None and row.action == AuditAction.STORE_RESTORED:
            _note_restore(walk, row)
        if checkpoint is not None and row.id == checkpoint.head_id:
            walk.head_row = (row.hash, row.key_id, row.mac)
        previous_hash, previous_id = row.hash, row.id
    if anchor is not None and anchor.event_id is not None and not walk.anchor_seen:
        walk.problems.append(_ANCHOR_MISSING(event=anchor.event_id))
    notices: list[str] = []
    if checkpoint is not None:
        _against_checkpoint(AuditRepository(session), walk, checkpoint, notices)
    return ChainReport(walk.count, tuple(walk.problems), walk.unkeyed,
                       tuple(walk.keys_seen), tuple(notices), checkpoint)


def _against_checkpoint(repository: AuditRepository, walk: _Walk, checkpoint: Checkpoint,
                        notices: list[str]) -> None:
    when = checkpoint.written_at
    head = walk.head_row
    expected = (checkpoint.head_hash, checkpoint.head_key_id, checkpoint.head_mac)
    if head == expected and walk.count >= checkpoint.events:
        return
    restore = _restore_after(repository, walk, checkpoint)
    if restore is not None:
        lost = max(0, checkpoint.events - repository.count_up_to(restore.backup_head_id))
        notices.append(_RESTORED(
            event=restore.event_id, at=restore.occurred_at.isoformat(timespec="seconds"),
            head=restore.backup_head_id, written=when, events=checkpoint.events,
            checkpoint_head=checkpoint.head_id, lost=lost))
        return
    if head is None:
        walk.problems.append(_HEAD_MISSING(event=checkpoint.head_id, written=when))
    elif head != expected:
        walk.problems.append(_HEAD_DIFFERS(event=checkpoint.head_id, written=when))
    else:
        walk.problems.append(_FEWER_EVENTS(count=walk.count, events=checkpoint.events,
                                           written=when))


def _restore_after(repository: AuditRepository, walk: _Walk,
                   checkpoint: Checkpoint) -> _Restore | None:
    """The newest authentic restore, written after ``checkpoint``, from a backup whose
    head is older than the checkpoint's and is still in the chain unchanged; or None."""
    written = _instant(checkpoint.written_at)
    for restore in reversed(walk.restores):
        if restore.occurred_at <= written or restore.backup_head_id >= checkpoint.head_id:
            continue
        backup_head = repository.get(restore.backup_head_id)
        if backup_head is not None and backup_head.hash == restore.backup_head_hash:
            return restore
    return None
