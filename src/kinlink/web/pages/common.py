"""What every page module needs: the templates, and where a signed-in person lands."""

from __future__ import annotations

from fastapi import Request

from kinlink.accounts import SessionView
from kinlink.domain.permissions import Action, allowed
from kinlink.web.templating import Pages

__all__ = ["landing", "pages"]


def pages(request: Request) -> Pages:
    """The app's templates."""
    found = request.app.state.pages
    assert isinstance(found, Pages)
    return found


def landing(view: SessionView) -> str:
    """Where a person lands after signing in (and after choosing their own password):
    the account page while their password must change, since nothing else opens before;
    then their work on the dashboard for those who work cases; else the search page.

    One rule for every way in — the password, the second factor, enrolling one, the
    forced password change — so a case worker made to change an issued password lands
    where a case worker signing in does."""
    if view.must_change_password:
        return "/account"
    return "/dashboard" if allowed(view.role, Action.CASES_WORK) else "/search"
