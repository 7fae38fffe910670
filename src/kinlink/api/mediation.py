"""``/api/v1/channels``, ``/api/v1/lists`` and ``/api/v1/answers``: lists of children for
mediation channels, their encrypted exports, and the answers that come back.

Each route calls one use case (:mod:`kinlink.usecases.channels`,
:mod:`~kinlink.usecases.lists`, :mod:`~kinlink.usecases.answers`) as the signed-in person;
the use case checks the same action of the matrix again, works in one transaction and
audits. Where the use case's read model is what the wire carries, the route answers with
it (its dataclass is the ``response_model``); :mod:`kinlink.api.mediation_schemas` has the
bodies that differ.
An export answers with its passphrase, once, and a ``download`` address that gives the
encrypted ZIP once, to the same person, for a few minutes
(:mod:`kinlink.api.mediation_support`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Path, Query, UploadFile
from fastapi import status as http
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from kinlink.accounts import SessionView
from kinlink.api import mediation_schemas as ms
from kinlink.api import mediation_support as support
from kinlink.api.children import actor_of
from kinlink.api.context import Services, services
from kinlink.api.deps import allow, csrf_header
from kinlink.api.schemas import PRINTABLE
from kinlink.domain.cases import CaseStatus
from kinlink.domain.limits import MIB
from kinlink.domain.permissions import Action
from kinlink.mediation import (
    Added,
    AnswerSummary,
    AppliedAnswer,
    AttachedPhoto,
    Candidate,
    ChannelSummary,
    ChannelTrack,
)
from kinlink.usecases import answers, channels, lists

__all__ = ["router"]

router = APIRouter(tags=["mediation"])
Svc = Annotated[Services, Depends(services)]
Exports = Annotated[support.PendingExports, Depends(support.pending_exports)]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Token = Annotated[str, Path(min_length=20, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
Viewer = Annotated[SessionView, Depends(allow(Action.MEDIATION_VIEW))]
Builder = Annotated[SessionView, Depends(allow(Action.MEDIATION_LISTS))]
Answerer = Annotated[SessionView, Depends(allow(Action.MEDIATION_ANSWERS))]
ZIP: dict[int | str, dict[str, Any]] = {200: {"content": {"application/zip": {}},
             "description": "The encrypted ZIP (AES-256), once"}}


@router.get("/channels", response_model=list[ChannelSummary])
def list_channels(svc: Svc, view: Viewer) -> list[ChannelSummary]:
    """Every channel: what it may receive, its lists, children sent and answered, how
    many wait for an answer and the longest wait in days."""
    found = channels.track_channels(svc.store, actor_of(view))
    return [t.summary for t in found]


@router.post("/channels", response_model=ChannelSummary, status_code=http.HTTP_201_CREATED,
             dependencies=[Depends(csrf_header)])
def define_channel(body: ms.ChannelIn, svc: Svc,
                   view: Annotated[SessionView, Depends(allow(Action.MEDIATION_CHANNELS))]
                   ) -> ChannelSummary:
    """Define a channel and the only fields its lists may carry (supervisors). 409 when
    a channel has that name already."""
    made = channels.create_channel(svc.store, actor_of(view), body.name, body.kind,
                                   body.fields, body.description or None)
    return ChannelTrack(made, (), ()).summary  # no list yet


@router.get("/channels/{channel_id}", response_model=ms.ChannelTrackOut)
def channel(channel_id: Id, svc: Svc, view: Viewer) -> ms.ChannelTrackOut:
    """One channel: each list (sent when, by whom, answered how far) and the children who
    have waited longest for an answer, first."""
    return support.channel_track(channels.track_channel(svc.store, actor_of(view), channel_id))


@router.get("/candidates", response_model=list[Candidate])
def list_candidates(
    svc: Svc, view: Builder,
    status: Annotated[list[CaseStatus] | None, Query()] = None,
    born_from: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    born_to: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    place: Annotated[str | None, Query(max_length=100, pattern=PRINTABLE)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
) -> list[Candidate]:
    """Cases that may go on a list: ``identity_verified`` ones unless ``status`` says
    otherwise, by birth year and by a place (of birth or last known) containing
    ``place`` (audited)."""
    return lists.list_candidates(svc.store, actor_of(view),
                                 tuple(status or (CaseStatus.IDENTITY_VERIFIED,)),
                                 born_from=born_from, born_to=born_to,
                                 place=(place or "").strip() or None, limit=limit)


@router.post("/lists", response_model=ms.ListOut, status_code=http.HTTP_201_CREATED,
             dependencies=[Depends(csrf_header)])
def create_list(body: ms.ListIn, svc: Svc, view: Builder) -> ms.ListOut:
    """A new draft list for a channel."""
    made = lists.new_list(svc.store, actor_of(view), body.channel,
                          (body.note or "").strip() or None)
    return support.list_out(made)


@router.get("/lists/{list_id}", response_model=ms.ListOut)
def read_list(list_id: Id, svc: Svc, view: Viewer) -> ms.ListOut:
    """A list as its channel receives it: each child's reference and only the channel's
    fields (audited)."""
    return support.list_out(lists.read_list(svc.store, actor_of(view), list_id))


@router.post("/lists/{list_id}/children", response_model=list[Added],
             dependencies=[Depends(csrf_header)])
def add_children(list_id: Id, body: ms.ChildrenIn, svc: Svc, view: Builder
                 ) -> list[Added]:
    """Put cases on a draft list; each gets a new reference. 409 for a sent list, a
    closed case or one already on the list (nothing is added then)."""
    return lists.add_to_list(svc.store, actor_of(view), list_id, body.cases)


@router.delete("/lists/{list_id}/children/{case_id}", status_code=http.HTTP_204_NO_CONTENT,
               response_class=Response, dependencies=[Depends(csrf_header)])
def remove_child(list_id: Id, case_id: Id, svc: Svc, view: Builder) -> Response:
    """Take a case off a draft list."""
    lists.remove_from_list(svc.store, actor_of(view), list_id, case_id)
    return Response(status_code=http.HTTP_204_NO_CONTENT)


@router.post("/lists/{list_id}/exports", response_model=ms.ExportOut,
             status_code=http.HTTP_201_CREATED, dependencies=[Depends(csrf_header)])
def export(list_id: Id, body: ms.ExportIn, svc: Svc, view: Builder, kept: Exports
           ) -> ms.ExportOut:
    """Write the list (and, with ``dossiers``, one dossier per child) into an encrypted
    ZIP. The passphrase is in this answer only; ``download`` gives the ZIP once."""
    result = lists.export_list(svc.store, actor_of(view), list_id, body.formats)
    pending = kept.keep(view.username, list_id, result)
    return support.export_out(result, pending,
                              f"/api/v1/lists/{list_id}/exports/{pending.token}")


@router.get("/lists/{list_id}/exports/{token}", response_class=Response, responses=ZIP)
def download_export(list_id: Id, token: Token, svc: Svc, view: Builder, kept: Exports
                    ) -> Response:
    """The encrypted ZIP of an export just made, once, to the person who made it; 404
    afterwards (export again: a new file and a new passphrase)."""
    return support.zip_download(svc, view, kept, list_id, token)


@router.post("/lists/{list_id}/send", response_model=ms.SendOut,
             dependencies=[Depends(csrf_header)])
def send(list_id: Id, body: ms.SendIn, svc: Svc, view: Builder) -> ms.SendOut:
    """Mark an exported list sent: its content is frozen and each verified case on it
    moves to ``return_requested``. 409 when ``version`` is not the list's (someone
    changed it) or the list was never exported."""
    return ms.SendOut.model_validate(lists.send_list(svc.store, actor_of(view), list_id,
                                               body.version))


@router.post("/lists/{list_id}/answers", response_model=AnswerSummary,
             status_code=http.HTTP_201_CREATED, dependencies=[Depends(csrf_header)])
async def upload_answers(
    list_id: Id, svc: Svc, view: Answerer,
    file: Annotated[UploadFile, File(description="The other side's answer: CSV or XLSX")],
    force: Annotated[bool, Form()] = False,
) -> AnswerSummary:
    """Import the other side's answer to a sent list and reconcile it (by reference,
    else by names); nothing is applied to cases yet. 409 when the same file was
    imported before (unless ``force``)."""
    data = await file.read(svc.settings.limits.upload_mb * MIB + 1)
    return await run_in_threadpool(support.import_upload, svc, view, list_id,
                                   file.filename or "answer.csv", data, force)


@router.get("/lists/{list_id}/answers", response_model=ms.ReconciliationOut)
def read_answers(list_id: Id, svc: Svc, view: Viewer) -> ms.ReconciliationOut:
    """The reconciliation: matched answers, contradictions, answers about children not
    on the list, rows that could not be read (rejected), and children no answer mentions
    (audited)."""
    found = answers.read_reconciliation(svc.store, actor_of(view), list_id)
    return ms.ReconciliationOut.model_validate(found)


@router.post("/lists/{list_id}/answers/apply", response_model=list[AppliedAnswer],
             dependencies=[Depends(csrf_header)])
def apply(list_id: Id, svc: Svc, view: Answerer) -> list[AppliedAnswer]:
    """Apply every ready answer to its case through the workflow; what needs a person
    (unsure matches, contradictions, closing a case) is left pending, said why."""
    return answers.apply_answers(svc.store, actor_of(view), list_id)


@router.post("/answers/{answer_id}/resolve", response_model=ms.AnswerLineOut,
             dependencies=[Depends(csrf_header)])
def resolve(answer_id: Id, body: ms.ResolveIn, svc: Svc, view: Answerer) -> ms.AnswerLineOut:
    """Settle an answer reconciliation could not: confirm it, assign it to a reference
    on the list, or dismiss it with a note. 409 once it was applied."""
    line = answers.resolve_answer(svc.store, actor_of(view), answer_id, body.action,
                          body.reference or None, (body.note or "").strip() or None)
    return ms.AnswerLineOut.model_validate(line)


@router.post("/cases/{case_id}/photo", response_model=AttachedPhoto,
             dependencies=[Depends(csrf_header)])
async def photo(case_id: Id, svc: Svc,
                view: Annotated[SessionView, Depends(allow(Action.MEDIATION_PHOTOS))],
                file: Annotated[UploadFile, File(description="A PNG or JPEG, at most 5 MB")]
                ) -> AttachedPhoto:
    """Attach the child's photograph to a case, for dossiers of channels that may
    receive one (it replaces an earlier one)."""
    data = await file.read(5_000_001)
    return await run_in_threadpool(lists.attach_photo, svc.store, actor_of(view), case_id,
                                   data)
