"""``POST /api/v1/records``, ``.../consent/withdrawal``, ``.../corrections`` and
``.../versions/{n}``: register a report or a found child, withdraw a reporter's consent,
correct a record and read its versions.

Each route calls one use case (:mod:`kinlink.usecases.registration`,
:mod:`kinlink.usecases.corrections`) as the signed-in person. Fields that cannot be read
answer 422 with ``error.fields`` naming each field and what is wrong with it (the
importer's messages); a correction of a version someone else corrected since answers
409; another agency's record answers 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Path, status
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from kinlink.accounts import SessionView
from kinlink.api.context import Services, services
from kinlink.api.deps import allow, csrf_header
from kinlink.api.schemas import PRINTABLE
from kinlink.domain.permissions import Action
from kinlink.domain.records import Role
from kinlink.domain.registration import (
    ConsentInput,
    ConsentView,
    IntakeChannel,
    Registration,
)
from kinlink.usecases.corrections import correct_record, read_version
from kinlink.usecases.registration import register_record, withdraw_consent

__all__ = ["router"]

router = APIRouter(tags=["records"])
Svc = Annotated[Services, Depends(services)]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
FieldText = Annotated[str, StringConstraints(max_length=2000, pattern=PRINTABLE)]
Fields = Annotated[dict[Annotated[str, StringConstraints(max_length=40)], FieldText],
                   Field(max_length=40)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ConsentIn(_In):
    """What the person reporting agreed to; ``channels``: ids of the agency's mediation
    channels the report may be shared with (none: not shared)."""

    tracing: bool = True
    channels: Annotated[list[Annotated[int, Field(ge=1, le=2**31 - 1)]],
                        Field(max_length=50)] = []
    contact: bool = True


class RegistrationIn(_In):
    """A report (``sought``) or a found child typed in by hand (``found``). ``fields`` by
    the record list format's names (``surname``, ``given_name``, ``patronymic``,
    ``full_name``, ``other_names``, ``sex``, ``birth_date`` — ``YYYY``, ``MM.YYYY``,
    ``DD.MM.YYYY``, ISO —, ``birth_place``, ``last_known_place``, ``institution``,
    ``moved_on``, ``event_date`` (when the child was taken or seen), ``notes`` (how),
    ``documents``, ``marks``; for a report ``reporter_name``, ``reporter_relationship``,
    ``reporter_contact``)."""

    role: Role
    fields: Fields
    channel: IntakeChannel = IntakeChannel.HOTLINE
    language: Annotated[str, StringConstraints(max_length=8)] | None = None
    consent: ConsentIn = ConsentIn()


class RegisteredOut(BaseModel):
    """The new record and what linking found."""

    source_id: int
    record_pk: int
    pairs: int
    cases_opened: int
    matched: bool


class WithdrawalIn(_In):
    """Why the consent is withdrawn (kept with the consent, never in the audit log)."""

    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000,
                                             pattern=PRINTABLE)]


class ConsentOut(BaseModel):
    """The consent kept with a report and its withdrawal."""

    tracing: bool
    sharing: bool
    channels: list[int]
    contact: bool
    recorded_by: str
    recorded_at: dt.datetime
    withdrawn_at: dt.datetime | None
    withdrawn_by: str | None
    withdrawn_reason: str | None


class CorrectionIn(_In):
    """The fields to change (the others stay), why, and the version they were read in."""

    fields: Fields
    reason: Annotated[str, StringConstraints(max_length=2000, pattern=PRINTABLE)]
    expected_version: Annotated[int, Field(ge=1, le=2**31 - 1)]


class CorrectedOut(BaseModel):
    """The record's new version, the fields changed and the pairs scored again."""

    record_pk: int
    version: int
    changed: list[str]
    pairs: int


class VersionOut(BaseModel):
    """One version of a record's fields; ``replaced_*``: the correction that replaced it
    (``null`` for the current version)."""

    record_pk: int
    version: int
    fields: dict[str, str]
    replaced_by: str | None = None
    replaced_at: dt.datetime | None = None
    reason: str | None = None


def _consent(found: ConsentView) -> ConsentOut:
    return ConsentOut(tracing=found.tracing, sharing=found.sharing,
                      channels=list(found.channels), contact=found.contact,
                      recorded_by=found.recorded_by, recorded_at=found.recorded_at,
                      withdrawn_at=found.withdrawn_at, withdrawn_by=found.withdrawn_by,
                      withdrawn_reason=found.withdrawn_reason)


@router.post("/records", response_model=RegisteredOut, status_code=status.HTTP_201_CREATED,
             dependencies=[Depends(csrf_header)])
def register(body: RegistrationIn, svc: Svc,
             view: Annotated[SessionView, Depends(allow(Action.RECORDS_REGISTER))]
             ) -> RegisteredOut:
    """Register a report or a found child, link it at once and open the case of a
    reported child (audited ``record.registered``)."""
    done = register_record(svc.store, view.principal.acting, Registration(
        body.role, dict(body.fields), body.channel, body.language,
        ConsentInput(body.consent.tracing, tuple(body.consent.channels),
                     body.consent.contact)))
    return RegisteredOut(source_id=done.source_id, record_pk=done.record_pk,
                         pairs=done.pairs, cases_opened=done.cases_opened,
                         matched=done.matched)


@router.post("/records/{record_id}/consent/withdrawal", response_model=ConsentOut,
             dependencies=[Depends(csrf_header)])
def withdraw(record_id: Id, body: WithdrawalIn, svc: Svc,
             view: Annotated[SessionView, Depends(allow(Action.RECORDS_CONSENT))]
             ) -> ConsentOut:
    """Withdraw the consent of a report: it leaves matching, review and mediation lists
    (audited ``consent.withdrawn``)."""
    return _consent(withdraw_consent(svc.store, view.principal.acting, record_id,
                                     body.reason))


@router.post("/records/{record_id}/corrections", response_model=CorrectedOut,
             dependencies=[Depends(csrf_header)])
def correct(record_id: Id, body: CorrectionIn, svc: Svc,
            view: Annotated[SessionView, Depends(allow(Action.RECORDS_CORRECT))]
            ) -> CorrectedOut:
    """Correct a record: a new version, the earlier kept; 409 if the record was corrected
    since ``expected_version`` (audited ``record.corrected``, field names only)."""
    done = correct_record(svc.store, view.principal.acting, record_id, dict(body.fields),
                          body.reason, body.expected_version)
    return CorrectedOut(record_pk=done.record_pk, version=done.version,
                        changed=done.changed, pairs=done.linked.pairs if done.linked else 0)


@router.get("/records/{record_id}/versions/{number}", response_model=VersionOut)
def version(record_id: Id, number: Annotated[int, Path(ge=1, le=2**31 - 1)], svc: Svc,
            view: Annotated[SessionView, Depends(allow(Action.RECORDS_READ))]) -> VersionOut:
    """One version of a record (audited ``record.version_read``)."""
    found = read_version(svc.store, view.principal.acting, record_id, number)
    replaced = found.replaced
    return VersionOut(record_pk=record_id, version=found.version, fields=found.fields,
                      replaced_by=replaced.changed_by if replaced else None,
                      replaced_at=replaced.changed_at if replaced else None,
                      reason=replaced.reason if replaced else None)
