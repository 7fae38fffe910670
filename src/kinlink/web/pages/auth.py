"""Sign-in pages: password, then the second factor (or setting one up), sign-out and the
language switch. JSON twins: ``/api/v1/auth/*``.

A refused attempt shows its form again in place: 401 for a wrong name, password or
code; 429 with ``Retry-After`` and the seconds to wait during a wait after repeated
failures. Signed in with a password kinlink generated, a person goes to their account
page to choose their own first; then, as anyone signing in, where
:func:`~kinlink.web.pages.common.landing` says."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kinlink.accounts import SessionView
from kinlink.api.auth import clear_session_cookie, set_session_cookie
from kinlink.api.deps import client_address, csrf_form, half_session
from kinlink.api.errors import status_for
from kinlink.errors import AuthenticationError, SignInThrottledError
from kinlink.web.forms import Svc, anonymous_csrf, see_other
from kinlink.web.i18n import LANGUAGES
from kinlink.web.pages.common import landing, pages
from kinlink.web.templating import LANG_COOKIE

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
Half = Annotated[SessionView, Depends(half_session)]
Code = Annotated[str, Form(max_length=20)]


@router.get("/", response_class=RedirectResponse)
def home(request: Request, svc: Svc) -> Response:
    """Signed in: where this person lands after signing in (their work, for those who work
    cases); otherwise, or with a session that has ended, the sign-in page."""
    try:
        view = svc.accounts.authenticate(request.cookies.get(svc.session_cookie))
    except AuthenticationError:
        return see_other("/login")
    return see_other(landing(view))


def _waiting(request: Request, template: str, exc: SignInThrottledError,
             context: dict[str, object]) -> Response:
    """The form again, saying how long to wait (429, ``Retry-After``)."""
    response = pages(request).render(request, template, {
        **context, "failed": False, "wait": exc.retry_after}, status_for(exc)[0])
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    """The sign-in form."""
    return pages(request).render(request, "login.html", {"failed": False, "wait": None})


@router.post("/login", dependencies=[Depends(anonymous_csrf)])
def login(request: Request, svc: Svc,
          username: Annotated[str, Form(max_length=64)] = "",
          password: Annotated[str, Form(max_length=128)] = "") -> Response:
    """Check user name and password, then ask for the second factor. A language chosen
    on the sign-in page stays through the second factor and the session (a sign-in does
    not change language half-way); without a choice the person's own default applies
    (their stated preference beats the browser's guess)."""
    chosen = request.cookies.get(LANG_COOKIE)
    try:
        token, view = svc.accounts.sign_in(username, password, client_address(request),
                                           chosen if chosen in LANGUAGES else None)
    except SignInThrottledError as exc:
        return _waiting(request, "login.html", exc, {})
    except AuthenticationError:
        return pages(request).render(request, "login.html", {"failed": True, "wait": None}, 401)
    response = see_other("/login/enrol" if view.needs_enrolment else "/login/second-factor")
    set_session_cookie(response, svc, token)
    return response


@router.get("/login/second-factor", response_class=HTMLResponse)
def second_factor_page(request: Request, view: Half) -> Response:
    """The form for the authenticator app's code."""
    if view.stage == "full":
        return see_other(landing(view))
    if view.needs_enrolment:
        return see_other("/login/enrol")
    return pages(request).render(request, "second_factor.html", {"failed": False, "wait": None})


@router.post("/login/second-factor", dependencies=[Depends(csrf_form)])
def second_factor(request: Request, svc: Svc, view: Half, code: Code = "") -> Response:
    """Check the code; the session becomes a full one under a new cookie."""
    try:
        token, full = svc.accounts.second_factor(request.cookies.get(svc.session_cookie, ""),
                                                 code, client_address(request))
    except SignInThrottledError as exc:
        return _waiting(request, "second_factor.html", exc, {})
    except AuthenticationError as exc:
        if exc.code != "second_factor_failed":
            raise
        return pages(request).render(request, "second_factor.html",
                                     {"failed": True, "wait": None}, 401)
    response = see_other(landing(full))
    set_session_cookie(response, svc, token)
    return response


@router.get("/login/enrol", response_class=HTMLResponse)
def enrol_page(request: Request, svc: Svc, view: Half) -> Response:
    """Set up the second factor: the secret as a QR code and as text, shown this once."""
    if not view.needs_enrolment:
        return see_other("/login/second-factor")
    enrolment = svc.accounts.enrolment(request.cookies.get(svc.session_cookie, ""))
    return pages(request).render(request, "enrol.html",
                                  {"enrolment": enrolment, "failed": False, "wait": None})


@router.post("/login/enrol", dependencies=[Depends(csrf_form)])
def enrol(request: Request, svc: Svc, view: Half, code: Code = "") -> Response:
    """Confirm the new second factor with its first code."""
    token = request.cookies.get(svc.session_cookie, "")
    try:
        new_token, full = svc.accounts.confirm_enrolment(token, code, client_address(request))
    except SignInThrottledError as exc:
        return _waiting(request, "enrol.html", exc,
                        {"enrolment": svc.accounts.enrolment(token)})
    except AuthenticationError as exc:
        if exc.code != "second_factor_failed":
            raise
        return pages(request).render(request, "enrol.html", {
            "enrolment": svc.accounts.enrolment(token), "failed": True, "wait": None}, 401)
    response = see_other(landing(full))
    set_session_cookie(response, svc, new_token)
    return response


@router.post("/logout", dependencies=[Depends(csrf_form)])
def logout(request: Request, svc: Svc) -> Response:
    """End the session on the server; back to the sign-in page."""
    svc.accounts.sign_out(request.cookies.get(svc.session_cookie))
    response = see_other("/login")
    clear_session_cookie(response, svc)
    return response


@router.post("/language", dependencies=[Depends(anonymous_csrf)])
def language_before_sign_in(request: Request, svc: Svc,
                            language: Annotated[str, Form(pattern="^(uk|en)$")] = "uk",
                            ) -> Response:
    """Switch the language of the sign-in pages (kept in a cookie)."""
    response = see_other("/login")
    response.set_cookie(LANG_COOKIE, language, httponly=True, samesite="strict", path="/",
                        secure=svc.settings.cookie_secure, max_age=365 * 24 * 3600)
    return response


@router.post("/account/language", dependencies=[Depends(csrf_form)])
def language_signed_in(request: Request, svc: Svc, view: Half,
                       language: Annotated[str, Form(pattern="^(uk|en)$")] = "uk",
                       back: Annotated[str, Form(max_length=200)] = "/search") -> Response:
    """Switch the language of this session (and the person's default)."""
    svc.accounts.set_language(request.cookies.get(svc.session_cookie, ""), language)
    target = back if back.startswith("/") and not back.startswith("//") else "/search"
    return see_other(target)
