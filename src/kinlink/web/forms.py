"""Helpers of the pages' forms: the CSRF check before sign-in, redirects, form types."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Form, Request
from fastapi.responses import RedirectResponse

from kinlink.api.context import Services, services
from kinlink.api.deps import route_path
from kinlink.audit import AuditAction
from kinlink.errors import AccessDeniedError
from kinlink.i18n import N_, Wording

_FORM_STALE_DID_NOT = Wording("web.forms.form_stale_did_not", N_(
    "the form is stale or did not come from kinlink; reload the page and try again"))

__all__ = ["Svc", "anonymous_csrf", "see_other"]

Svc = Annotated[Services, Depends(services)]


def anonymous_csrf(request: Request, svc: Svc,
                   csrf_token: Annotated[str | None, Form(max_length=100)] = None) -> None:
    """A form shown before sign-in carries the token that is also in its cookie."""
    cookie = request.cookies.get(svc.pre_cookie)
    if not cookie or not csrf_token or not hmac.compare_digest(cookie.encode(),
                                                               csrf_token.encode()):
        svc.audit("anonymous", AuditAction.ACCESS_CSRF_REFUSED, "route", route_path(request), {})
        raise AccessDeniedError(_FORM_STALE_DID_NOT())


def see_other(path: str) -> RedirectResponse:
    """Go to ``path`` after a form (303: the browser then asks with GET)."""
    return RedirectResponse(path, status_code=303)
