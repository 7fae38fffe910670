"""The dashboard: first, for those who work cases, their work (pairs waiting, their cases,
overdue tasks and those due within a week, children waiting longest for a mediator's
answer, a supervisor's team; JSON twin ``/api/v1/work``); then counts as server-drawn
SVG charts (JSON twin: ``/api/v1/dashboard``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from kinlink.accounts import SessionView
from kinlink.api.children import actor_of
from kinlink.api.deps import allow
from kinlink.domain.permissions import Action, allowed
from kinlink.usecases.caseload import PAIRS_COUNTED, my_work
from kinlink.usecases.cases import case_counts
from kinlink.usecases.casework import my_tasks, today
from kinlink.web import charts, i18n, labels
from kinlink.web.forms import Svc
from kinlink.web.pages.common import pages
from kinlink.web.templating import request_language

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
DUE_SOON_DAYS = 7
"""Open tasks due within this many days are reminded on the dashboard (overdue ones
always are)."""


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request, svc: Svc,
                   view: Annotated[SessionView, Depends(allow(Action.DASHBOARD_VIEW))]
                   ) -> HTMLResponse:
    """Records by role, by kind of list, by region and by month."""
    data = svc.dashboard.dashboard(view.principal)
    gettext = i18n.translations(request_language(request)).gettext

    def named(items: list[tuple[str, int]], table: dict[str, str]) -> list[tuple[str, int]]:
        return [(gettext(table[k]) if k in table else k, n) for k, n in items]

    cases = (case_counts(svc.store, actor_of(view))
             if allowed(view.role, Action.CASES_VIEW) else None)
    work = my_work(svc.store, actor_of(view)) if allowed(view.role, Action.CASES_WORK) else None
    soon = today() + dt.timedelta(days=DUE_SOON_DAYS)
    due_soon = ([t for t in my_tasks(svc.store, actor_of(view)) if today() <= t.task.due_on <= soon]
                if work is not None else [])
    regions = [(name or gettext("other or unknown"), n) for name, n in data.by_region]
    return pages(request).render(request, "dashboard.html", {
        "data": data, "cases": cases, "work": work, "due_soon": due_soon,
        "pairs_counted": PAIRS_COUNTED,
        "by_role": charts.bars(named(data.by_role, labels.RECORD_ROLES), gettext("By role")),
        "by_kind": charts.bars(named(data.by_kind, labels.KINDS), gettext("By kind of list")),
        "by_region": charts.bars(regions, gettext("By region of birth")),
        "by_month": charts.columns(data.by_month, gettext("By month of the event")),
        "imports_by_month": charts.columns(data.imports_by_month,
                                           gettext("Lists imported per month")),
        "json_twin": "/api/v1/dashboard"})
