"""The roles people hold in kinlink. What each role may do lives in one place per
capability (case transitions here, the web permission matrix with the web app)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["UserRole"]


class UserRole(StrEnum):
    """A person's role in their agency."""

    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    CASE_WORKER = "case_worker"
    REVIEWER = "reviewer"
    ANALYST = "analyst"
    MEDIATOR_LIAISON = "mediator_liaison"
    VIEWER = "viewer"
