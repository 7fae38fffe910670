"""``/api/v1/cases`` (the caseload), ``/api/v1/cases.csv``, a case's owner and
``/api/v1/work``: the JSON twins of the caseload page, the case page's owner form and
the dashboard's "my work".

Each route calls one use case of :mod:`kinlink.usecases.caseload` as the signed-in
person; the query parameters of the list and of the CSV are the same, so the CSV is the
view on the screen, every page of it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from kinlink.accounts import SessionView
from kinlink.api import convert, schemas
from kinlink.api.children import actor_of
from kinlink.api.context import Services, services
from kinlink.api.deps import allow, csrf_header
from kinlink.api.schemas import PRINTABLE
from kinlink.domain.cases import CaseStatus
from kinlink.domain.permissions import Action
from kinlink.usecases.caseload import (
    MAX_PER_PAGE,
    SORTS,
    CaseloadItem,
    CaseloadQuery,
    MyWork,
    Owner,
    TeamLoad,
    assign_case,
    caseload,
    claim_case,
    export_caseload,
    my_work,
)

__all__ = ["caseload_query", "item_out", "router", "team_out", "work_out"]

router = APIRouter(tags=["review and cases"])
Svc = Annotated[Services, Depends(services)]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
OWNER = "^(|me|nobody|[1-9][0-9]{0,9})$"
SORT = "^-?(" + "|".join(SORTS) + ")$"


def owner_of(text: str) -> Owner:
    """The owner filter as typed: ``me``, ``nobody``, a user's id, or none."""
    if text in ("me", "nobody"):
        return text  # type: ignore[return-value]
    return int(text) if text else None


def caseload_query(
    status: CaseStatus | None = None,
    owner: Annotated[str, Query(pattern=OWNER, description="me, nobody or a user's id")] = "",
    oblast: Annotated[str, Query(max_length=100, pattern=PRINTABLE,
                                 description="part of the birth or last known place")] = "",
    born_from: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    born_to: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    has_candidates: bool = False,
    waiting: Annotated[bool, Query(description="waiting for a mediator's answer")] = False,
    q: Annotated[str, Query(max_length=200, pattern=PRINTABLE,
                            description="a name in any script")] = "",
    sort: Annotated[str, Query(pattern=SORT, description="a key; '-' before it: "
                                                         "descending")] = "name",
    page: Annotated[int, Query(ge=1, le=2**31 - 1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 25,
) -> CaseloadQuery:
    """The caseload's query parameters (the same for the list and the CSV)."""
    return CaseloadQuery(status, owner_of(owner), oblast.strip() or None, born_from, born_to,
                         has_candidates, waiting, q.strip() or None, sort.lstrip("-"),
                         sort.startswith("-"), page, per_page)


Asked = Annotated[CaseloadQuery, Depends(caseload_query)]


def item_out(item: CaseloadItem) -> schemas.CaseloadItemOut:
    """One row of the caseload on the wire."""
    return schemas.CaseloadItemOut(
        id=item.case_id, status=item.status, version=item.version,
        sought_record=item.record_pk, name=item.name,
        birth_date=item.birth.isoformat() if item.birth else None, oblast=item.oblast,
        place=item.place, in_status_since=item.in_status_since,
        days_in_status=item.days_in_status, owner_id=item.owner_id, owner=item.owner,
        last_activity_at=item.last_activity_at, candidates_waiting=item.candidates,
        waiting_for_answer=item.waiting)


def team_out(team: list[TeamLoad] | None) -> list[schemas.TeamLoadOut] | None:
    """The team's load on the wire."""
    if team is None:
        return None
    return [schemas.TeamLoadOut(user_id=t.user_id, username=t.username, role=t.role,
                                by_status={s.value: n for s, n in t.by_status},
                                open_cases=t.open_cases, overdue_tasks=t.overdue)
            for t in team]


def work_out(work: MyWork) -> schemas.WorkOut:
    """"My work" on the wire."""
    return schemas.WorkOut(
        pairs_waiting=work.pairs_waiting, my_cases={s.value: n for s, n in work.my_cases},
        overdue_tasks=[schemas.OverdueTaskOut(id=t.task_id, case_id=t.case_id, title=t.title,
                                              due_on=t.due_on) for t in work.overdue],
        waiting_longest=[item_out(i) for i in work.waiting_longest], team=team_out(work.team))


@router.get("/cases", response_model=schemas.CaseloadOut)
def cases(svc: Svc, view: Annotated[SessionView, Depends(allow(Action.CASES_VIEW))],
          asked: Asked) -> schemas.CaseloadOut:
    """The caseload: a page of the cases the agency sees with the child's name as
    reported, the total and the pages (a page past the last answers the last); filters,
    sort and a name in any script. Audited (counts)."""
    found = caseload(svc.store, actor_of(view), asked)
    return schemas.CaseloadOut(items=[item_out(i) for i in found.items], total=found.total,
                               page=found.page, per_page=found.per_page, pages=found.pages,
                               team=team_out(found.team))


@router.get("/cases.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}})
def cases_csv(svc: Svc, view: Annotated[SessionView, Depends(allow(Action.CASES_VIEW))],
              asked: Asked) -> Response:
    """Every page of the same view as CSV, cells neutralised against spreadsheet
    formulas (audited ``cases.exported`` with the count)."""
    text = export_caseload(svc.store, actor_of(view), asked)
    return Response(text.encode("utf-8-sig"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="cases.csv"',
                             "Cache-Control": "no-store"})


@router.post("/cases/{case_id}/owner", response_model=schemas.CaseOut,
             dependencies=[Depends(csrf_header)])
def set_owner(case_id: Id, body: schemas.OwnerIn, svc: Svc,
              view: Annotated[SessionView, Depends(allow(Action.CASES_ASSIGN))]
              ) -> schemas.CaseOut:
    """Give the case to a supervisor or case worker of the agency (``null``: to nobody).
    422 when the person may not own it."""
    return convert.case(assign_case(svc.store, actor_of(view), case_id, body.user_id))


@router.post("/cases/{case_id}/claim", response_model=schemas.CaseOut,
             dependencies=[Depends(csrf_header)])
def claim(case_id: Id, svc: Svc,
          view: Annotated[SessionView, Depends(allow(Action.CASES_WORK))]) -> schemas.CaseOut:
    """Take a case nobody owns (409 when someone does)."""
    return convert.case(claim_case(svc.store, actor_of(view), case_id))


@router.get("/work", response_model=schemas.WorkOut)
def work(svc: Svc, view: Annotated[SessionView, Depends(allow(Action.CASES_VIEW))]
         ) -> schemas.WorkOut:
    """What to do first: pairs waiting, one's cases by status, overdue tasks, the
    children waiting longest for a mediator's answer; a supervisor's team (audited)."""
    return work_out(my_work(svc.store, actor_of(view)))
