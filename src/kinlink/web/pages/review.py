"""The child page and review: a child's records side by side, and pairs to decide.

JSON twins: ``/api/v1/children/{id}``, ``/api/v1/children/{id}/identities``,
``/api/v1/review/queue``,
``/api/v1/review/decisions`` and ``/api/v1/review/undo``. Deciding is a plain form (one
button per verdict); the small script adds the keys ``s``, ``d``, ``u`` (same,
different, unsure), ``n`` (next pair) and ``z`` (undo the last decision).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from kinlink.accounts import SessionView
from kinlink.api.children import actor_of, explanation
from kinlink.api.deps import allow, csrf_form
from kinlink.api.schemas import PRINTABLE
from kinlink.domain.dates import PartialDate
from kinlink.domain.decisions import DecisionVerdict
from kinlink.domain.imports import SourceView
from kinlink.domain.permissions import Action, allowed
from kinlink.domain.records import RecordView
from kinlink.domain.retention import ErasureKind, Tombstone
from kinlink.linkage import Thresholds, default_spec
from kinlink.usecases.children import possible_identities, read_child
from kinlink.usecases.erasure import erasure_of
from kinlink.usecases.remote_candidates import decide_remote
from kinlink.usecases.review import (
    QueueFilter,
    decide_pair,
    review_queue,
    review_waiting,
    undo_decision,
)
from kinlink.usecases.sources import list_sources
from kinlink.web.forms import Svc, see_other
from kinlink.web.pages.common import pages

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
RecordField = Annotated[int, Form(ge=1, le=2**31 - 1)]
Note = Annotated[str, Form(max_length=1000, pattern=PRINTABLE)]
YEAR = r"^(|(19|20)\d\d)$"
SCORE = r"^(|0(\.\d{1,4})?|1(\.0{1,4})?)$"
SOURCE = r"^(|[1-9]\d{0,8})$"
MAX_SKIP = 50
CANDIDATES = 20
"""Candidates shown on a child's page (the strongest; the rest are in review)."""
FIRST_FEW = 5
"""Candidates shown open on a child's page and its identities; the rest behind
"show more" (a ``<details>`` on the child's page, ``?all=1`` on the identities)."""
RECORD = r"^(|[1-9]\d{0,9})$"


@router.get("/children/{record_id}", response_class=HTMLResponse)
def child_page(request: Request, record_id: Id, svc: Svc,
               view: Annotated[SessionView, Depends(allow(Action.CHILD_VIEW))]
               ) -> HTMLResponse:
    """Every record of the child side by side (columns are records), conflicts first,
    the child's cases with their history, and (for those who review) the candidates
    waiting for a person's decision, each with a link to decide it in review."""
    actor = actor_of(view)
    child = read_child(svc.store, actor, record_id)
    candidates = []
    if allowed(actor.role, Action.REVIEW_VIEW):
        mine = tuple(r.id for r in child.records)
        candidates = [(item, item.high if item.low.id in mine else item.low,
                       item.low.id if item.low.id in mine else item.high.id)
                      for item in review_queue(svc.store, actor, QueueFilter(records=mine),
                                               limit=CANDIDATES)]
    erased = {r.id: _erased(svc, r.id) for r in child.records}
    return pages(request).render(request, "child.html", {
        "child": child, "candidates": candidates, "first_few": FIRST_FEW,
        "erased": {pk: stone for pk, stone in erased.items() if stone is not None},
        "marks": _marks(default_spec().thresholds),
        "json_twin": f"/api/v1/children/{record_id}"})


@router.get("/children/{record_id}/identities", response_class=HTMLResponse)
def identities_page(request: Request, record_id: Id, svc: Svc,
                    view: Annotated[SessionView, Depends(allow(Action.CHILD_VIEW))],
                    decided: Annotated[str, Query(pattern=r"^(|\d{1,10})$")] = "",
                    all_: Annotated[str, Query(alias="all", pattern="^(|1)$")] = "",
                    ) -> HTMLResponse:
    """The records this child may be under another identity, strongest first, each with
    the model's reasons (the lists the agency sees), and a decision form on each; the
    first few only unless ``all=1``. A child already linked to other records says so
    first, and shows open only the records at or above the review threshold: the others
    (most often all of them, each near 0 %) wait behind a "show more"."""
    found = possible_identities(svc.store, actor_of(view), record_id)
    thresholds = default_spec().thresholds
    floor = thresholds.review if found.linked else 0.0
    above = [c for c in found.candidates if c.probability >= floor]
    below = [c for c in found.candidates if c.probability < floor]
    first = above if all_ else above[:FIRST_FEW]
    return pages(request).render(request, "identities.html", {
        "found": found, "decided": decided, "first": first, "below": below,
        "more": len(above) - len(first), "marks": _marks(thresholds),
        "json_twin": f"/api/v1/children/{record_id}/identities"})


