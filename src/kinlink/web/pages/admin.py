"""Administration: users, roles, agencies; reset a second factor or a password, unlock.
JSON twins: ``/api/v1/admin/users``, ``/api/v1/admin/agencies``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, Response

from kinlink.accounts import NewUser, SessionView
from kinlink.api.deps import allow, csrf_form
from kinlink.api.schemas import PRINTABLE
from kinlink.domain.permissions import Action
from kinlink.domain.users import UserRole
from kinlink.web.forms import Svc, see_other
from kinlink.web.pages.common import pages

__all__ = ["router"]

router = APIRouter(include_in_schema=False, prefix="/admin")
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Users = Annotated[SessionView, Depends(allow(Action.ADMIN_USERS))]
Agencies = Annotated[SessionView, Depends(allow(Action.ADMIN_AGENCIES))]
CSRF = [Depends(csrf_form)]
Language = Annotated[str, Form(pattern="^(uk|en)$")]


def _secret_page(request: Request, made: NewUser, created: bool) -> HTMLResponse:
    return pages(request).render(request, "admin_secret.html",
                                 {"made": made, "created": created})


@router.get("/users", response_class=HTMLResponse)
def users_page(request: Request, svc: Svc, _view: Users) -> HTMLResponse:
    """Every user, and the form to create one."""
    return pages(request).render(request, "admin_users.html", {
        "users": svc.admin.users(), "agencies": svc.admin.agencies(),
        "roles": [r.value for r in UserRole], "json_twin": "/api/v1/admin/users"})


@router.post("/users", dependencies=CSRF)
def create_user(request: Request, svc: Svc, view: Users,
                username: Annotated[str, Form(min_length=2, max_length=64)],
                role: Annotated[UserRole, Form()],
                agency_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
                language: Language = "uk") -> Response:
    """Create a user; their generated password is shown once."""
    made = svc.admin.create_user(view.username, username, role, agency_id, language)
    return _secret_page(request, made, created=True)


@router.get("/users/{user_id}", response_class=HTMLResponse)
def user_page(request: Request, user_id: Id, svc: Svc, _view: Users) -> HTMLResponse:
    """One user: role, agency, language, whether they may sign in; the resets."""
    return pages(request).render(request, "admin_user.html", {
        "user": svc.admin.user(user_id), "agencies": svc.admin.agencies(),
        "roles": [r.value for r in UserRole], "json_twin": f"/api/v1/admin/users/{user_id}"})


@router.post("/users/{user_id}", dependencies=CSRF)
def update_user(user_id: Id, svc: Svc, view: Users,
                role: Annotated[UserRole, Form()],
                agency_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
                language: Language = "uk",
                disabled: Annotated[bool, Form()] = False) -> Response:
    """Save a user's role, agency, language and whether they may sign in."""
    svc.admin.update_user(view.username, user_id, role=role, agency_id=agency_id,
                          disabled=disabled, language=language)
    return see_other(f"/admin/users/{user_id}")


@router.post("/users/{user_id}/reset-second-factor", dependencies=CSRF)
def reset_second_factor(user_id: Id, svc: Svc, view: Users) -> Response:
    """Forget the second factor: the user sets up a new one at next sign-in."""
    svc.admin.reset_second_factor(view.username, user_id)
    return see_other(f"/admin/users/{user_id}")


@router.post("/users/{user_id}/unlock", dependencies=CSRF)
def unlock(user_id: Id, svc: Svc, view: Users) -> Response:
    """Lift the lock after failed sign-ins."""
    svc.admin.unlock(view.username, user_id)
    return see_other(f"/admin/users/{user_id}")


@router.post("/users/{user_id}/reset-password", dependencies=CSRF)
def reset_password(request: Request, user_id: Id, svc: Svc, view: Users) -> Response:
    """A new generated password, shown once."""
    return _secret_page(request, svc.admin.reset_password(view.username, user_id),
                        created=False)


@router.get("/agencies", response_class=HTMLResponse)
def agencies_page(request: Request, svc: Svc, _view: Agencies) -> HTMLResponse:
    """Every agency; create or rename one."""
    return pages(request).render(request, "admin_agencies.html", {
        "agencies": svc.admin.agencies(), "json_twin": "/api/v1/admin/agencies"})


@router.post("/agencies", dependencies=CSRF)
def create_agency(svc: Svc, view: Agencies,
                  name: Annotated[str, Form(min_length=2, max_length=200,
                                            pattern=PRINTABLE)]) -> Response:
    """Create an agency."""
    svc.admin.create_agency(view.username, name)
    return see_other("/admin/agencies")


@router.post("/agencies/{agency_id}", dependencies=CSRF)
def rename_agency(agency_id: Id, svc: Svc, view: Agencies,
                  name: Annotated[str, Form(min_length=2, max_length=200,
                                            pattern=PRINTABLE)]) -> Response:
    """Rename an agency."""
    svc.admin.rename_agency(view.username, agency_id, name)
    return see_other("/admin/agencies")
