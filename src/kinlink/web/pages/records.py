"""Search across scripts, the record page and the lists (sources) with their sharing.

JSON twins: ``/api/v1/search``, ``/api/v1/records/{id}``, ``/api/v1/sources``.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from kinlink.accounts import SessionView
from kinlink.api.deps import allow, csrf_form
from kinlink.api.schemas import PRINTABLE
from kinlink.domain.permissions import Action, allowed
from kinlink.domain.retention import ErasureKind
from kinlink.errors import InputRefusedError
from kinlink.search import SearchQuery
from kinlink.usecases.erasure import erasure_of
from kinlink.usecases.records import read_record
from kinlink.usecases.registration import record_papers
from kinlink.usecases.search import search_records
from kinlink.usecases.sources import list_sources
from kinlink.web.forms import Svc, see_other
from kinlink.web.pages.common import pages

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
PAGE = 25


DATE = r"^(|\d{1,2}[./]\d{1,2}[./]\d{4}|\d{4}-\d{1,2}(-\d{1,2})?|\d{1,2}\.\d{4}|\d{4})$"
"""A date field: empty, or a date in a form the lists accept (read, and an impossible one
refused with its reason, by :func:`kinlink.search.query.birth_window`)."""


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request, svc: Svc,
    view: Annotated[SessionView, Depends(allow(Action.RECORDS_SEARCH))],
    q: Annotated[str, Query(max_length=200, pattern=PRINTABLE)] = "",
    birth_year: Annotated[str, Query(pattern=r"^(|(19|20)\d\d)$")] = "",
    born_from: Annotated[str, Query(max_length=10, pattern=DATE)] = "",
    born_to: Annotated[str, Query(max_length=10, pattern=DATE)] = "",
    role: Annotated[str, Query(pattern="^(|sought|found)$")] = "",
    sex: Annotated[str, Query(pattern="^(|M|F)$")] = "",
    page: Annotated[int, Query(ge=1, le=40)] = 1,
) -> HTMLResponse:
    """Type a name in any script, or a birth date; records ranked (exact first), with how
    each differs from what was typed, its child and case; pages with totals.

    The form sends every field, empty ones too: an empty filter is no filter.
    """
    year = int(birth_year) if birth_year else None
    found = None
    params = {k: v for k, v in (("q", q), ("birth_year", birth_year),
                                ("born_from", born_from), ("born_to", born_to),
                                ("role", role), ("sex", sex)) if v}
    refused = None
    if q.strip() or born_from or born_to:
        try:
            found = search_records(svc.store, svc.search, view.principal.acting, SearchQuery(
                q, year, role or None, sex or None, (page - 1) * PAGE, PAGE,
                born_from or None, born_to or None))
        except InputRefusedError as error:
            refused = error
    return pages(request).render(request, "search.html", {
        "refused": refused,
        "q": q, "birth_year": year, "born_from": born_from, "born_to": born_to,
        "role": role, "sex": sex, "result": found.result if found else None,
        "children": found.children if found else {},
        "page": page, "page_size": PAGE, "query_string": urlencode(params),
        "pages": _pages(found.result.total, PAGE) if found else 0,
        "json_twin": f"/api/v1/search?{urlencode(params)}" if params else None},
        status_code=400 if refused else 200)


def _pages(total: int, size: int) -> int:
    """How many pages ``total`` hits fill (the page number is at most 40)."""
    return min(40, -(-total // size))


@router.get("/records/{record_id}", response_class=HTMLResponse)
def record_page(request: Request, record_id: Id, svc: Svc,
                view: Annotated[SessionView, Depends(allow(Action.RECORDS_READ))]
                ) -> HTMLResponse:
    """One record beside its raw row and source; contacts only for roles that may."""
    detail = read_record(svc.store, view.principal.acting, record_id)
    return pages(request).render(request, "record.html", {
        "record": detail, "papers": record_papers(svc.store, view.principal.acting, record_id),
        "erased": erasure_of(svc.store, ErasureKind.RECORD, record_id),
        "reporter_erased": erasure_of(svc.store, ErasureKind.REPORTER, record_id),
        "json_twin": f"/api/v1/records/{record_id}"})


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request, svc: Svc,
                 view: Annotated[SessionView, Depends(allow(Action.SOURCES_VIEW))]
                 ) -> HTMLResponse:
    """The lists the agency sees, and (for supervisors) who they are shared with."""
    agencies = svc.admin.agencies() if allowed(view.role, Action.SOURCES_SHARE) else []
    return pages(request).render(request, "sources.html", {
        "sources": list_sources(svc.store, view.principal.acting), "agencies": agencies,
        "agency_names": {a.id: a.name for a in agencies}, "json_twin": "/api/v1/sources"})


@router.post("/sources/{source_id}/share", dependencies=[Depends(csrf_form)])
def share(source_id: Id, svc: Svc,
          view: Annotated[SessionView, Depends(allow(Action.SOURCES_SHARE))],
          agency_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
          stop: Annotated[bool, Form()] = False) -> Response:
    """Share a list with an agency (or stop sharing it)."""
    svc.admin.share_source(view.username, view.agency_id, source_id, agency_id,
                           share=not stop)
    return see_other("/sources")
