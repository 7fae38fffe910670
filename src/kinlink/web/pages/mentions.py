"""The mentions waiting for review (``/review/mentions``): where an evidence document may
name a child, the words around it with the name marked, the child's record, the evidence
in words; confirm (the document is attached to the child's case, or record) or reject.

JSON twin: ``/api/v1/review/mentions``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from kinlink.accounts import SessionView
from kinlink.api.children import actor_of
from kinlink.api.deps import allow, csrf_form
from kinlink.domain.permissions import Action
from kinlink.usecases import mentions
from kinlink.web.forms import Svc, see_other
from kinlink.web.pages.common import pages

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Viewer = Annotated[SessionView, Depends(allow(Action.REVIEW_VIEW))]
Decider = Annotated[SessionView, Depends(allow(Action.REVIEW_DECIDE))]


@router.get("/review/mentions", response_class=HTMLResponse)
def mentions_page(request: Request, svc: Svc, view: Viewer,
                  done: Annotated[str, Query(pattern="^(|confirmed|rejected)$")] = "",
                  case: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
                  record: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
                  ) -> HTMLResponse:
    """The waiting mentions, most likely first (``done`` says what was just decided,
    ``case`` or ``record`` where the document was attached)."""
    items = mentions.mention_queue(svc.evidence, actor_of(view))
    return pages(request).render(request, "mentions.html", {
        "items": items, "done": done, "case": case, "record": record,
        "json_twin": "/api/v1/review/mentions"})


@router.post("/review/mentions/{mention_id}/confirm", dependencies=[Depends(csrf_form)])
def confirm_form(mention_id: Id, svc: Svc, view: Decider) -> Response:
    """Confirm the mention: the document goes to the child's case (or record)."""
    _, attached = mentions.confirm_mention(svc.evidence, actor_of(view), mention_id)
    where = f"&{attached.kind.value}={attached.target_id}" if attached else ""
    return see_other(f"/review/mentions?done=confirmed{where}")


@router.post("/review/mentions/{mention_id}/reject", dependencies=[Depends(csrf_form)])
def reject_form(mention_id: Id, svc: Svc, view: Decider) -> Response:
    """Reject the mention: it leaves the queue."""
    mentions.reject_mention(svc.evidence, actor_of(view), mention_id)
    return see_other("/review/mentions?done=rejected")
