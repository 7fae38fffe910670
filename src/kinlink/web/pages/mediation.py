"""Mediation: channels, lists of children sent through them, and the answers that come
back. JSON twins under ``/api/v1/channels``, ``/api/v1/lists`` and ``/api/v1/answers``.

Exporting is two steps so that the passphrase is shown once and the page needs no
script: the form makes the encrypted ZIP and answers with a page showing the passphrase
and a link that downloads the ZIP once (kept in memory for a few minutes, see
:mod:`kinlink.api.mediation_support`). Sending carries the list's version: a list
someone changed meanwhile is not sent, and the page says so (409).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from pydantic import Field

from kinlink.accounts import SessionView
from kinlink.api import mediation_support as support
from kinlink.api.children import actor_of
from kinlink.api.context import Services
from kinlink.api.deps import allow, csrf_form
from kinlink.api.errors import status_for
from kinlink.api.schemas import PRINTABLE
from kinlink.domain.cases import CaseStatus
from kinlink.domain.limits import MIB
from kinlink.domain.mediation import (
    DEFAULT_FORMATS,
    NAME_FIELDS,
    AnswerAction,
    ChannelKind,
    ExportFormat,
    ListField,
)
from kinlink.domain.permissions import Action, allowed
from kinlink.errors import ConflictError, FileRefusedError, InputRefusedError
from kinlink.usecases import answers, channels, lists
from kinlink.web import charts, i18n
from kinlink.web.forms import Svc, see_other
from kinlink.web.pages.common import pages
from kinlink.web.templating import request_language

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
FormId = Annotated[int, Field(ge=1, le=2**31 - 1)]
"""An id in a form: text to be read as a number (forms have no JSON integers)."""
Token = Annotated[str, Path(min_length=20, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
Viewer = Annotated[SessionView, Depends(allow(Action.MEDIATION_VIEW))]
Builder = Annotated[SessionView, Depends(allow(Action.MEDIATION_LISTS))]
Answerer = Annotated[SessionView, Depends(allow(Action.MEDIATION_ANSWERS))]
Exports = Annotated[support.PendingExports, Depends(support.pending_exports)]
Note = Annotated[str, Form(max_length=2000, pattern=PRINTABLE)]
YEAR = r"^(|(19|20)\d\d)$"
STATUSES = [s for s in CaseStatus if s.is_open]
VERIFIED = (CaseStatus.IDENTITY_VERIFIED,)
WAITING_SHOWN = 100


# -- channels ------------------------------------------------------------------------------


def _channels_page(request: Request, svc: Services, view: SessionView,
                   extra: dict[str, Any] | None = None, status_code: int = 200
                   ) -> HTMLResponse:
    tracks = channels.track_channels(svc.store, actor_of(view))
    context: dict[str, Any] = {
        "rows": [t.summary for t in tracks], "kinds": list(ChannelKind),
        "fields": list(ListField), "error": None,
        "form": {"name": "", "kind": ChannelKind.STATE_MEDIATOR, "fields": list(NAME_FIELDS[:1]),
                 "description": ""},
        "json_twin": "/api/v1/channels"}
    context.update(extra or {})
    return pages(request).render(request, "channels.html", context, status_code=status_code)


@router.get("/channels", response_class=HTMLResponse)
def channels_page(request: Request, svc: Svc, view: Viewer) -> HTMLResponse:
    """Every channel with what it may receive and how far its lists came back; the form
    to define one (supervisors)."""
    return _channels_page(request, svc, view)


@router.post("/channels", dependencies=[Depends(csrf_form)])
def define_channel(
    request: Request, svc: Svc,
    view: Annotated[SessionView, Depends(allow(Action.MEDIATION_CHANNELS))],
    name: Annotated[str, Form(max_length=200, pattern=PRINTABLE)],
    kind: Annotated[ChannelKind, Form()],
    fields: Annotated[list[ListField] | None, Form()] = None,
    description: Note = "",
) -> Response:
    """Define a channel; a refusal shows the form again as it was sent, with the reason."""
    try:
        made = channels.create_channel(svc.store, actor_of(view), name, kind, fields or [],
                                       description.strip() or None)
    except (InputRefusedError, ConflictError) as exc:
        return _channels_page(request, svc, view, {
            "error": exc.text, "form": {"name": name, "kind": kind, "fields": fields or [],
                                        "description": description}},
            status_for(exc)[0])
    return see_other(f"/channels/{made.id}?created=true")


@router.get("/channels/{channel_id}", response_class=HTMLResponse)
def channel_page(request: Request, channel_id: Id, svc: Svc, view: Viewer,
                 created: Annotated[bool, Query()] = False) -> HTMLResponse:
    """One channel: its lists and the children who have waited longest for an answer,
    with a chart of the longest wait on each sent list."""
    found = channels.track_channel(svc.store, actor_of(view), channel_id)
    gettext = i18n.translations(request_language(request)).gettext
    items = found.longest_waits()
    chart = charts.bars(items, gettext("Days the longest-waiting child of each sent list "
                                       "has waited")) if items else None
    return pages(request).render(request, "channel.html", {
        "track": found, "summary": found.summary, "chart": chart,
        "list_ids": {x.number: x.id for x in found.lists},
        "waiting": found.waiting[:WAITING_SHOWN], "created": created,
        "json_twin": f"/api/v1/channels/{channel_id}"})


# -- lists ---------------------------------------------------------------------------------


@router.get("/lists/new", response_class=HTMLResponse)
def new_list_page(request: Request, svc: Svc, view: Builder,
                  channel: Annotated[int, Query(ge=1, le=2**31 - 1)]) -> HTMLResponse:
    """The form that starts a draft list for a channel."""
    found = channels.track_channel(svc.store, actor_of(view), channel)
    return pages(request).render(request, "list_new.html", {
        "channel": found.channel, "json_twin": f"/api/v1/channels/{channel}"})


@router.post("/lists/new", dependencies=[Depends(csrf_form)])
def new_list_form(svc: Svc, view: Builder,
                  channel: Annotated[int, Form(ge=1, le=2**31 - 1)],
                  note: Note = "") -> Response:
    """Start a draft list; then add children to it on its page."""
    made = lists.new_list(svc.store, actor_of(view), channel, note.strip() or None)
    return see_other(f"/lists/{made.list.id}")


@dataclass(frozen=True)
class Filters:
    """The candidates' filters as the query string gives them."""

    status: tuple[CaseStatus, ...] = VERIFIED
    born_from: str = ""
    born_to: str = ""
    place: str = ""

    def items(self) -> list[tuple[str, str]]:
        """The filters, to carry in links."""
        return [*(("status", s.value) for s in self.status),
                *((k, v) for k, v in (("born_from", self.born_from),
                                      ("born_to", self.born_to), ("place", self.place)) if v)]

    def json_twin(self) -> str:
        """The candidates' JSON twin."""
        return "/api/v1/candidates?" + urlencode(self.items())


