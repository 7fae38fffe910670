"""``/api/v1/auth`` and ``/api/v1/me``: sign in with the second factor, sign out, the
signed-in person, their language and password.

Sign-in sets the session cookie (HttpOnly, SameSite=Strict, Secure unless configured
for plain http on this machine) and answers the session's CSRF token, which every later
state-changing call sends in ``X-CSRF-Token``. The token changes with the session when
the second factor is done.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status

from kinlink.accounts import SessionView
from kinlink.api import schemas
from kinlink.api.context import Services, services
from kinlink.api.deps import allow, client_address, csrf_header, half_session
from kinlink.domain.permissions import MATRIX, Action
from kinlink.errors import PLEASE_SIGN_IN, AuthenticationError

__all__ = ["clear_session_cookie", "router", "set_session_cookie"]

router = APIRouter(tags=["sign-in"])
Svc = Annotated[Services, Depends(services)]


def set_session_cookie(response: Response, svc: Services, token: str) -> None:
    """Put the session token in its cookie (no lifetime: it ends with the browser)."""
    response.set_cookie(svc.session_cookie, token, httponly=True,
                        secure=svc.settings.cookie_secure, samesite="strict", path="/")


def clear_session_cookie(response: Response, svc: Services) -> None:
    """Remove the session cookie from the browser."""
    response.delete_cookie(svc.session_cookie, path="/", secure=svc.settings.cookie_secure,
                           httponly=True, samesite="strict")


def _stage(view: SessionView) -> str:
    if view.stage == "full":
        return "change_password" if view.must_change_password else "signed_in"
    return "enrol" if view.needs_enrolment else "second_factor"


@router.post("/auth/login", response_model=schemas.LoginOut)
def login(body: schemas.LoginIn, request: Request, response: Response,
          svc: Svc) -> schemas.LoginOut:
    """Check user name and password; the second factor comes next (``stage``).

    After repeated failures (for this account or from this address) an attempt is
    refused with 429 and ``Retry-After`` without the password being checked.
    """
    token, view = svc.accounts.sign_in(body.username, body.password,
                                       client_address(request))
    set_session_cookie(response, svc, token)
    return schemas.LoginOut(stage=_stage(view), csrf_token=view.csrf_token)  # type: ignore[arg-type]


@router.post("/auth/second-factor", response_model=schemas.LoginOut,
             dependencies=[Depends(csrf_header)])
def second_factor(body: schemas.CodeIn, request: Request, response: Response,
                  svc: Svc) -> schemas.LoginOut:
    """Enter the code of the authenticator app: the session becomes a full one."""
    token, view = svc.accounts.second_factor(request.cookies.get(svc.session_cookie, ""),
                                             body.code, client_address(request))
    set_session_cookie(response, svc, token)
    return schemas.LoginOut(stage=_stage(view), csrf_token=view.csrf_token)  # type: ignore[arg-type]


@router.get("/auth/enrolment", response_model=schemas.EnrolmentOut)
def enrolment(request: Request, svc: Svc,
              _view: Annotated[SessionView, Depends(half_session)]) -> schemas.EnrolmentOut:
    """The new second factor's secret, for a first sign-in only."""
    found = svc.accounts.enrolment(request.cookies.get(svc.session_cookie, ""))
    return schemas.EnrolmentOut(secret=found.secret, otpauth_uri=found.uri)


@router.post("/auth/enrolment", response_model=schemas.LoginOut,
             dependencies=[Depends(csrf_header)])
def confirm_enrolment(body: schemas.CodeIn, request: Request, response: Response,
                      svc: Svc) -> schemas.LoginOut:
    """Confirm the new second factor with its first code: the session becomes full."""
    token, view = svc.accounts.confirm_enrolment(
        request.cookies.get(svc.session_cookie, ""), body.code, client_address(request))
    set_session_cookie(response, svc, token)
    return schemas.LoginOut(stage=_stage(view), csrf_token=view.csrf_token)  # type: ignore[arg-type]


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT,
             dependencies=[Depends(csrf_header)])
def logout(request: Request, response: Response, svc: Svc) -> None:
    """End the session on the server and remove its cookie."""
    svc.accounts.sign_out(request.cookies.get(svc.session_cookie))
    clear_session_cookie(response, svc)


@router.get("/me", response_model=schemas.MeOut)
def me(view: Annotated[SessionView, Depends(allow(Action.ACCOUNT_SELF))]) -> schemas.MeOut:
    """Who is signed in, their CSRF token and the actions their role allows."""
    return schemas.MeOut(
        username=view.username, role=view.role, agency_id=view.agency_id,
        language=view.language if view.language in ("uk", "en") else "uk",  # type: ignore[arg-type]
        csrf_token=view.csrf_token,
        actions=sorted(a.value for a, roles in MATRIX.items() if view.role in roles))


@router.put("/me/language", status_code=status.HTTP_204_NO_CONTENT,
            dependencies=[Depends(csrf_header)])
def set_language(body: schemas.LanguageIn, request: Request, svc: Svc,
                 _view: Annotated[SessionView, Depends(allow(Action.ACCOUNT_SELF))]) -> None:
    """Change the interface language (this session and the default of the person)."""
    token = request.cookies.get(svc.session_cookie)
    if token is None:
        raise AuthenticationError(PLEASE_SIGN_IN())
    svc.accounts.set_language(token, body.language)


@router.post("/me/password", status_code=status.HTTP_204_NO_CONTENT,
             dependencies=[Depends(csrf_header)])
def change_password(body: schemas.PasswordIn, svc: Svc,
                    view: Annotated[SessionView, Depends(allow(
                        Action.ACCOUNT_SELF, before_password_change=True))]) -> None:
    """Change your own password; your other sessions end. The only call (with sign-out)
    open to a session signed in with a generated password. A new password has 12 to 128
    characters and is refused (422, the rule in ``code``) when it contains the user
    name, repeats itself, is a sequence, a well-known password or easy to guess."""
    svc.admin.change_own_password(view.user_id, body.current, body.new, view.session_id)
