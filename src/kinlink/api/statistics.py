"""``/api/v1/public/statistics`` (JSON and CSV, no sign-in) and
``/api/v1/statistics/releases`` (preparing, previewing, publishing and withdrawing
releases; administrators and supervisors).

The public routes answer only each agency's newest published release, exactly as it was
published (the same release answers every request, so two requests cannot be
differenced), or 404 while no agency's public page is on. The preparers' routes add
each table's raw counts and the reason each suppressed cell is: they never reach the
public routes.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from fastapi.responses import Response
from pydantic import BaseModel

from kinlink.accounts import SessionView
from kinlink.api.children import actor_of
from kinlink.api.context import Services, services
from kinlink.api.deps import allow, csrf_header
from kinlink.domain.permissions import Action
from kinlink.errors import NotFoundError
from kinlink.i18n import N_, Wording
from kinlink.storage.statistics import StoredRelease
from kinlink.usecases import statistics
from kinlink.usecases.statistics import PublicRelease, ReleaseView

__all__ = ["NOTHING_PUBLISHED", "ReleaseOut", "ReleaseSummaryOut", "router"]

router = APIRouter(tags=["statistics"])
Svc = Annotated[Services, Depends(services)]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Preparer = Annotated[SessionView, Depends(allow(Action.STATISTICS_PUBLISH))]
Switcher = Annotated[SessionView, Depends(allow(Action.STATISTICS_SWITCH))]

NOTHING_PUBLISHED = Wording("statistics.nothing_published", N_(
    "no statistics are published here: no release has been published, or the public "
    "page is switched off"))


def published(svc: Services) -> list[PublicRelease]:
    """The releases the public sees; 404 (``statistics.nothing_published``) for none."""
    found = statistics.public_releases(svc.store)
    if not found:
        raise NotFoundError(NOTHING_PUBLISHED())
    return found


@router.get("/public/statistics")
def public_statistics(svc: Svc) -> dict[str, Any]:
    """Each agency's newest published release: its tables with their definitions, the
    as-of date, what was changed by disclosure control; suppressed cells are ``null``.
    Counts are of cases, not records. No sign-in."""
    return {"counts": "cases, not records",
            "suppressed": "fewer than 10, or hidden so that a count under 10 cannot be "
                          "worked out",
            "releases": [{"agency": p.agency, "published_at": p.published_at.isoformat(),
                          "release": p.release.to_json()} for p in published(svc)]}


@router.get("/public/statistics.csv")
def public_statistics_csv(svc: Svc) -> Response:
    """The same releases as CSV, one line per cell (``fewer than 10`` where suppressed),
    every cell neutralised against spreadsheet formulas. No sign-in."""
    return Response(statistics.public_csv(published(svc)), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="statistics.csv"'})


class ReleaseSummaryOut(BaseModel):
    """A release in the list: no counts."""

    id: int
    as_of: dt.date
    status: str
    previous_id: int | None
    prepared_by: str
    prepared_at: dt.datetime
    published_by: str | None
    published_at: dt.datetime | None
    withdrawn_by: str | None
    withdrawn_at: dt.datetime | None

    @classmethod
    def of(cls, r: StoredRelease) -> ReleaseSummaryOut:
        return cls(id=r.id, as_of=r.as_of, status=r.status, previous_id=r.previous_id,
                   prepared_by=r.prepared_by, prepared_at=r.prepared_at,
                   published_by=r.published_by, published_at=r.published_at,
                   withdrawn_by=r.withdrawn_by, withdrawn_at=r.withdrawn_at)


class RawCellOut(BaseModel):
    """One cell of a table as counted, before disclosure control."""

    row: str
    column: str
    count: int


class ReasonOut(BaseModel):
    """Why one cell of a table is suppressed."""

    row: str
    column: str
    reason: str


class ReleaseOut(ReleaseSummaryOut):
    """A release for its preparers: what the public sees (``release``), and beside it
    each table's raw counts and why each suppressed cell is (never public)."""

    release: dict[str, Any]
    raw: dict[str, list[RawCellOut]]
    reasons: dict[str, list[ReasonOut]]

    @classmethod
    def of_view(cls, v: ReleaseView) -> ReleaseOut:
        base = ReleaseSummaryOut.of(v.stored).model_dump()
        return cls(**base, release=v.release.to_json(),
                   raw={t: [RawCellOut(row=r, column=c, count=n)
                            for (r, c), n in cells.items()] for t, cells in v.raw.items()},
                   reasons={t: [ReasonOut(row=r, column=c, reason=why)
                                for (r, c), why in cells.items()]
                            for t, cells in v.reasons.items()})


class PrepareIn(BaseModel):
    """The day the figures stand at (today when left out)."""

    as_of: dt.date | None = None


class SwitchIn(BaseModel):
    """The public page on or off."""

    enabled: bool


@router.get("/statistics/releases", response_model=list[ReleaseSummaryOut])
def list_releases(svc: Svc, view: Preparer) -> list[ReleaseSummaryOut]:
    """Your agency's releases, newest first."""
    return [ReleaseSummaryOut.of(r)
            for r in statistics.list_releases(svc.store, actor_of(view))]


@router.post("/statistics/releases", response_model=ReleaseOut, status_code=201,
             dependencies=[Depends(csrf_header)])
def prepare(body: PrepareIn, svc: Svc, view: Preparer) -> ReleaseOut:
    """Prepare a draft release of your agency's statistics."""
    return ReleaseOut.of_view(statistics.prepare_release(svc.store, actor_of(view),
                                                         body.as_of))


@router.get("/statistics/releases/{release_id}", response_model=ReleaseOut)
def preview(release_id: Id, svc: Svc, view: Preparer) -> ReleaseOut:
    """A release with its raw counts (your agency's only)."""
    return ReleaseOut.of_view(statistics.preview_release(svc.store, actor_of(view),
                                                         release_id))


@router.post("/statistics/releases/{release_id}/publish", response_model=ReleaseOut,
             dependencies=[Depends(csrf_header)])
def publish(release_id: Id, svc: Svc, view: Preparer) -> ReleaseOut:
    """Publish a draft: the public sees it from now on."""
    return ReleaseOut.of_view(statistics.publish_release(svc.store, actor_of(view),
                                                         release_id))


@router.post("/statistics/releases/{release_id}/withdraw", response_model=ReleaseOut,
             dependencies=[Depends(csrf_header)])
def withdraw(release_id: Id, svc: Svc, view: Preparer) -> ReleaseOut:
    """Withdraw a release."""
    return ReleaseOut.of_view(statistics.withdraw_release(svc.store, actor_of(view),
                                                          release_id))


@router.put("/statistics/public", response_model=SwitchIn,
            dependencies=[Depends(csrf_header)])
def switch(body: SwitchIn, svc: Svc, view: Switcher) -> SwitchIn:
    """Switch your agency's public statistics page on or off."""
    statistics.switch_public(svc.store, actor_of(view), body.enabled)
    return body
