"""Register a report or a found child, withdraw a reporter's consent, correct a record and
view an earlier version: the pages over :mod:`kinlink.usecases.registration` and
:mod:`kinlink.usecases.corrections`.

JSON twins: ``POST /api/v1/records``, ``POST /api/v1/records/{id}/consent/withdrawal``,
``POST /api/v1/records/{id}/corrections``, ``GET /api/v1/records/{id}/versions/{n}``.
A form with fields that cannot be read is shown again (422) with each message next to
its field and everything typed kept; a correction of a version someone else corrected
since is shown again with the reason (409).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, Response

from kinlink.accounts import SessionView
from kinlink.api.deps import allow, csrf_form
from kinlink.api.errors import status_for
from kinlink.domain.permissions import Action
from kinlink.domain.records import Role
from kinlink.domain.registration import LANGUAGES, ConsentInput, IntakeChannel, Registration
from kinlink.errors import ConflictError, FieldsRefusedError
from kinlink.listfiles.forms import FORM_FIELDS, REPORTER_FIELDS
from kinlink.usecases.corrections import correct_record, current_fields, read_version
from kinlink.usecases.registration import consent_channels, register_record, withdraw_consent
from kinlink.web.forms import Svc, see_other
from kinlink.web.i18n import N_
from kinlink.web.labels import INTAKE_CHANNELS
from kinlink.web.pages.common import pages

__all__ = ["FIELD_LABELS", "router"]

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
_MAX = 2000

FIELD_LABELS: dict[str, str] = {
    "surname": N_("Surname"), "given_name": N_("Given name"),
    "patronymic": N_("Patronymic"), "full_name": N_("Full name (when not split)"),
    "other_names": N_("Other or earlier names"), "sex": N_("Sex"),
    "birth_date": N_("Birth date (year, month.year or day.month.year)"),
    "birth_place": N_("Birth place"), "last_known_place": N_("Last known place"),
    "institution": N_("Institution"), "moved_on": N_("Moved from the institution on"),
    "event_date": N_("When the child was taken or seen"),
    "notes": N_("How the child was taken or seen"), "group": N_("Group"),
    "siblings_count": N_("Brothers and sisters"),
    "documents": N_("Documents the family holds"), "marks": N_("Distinguishing marks"),
    "reporter_name": N_("Name of the person reporting"),
    "reporter_relationship": N_("Relationship to the child"),
    "reporter_contact": N_("How to reach them"),
}
"""The form's fields in the page's words (translated in the templates)."""
CHANNELS = INTAKE_CHANNELS
LANGUAGE_NAMES = {"uk": N_("Ukrainian"), "ru": N_("Russian"), "en": N_("English"),
                  "crh": N_("Crimean Tatar"), "other": N_("another language")}
_LONG = ("notes", "documents", "marks")


async def _form(request: Request) -> dict[str, str]:
    """Every text field the form sent (bounded; the rest is the use case's to check)."""
    data = await request.form()
    return {k: v[:_MAX * 2] for k, v in data.items() if isinstance(v, str)}


def _register_page(request: Request, svc: Svc, view: SessionView, sent: dict[str, str],
                   errors: dict[str, str], status_code: int = 200) -> HTMLResponse:
    return pages(request).render(request, "register.html", {
        "sent": sent, "errors": errors, "labels": FIELD_LABELS,
        "child_fields": FORM_FIELDS, "reporter_fields": REPORTER_FIELDS, "long": _LONG,
        "intake_channels": CHANNELS, "language_names": LANGUAGE_NAMES,
        "channels": consent_channels(svc.store, view.principal.acting),
        "shared": {s for s in sent.get("share", "").split(",") if s},
        "json_twin": None}, status_code=status_code)


@router.get("/records/new", response_class=HTMLResponse)
def register_page(request: Request, svc: Svc,
                  view: Annotated[SessionView, Depends(allow(Action.RECORDS_REGISTER))]
                  ) -> HTMLResponse:
    """The form: a report (a sought child) or a found child, the person reporting, their
    consent and how the report came in."""
    return _register_page(request, svc, view, {"role": "sought", "channel": "hotline",
                                               "tracing": "on", "contact": "on"}, {})


@router.post("/records/new", dependencies=[Depends(csrf_form)])
async def register_form(request: Request, svc: Svc,
                        view: Annotated[SessionView, Depends(allow(Action.RECORDS_REGISTER))]
                        ) -> Response:
    """Register, link, open the case; then the child's page with its candidates."""
    sent = await _form(request)
    data = await request.form()
    shares = [str(v) for v in data.getlist("share")]
    sent["share"] = ",".join(shares)
    role = Role.FOUND if sent.get("role") == "found" else Role.SOUGHT
    fields = list(FORM_FIELDS) + (list(REPORTER_FIELDS) if role is Role.SOUGHT else [])
    errors: dict[str, str] = {}
    channel = sent.get("channel", "hotline")
    language = sent.get("language", "")
    if channel not in CHANNELS:
        errors["channel"] = "choose how the report came in"
    if language and language not in LANGUAGES:
        errors["language"] = "not a language kinlink knows"
    if not all(s.isdigit() and len(s) < 10 for s in shares):
        errors["channels"] = "not a mediation channel of your agency"
    if errors:
        return _register_page(request, svc, view, sent, errors, 422)
    try:
        done = register_record(svc.store, view.principal.acting, Registration(
            role, {f: sent.get(f, "").strip() for f in fields if sent.get(f, "").strip()},
            IntakeChannel(channel), language or None,
            ConsentInput(sent.get("tracing") == "on", tuple(int(s) for s in shares),
                         sent.get("contact") == "on")))
    except FieldsRefusedError as exc:
        return _register_page(request, svc, view, sent, exc.fields, status_for(exc)[0])
    return see_other(f"/children/{done.record_pk}")


@router.post("/records/{record_id}/consent/withdraw", dependencies=[Depends(csrf_form)])
async def withdraw_form(request: Request, record_id: Id, svc: Svc,
                        view: Annotated[SessionView, Depends(allow(Action.RECORDS_CONSENT))]
                        ) -> Response:
    """Withdraw the consent of a report; back to the record page, which shows it."""
    sent = await _form(request)
    try:
        withdraw_consent(svc.store, view.principal.acting, record_id, sent.get("reason", ""))
    except (FieldsRefusedError, ConflictError) as exc:
        return pages(request).render(request, "error.html", {
            "status": status_for(exc)[0], "message": exc.text}, status_for(exc)[0])
    return see_other(f"/records/{record_id}#consent")


def _edit_page(request: Request, svc: Svc, view: SessionView, record_id: int,
               extra: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    now = current_fields(svc.store, view.principal.acting, record_id)
    context: dict[str, Any] = {
        "record_id": record_id, "version": now.version, "current": now.fields,
        "sent": now.fields | {"reason": "", "version": str(now.version)}, "errors": {},
        "stale": None, "labels": FIELD_LABELS, "child_fields": FORM_FIELDS,
        "long": _LONG, "json_twin": None}
    context.update(extra)
    return pages(request).render(request, "record_edit.html", context,
                                 status_code=status_code)


@router.get("/records/{record_id}/edit", response_class=HTMLResponse)
def edit_page(request: Request, record_id: Id, svc: Svc,
              view: Annotated[SessionView, Depends(allow(Action.RECORDS_CORRECT))]
              ) -> HTMLResponse:
    """The record's current fields to correct, a required reason, the version read."""
    return _edit_page(request, svc, view, record_id, {})


@router.post("/records/{record_id}/edit", dependencies=[Depends(csrf_form)])
async def edit_form(request: Request, record_id: Id, svc: Svc,
                    view: Annotated[SessionView, Depends(allow(Action.RECORDS_CORRECT))]
                    ) -> Response:
    """Save the correction as a new version; back to the record page with its history."""
    sent = await _form(request)
    read = sent.get("version", "")
    if not read.isdigit() or len(read) > 9:
        return _edit_page(request, svc, view, record_id, {
            "sent": sent, "errors": {"version": "the form is stale; open it again"}}, 422)
    changes = {f: sent.get(f, "") for f in FORM_FIELDS if f in sent}
    try:
        correct_record(svc.store, view.principal.acting, record_id, changes,
                       sent.get("reason", ""), int(read))
    except FieldsRefusedError as exc:
        return _edit_page(request, svc, view, record_id, {"sent": sent, "errors": exc.fields},
                          status_for(exc)[0])
    except ConflictError as exc:
        return _edit_page(request, svc, view, record_id, {"sent": sent, "stale": exc.text},
                          status_for(exc)[0])
    return see_other(f"/records/{record_id}#versions")


@router.get("/records/{record_id}/versions/{number}", response_class=HTMLResponse)
def version_page(request: Request, record_id: Id,
                 number: Annotated[int, Path(ge=1, le=2**31 - 1)], svc: Svc,
                 view: Annotated[SessionView, Depends(allow(Action.RECORDS_READ))]
                 ) -> HTMLResponse:
    """One version of a record's fields, and the correction that replaced it."""
    found = read_version(svc.store, view.principal.acting, record_id, number)
    return pages(request).render(request, "record_version.html", {
        "record_id": record_id, "found": found, "labels": FIELD_LABELS,
        "child_fields": FORM_FIELDS,
        "json_twin": f"/api/v1/records/{record_id}/versions/{number}"})
