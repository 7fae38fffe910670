"""Request dependencies: who is signed in, may they do this, is the CSRF token right.

Every route depends on :func:`allow` with one :class:`~kinlink.domain.permissions.Action`
(the route's permission, found by the tests through ``kinlink_action``); a session that
must change its generated password passes only routes marked
``before_password_change`` (the password change itself and the account page). State-changing
API routes also depend on :func:`csrf_header` (header ``X-CSRF-Token``), pages' forms on
:func:`csrf_form` (field ``csrf_token``); the token is the session's, compared in
constant time. Refusals are audited without personal data: the route's path template,
the action and the role.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Form, Header, Request

from kinlink.accounts import SessionView
from kinlink.api.context import Services, services
from kinlink.audit import AuditAction
from kinlink.domain.permissions import Action, allowed
from kinlink.errors import AccessDeniedError, PasswordChangeRequiredError
from kinlink.i18n import N_, Wording

_FORM_REQUEST_STALE_DID = Wording("api.deps.form_request_stale_did", N_(
    "the form or request is stale or did not come from kinlink; reload the page and try "
    "again"))
_YOUR_ROLE_DOES_NOT = Wording("api.deps.your_role_does_not", N_("your role does not allow this"))

__all__ = ["CSRF_HEADER", "allow", "client_address", "csrf_form", "csrf_header",
           "current_session", "half_session", "route_path"]

CSRF_HEADER = "X-CSRF-Token"


def route_path(request: Request) -> str:
    """The route's path template (``/api/v1/records/{record_id}``): no ids, no names.

    Built from the address by putting each path parameter's name back in place of its
    value (routers nest, so the matched route alone does not know its full path).
    """
    segments = request.url.path.split("/")
    for name, value in request.path_params.items():
        text = str(value)
        for index, segment in enumerate(segments):
            if segment == text:
                segments[index] = "{" + name + "}"
                break
    return "/".join(segments)


def client_address(request: Request) -> str | None:
    """The client's address, as the server saw the connection.

    Headers such as ``X-Forwarded-For`` are never read here: ``kinlink serve`` lets
    uvicorn put the forwarded address in place only for the proxies named in
    ``KINLINK_TRUSTED_PROXIES`` (none by default).
    """
    return request.client.host if request.client is not None else None


def current_session(request: Request,
                    svc: Annotated[Services, Depends(services)]) -> SessionView:
    """The signed-in session (second factor done), or 401."""
    view = svc.accounts.authenticate(request.cookies.get(svc.session_cookie))
    request.state.session_view = view
    return view


def half_session(request: Request, svc: Annotated[Services, Depends(services)]) -> SessionView:
    """A session that may still lack the second factor (the second-factor routes only)."""
    view = svc.accounts.authenticate(request.cookies.get(svc.session_cookie), partial=True)
    request.state.session_view = view
    return view


_MUST_CHANGE = ("you signed in with a password kinlink made for you; choose your own "
                "password first (POST /api/v1/me/password, or the page Your account)")


def allow(action: Action, *, before_password_change: bool = False) -> Callable[..., SessionView]:
    """A dependency admitting the roles the matrix allows ``action``; 403 otherwise.

    A session whose password must be changed is refused (403,
    ``password_change_required``) unless ``before_password_change``.
    """

    def dependency(request: Request, view: Annotated[SessionView, Depends(current_session)],
                   svc: Annotated[Services, Depends(services)]) -> SessionView:
        if view.must_change_password and not before_password_change:
            raise PasswordChangeRequiredError(_MUST_CHANGE)
        if not allowed(view.role, action):
            svc.audit(view.username, AuditAction.ACCESS_REFUSED, "route", route_path(request),
                      {"action": action.value, "role": view.role.value})
            raise AccessDeniedError(_YOUR_ROLE_DOES_NOT())
        return view

    dependency.kinlink_action = action  # type: ignore[attr-defined]
    dependency.__name__ = f"allow_{action.name.lower()}"
    return dependency


def _check_token(request: Request, view: SessionView, svc: Services, given: str | None) -> None:
    if given is None or not hmac.compare_digest(given.encode(), view.csrf_token.encode()):
        svc.audit(view.username, AuditAction.ACCESS_CSRF_REFUSED, "route", route_path(request), {})
        raise AccessDeniedError(_FORM_REQUEST_STALE_DID())


def csrf_header(request: Request, view: Annotated[SessionView, Depends(half_session)],
                svc: Annotated[Services, Depends(services)],
                x_csrf_token: Annotated[str | None, Header(max_length=100)] = None) -> None:
    """The request carries the session's CSRF token in ``X-CSRF-Token``."""
    _check_token(request, view, svc, x_csrf_token)


def csrf_form(request: Request, view: Annotated[SessionView, Depends(half_session)],
              svc: Annotated[Services, Depends(services)],
              csrf_token: Annotated[str | None, Form(max_length=100)] = None) -> None:
    """The form carries the session's CSRF token in the field ``csrf_token``."""
    _check_token(request, view, svc, csrf_token)
