"""Register a report or a found child by hand, and withdraw a reporter's consent.

One user action each, whichever door it comes through (the page ``/records/new``,
``POST /api/v1/records``, ``kinlink records add``; the record page's withdrawal,
``POST /api/v1/records/{pk}/consent/withdrawal``, ``kinlink records withdraw-consent``).

A form is read as one row of the record list format by the importer's own parser
(:mod:`kinlink.listfiles.forms`): the same rules, the same messages, each next to its
field. It is kept in **one transaction** as a source of kind ``form`` owned by the
actor's agency — the intake (channel, who took it, now), the record, the reporter with
their language and, for a report, the consent — audited ``record.registered`` (ids and
codes only). Then it is linked at once by the linking use case (the new source is
found through the store's blocking keys and scored in process; nothing else is scored
again) and the case of its child opened. A report whose reporter refused tracing is
kept but never matched; a withdrawn consent leaves the report out of matching, review
and mediation lists (:func:`kinlink.storage.visibility.record_may_be_traced`) and drops
its blocking keys.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.mediation import Channel
from kinlink.domain.permissions import Action, require
from kinlink.domain.records import Role
from kinlink.domain.registration import (
    LANGUAGES,
    ConsentView,
    DecisionOnVersion,
    Intake,
    IntakeView,
    Registered,
    Registration,
    VersionSummary,
    form_title,
)
from kinlink.errors import ConflictError, FieldsRefusedError
from kinlink.i18n import N_, Wording
from kinlink.listfiles.forms import (
    EXTRA_COLUMNS,
    FORM_FIELDS,
    LONGER_THAN,
    REPORTER_FIELDS,
    parse_form,
)
from kinlink.storage import Store
from kinlink.storage.accounts import begin_write
from kinlink.storage.linkage import LinkageRepository
from kinlink.storage.mediation import MediationRepository
from kinlink.storage.registration import FormDraft, RegistrationRepository
from kinlink.storage.review import ReviewQueries
from kinlink.storage.search_keys import name_keys, write_keys
from kinlink.usecases.linking import link_store
from kinlink.usecases.scope import owning_agency, record_in_reach, within_reach

__all__ = ["RecordPapers", "consent_channels", "record_papers", "register_record",
           "withdraw_consent"]

NOT_OUR_CHANNEL = Wording("registration.not_our_channel",
                          N_("not a mediation channel of your agency"))
SAY_WHY = Wording("consent.say_why", N_("say why the consent is withdrawn"))
WITHDRAWN_ALREADY = Wording("consent.withdrawn_already",
                            N_("the consent of record {record} was withdrawn already"))
UNKNOWN_LANGUAGE = Wording("registration.unknown_language",
                           N_("not a language kinlink knows ({languages})"))
REPORTER_NEEDED = Wording("registration.reporter_needed",
                          N_("a report needs the name of the person reporting"))

_MAX_REASON = 2000


def consent_channels(store: Store, actor: Actor) -> list[Channel]:
    """The mediation channels of the actor's agency a reporter may agree to share with."""
    require(actor, Action.RECORDS_REGISTER)
    with store.transaction() as session:
        return MediationRepository(session).channels(owning_agency(actor))


def register_record(store: Store, actor: Actor, form: Registration, *,
                    today: dt.date | None = None, link: bool = True) -> Registered:
    """Keep a report (``Role.SOUGHT``) or a found child typed in by hand, then link it
    and open the case of a reported child. Bad fields raise
    :class:`FieldsRefusedError` (nothing kept)."""
    require(actor, Action.RECORDS_REGISTER)
    sought = form.role is Role.SOUGHT
    errors = _check_extras(form, sought)
    try:
        record = parse_form(form.fields, today=today, with_reporter=sought)
    except FieldsRefusedError as refused:
        raise FieldsRefusedError(errors | refused.fields) from None
    if errors:
        raise FieldsRefusedError(errors)
    agency = owning_agency(actor)
    with store.transaction() as session:
        begin_write(session)
        known = {c.id for c in MediationRepository(session).channels(agency)}
        unknown = [c for c in form.consent.channels if c not in known]
        if unknown:
            raise FieldsRefusedError({"channels": NOT_OUR_CHANNEL()})
        header, cells = _row(form, sought)
        intake = Intake(form.channel, actor.name, dt.datetime.now(dt.UTC))
        consent = (form.consent.tracing, tuple(sorted(set(form.consent.channels))),
                   form.consent.contact) if sought else None
        source_id, pk = RegistrationRepository(session).add_form(FormDraft(
            header, cells, record, form.role, intake, agency,
            title=form_title(form.role, form.channel),
            language=form.language if sought else None, consent=consent))
        write_keys(session, {pk: name_keys(record.given_name, record.surname,
                                           record.patronymic, record.full_name)})
        append_event(session, AuditEvent(actor.name, AuditAction.RECORD_REGISTERED, "record",
                                         str(pk), {
            "source_id": source_id, "role": form.role.value, "channel": form.channel.value,
            "tracing": consent[0] if consent else None,
            "channels": list(consent[1]) if consent else [],
            "fields": sorted(k for k, v in form.fields.items() if v)}))
    if not link:
        return Registered(source_id, pk, 0, 0, False)
    outcome = link_store(store, actor, record=pk)
    return Registered(source_id, pk, outcome.linked.pairs, outcome.cases_opened,
                      not sought or form.consent.tracing)


