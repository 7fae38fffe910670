"""``/api/v1/admin``: users, roles, agencies; reset a second factor or a password, unlock.

A created or reset password is in the answer once and nowhere else.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, status

from kinlink.accounts import AgencyView, SessionView, UserView
from kinlink.api import schemas
from kinlink.api.context import Services, services
from kinlink.api.deps import allow, csrf_header
from kinlink.domain.permissions import Action

__all__ = ["router"]

router = APIRouter(prefix="/admin", tags=["administration"])
Svc = Annotated[Services, Depends(services)]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Users = Annotated[SessionView, Depends(allow(Action.ADMIN_USERS))]
Agencies = Annotated[SessionView, Depends(allow(Action.ADMIN_AGENCIES))]
CSRF = [Depends(csrf_header)]


@router.get("/users", response_model=list[UserView])
def list_users(svc: Svc, _view: Users) -> list[UserView]:
    """Every user."""
    return svc.admin.users()


@router.post("/users", response_model=schemas.UserCreatedOut,
             status_code=status.HTTP_201_CREATED, dependencies=CSRF)
def create_user(body: schemas.UserCreateIn, svc: Svc, view: Users) -> schemas.UserCreatedOut:
    """Create a user with a generated password (in the answer, once)."""
    made = svc.admin.create_user(view.username, body.username, body.role, body.agency_id,
                                 body.language)
    assert made.password is not None
    return schemas.UserCreatedOut(user=made.user, password=made.password)


@router.get("/users/{user_id}", response_model=UserView)
def read_user(user_id: Id, svc: Svc, _view: Users) -> UserView:
    """One user."""
    return svc.admin.user(user_id)


@router.patch("/users/{user_id}", response_model=UserView, dependencies=CSRF)
def update_user(user_id: Id, body: schemas.UserPatchIn, svc: Svc,
                view: Users) -> UserView:
    """Change role, agency, language or whether the user may sign in."""
    return svc.admin.update_user(
        view.username, user_id, role=body.role, agency_id=body.agency_id,
        disabled=body.disabled, language=body.language)


@router.post("/users/{user_id}/reset-second-factor", response_model=UserView,
             dependencies=CSRF)
def reset_second_factor(user_id: Id, svc: Svc, view: Users) -> UserView:
    """Forget the user's second factor: they set up a new one at next sign-in."""
    return svc.admin.reset_second_factor(view.username, user_id)


@router.post("/users/{user_id}/unlock", response_model=UserView, dependencies=CSRF)
def unlock(user_id: Id, svc: Svc, view: Users) -> UserView:
    """Lift the lock after failed sign-ins."""
    return svc.admin.unlock(view.username, user_id)


@router.post("/users/{user_id}/reset-password", response_model=schemas.UserCreatedOut,
             dependencies=CSRF)
def reset_password(user_id: Id, svc: Svc, view: Users) -> schemas.UserCreatedOut:
    """Give the user a new generated password (in the answer, once)."""
    made = svc.admin.reset_password(view.username, user_id)
    assert made.password is not None
    return schemas.UserCreatedOut(user=made.user, password=made.password)


@router.get("/agencies", response_model=list[AgencyView])
def list_agencies(svc: Svc, _view: Agencies) -> list[AgencyView]:
    """Every agency."""
    return svc.admin.agencies()


@router.post("/agencies", response_model=AgencyView,
             status_code=status.HTTP_201_CREATED, dependencies=CSRF)
def create_agency(body: schemas.AgencyIn, svc: Svc, view: Agencies) -> AgencyView:
    """Create an agency."""
    return svc.admin.create_agency(view.username, body.name)


@router.patch("/agencies/{agency_id}", response_model=AgencyView, dependencies=CSRF)
def rename_agency(agency_id: Id, body: schemas.AgencyIn, svc: Svc,
                  view: Agencies) -> AgencyView:
    """Rename an agency."""
    return svc.admin.rename_agency(view.username, agency_id, body.name)
