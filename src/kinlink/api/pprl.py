"""``/api/v1/pprl``: import a linkage unit's pairs file for one of our lists, decide on a
record another party holds. The page twins are on ``/imports`` and the child's page."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Path, UploadFile
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, StringConstraints

from kinlink.accounts import SessionView
from kinlink.api.context import Services, services
from kinlink.api.deps import allow, csrf_header
from kinlink.api.schemas import PRINTABLE, DecisionText
from kinlink.domain.decisions import DecisionVerdict
from kinlink.domain.permissions import Action
from kinlink.domain.remote import RemoteCandidate
from kinlink.pprl.pairs import MAX_BYTES, Side
from kinlink.usecases.remote_candidates import MAX_PARTY, decide_remote, import_pairs

__all__ = ["router"]

router = APIRouter(tags=["pprl"])
Svc = Annotated[Services, Depends(services)]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Party = Annotated[str, Form(min_length=1, max_length=MAX_PARTY, pattern=PRINTABLE,
                            description="Who holds the other records")]


class PairsImportedOut(BaseModel):
    """What importing a pairs file did."""

    pairs: int
    new: int
    updated: int
    party: str
    list_id: int


class RemoteDecisionIn(BaseModel):
    """The verdict on a record another party holds, and why."""

    model_config = ConfigDict(extra="forbid")

    verdict: Literal["same", "different", "unsure"]
    note: DecisionText | None = None


class RemoteCandidateOut(BaseModel):
    """A record another party holds: the party, its reference, never its contents."""

    id: int
    record: int
    party: Annotated[str, StringConstraints(max_length=MAX_PARTY)]
    reference: str
    score: float
    probability: float
    imported_at: dt.datetime
    verdict: DecisionVerdict
    decided_by: str | None


def remote_out(found: RemoteCandidate) -> RemoteCandidateOut:
    """The JSON shape of a remote candidate."""
    return RemoteCandidateOut(id=found.id, record=found.record_pk, party=found.party,
                              reference=found.remote_ref, score=found.score,
                              probability=found.probability, imported_at=found.imported_at,
                              verdict=found.verdict, decided_by=found.decided_by)


@router.post("/pprl/pairs", response_model=PairsImportedOut,
             dependencies=[Depends(csrf_header)])
async def upload_pairs(
    svc: Svc,
    view: Annotated[SessionView, Depends(allow(Action.IMPORTS_CREATE))],
    file: Annotated[UploadFile, File(description="The pairs file `kinlink pprl link` "
                                                 "wrote, at most 64 MB")],
    party: Party,
    list_id: Annotated[int, Form(ge=1, le=2**31 - 1, description="Our list whose record "
                                                                  "ids the pairs name")],
    ours: Annotated[Side, Form(description="The column of our record ids")] = Side.LEFT,
) -> PairsImportedOut:
    """Keep the pairs as records the party holds that may be our children: all of them,
    or none if a row cannot be used (422, the first line and how many)."""
    data = await file.read(MAX_BYTES + 1)
    done = await run_in_threadpool(import_pairs, svc.store, view.principal.acting,
                                   file.filename or "pairs.csv", data, party=party,
                                   source_id=list_id, side=ours)
    return PairsImportedOut(pairs=done.pairs, new=done.new, updated=done.updated,
                            party=done.party, list_id=done.source_id)


@router.post("/pprl/remote/{candidate_id}/decision", response_model=RemoteCandidateOut,
             dependencies=[Depends(csrf_header)])
def decide(candidate_id: Id, body: RemoteDecisionIn, svc: Svc,
           view: Annotated[SessionView, Depends(allow(Action.REVIEW_DECIDE))]
           ) -> RemoteCandidateOut:
    """Decide whether a record another party holds is the same child as ours."""
    found = decide_remote(svc.store, view.principal.acting, candidate_id,
                          DecisionVerdict(body.verdict), body.note or None)
    return remote_out(found)