def query_filters(
    status: Annotated[list[CaseStatus] | None, Query()] = None,
    born_from: Annotated[str, Query(pattern=YEAR)] = "",
    born_to: Annotated[str, Query(pattern=YEAR)] = "",
    place: Annotated[str, Query(max_length=100, pattern=PRINTABLE)] = "",
) -> Filters:
    """The filters from the query string (verified cases when none is chosen)."""
    chosen = tuple(dict.fromkeys(status or ())) or VERIFIED
    return Filters(chosen, born_from, born_to, place.strip())


def _list_page(request: Request, svc: Services, view: SessionView, list_id: int,
               filters: Filters | None = None, extra: dict[str, Any] | None = None,
               status_code: int = 200, sent_version: int | None = None) -> HTMLResponse:
    actor = actor_of(view)
    shown = lists.read_list(svc.store, actor, list_id)
    filters = filters or Filters()
    found = None
    if shown.list.is_draft and allowed(view.role, Action.MEDIATION_LISTS):
        found = lists.list_candidates(
            svc.store, actor, filters.status,
            born_from=int(filters.born_from) if filters.born_from else None,
            born_to=int(filters.born_to) if filters.born_to else None,
            place=filters.place or None, limit=500)
    stale = shown.list.version if sent_version not in (None, shown.list.version) else None
    context: dict[str, Any] = {
        "lv": shown, "candidates": found, "filters": filters, "statuses": STATUSES,
        "formats": list(ExportFormat), "default_formats": DEFAULT_FORMATS,
        "error": None, "stale": stale, "added": 0, "removed": None, "sent": None,
        "json_twin": f"/api/v1/lists/{list_id}"}
    context.update(extra or {})
    return pages(request).render(request, "list.html", context, status_code=status_code)


