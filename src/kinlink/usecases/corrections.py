"""Correct a record, and read its earlier versions.

One user action each, whichever door: the page ``/records/{pk}/edit``, ``POST
/api/v1/records/{pk}/corrections``, ``kinlink records correct``; the page
``/records/{pk}/versions/{n}``, ``GET /api/v1/records/{pk}/versions/{n}``, ``kinlink
records versions``.

A correction is read by the importer's parser like a registered form (the same rules and
messages, per field). In one transaction it keeps the fields as they were as the
record's current version in ``record_versions``, writes the new ones as the next
version — only if nobody corrected the record since the version the person read (else
:class:`~kinlink.errors.ConflictError`, nothing written) — rebuilds its search keys and
writes ``record.corrected`` with the names of the fields changed, never their values.
The raw row as imported is never changed. Then the record's pairs are scored again with
its new fields (:func:`kinlink.matching.match_store` with ``records``: through the
store's blocking keys, in process, once a run has written them); its former pairs no
longer candidates are dropped unless a person decided on them, and people's decisions
stay, each saying which versions it was made on.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.permissions import Action, require
from kinlink.domain.registration import RecordVersion
from kinlink.errors import ConflictError, FieldsRefusedError, NotFoundError
from kinlink.i18n import N_, Wording
from kinlink.listfiles.forms import (
    EXTRA_COLUMNS,
    FORM_FIELDS,
    LONGER_THAN,
    form_values,
    parse_form,
)
from kinlink.matching import MatchResult, match_store
from kinlink.storage import Store
from kinlink.storage.accounts import begin_write
from kinlink.storage.registration import RegistrationRepository
from kinlink.storage.search_keys import name_keys
from kinlink.usecases.scope import record_in_reach, within_reach

_SAY_WHY = Wording("corrections.say_why", N_("say why the record is corrected"))
_NOT_A_FIELD = Wording("corrections.not_a_field", N_("not a field of a record"))
_NOTHING_CHANGED = Wording("corrections.nothing_changed", N_("nothing was changed"))
_RECORD_NO_VERSION = Wording("usecases.corrections.record_no_version", N_(
    "record {record_pk} has no version {number}"))

__all__ = ["Corrected", "correct_record", "current_fields", "read_version"]

_MAX_REASON = 2000


class Corrected:
    """What a correction did: the new version, the fields changed, the re-linking."""

    def __init__(self, record_pk: int, version: int, changed: list[str],
                 linked: MatchResult | None) -> None:
        self.record_pk = record_pk
        self.version = version
        self.changed = changed
        self.linked = linked

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready summary (ids, field names and counts only)."""
        return {"record_pk": self.record_pk, "version": self.version,
                "changed": self.changed,
                "pairs": self.linked.pairs if self.linked else 0}


def current_fields(store: Store, actor: Actor, record_pk: int) -> RecordVersion:
    """The record's fields now, as the correction form shows them, with their version."""
    require(actor, Action.RECORDS_CORRECT)
    with within_reach(store, actor) as (session, reach):
        record_in_reach(session, reach, record_pk)
        found = RegistrationRepository(session).current(record_pk)
    assert found is not None
    return RecordVersion(found[1], form_values(found[0]))


def correct_record(store: Store, actor: Actor, record_pk: int, changes: Mapping[str, str],
                   reason: str, expected_version: int, *, today: dt.date | None = None,
                   link: bool = True) -> Corrected:
    """Correct the fields in ``changes`` (the form's field names; the others stay) of the
    version ``expected_version`` the person read, for ``reason``; then score the
    record's pairs again."""
    require(actor, Action.RECORDS_CORRECT)
    reason = reason.strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _SAY_WHY()
    elif len(reason) > _MAX_REASON:
        errors["reason"] = LONGER_THAN(limit=_MAX_REASON)
    unknown = sorted(set(changes) - set(FORM_FIELDS))
    errors.update(dict.fromkeys(unknown, _NOT_A_FIELD()))
    if errors:
        raise FieldsRefusedError(errors)
    with within_reach(store, actor) as (session, reach):
        begin_write(session)
        record_in_reach(session, reach, record_pk)
        repo = RegistrationRepository(session)
        found = repo.current(record_pk)
        assert found is not None
        old = form_values(found[0])
        if found[1] != expected_version:
            raise ConflictError(_stale(record_pk, expected_version, found[1]))
        wanted = {**old, **{k: (v or "").strip() for k, v in changes.items()}}
        changed = sorted(k for k in FORM_FIELDS if wanted[k] != old[k])
        if not changed:
            raise FieldsRefusedError({"fields": _NOTHING_CHANGED()})
        new = parse_form(wanted, today=today)
        kept = {k: v for k, v in found[0].extra.items() if k not in EXTRA_COLUMNS.values()}
        new = dataclasses.replace(new, record_id=found[0].record_id,
                                  source_text=found[0].source_text, extra=kept | new.extra)
        keys = name_keys(new.given_name, new.surname, new.patronymic, new.full_name)
        version = repo.correct(record_pk, expected_version, old, new, keys, actor.name,
                               reason)
        if version is None:
            raise ConflictError(_stale(record_pk, expected_version, None))
        append_event(session, AuditEvent(actor.name, AuditAction.RECORD_CORRECTED, "record",
                                         str(record_pk), {"version": version,
                                                          "fields": changed}))
    linked = match_store(store, actor=actor.name, records={record_pk}) if link else None
    return Corrected(record_pk, version, changed, linked)


def _stale(record_pk: int, read: int, now: int | None) -> str:
    newer = f" (it is at version {now} now)" if now is not None else ""
    return (f"record {record_pk} was corrected by someone else since you read version "
            f"{read}{newer}; nothing was saved — open it again and redo your correction")


def read_version(store: Store, actor: Actor, record_pk: int, number: int) -> RecordVersion:
    """Version ``number`` of the record (an earlier one, or the current), audited
    ``record.version_read``."""
    require(actor, Action.RECORDS_READ)
    with within_reach(store, actor) as (session, reach):
        begin_write(session)
        record_in_reach(session, reach, record_pk)
        repo = RegistrationRepository(session)
        current = repo.current(record_pk)
        assert current is not None
        found: RecordVersion | None
        if number == current[1]:
            found = RecordVersion(number, form_values(current[0]))
        else:
            found = repo.version(record_pk, number)
        if found is not None:
            append_event(session, AuditEvent(actor.name, AuditAction.RECORD_VERSION_READ,
                                             "record", str(record_pk), {"version": number}))
    if found is None:
        raise NotFoundError(_RECORD_NO_VERSION(record_pk=str(record_pk), number=str(number)))
    return found
