"""``/api/v1/review/mentions``: where evidence documents may name a child.

The waiting mentions the signed-in person reaches, most likely first, each with the words
around it, the record and the evidence (coded messages: ``code`` and ``params``, and the
English words); a mention is confirmed (the document is attached to the record's case, or
to the record when it has none) or rejected. Each route calls one use case of
:mod:`kinlink.usecases.mentions`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel

from kinlink.accounts import SessionView
from kinlink.api.children import actor_of
from kinlink.api.context import Services, services
from kinlink.api.deps import allow, csrf_header
from kinlink.domain.documents import AttachmentKind
from kinlink.domain.mentions import MentionItem, MentionStatus
from kinlink.domain.permissions import Action
from kinlink.i18n import Message
from kinlink.usecases import mentions
from kinlink.usecases.mentions import MentionView

__all__ = ["MentionOut", "SaidOut", "router"]

router = APIRouter(tags=["review"])
Svc = Annotated[Services, Depends(services)]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Viewer = Annotated[SessionView, Depends(allow(Action.REVIEW_VIEW))]
Decider = Annotated[SessionView, Depends(allow(Action.REVIEW_DECIDE))]


class SaidOut(BaseModel):
    """A coded message: its stable code, its parameters, its English words."""

    code: str
    params: dict[str, Any]
    message: str

    @classmethod
    def of(cls, said: Message | str) -> SaidOut:
        if isinstance(said, Message):
            return cls(code=said.code, params=said.api_params(), message=str(said))
        return cls(code=said, params={}, message=said)


class MentionOut(BaseModel):
    """A mention: the document, the page and span of its text, the record, the score,
    where it stands, who decided when, and the evidence."""

    id: int
    document_id: int
    page: int
    start: int
    end: int
    record_id: int
    score: float
    status: MentionStatus
    decided_by: str | None
    decided_at: dt.datetime | None
    evidence: list[SaidOut]

    @classmethod
    def of(cls, item: MentionItem) -> MentionOut:
        return cls(id=item.id, document_id=item.document_id, page=item.page,
                   start=item.start, end=item.end, record_id=item.record_pk,
                   score=item.score, status=item.status, decided_by=item.decided_by,
                   decided_at=item.decided_at,
                   evidence=[SaidOut.of(mentions.message_of(e)) for e in item.evidence])


class QueuedMentionOut(MentionOut):
    """A waiting mention with the words around it and the record's name."""

    before: str
    span: str
    after: str
    record_name: str
    case_id: int | None
    filename: str

    @classmethod
    def queued(cls, view: MentionView) -> QueuedMentionOut:
        base = MentionOut.of(view.mention).model_dump()
        record = view.record
        name = " ".join(p for p in (record.surname, record.given_name, record.patronymic)
                        if p)
        return cls(**base, before=view.before, span=view.span, after=view.after,
                   record_name=name, case_id=view.case_id, filename=view.document.filename)


class DecidedOut(BaseModel):
    """A decided mention and, when confirmed, where the document is now attached."""

    mention: MentionOut
    attached_to: AttachmentKind | None = None
    attached_id: int | None = None


@router.get("/review/mentions", response_model=list[QueuedMentionOut])
def queue(svc: Svc, view: Viewer) -> list[QueuedMentionOut]:
    """The waiting mentions you reach, most likely first."""
    return [QueuedMentionOut.queued(v)
            for v in mentions.mention_queue(svc.evidence, actor_of(view))]


@router.post("/review/mentions/{mention_id}/confirm", response_model=DecidedOut,
             dependencies=[Depends(csrf_header)])
def confirm(mention_id: Id, svc: Svc, view: Decider) -> DecidedOut:
    """Confirm the mention: the document is attached to the record's case (or record)."""
    item, attached = mentions.confirm_mention(svc.evidence, actor_of(view), mention_id)
    return DecidedOut(mention=MentionOut.of(item),
                      attached_to=attached.kind if attached else None,
                      attached_id=attached.target_id if attached else None)


@router.post("/review/mentions/{mention_id}/reject", response_model=DecidedOut,
             dependencies=[Depends(csrf_header)])
def reject(mention_id: Id, svc: Svc, view: Decider) -> DecidedOut:
    """Reject the mention: it leaves the queue."""
    return DecidedOut(mention=MentionOut.of(mentions.reject_mention(svc.evidence,
                                                                     actor_of(view),
                                                                     mention_id)))
