"""The signed-in person's own page: language and password. JSON twin: ``/api/v1/me``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from kinlink.accounts import SessionView
from kinlink.api.deps import allow, csrf_form
from kinlink.domain.permissions import MATRIX, Action
from kinlink.web.forms import Svc
from kinlink.web.pages.common import pages

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
Self = Annotated[SessionView, Depends(allow(Action.ACCOUNT_SELF))]
Secret = Annotated[str, Form(min_length=1, max_length=128)]


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, view: Self) -> HTMLResponse:
    """Who you are, what your role allows, your language and password."""
    actions = sorted(a.value for a, roles in MATRIX.items() if view.role in roles)
    return pages(request).render(request, "account.html", {
        "actions": actions, "changed": False, "json_twin": "/api/v1/me"})


@router.post("/account/password", dependencies=[Depends(csrf_form)])
def change_password(request: Request, svc: Svc, view: Self, current: Secret,
                    new: Secret) -> Response:
    """Change your password; your other sessions end."""
    svc.admin.change_own_password(view.user_id, current, new, view.session_id)
    actions = sorted(a.value for a, roles in MATRIX.items() if view.role in roles)
    return pages(request).render(request, "account.html", {
        "actions": actions, "changed": True, "json_twin": "/api/v1/me"})
