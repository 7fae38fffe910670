"""Remote candidates: a record another party holds that privacy-preserving linkage pairs
with one of ours. kinlink knows of it only the party's name and its opaque record id."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kinlink.domain.decisions import DecisionVerdict

__all__ = ["RemoteCandidate", "RemotePair"]


@dataclass(frozen=True)
class RemotePair:
    """One row of a linkage unit's pairs file: our record id (as in our list), the other
    party's opaque record id, the score and the match probability."""

    line: int
    our_id: str
    remote_ref: str
    score: float
    probability: float


@dataclass(frozen=True)
class RemoteCandidate:
    """A record held by ``party`` (known by ``remote_ref`` only) that may be the same
    child as our record ``record_pk``, with the decision in force on it."""

    id: int
    record_pk: int
    source_id: int
    agency_id: int
    party: str
    remote_ref: str
    score: float
    probability: float
    imported_at: dt.datetime
    verdict: DecisionVerdict
    decided_by: str | None = None