@router.post("/children/{record_id}/identities/decide", dependencies=[Depends(csrf_form)])
def identity_decide_form(
    record_id: Id, svc: Svc,
    view: Annotated[SessionView, Depends(allow(Action.REVIEW_DECIDE))],
    candidate: RecordField, verdict: Annotated[DecisionVerdict, Form()], note: Note = "",
) -> Response:
    """A person's decision on the child and one of its possible identities (the JSON
    twin is ``POST /api/v1/review/decisions``). *Same child* links them and opens the
    child's page; otherwise the list comes back without that record."""
    decide_pair(svc.store, actor_of(view), record_id, candidate, verdict, note.strip() or None)
    if verdict is DecisionVerdict.SAME:
        return see_other(f"/children/{record_id}")
    return see_other(f"/children/{record_id}/identities?decided={candidate}")


@router.post("/children/{record_id}/remote/{candidate_id}/decide",
             dependencies=[Depends(csrf_form)])
def remote_decide_form(
    record_id: Id, candidate_id: Id, svc: Svc,
    view: Annotated[SessionView, Depends(allow(Action.REVIEW_DECIDE))],
    verdict: Annotated[DecisionVerdict, Form()], note: Note = "",
) -> Response:
    """A person's decision on a record another party holds (the JSON twin is ``POST
    /api/v1/pprl/remote/{id}/decision``); the child's page comes back."""
    decide_remote(svc.store, actor_of(view), candidate_id, verdict, note.strip() or None)
    return see_other(f"/children/{record_id}#remote-{candidate_id}")


@dataclass(frozen=True)
class Filters:
    """The review queue's filters as the query string (or the form) gives them."""

    source: str = ""
    region: str = ""
    born_from: str = ""
    born_to: str = ""
    min_score: str = ""
    record: str = ""

    def query(self) -> QueueFilter:
        """The filters for the service (an empty field is no filter)."""
        return QueueFilter(int(self.source) if self.source else None, self.region.strip() or None,
                           int(self.born_from) if self.born_from else None,
                           int(self.born_to) if self.born_to else None,
                           float(self.min_score) if self.min_score else None,
                           (int(self.record),) if self.record else None)

    def items(self) -> list[tuple[str, str]]:
        """The non-empty filters, to carry in links and forms."""
        return [(k, v) for k, v in (("source", self.source), ("region", self.region),
                                    ("born_from", self.born_from), ("born_to", self.born_to),
                                    ("min_score", self.min_score),
                                    ("record", self.record)) if v]

    def url(self, **more: str | int) -> str:
        """``/review`` with these filters and ``more``."""
        params = self.items() + [(k, str(v)) for k, v in more.items()]
        return "/review" + (f"?{urlencode(params)}" if params else "")


def query_filters(
    source: Annotated[str, Query(pattern=SOURCE)] = "",
    region: Annotated[str, Query(max_length=100, pattern=PRINTABLE)] = "",
    born_from: Annotated[str, Query(pattern=YEAR)] = "",
    born_to: Annotated[str, Query(pattern=YEAR)] = "",
    min_score: Annotated[str, Query(pattern=SCORE)] = "",
    record: Annotated[str, Query(pattern=RECORD)] = "",
) -> Filters:
    """The filters from the query string (``record``: the pairs of one record only, as
    the child's page links them)."""
    return Filters(source, region, born_from, born_to, min_score, record)


def form_filters(
    source: Annotated[str, Form(pattern=SOURCE)] = "",
    region: Annotated[str, Form(max_length=100, pattern=PRINTABLE)] = "",
    born_from: Annotated[str, Form(pattern=YEAR)] = "",
    born_to: Annotated[str, Form(pattern=YEAR)] = "",
    min_score: Annotated[str, Form(pattern=SCORE)] = "",
    record: Annotated[str, Form(pattern=RECORD)] = "",
) -> Filters:
    """The filters carried by a decision's form (to come back to the same queue)."""
    return Filters(source, region, born_from, born_to, min_score, record)


@dataclass(frozen=True)
class Side:
    """One record of the pair, as the review page shows it."""

    record: RecordView
    born: PartialDate | None
    event: PartialDate | None
    source_title: str | None
    source_kind: str | None
    erased: Tombstone | None = None

    @property
    def name(self) -> str:
        """The name as written."""
        return self.record.display_name or "—"