@router.get("/lists/{list_id}", response_class=HTMLResponse)
def list_page(request: Request, list_id: Id, svc: Svc, view: Viewer,
              filters: Annotated[Filters, Depends(query_filters)],
              added: Annotated[int, Query(ge=0, le=500)] = 0,
              removed: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None
              ) -> HTMLResponse:
    """A list as the channel receives it; on a draft, the children to add, and the
    forms to export and send it."""
    return _list_page(request, svc, view, list_id, filters,
                      {"added": added, "removed": removed})


@router.post("/lists/{list_id}/add", dependencies=[Depends(csrf_form)])
def add_form(request: Request, list_id: Id, svc: Svc, view: Builder,
             case: Annotated[list[FormId] | None, Form()] = None) -> Response:
    """Put the chosen cases on the draft list."""
    if not case:
        refusal = InputRefusedError(i18n.translations(request_language(request)).gettext(
            "Choose at least one child to add."))
        return _list_page(request, svc, view, list_id, extra={"error": str(refusal)},
                          status_code=status_for(refusal)[0])
    try:
        added = lists.add_to_list(svc.store, actor_of(view), list_id, case)
    except ConflictError as exc:
        return _list_page(request, svc, view, list_id, extra={"error": exc.text},
                          status_code=status_for(exc)[0])
    return see_other(f"/lists/{list_id}?added={len(added)}")


@router.post("/lists/{list_id}/remove", dependencies=[Depends(csrf_form)])
def remove_form(request: Request, list_id: Id, svc: Svc, view: Builder,
                case: Annotated[int, Form(ge=1, le=2**31 - 1)]) -> Response:
    """Take a case off the draft list."""
    try:
        lists.remove_from_list(svc.store, actor_of(view), list_id, case)
    except ConflictError as exc:
        return _list_page(request, svc, view, list_id, extra={"error": exc.text},
                          status_code=status_for(exc)[0])
    return see_other(f"/lists/{list_id}?removed={case}")


