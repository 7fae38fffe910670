"""Records: read one (its page, its JSON twin, ``kinlink records show``), or find some
(``kinlink records list``).

A record outside the lists the actor's agency sees answers like a missing one, and the
refusal is audited. Who reported the child and how to reach them are shown only to the
roles that may see contacts. Every read is audited in its own transaction.
"""

from __future__ import annotations

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.permissions import Action, allowed, require
from kinlink.domain.records import RecordView
from kinlink.errors import NOT_THERE, NotFoundError
from kinlink.search.records import RecordDetail, detail_of
from kinlink.storage import Store
from kinlink.storage.accounts import begin_write
from kinlink.storage.browse import RecordFilter
from kinlink.storage.browse import find_records as stored_records
from kinlink.usecases.scope import visible_sources

__all__ = ["RecordFilter", "find_records", "read_record"]


def read_record(store: Store, actor: Actor, pk: int, *,
                with_contact: bool | None = None) -> RecordDetail:
    """The record ``pk`` with its raw row and source, if the actor's agency sees it
    (:class:`NotFoundError` otherwise); audited either way. ``with_contact``: show who
    reported the child (default: when the role may; asking for it without the right is
    refused)."""
    require(actor, Action.RECORDS_READ)
    contact = allowed(actor.role, Action.RECORDS_CONTACT) if with_contact is None \
        else with_contact
    if contact:
        require(actor, Action.RECORDS_CONTACT)
    with store.transaction() as session:
        begin_write(session)
        sources = visible_sources(session, actor)
        try:
            detail: RecordDetail | None = detail_of(session, pk, with_contact=contact)
        except LookupError:
            detail = None
        if detail is None or (sources is not None and detail.source.id not in sources):
            append_event(session, AuditEvent(actor.name, AuditAction.RECORD_READ_REFUSED,
                                             "record", str(pk), {"reason": "not_visible"}))
            detail = None
        else:
            append_event(session, AuditEvent(actor.name, AuditAction.RECORD_READ, "record",
                                             str(pk), {"with_contact": contact}))
    if detail is None:
        raise NotFoundError(NOT_THERE["record"](id=str(pk)))
    return detail


def find_records(store: Store, actor: Actor, where: RecordFilter,
                 limit: int = 50) -> list[RecordView]:
    """Records of the lists the actor sees matching ``where``, in import order (audited:
    the filters used and how many were shown, never the name looked for)."""
    require(actor, Action.RECORDS_SEARCH)
    with store.transaction() as session:
        found = stored_records(session, where, limit, visible_sources(session, actor))
        append_event(session, AuditEvent(actor.name, AuditAction.RECORDS_LIST, "record", None, {
            "source_id": where.source_id, "role": where.role, "sex": where.sex,
            "birth_year": where.birth_year, "name_filter": where.name is not None,
            "shown": len(found)}))
    return found
