"""The caseload page (``/cases``) and the forms that give a case an owner.

A GET form of filters and a search box for a name in any script, sort links on the
column heads, "page 3 of 14, 1,402 cases" with links, a CSV link for the same view (its
JSON twin's ``/api/v1/cases.csv``), a Claim button on unowned rows for those who work
cases, and for supervisors the team's load. A value the form cannot use is shown again
beside its field with what was typed, and the list is not filtered by it.

JSON twins: ``/api/v1/cases``, ``/api/v1/cases/{id}/claim``,
``/api/v1/cases/{id}/owner``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from kinlink.accounts import SessionView
from kinlink.api.caseload import OWNER, owner_of
from kinlink.api.children import actor_of
from kinlink.api.deps import allow, csrf_form
from kinlink.api.errors import status_for
from kinlink.domain.cases import CaseStatus
from kinlink.domain.permissions import Action
from kinlink.errors import ConflictError, InputRefusedError
from kinlink.usecases.caseload import (
    MAX_PER_PAGE,
    SORTS,
    CaseloadQuery,
    assign_case,
    caseload,
    caseload_problems,
    claim_case,
    team_people,
)
from kinlink.web.forms import Svc, see_other
from kinlink.web.i18n import N_
from kinlink.web.pages.cases import _case_page
from kinlink.web.pages.common import pages

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Text = Annotated[str, Query(max_length=200)]
_BACK = re.compile(r"^/cases(\?[\w%&=+.\-]*)?$")
_MESSAGES = {
    "born_from": N_("Type a year between 1900 and 2100."),
    "born_to": N_("Type a year between 1900 and 2100, not before the first."),
    "owner": N_("Choose from the list."),
    "status": N_("Choose from the list."),
    "sort": N_("Choose from the list."),
    "per_page": N_("Between 1 and 200 cases a page."),
    "q": N_("At most 200 characters."),
    "oblast": N_("At most 100 characters."),
}
"""The message beside a field the form cannot use (translated in the template)."""
_TAKEN = N_("Someone already works this case; a supervisor can give it to you.")
_NO_ACCOUNT = N_("Taking a case needs a kinlink account.")
_REFUSED = N_("This person cannot be given the case: only a supervisor or case worker of "
              "the case's agency can.")


def _year(text: str) -> int | None:
    return int(text) if re.fullmatch(r"\d{4}", text.strip()) else None


def _read(form: dict[str, str]) -> tuple[CaseloadQuery, dict[str, str]]:
    """The query the form describes, and a message per field it cannot use (that
    filter left out)."""
    errors: dict[str, str] = {}
    years: dict[str, int | None] = {}
    for name in ("born_from", "born_to"):
        years[name] = _year(form[name])
        if form[name].strip() and (years[name] is None
                                   or not 1900 <= (years[name] or 0) <= 2100):
            errors[name], years[name] = _MESSAGES[name], None
    status = None
    if form["status"]:
        if form["status"] in {s.value for s in CaseStatus}:
            status = CaseStatus(form["status"])
        else:
            errors["status"] = _MESSAGES["status"]
    owner = None
    if re.fullmatch(OWNER, form["owner"]):
        owner = owner_of(form["owner"])
    else:
        errors["owner"] = _MESSAGES["owner"]
    sort = form["sort"] or "name"
    if sort.lstrip("-") not in SORTS:
        errors["sort"], sort = _MESSAGES["sort"], "name"
    per_page = int(form["per_page"]) if form["per_page"].isdigit() else 25
    if not 1 <= per_page <= MAX_PER_PAGE:
        errors["per_page"], per_page = _MESSAGES["per_page"], 25
    query = CaseloadQuery(status, owner, form["oblast"].strip()[:100] or None,
                          years["born_from"], years["born_to"], form["has_candidates"] == "1",
                          form["waiting"] == "1", form["q"].strip() or None, sort.lstrip("-"),
                          sort.startswith("-"), 1, per_page)
    for name in caseload_problems(query):
        errors.setdefault(name, _MESSAGES.get(name, ""))
        if name in ("born_from", "born_to"):
            query = replace(query, born_to=None)
        if name in ("q", "oblast"):
            query = replace(query, text=None, place=None)
    return query, errors


@router.get("/cases", response_class=HTMLResponse)
def caseload_page(request: Request, svc: Svc,
                  view: Annotated[SessionView, Depends(allow(Action.CASES_VIEW))],
                  q: Text = "", status: Text = "", owner: Text = "", oblast: Text = "",
                  born_from: Text = "", born_to: Text = "", has_candidates: Text = "",
                  waiting: Text = "", sort: Text = "", per_page: Text = "",
                  page: Annotated[int, Query(ge=1, le=2**31 - 1)] = 1) -> HTMLResponse:
    """The caseload: a page of cases with the child's name, filters, sort, paging."""
    form = {"q": q, "status": status, "owner": owner, "oblast": oblast,
            "born_from": born_from, "born_to": born_to, "has_candidates": has_candidates,
            "waiting": waiting, "sort": sort, "per_page": per_page}
    query, errors = _read(form)
    found = caseload(svc.store, actor_of(view), replace(query, page=page))
    kept = {k: v for k, v in form.items() if v and k not in errors}
    people = team_people(svc.store, actor_of(view))

    def url(**changes: object) -> str:
        values: dict[str, object] = {**kept, **changes}
        return "/cases?" + urlencode({k: v for k, v in values.items() if v not in ("", None)})

    def sort_url(key: str) -> str:
        current = kept.get("sort", "name")
        return url(sort=f"-{key}" if current == key else key, page=None)

    return pages(request).render(request, "cases.html", {
        "found": found, "form": form, "errors": errors, "statuses": [s.value for s in
                                                                   CaseStatus],
        "people": people, "sort": kept.get("sort", "name"), "url": url,
        "sort_url": sort_url, "back": url(page=found.page),
        "csv_url": "/api/v1/cases.csv?" + urlencode(kept),
        "json_twin": "/api/v1/cases?" + urlencode({**kept, "page": found.page})},
        status_code=422 if errors else 200)


