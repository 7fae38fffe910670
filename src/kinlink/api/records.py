"""``/api/v1/search``, ``/api/v1/records`` and ``/api/v1/sources``: find and read records
and see the lists they came from; share a list with another agency."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status

from kinlink.accounts import SessionView
from kinlink.api import convert, schemas
from kinlink.api.context import Services, services
from kinlink.api.deps import allow, csrf_header
from kinlink.api.schemas import PRINTABLE
from kinlink.domain.imports import SourceView
from kinlink.domain.permissions import Action
from kinlink.domain.records import Role, Sex
from kinlink.search import SearchQuery
from kinlink.usecases.records import read_record
from kinlink.usecases.search import search_records
from kinlink.usecases.sources import list_sources

__all__ = ["router"]

router = APIRouter(tags=["records"])
Svc = Annotated[Services, Depends(services)]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/search", response_model=schemas.SearchOut)
def search(
    svc: Svc,
    view: Annotated[SessionView, Depends(allow(Action.RECORDS_SEARCH))],
    q: Annotated[str, Query(max_length=200, pattern=PRINTABLE,
                            description="A name in any script or transliteration, "
                                        "optionally with a birth date (or a date alone)")
                 ] = "",
    birth_year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    born_from: Annotated[str | None, Query(max_length=10, description=(
        "Born on or after this date, in any accepted form: 2014-03-12, 12.03.2014, "
        "2014-03, 03.2014, 2014"))] = None,
    born_to: Annotated[str | None, Query(max_length=10, description=(
        "Born on or before this date (same forms)"))] = None,
    role: Role | None = None,
    sex: Sex | None = None,
    offset: Annotated[int, Query(ge=0, le=1000)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
) -> schemas.SearchOut:
    """Records whose name matches ``q`` across scripts, exact first, then variants; or
    born in a range; each with its child and case (audited). ``total`` counts them all."""
    return convert.search(search_records(svc.store, svc.search, view.principal.acting, SearchQuery(
        q, birth_year, role.value if role else None, sex.value if sex else None,
        offset, limit, born_from or None, born_to or None)))


@router.get("/records/{record_id}", response_model=schemas.RecordOut)
def record(record_id: Id, svc: Svc,
                view: Annotated[SessionView, Depends(allow(Action.RECORDS_READ))]
                ) -> schemas.RecordOut:
    """One record with its raw row and source; the reporter only for roles allowed to
    see contacts (audited; another agency's record is 404)."""
    return convert.record(read_record(svc.store, view.principal.acting, record_id))


@router.get("/sources", response_model=list[SourceView])
def sources(svc: Svc, view: Annotated[SessionView, Depends(allow(Action.SOURCES_VIEW))]
            ) -> list[SourceView]:
    """The lists the agency sees: its own and those shared with it."""
    return list_sources(svc.store, view.principal.acting)


@router.post("/sources/{source_id}/shares", status_code=status.HTTP_204_NO_CONTENT,
             dependencies=[Depends(csrf_header)])
def share_source(source_id: Id, body: schemas.ShareIn, svc: Svc,
                 view: Annotated[SessionView, Depends(allow(Action.SOURCES_SHARE))]) -> None:
    """Share one of the agency's lists with another agency."""
    svc.admin.share_source(view.username, view.agency_id, source_id, body.agency_id,
                           share=True)


@router.delete("/sources/{source_id}/shares/{agency_id}",
               status_code=status.HTTP_204_NO_CONTENT, dependencies=[Depends(csrf_header)])
def unshare_source(source_id: Id, agency_id: Id, svc: Svc,
                   view: Annotated[SessionView, Depends(allow(Action.SOURCES_SHARE))]) -> None:
    """Stop sharing a list with an agency."""
    svc.admin.share_source(view.username, view.agency_id, source_id, agency_id, share=False)
