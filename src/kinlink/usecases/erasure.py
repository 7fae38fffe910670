"""Erase personal data on request, and compact the store afterwards.

One user action each, whichever door: ``kinlink erase record|reporter|source|document ID
--reason …`` and the erase form of the retention page; ``kinlink db compact``. Retention
(:mod:`kinlink.usecases.retention`) erases through :func:`erase_in` as well.

An erasure replaces the personal fields and raw cells of what it reaches with a
tombstone (:mod:`kinlink.storage.erasure` says what goes); pairs, decisions and cases keep
their shape, and their pages say "erased on …". Things erased along with it (the records
of a list, the documents of a record or case) get their own tombstones. It is refused —
and the refusal audited (``erasure.refused``) — while a legal hold covers the thing; the
refusal names the hold, its reference and who placed it. The files of erased documents
(original, working copy, extracted text) are removed from disk once the erasure is
committed. The audit event (``data.erased``) holds the kind, id, basis, rule and counts,
never a value or the reason (the reason is kept with the tombstone).

Erased values remain in the database's free pages and logs until the store is compacted
(:func:`compact_store`), which ``kinlink erase`` does unless told not to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.backups.ledger import LedgerEntry
from kinlink.domain.access import Actor
from kinlink.domain.permissions import Action, require
from kinlink.domain.retention import ErasureBasis, ErasureKind, Hold, Tombstone
from kinlink.errors import ConflictError, FieldsRefusedError, HeldError, OutOfReachError
from kinlink.i18n import N_, Wording
from kinlink.listfiles.forms import LONGER_THAN
from kinlink.storage import Session, Store
from kinlink.storage.accounts import begin_write
from kinlink.storage.compaction import WAIT_SECONDS, Compaction, checkpoint, compact
from kinlink.storage.erasure import ErasureRepository, Scrubbed
from kinlink.storage.holds import HoldRepository
from kinlink.usecases.document_access import Evidence, document_in_reach
from kinlink.usecases.scope import Reach, case_in_reach, record_in_reach, within_reach

__all__ = ["ERASED_ALREADY", "HELD", "Erased", "ErasedIn", "ErasurePreview", "compact_store",
           "erase", "erase_in", "erased_already", "erasure_of", "holds_on", "in_ledger",
           "preview_erasure", "remove_blobs", "tombstones"]

SAY_WHY = Wording("erasure.say_why", N_("say why it is erased (the request or the rule)"))
HELD = Wording("erasure.held", N_(
    "{kind} {id} is under legal hold {hold} ({reference}), placed by {placed_by} on "
    "{placed_on}: nothing was erased; the hold must be lifted first"),
    terms={"kind": ErasureKind})
ERASED_ALREADY = Wording("erasure.erased_already", N_(
    "{kind} {id} was erased already, on {erased_on}"), terms={"kind": ErasureKind})

_MAX_REASON = 2000


@dataclass(frozen=True)
class Erased:
    """What an erasure did: its tombstone, the tombstones of what went with it, how
    many files left the disk, and (when the store was compacted after it) how many
    transactions older than the compaction were still open (see :class:`Compaction`)."""

    tombstone: Tombstone
    along: tuple[Tombstone, ...]
    files_removed: int
    older_transactions: int = 0

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready summary (kinds, ids and counts only)."""
        return {"kind": self.tombstone.kind.value, "id": self.tombstone.target_id,
                "fields": len(self.tombstone.fields), "along": len(self.along),
                "files_removed": self.files_removed,
                "older_transactions": self.older_transactions,
                "erased_at": self.tombstone.erased_at.isoformat()}


@dataclass(frozen=True)
class ErasedIn:
    """An erasure inside a transaction: its tombstone, those of what went along, the blobs
    to remove from disk once committed, the tables written (to compact), and the store's
    lineage (for the erasure ledger)."""

    tombstone: Tombstone
    along: tuple[Tombstone, ...]
    blobs: set[str]
    tables: set[str]
    lineage: str = ""


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise FieldsRefusedError({"reason": SAY_WHY()})
    if len(reason) > _MAX_REASON:
        raise FieldsRefusedError({"reason": LONGER_THAN(limit=_MAX_REASON)})
    return reason


