"""``/api/v1/dashboard``: counts by role, kind of list, region and month."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from kinlink.accounts import SessionView
from kinlink.api import convert, schemas
from kinlink.api.context import Services, services
from kinlink.api.deps import allow
from kinlink.domain.permissions import Action

__all__ = ["router"]

router = APIRouter(tags=["dashboard"])


@router.get("/dashboard", response_model=schemas.DashboardOut)
def dashboard(svc: Annotated[Services, Depends(services)],
              view: Annotated[SessionView, Depends(allow(Action.DASHBOARD_VIEW))]
              ) -> schemas.DashboardOut:
    """The counts over the lists the agency sees."""
    return convert.dashboard(svc.dashboard.dashboard(view.principal))