def _check_extras(form: Registration, sought: bool) -> dict[str, str]:
    """The reporter's language must be one of :data:`LANGUAGES`; a report needs the name
    of the person reporting."""
    errors: dict[str, str] = {}
    if form.language and form.language not in LANGUAGES:
        errors["language"] = UNKNOWN_LANGUAGE(languages=", ".join(LANGUAGES))
    if sought and not (form.fields.get("reporter_name") or "").strip():
        errors["reporter_name"] = REPORTER_NEEDED()
    return errors


def _row(form: Registration, sought: bool) -> tuple[list[str], list[str]]:
    """The form as a header and a row of cells, as typed (the record's raw row)."""
    names = [n for n in FORM_FIELDS if n not in EXTRA_COLUMNS]
    names += list(REPORTER_FIELDS) if sought else []
    names += list(EXTRA_COLUMNS)
    header = [EXTRA_COLUMNS.get(n, n) for n in names]
    return header, [form.fields.get(n, "") or "" for n in names]


def withdraw_consent(store: Store, actor: Actor, record_pk: int, reason: str) -> ConsentView:
    """Withdraw the consent kept with a report: from now on it is left out of matching,
    the review queue and mediation lists (audited ``consent.withdrawn``; the reason is
    kept with the consent, never in the audit log)."""
    require(actor, Action.RECORDS_CONSENT)
    reason = reason.strip()
    if not reason:
        raise FieldsRefusedError({"reason": SAY_WHY()})
    if len(reason) > _MAX_REASON:
        raise FieldsRefusedError({"reason": LONGER_THAN(limit=_MAX_REASON)})
    with within_reach(store, actor) as (session, reach):
        begin_write(session)
        record_in_reach(session, reach, record_pk)
        repo = RegistrationRepository(session)
        if not repo.withdraw(record_pk, actor.name, reason, dt.datetime.now(dt.UTC)):
            raise ConflictError(WITHDRAWN_ALREADY(record=record_pk))
        LinkageRepository(session).drop_keys([record_pk])  # no longer anyone's candidate
        append_event(session, AuditEvent(actor.name, AuditAction.CONSENT_WITHDRAWN, "record",
                                         str(record_pk), {}))
        found = repo.consent(record_pk)
    assert found is not None
    return found


@dataclass(frozen=True)
class RecordPapers:
    """What the record page shows beside the record: how it came in, the consent kept
    with it, its version now, the earlier versions, and the decisions on its pairs with
    the versions they were made on (only pairs whose other record the agency sees)."""

    version: int
    intake: IntakeView | None
    consent: ConsentView | None
    versions: list[VersionSummary]
    decisions: list[DecisionOnVersion]


def record_papers(store: Store, actor: Actor, record_pk: int) -> RecordPapers:
    """The intake, consent and versions of a record the actor has just read (the read is
    audited by :func:`kinlink.usecases.records.read_record`)."""
    require(actor, Action.RECORDS_READ)
    with within_reach(store, actor) as (session, reach):
        source_id = record_in_reach(session, reach, record_pk).source_id
        repo = RegistrationRepository(session)
        current = repo.current(record_pk)
        decisions = repo.decisions_on(record_pk)
        others = ReviewQueries(session).records({d.other_pk for d in decisions})
        seen = [d for d in decisions
                if d.other_pk in others and reach.sees(others[d.other_pk].source_id)]
        return RecordPapers(current[1] if current else 1, repo.intake(source_id),
                            repo.consent(record_pk), repo.versions(record_pk), seen)