def _in_reach(session: Session, reach: Reach, actor: Actor, kind: ErasureKind,
              target_id: int) -> None:
    """The thing exists, the actor's agency sees it and owns it (a list shared with the
    agency is erased by the agency that imported it)."""
    if kind in (ErasureKind.RECORD, ErasureKind.REPORTER):
        record_in_reach(session, reach, target_id)
    elif kind in (ErasureKind.CASE_NOTES, ErasureKind.CASE_PHOTO):
        case_in_reach(session, reach, target_id)
    elif kind is ErasureKind.DOCUMENT:
        document_in_reach(session, reach, actor, target_id)
    owner = ErasureRepository(session).agency_of(kind, target_id)
    if owner is None or not reach.owns(owner) or (
            kind is ErasureKind.SOURCE and not reach.sees(target_id)):
        entity = {ErasureKind.CASE_NOTES: "case", ErasureKind.CASE_PHOTO: "case",
                  ErasureKind.REPORTER: "record"}.get(kind, kind.value)
        raise OutOfReachError(entity, target_id)


def holds_on(session: Session, kind: ErasureKind, target_id: int) -> list[Hold]:
    """The holds in force that keep ``kind`` ``target_id`` from erasure."""
    repo = HoldRepository(session)
    return repo.active_on(repo.covering(kind, target_id))


def erased_already(session: Session, kind: ErasureKind, target_id: int) -> Tombstone | None:
    """The tombstone that says the thing is gone already (its own, or its record's)."""
    repo = ErasureRepository(session)
    own = repo.tombstones(kind, target_id)
    if own:
        return own[0]
    if kind is ErasureKind.REPORTER:
        found = repo.tombstones(ErasureKind.RECORD, target_id)
        return found[0] if found else None
    return None


def erase_in(session: Session, actor: Actor, kind: ErasureKind, target_id: int, reason: str,
             *, basis: ErasureBasis, rule_id: int | None = None,
             now: dt.datetime | None = None) -> ErasedIn:
    """Erase in the caller's transaction, the holds checked by the caller."""
    repo = ErasureRepository(session)
    at = now or dt.datetime.now(dt.UTC)
    scrubbed: Scrubbed = repo.erase(kind, target_id)
    main = repo.tombstone(kind, target_id, scrubbed, basis=basis, reason=reason,
                          by=actor.name, at=at, rule_id=rule_id)
    along: list[Tombstone] = []
    nested = [(ErasureKind.RECORD, r) for r in scrubbed.records]
    nested += [(ErasureKind.DOCUMENT, d) for d in scrubbed.documents]
    for nested_kind, nested_id in nested:
        if (nested_kind, nested_id) != (kind, target_id) and not repo.tombstones(
                nested_kind, nested_id):
            along.append(repo.tombstone(nested_kind, nested_id, Scrubbed(
                fields=[f"{nested_kind.value}.*"]), basis=basis, reason=reason,
                by=actor.name, at=at, rule_id=rule_id))
    append_event(session, AuditEvent(actor.name, AuditAction.DATA_ERASED, kind.value,
                                     str(target_id), {
                                         "basis": basis.value, "rule": rule_id,
                                         "fields": len(main.fields), "along": len(along),
                                         "files": len(scrubbed.blobs),
                                         "tombstone": main.id}))
    return ErasedIn(main, tuple(along), scrubbed.blobs, scrubbed.tables, repo.lineage())


def in_ledger(evidence: Evidence, done: ErasedIn) -> None:
    """Write a committed erasure, and what went with it, to the data folder's erasure
    ledger (:mod:`kinlink.backups.ledger`), so that a restore of an older backup erases
    it again."""
    if evidence.ledger is None:
        return
    evidence.ledger.append([
        LedgerEntry(t.kind.value, t.target_id, t.erased_at.isoformat(), t.basis.value,
                    t.rule_id, t.id, done.lineage)
        for t in (done.tombstone, *done.along)])


def _refuse_held(store: Store, actor: Actor, kind: ErasureKind, target_id: int,
                 hold: Hold) -> HeldError:
    """Audit the refusal in its own transaction and return the error to raise."""
    with store.transaction() as session:
        append_event(session, AuditEvent(actor.name, AuditAction.ERASURE_REFUSED, kind.value,
                                         str(target_id), {"hold": hold.id}))
    return HeldError(HELD(kind=kind.value, id=target_id, hold=hold.id,
                          reference=hold.reference, placed_by=hold.placed_by,
                          placed_on=hold.placed_at.date().isoformat()))


