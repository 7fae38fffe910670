"""Photographs flagged as the same: the waiting flags side by side (both pictures, the
documents or cases they are in, the distances in words), each with "same photograph"
and "not the same" buttons; a picture's image. A verdict links nothing.

A picture inside a PDF, a Word document or a page capture is shown taken out of its
document (``/documents/{id}/pictures/{number}``, reached as the document is).

JSON twin: ``/api/v1/photographs/flags`` (and ``…/{id}/confirm``, ``…/{id}/dismiss``,
``/api/v1/photographs/{id}/image``, ``/api/v1/documents/{id}/pictures/{number}``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from kinlink.accounts import SessionView
from kinlink.api.children import actor_of
from kinlink.api.deps import allow, csrf_form
from kinlink.api.documents import served
from kinlink.domain.permissions import Action
from kinlink.evidence.photos import MAX_IMAGES, THRESHOLDS
from kinlink.usecases import photo_flags
from kinlink.web.forms import Svc, see_other
from kinlink.web.pages.common import pages

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Number = Annotated[int, Path(ge=1, le=MAX_IMAGES)]
Reader = Annotated[SessionView, Depends(allow(Action.DOCUMENTS_VIEW))]
Adder = Annotated[SessionView, Depends(allow(Action.DOCUMENTS_ADD))]


@router.get("/photographs", response_class=HTMLResponse)
def flags_page(request: Request, svc: Svc, view: Reader,
               decided: Annotated[str, Query(pattern="^(|confirmed|dismissed)$")] = ""
               ) -> HTMLResponse:
    """The waiting flags, oldest first, both pictures side by side."""
    found = photo_flags.list_photo_flags(svc.evidence, actor_of(view))
    return pages(request).render(request, "photographs.html", {
        "items": found, "decided": decided, "thresholds": THRESHOLDS,
        "json_twin": "/api/v1/photographs/flags"})


@router.post("/photographs/flags/{flag_id}/confirm", dependencies=[Depends(csrf_form)])
def confirm_form(flag_id: Id, svc: Svc, view: Adder) -> Response:
    """Say the two pictures are the same photograph."""
    photo_flags.decide_photo_flag(svc.evidence, actor_of(view), flag_id, "confirmed")
    return see_other("/photographs?decided=confirmed")


@router.post("/photographs/flags/{flag_id}/dismiss", dependencies=[Depends(csrf_form)])
def dismiss_form(flag_id: Id, svc: Svc, view: Adder) -> Response:
    """Say the two pictures are not the same photograph."""
    photo_flags.decide_photo_flag(svc.evidence, actor_of(view), flag_id, "dismissed")
    return see_other("/photographs?decided=dismissed")


@router.get("/photographs/{photo_id}/image")
def image(photo_id: Id, svc: Svc, view: Reader) -> Response:
    """A picture's image without metadata."""
    return served(photo_flags.view_photograph(svc.evidence, actor_of(view), photo_id),
                  inline=True)


@router.get("/documents/{document_id}/pictures/{number}")
def document_picture(document_id: Id, number: Number, svc: Svc, view: Reader) -> Response:
    """The ``number``-th picture inside a document (1 for the first), without metadata."""
    return served(photo_flags.view_document_picture(svc.evidence, actor_of(view),
                                                    document_id, number - 1), inline=True)