@router.post("/lists/{list_id}/export", dependencies=[Depends(csrf_form)])
def export_form(request: Request, list_id: Id, svc: Svc, view: Builder, kept: Exports,
                formats: Annotated[list[ExportFormat] | None, Form()] = None
                ) -> Response:
    """Make the encrypted ZIP; the answer shows its passphrase, this once, and a link
    that downloads it once."""
    try:
        result = lists.export_list(svc.store, actor_of(view), list_id, formats or [])
    except (InputRefusedError, ConflictError) as exc:
        return _list_page(request, svc, view, list_id, extra={"error": exc.text},
                          status_code=status_for(exc)[0])
    pending = kept.keep(view.username, list_id, result)
    minutes = int(support.EXPORT_TTL.total_seconds() // 60)
    return pages(request).render(request, "export.html", {
        "result": result, "pending": pending, "list_id": list_id, "minutes": minutes,
        "download": f"/lists/{list_id}/exports/{pending.token}"})


@router.get("/lists/{list_id}/exports/{token}", response_class=Response)
def download_export(list_id: Id, token: Token, svc: Svc, view: Builder, kept: Exports
                    ) -> Response:
    """The encrypted ZIP of an export just made: once, to the person who made it."""
    return support.zip_download(svc, view, kept, list_id, token)


@router.post("/lists/{list_id}/send", dependencies=[Depends(csrf_form)])
def send_form(request: Request, list_id: Id, svc: Svc, view: Builder,
              version: Annotated[int, Form(ge=1, le=2**31 - 1)]) -> Response:
    """Mark the list sent (its content is frozen, verified cases move on); a stale
    version or a list never exported is refused with the reason (409)."""
    try:
        sent = lists.send_list(svc.store, actor_of(view), list_id, version)
    except ConflictError as exc:
        return _list_page(request, svc, view, list_id, extra={"error": exc.text},
                          status_code=status_for(exc)[0], sent_version=version)
    return _list_page(request, svc, view, list_id, extra={"sent": sent})


# -- answers -------------------------------------------------------------------------------


def _answers_page(request: Request, svc: Services, view: SessionView, list_id: int,
                  extra: dict[str, Any] | None = None, status_code: int = 200
                  ) -> HTMLResponse:
    context: dict[str, Any] = {
        "rec": answers.read_reconciliation(svc.store, actor_of(view), list_id),
        "actions": AnswerAction, "summary": None, "outcomes": None, "error": None, "resolved": None,
        "max_mb": svc.settings.limits.upload_mb, "json_twin": f"/api/v1/lists/{list_id}/answers"}
    context.update(extra or {})
    return pages(request).render(request, "answers.html", context, status_code=status_code)


@router.get("/lists/{list_id}/answers", response_class=HTMLResponse)
def answers_page(request: Request, list_id: Id, svc: Svc, view: Viewer,
                 resolved: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None
                 ) -> HTMLResponse:
    """The upload form and the reconciliation: matched, contradictions, answers about
    children not on the list, rows that could not be read, children no answer mentions."""
    return _answers_page(request, svc, view, list_id, {"resolved": resolved})


@router.post("/lists/{list_id}/answers", dependencies=[Depends(csrf_form)])
async def upload_form(request: Request, list_id: Id, svc: Svc, view: Answerer,
                      file: Annotated[UploadFile, File()],
                      force: Annotated[bool, Form()] = False) -> Response:
    """Import an answer file and show the reconciliation with what it brought."""
    data = await file.read(svc.settings.limits.upload_mb * MIB + 1)
    try:
        summary = await run_in_threadpool(
            support.import_upload, svc, view, list_id, file.filename or "answer.csv", data,
            force)
    except (ConflictError, FileRefusedError, InputRefusedError) as exc:
        return await run_in_threadpool(_answers_page, request, svc, view, list_id,
                                       {"error": exc.text}, status_for(exc)[0])
    return await run_in_threadpool(_answers_page, request, svc, view, list_id,
                                   {"summary": summary})


@router.post("/lists/{list_id}/answers/apply", dependencies=[Depends(csrf_form)])
def apply_form(request: Request, list_id: Id, svc: Svc, view: Answerer) -> Response:
    """Apply every ready answer through the workflow and show what each did."""
    outcomes = answers.apply_answers(svc.store, actor_of(view), list_id)
    return _answers_page(request, svc, view, list_id, {"outcomes": outcomes})


@router.post("/lists/{list_id}/answers/{answer_id}", dependencies=[Depends(csrf_form)])
def resolve_form(
    request: Request, list_id: Id, answer_id: Id, svc: Svc, view: Answerer,
    action: Annotated[AnswerAction, Form()],
    reference: Annotated[str, Form(pattern=r"^(|[A-Za-z0-9 -]{1,20})$")] = "",
    note: Note = "",
) -> Response:
    """Confirm an answer, assign it to a reference on the list, or dismiss it with a
    note; a refusal shows the page again with the reason."""
    try:
        answers.resolve_answer(svc.store, actor_of(view), answer_id, action, reference or None,
                               note.strip() or None)
    except (InputRefusedError, ConflictError) as exc:
        return _answers_page(request, svc, view, list_id, {"error": exc.text},
                             status_for(exc)[0])
    return see_other(f"/lists/{list_id}/answers?resolved={answer_id}#answer-{answer_id}")


# -- photographs ---------------------------------------------------------------------------


@router.post("/cases/{case_id}/photo", dependencies=[Depends(csrf_form)])
async def photo_form(case_id: Id, svc: Svc,
                     view: Annotated[SessionView, Depends(allow(Action.MEDIATION_PHOTOS))],
                     file: Annotated[UploadFile, File()]) -> Response:
    """Attach the child's photograph to the case, for dossiers."""
    data = await file.read(5_000_001)
    await run_in_threadpool(lists.attach_photo, svc.store, actor_of(view), case_id, data)
    return see_other(f"/cases/{case_id}?photo=true")
