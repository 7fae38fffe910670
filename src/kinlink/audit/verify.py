"""Verify the audit chain, and keep its head outside the database.

Each event's hash covers its content and the previous event's hash. Walking the chain
in order therefore finds:

* an **edited** event — its stored hash no longer matches its content;
* a **deleted**, **inserted** or **reordered** event — the next event's ``prev_hash``
  does not name the event before it.

Someone able to rewrite the whole chain from the start (recomputing every hash) passes
those checks, so :func:`write_checkpoint` saves the current head (id, hash, count) to a
file kept outside the database, and :func:`verify_chain` with that checkpoint also
demands that the head recorded then is still in the chain, unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from kinlink.audit.log import GENESIS_HASH, content_hash
from kinlink.errors import KinlinkError
from kinlink.storage import Session
from kinlink.storage.audit_events import AuditRepository
from kinlink.storage.tables import AuditEventRow

__all__ = ["ChainReport", "Checkpoint", "read_checkpoint", "verify_chain", "write_checkpoint"]


@dataclass(frozen=True)
class Checkpoint:
    """The chain's head at one moment: the last event's id and hash, and the count."""

    head_id: int
    head_hash: str
    events: int
    written_at: str


@dataclass(frozen=True)
class ChainReport:
    """What verification found: events checked and problems, each naming an event."""

    events: int
    problems: tuple[str, ...]

    @property
    def intact(self) -> bool:
        """True when no problem was found."""
        return not self.problems


def _content_hash(row: AuditEventRow) -> str:
    return content_hash(row.prev_hash, row.occurred_at, row.actor, row.action,
                        row.entity_type, row.entity_id, row.details)


def verify_chain(session: Session, checkpoint: Checkpoint | None = None) -> ChainReport:
    """Walk the whole chain; report every break, naming the event where it shows."""
    problems: list[str] = []
    previous_hash, previous_id, count = GENESIS_HASH, None, 0
    seen: dict[int, str] = {}
    for row in AuditRepository(session).in_order():
        count += 1
        if _content_hash(row) != row.hash:
            problems.append(f"event {row.id} ({row.action}): its content was changed after "
                            f"it was written")
        if row.prev_hash != previous_hash:
            after = f"event {previous_id}" if previous_id is not None else "the start"
            problems.append(f"event {row.id} ({row.action}): does not follow {after} — an "
                            f"event was deleted, inserted or moved here")
        if checkpoint is not None and row.id == checkpoint.head_id:
            seen[row.id] = row.hash
        previous_hash, previous_id = row.hash, row.id
    if checkpoint is not None:
        problems += _against_checkpoint(checkpoint, seen, count)
    return ChainReport(count, tuple(problems))


def _against_checkpoint(checkpoint: Checkpoint, seen: dict[int, str], count: int) -> list[str]:
    if checkpoint.head_id not in seen:
        return [f"event {checkpoint.head_id}, the head at the checkpoint of "
                f"{checkpoint.written_at}, is missing: the chain was cut or rewritten"]
    if seen[checkpoint.head_id] != checkpoint.head_hash:
        return [f"event {checkpoint.head_id} differs from the checkpoint of "
                f"{checkpoint.written_at}: the chain was rewritten"]
    if count < checkpoint.events:
        return [f"the chain holds {count} events, fewer than the {checkpoint.events} at the "
                f"checkpoint of {checkpoint.written_at}"]
    return []


def write_checkpoint(session: Session, path: Path) -> Checkpoint:
    """Save the chain's current head to ``path`` (JSON); keep that file elsewhere."""
    repository = AuditRepository(session)
    head = repository.head()
    if head is None:
        raise KinlinkError("the audit log is empty: there is nothing to checkpoint yet")
    count = repository.count()
    checkpoint = Checkpoint(head.id, head.hash, count,
                            dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    path.write_text(json.dumps(checkpoint.__dict__, indent=2) + "\n", encoding="utf-8")
    return checkpoint


def read_checkpoint(path: Path) -> Checkpoint:
    """Read a checkpoint file written by :func:`write_checkpoint`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Checkpoint(int(data["head_id"]), str(data["head_hash"]), int(data["events"]),
                          str(data["written_at"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise KinlinkError(f"{path.name} is not a readable audit checkpoint") from exc
