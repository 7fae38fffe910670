"""The signed-in person's own page: language and password. JSON twin: ``/api/v1/me``.

A person signed in with a password kinlink generated (a new account, a reset) is sent
here by every other page until they choose their own; a refused new password is shown
in place, saying which rule it breaks, in the reader's language.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from kinlink.accounts import SessionView
from kinlink.api.deps import allow, csrf_form
from kinlink.api.errors import status_for
from kinlink.domain.permissions import MATRIX, Action
from kinlink.errors import InputRefusedError
from kinlink.i18n import N_
from kinlink.web.forms import Svc, see_other
from kinlink.web.pages.common import landing, pages

__all__ = ["PASSWORD_REFUSALS", "router"]

router = APIRouter(include_in_schema=False)
Self = Annotated[SessionView, Depends(allow(Action.ACCOUNT_SELF, before_password_change=True))]
Secret = Annotated[str, Form(min_length=1, max_length=128)]

PASSWORD_REFUSALS = {
    "password_wrong": N_("The current password is not right."),
    "password_unchanged": N_("The new password must differ from the current one."),
    "password_too_short": N_("A password needs at least 12 characters."),
    "password_too_long": N_("A password has at most 128 characters."),
    "password_has_username": N_("A password must not contain your user name or a part of "
                                "it."),
    "password_repetitive": N_("This password repeats itself: the same character or the same "
                              "few characters again and again."),
    "password_sequence": N_("This password is a sequence of letters, digits or keys next to "
                            "each other."),
    "password_common": N_("This password is on the lists of well-known passwords that "
                          "attackers try first."),
    "password_guessable": N_("This password is easy to guess: it is made of common words, "
                             "names, dates or keyboard patterns. Use a longer phrase of "
                             "several words of your own."),
}
"""Why a new password was refused, by the refusal's code, in words for the page."""


def _render(request: Request, view: SessionView, *, changed: bool = False,
            refused: str | None = None, status_code: int = 200) -> HTMLResponse:
    actions = sorted(a.value for a, roles in MATRIX.items() if view.role in roles)
    return pages(request).render(request, "account.html", {
        "actions": actions, "changed": changed, "refused": refused,
        "must_change": view.must_change_password and not changed,
        "json_twin": "/api/v1/me"}, status_code)


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, view: Self) -> HTMLResponse:
    """Who you are, what your role allows, your language and password."""
    return _render(request, view)


@router.post("/account/password", dependencies=[Depends(csrf_form)])
def change_password(request: Request, svc: Svc, view: Self, current: Secret,
                    new: Secret) -> Response:
    """Change your password; your other sessions end. A person who had to change it goes
    on where signing in leads them (:func:`~kinlink.web.pages.common.landing`: a case
    worker to their work on the dashboard), no longer held on this page."""
    try:
        svc.admin.change_own_password(view.user_id, current, new, view.session_id)
    except InputRefusedError as exc:
        if exc.code not in PASSWORD_REFUSALS:
            raise
        return _render(request, view, refused=PASSWORD_REFUSALS[exc.code],
                       status_code=status_for(exc)[0])
    if view.must_change_password:
        return see_other(landing(dataclasses.replace(view, must_change_password=False)))
    return _render(request, view, changed=True)