def _marks(thresholds: Thresholds) -> tuple[float, float]:
    """The probabilities a pair's is placed against on a page."""
    return (thresholds.match, thresholds.review)


def _placing(probability: float, thresholds: Thresholds) -> str:
    """Where a pair waiting for a person stands against the thresholds: ``above`` the
    automatic link (a rule held it back), ``between`` review and the automatic link, or
    ``below`` the review threshold."""
    if probability >= thresholds.match:
        return "above"
    return "between" if probability >= thresholds.review else "below"


def _erased(svc: Svc, record_pk: int) -> Tombstone | None:
    """The tombstone of an erased record (read through the page's own use case), so that
    its side reads "erased on …" and never blank."""
    return erasure_of(svc.store, ErasureKind.RECORD, record_pk)


def _side(svc: Svc, record: RecordView, sources: dict[int, SourceView]) -> Side:
    source = sources.get(record.source_id)
    return Side(record, record.birth, record.event, source.title if source else None,
                source.kind.value if source else None, _erased(svc, record.id))


@router.get("/review", response_class=HTMLResponse)
def review_page(
    request: Request, svc: Svc,
    view: Annotated[SessionView, Depends(allow(Action.REVIEW_VIEW))],
    filters: Annotated[Filters, Depends(query_filters)],
    skip: Annotated[int, Query(ge=0, le=MAX_SKIP)] = 0,
    done: Annotated[str, Query(pattern=r"^(|\d{1,10}-\d{1,10})$")] = "",
    verdict: Annotated[str, Query(pattern="^(|same|different|unsure|none)$")] = "",
    undone: Annotated[str, Query(pattern=r"^(|\d{1,10}-\d{1,10})$")] = "",
) -> HTMLResponse:
    """The next pair to decide, both records side by side with the model's reasons;
    ``skip`` passes over pairs for now, ``done`` names the pair just decided (to undo)."""
    items = review_queue(svc.store, actor_of(view), filters.query(), skip + 1)
    waiting = review_waiting(svc.store, actor_of(view), filters.query())
    item = items[skip] if len(items) > skip else None
    sources = list_sources(svc.store, view.principal.acting)
    by_id = {s.id: s for s in sources}
    pair = None
    if item is not None:
        pair = {"item": item, "low": _side(svc, item.low, by_id),
                "high": _side(svc, item.high, by_id),
                "why": explanation(item.pair.explanation),
                "placing": _placing(item.pair.match_probability, waiting.thresholds)}
    last = tuple(int(x) for x in done.split("-")) if done else None
    taken_back = tuple(int(x) for x in undone.split("-")) if undone else None
    twin = [("limit", "1"), *filters.items()]
    return pages(request).render(request, "review.html", {
        "pair": pair, "filters": filters, "sources": sources, "skip": skip,
        "waiting": waiting, "marks": _marks(waiting.thresholds),
        "next_url": filters.url(skip=skip + 1) if item is not None and skip < MAX_SKIP
        else None,
        "last": last, "last_verdict": verdict, "taken_back": taken_back,
        "json_twin": f"/api/v1/review/queue?{urlencode(twin)}"})


@router.post("/review/decide", dependencies=[Depends(csrf_form)])
def decide_form(
    svc: Svc,
    view: Annotated[SessionView, Depends(allow(Action.REVIEW_DECIDE))],
    filters: Annotated[Filters, Depends(form_filters)],
    low: RecordField, high: RecordField,
    verdict: Annotated[DecisionVerdict, Form()],
    note: Note = "",
) -> Response:
    """Record the decision, open a case for a reported child now linked, and show the
    next pair (with the decision to undo)."""
    row = decide_pair(svc.store, actor_of(view), low, high, verdict,
                      note.strip() or None).decision
    return see_other(filters.url(done=f"{row.record_low}-{row.record_high}",
                                 verdict=row.verdict))


@router.post("/review/undo", dependencies=[Depends(csrf_form)])
def undo_form(
    svc: Svc,
    view: Annotated[SessionView, Depends(allow(Action.REVIEW_DECIDE))],
    filters: Annotated[Filters, Depends(form_filters)],
    low: RecordField, high: RecordField,
) -> Response:
    """Take back the decision just made; the pair comes back to the queue."""
    row = undo_decision(svc.store, actor_of(view), low, high).decision
    return see_other(filters.url(undone=f"{row.record_low}-{row.record_high}",
                                 verdict=row.verdict))
