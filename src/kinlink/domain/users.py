"""The roles people hold in kinlink, and users and agencies as administrators see them.
What each role may do lives in the permission matrix (:mod:`kinlink.domain.permissions`)
and, for a case's steps, in the workflow's table (:mod:`kinlink.domain.cases`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["AgencyView", "UserRole", "UserView"]


class UserRole(StrEnum):
    """A person's role in their agency."""

    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    CASE_WORKER = "case_worker"
    REVIEWER = "reviewer"
    ANALYST = "analyst"
    MEDIATOR_LIAISON = "mediator_liaison"
    VIEWER = "viewer"


@dataclass(frozen=True)
class UserView:
    """A user as administrators see them: no password hash, no secret.

    ``failed_sign_ins`` counts failed sign-ins on the account since its last sign-in (or
    unlock); ``throttled_until`` is the end of the wait they imposed, if one runs.
    ``must_change_password``: the password is one kinlink generated, not yet changed.
    """

    id: int
    username: str
    role: UserRole
    agency_id: int
    agency: str
    language: str
    disabled: bool
    second_factor: bool
    must_change_password: bool
    failed_sign_ins: int
    throttled_until: dt.datetime | None
    created_at: dt.datetime


@dataclass(frozen=True)
class AgencyView:
    """An agency with how many users it has."""

    id: int
    name: str
    users: int