def erase(evidence: Evidence, actor: Actor, kind: ErasureKind, target_id: int, reason: str,
          *, basis: ErasureBasis = ErasureBasis.REQUEST, compact_after: bool = False,
          now: dt.datetime | None = None) -> Erased:
    """Erase ``kind`` ``target_id`` for ``reason`` (see the module's text)."""
    require(actor, Action.DATA_ERASE)
    reason = _reason(reason)
    held: Hold | None = None
    with within_reach(evidence.store, actor) as (session, reach):
        begin_write(session)
        _in_reach(session, reach, actor, kind, target_id)
        gone = erased_already(session, kind, target_id)
        if gone is not None:
            raise ConflictError(ERASED_ALREADY(kind=kind.value, id=target_id,
                                               erased_on=gone.erased_at.date().isoformat()))
        holds = holds_on(session, kind, target_id)
        if holds:
            held = holds[0]
        else:
            done = erase_in(session, actor, kind, target_id, reason, basis=basis, now=now)
    if held is not None:
        raise _refuse_held(evidence.store, actor, kind, target_id, held)
    in_ledger(evidence, done)
    removed = remove_blobs(evidence, done.blobs)
    older = compact_store(evidence.store, actor, done.tables).older_transactions \
        if compact_after else 0
    return Erased(done.tombstone, done.along, removed, older)


def remove_blobs(evidence: Evidence, blobs: set[str]) -> int:
    """Remove erased documents' files from disk; how many were there."""
    return sum(evidence.content.remove(sha) for sha in sorted(blobs))


def compact_store(store: Store, actor: Actor, tables: set[str] | None = None, *,
                  wait_seconds: float = WAIT_SECONDS) -> Compaction:
    """Compact the store so erased values leave its files (``store.compacted``): SQLite
    is rewritten whole and its log emptied; on PostgreSQL ``tables`` (all when ``None``)
    are rewritten once the transactions older than the compaction have ended (or a
    minute, ``wait_seconds``, has passed: how many were still open is in the event and
    the answer, since they may have kept erased values in the files until the next
    compaction)."""
    require(actor, Action.DATA_ERASE)
    done = compact(store.engine, tables or (), wait_seconds=wait_seconds)
    with store.transaction() as session:
        append_event(session, AuditEvent(actor.name, AuditAction.STORE_COMPACTED, "store",
                                         None, {"backend": store.engine.dialect.name,
                                                "tables": len(done.tables),
                                                "older_transactions": done.older_transactions}))
    checkpoint(store.engine)  # the event's own pages leave SQLite's log too
    return done


def tombstones(store: Store, actor: Actor, kind: ErasureKind | None = None,
               target_id: int | None = None) -> list[Tombstone]:
    """The tombstones (of one kind, of one thing), newest first."""
    require(actor, Action.RETENTION_VIEW)
    with store.transaction() as session:
        return ErasureRepository(session).tombstones(kind, target_id)


@dataclass(frozen=True)
class ErasurePreview:
    """What erasing a thing would do, shown before it is confirmed: the groups of fields
    that hold a value and would go (``table`` names), how many records and documents go
    along, how many files leave the disk, the holds that forbid it, or the tombstone if
    it is gone already. No value is read out."""

    kind: ErasureKind
    target_id: int
    tables: tuple[str, ...]
    records: int
    documents: int
    files: int
    holds: tuple[Hold, ...]
    erased: Tombstone | None


class _UndoError(Exception):
    """Rolls back the trial erasure a preview makes."""


def preview_erasure(store: Store, actor: Actor, kind: ErasureKind,
                    target_id: int) -> ErasurePreview:
    """What :func:`erase` would do (see :class:`ErasurePreview`): the erasure is tried in
    a transaction that is then rolled back, so the preview is exactly what would go."""
    require(actor, Action.DATA_ERASE)
    found: list[ErasurePreview] = []
    try:
        with within_reach(store, actor) as (session, reach):
            begin_write(session)
            _in_reach(session, reach, actor, kind, target_id)
            gone = erased_already(session, kind, target_id)
            holds = tuple(holds_on(session, kind, target_id))
            if gone is not None:
                found.append(ErasurePreview(kind, target_id, (), 0, 0, 0, holds, gone))
                raise _UndoError
            done = ErasureRepository(session).erase(kind, target_id)
            tables = sorted({f.split(".")[0] for f in done.fields})
            found.append(ErasurePreview(kind, target_id, tuple(tables), len(done.records),
                                        len(done.documents), len(done.blobs), holds, None))
            raise _UndoError
    except _UndoError:
        pass
    return found[0]


def erasure_of(store: Store, kind: ErasureKind, target_id: int) -> Tombstone | None:
    """The tombstone a page shows in place of an erased thing's values ("erased on …"),
    for a thing the caller has already read through its own use case (audited there)."""
    with store.transaction() as session:
        return erased_already(session, kind, target_id)