@router.post("/cases/{case_id}/claim", dependencies=[Depends(csrf_form)])
def claim_form(request: Request, case_id: Id, svc: Svc,
               view: Annotated[SessionView, Depends(allow(Action.CASES_WORK))],
               back: Annotated[str, Form(max_length=1000)] = "") -> Response:
    """Take the case; back to the caseload page it was claimed from, or to the case. A
    case someone else took meanwhile shows the case with who has it (409)."""
    try:
        claim_case(svc.store, actor_of(view), case_id)
    except ConflictError as exc:
        return _case_page(request, svc, view, case_id, {"owner_error": _TAKEN},
                          status_for(exc)[0])
    except InputRefusedError as exc:
        return _case_page(request, svc, view, case_id, {"owner_error": _NO_ACCOUNT},
                          status_for(exc)[0])
    if _BACK.match(back):
        return see_other(back)
    return see_other(f"/cases/{case_id}?claimed=true")


@router.post("/cases/{case_id}/owner", dependencies=[Depends(csrf_form)])
def owner_form(request: Request, case_id: Id, svc: Svc,
               view: Annotated[SessionView, Depends(allow(Action.CASES_ASSIGN))],
               user_id: Annotated[str, Form(max_length=12)] = "") -> Response:
    """Give the case to a person of the agency (empty: to nobody); a refusal shows the
    case again with the message beside the choice (422)."""
    if user_id and not user_id.isdigit():
        return _case_page(request, svc, view, case_id,
                          {"owner_error": N_("Choose from the list.")}, 422)
    try:
        assign_case(svc.store, actor_of(view), case_id, int(user_id) if user_id else None)
    except InputRefusedError as exc:
        return _case_page(request, svc, view, case_id, {"owner_error": _REFUSED},
                          status_for(exc)[0])
    return see_other(f"/cases/{case_id}?assigned=true")

