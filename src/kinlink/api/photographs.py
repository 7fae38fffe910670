"""``/api/v1/photographs``: photographs flagged as the same across documents and case
photographs, for a person to confirm or dismiss (never linked automatically).

Each route calls one use case of :mod:`kinlink.usecases.photo_flags` as the signed-in
person: the flags of their agency whose two pictures they reach, a verdict on one, a
picture's image (a working copy without metadata), and a picture inside a document (a
PDF, a Word document, a page capture) taken out of it as a working copy:
``/documents/{id}/pictures/{number}``, numbered from 1 as the flags' ``index`` + 1.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel

from kinlink.accounts import SessionView
from kinlink.api.children import actor_of
from kinlink.api.context import Services, services
from kinlink.api.deps import allow, csrf_header
from kinlink.api.documents import served
from kinlink.domain.permissions import Action
from kinlink.evidence.photos import MAX_IMAGES
from kinlink.storage.photographs import StoredPhoto
from kinlink.usecases import photo_flags
from kinlink.usecases.photo_flags import FlagView

__all__ = ["FlagOut", "PictureOut", "router"]

router = APIRouter(tags=["photographs"])
Svc = Annotated[Services, Depends(services)]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Number = Annotated[int, Path(ge=1, le=MAX_IMAGES)]
Reader = Annotated[SessionView, Depends(allow(Action.DOCUMENTS_VIEW))]
Adder = Annotated[SessionView, Depends(allow(Action.DOCUMENTS_ADD))]
Status = Literal["waiting", "confirmed", "dismissed"]


class PictureOut(BaseModel):
    """A hashed picture and where it is: a document (its place in it, its page) or a
    case's photograph."""

    id: int
    document_id: int | None
    case_id: int | None
    index: int
    page: int | None
    phash: str
    dhash: str
    width: int
    height: int

    @classmethod
    def of(cls, p: StoredPhoto) -> PictureOut:
        return cls(id=p.id, document_id=p.document_id, case_id=p.case_id, index=p.picture,
                   page=p.page, phash=p.phash, dhash=p.dhash, width=p.width,
                   height=p.height)


class FlagOut(BaseModel):
    """Two pictures found near (both hashes within their thresholds), and the verdict."""

    id: int
    new: PictureOut
    old: PictureOut
    phash_distance: int
    dhash_distance: int
    status: Status
    raised_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None

    @classmethod
    def of(cls, view: FlagView) -> FlagOut:
        f = view.flag
        return cls(id=f.id, new=PictureOut.of(f.new), old=PictureOut.of(f.old),
                   phash_distance=f.phash_distance, dhash_distance=f.dhash_distance,
                   status=f.status, raised_at=f.raised_at,  # type: ignore[arg-type]
                   decided_by=f.decided_by, decided_at=f.decided_at)


@router.get("/photographs/flags", response_model=list[FlagOut])
def list_flags(svc: Svc, view: Reader,
               status: Annotated[list[Status] | None, Query()] = None) -> list[FlagOut]:
    """The flags you may see (your agency's, both pictures in reach), oldest first;
    ``waiting`` unless ``status`` says otherwise."""
    chosen = tuple(status or ["waiting"])
    return [FlagOut.of(f) for f in photo_flags.list_photo_flags(svc.evidence,
                                                                actor_of(view), chosen)]


@router.post("/photographs/flags/{flag_id}/confirm", response_model=FlagOut,
             dependencies=[Depends(csrf_header)])
def confirm(flag_id: Id, svc: Svc, view: Adder) -> FlagOut:
    """Say the two pictures are the same photograph (nothing is linked)."""
    return FlagOut.of(photo_flags.decide_photo_flag(svc.evidence, actor_of(view), flag_id,
                                                    "confirmed"))


@router.post("/photographs/flags/{flag_id}/dismiss", response_model=FlagOut,
             dependencies=[Depends(csrf_header)])
def dismiss(flag_id: Id, svc: Svc, view: Adder) -> FlagOut:
    """Say the two pictures are not the same photograph."""
    return FlagOut.of(photo_flags.decide_photo_flag(svc.evidence, actor_of(view), flag_id,
                                                    "dismissed"))


@router.get("/photographs/{photo_id}/image")
def image(photo_id: Id, svc: Svc, view: Reader) -> Response:
    """A picture's image without metadata (a document's working copy, or a case's
    photograph)."""
    return served(photo_flags.view_photograph(svc.evidence, actor_of(view), photo_id),
                  inline=True)


@router.get("/documents/{document_id}/pictures/{number}",
            responses={200: {"content": {"image/png": {}}}})
def document_picture(document_id: Id, number: Number, svc: Svc, view: Reader) -> Response:
    """The ``number``-th picture inside a document (1 for the first, as hashed), taken
    out of the original as a PNG without metadata; reached as the document is (410 when
    it was erased)."""
    return served(photo_flags.view_document_picture(svc.evidence, actor_of(view),
                                                    document_id, number - 1), inline=True)
