"""A person's decision about a pair of records: the same child, different, or unsure.

Decisions are append-only facts. A new decision on the same pair supersedes the old one
(which stays in history); undo is a new decision restoring what was there before. The
pair is unordered: (a, b) and (b, a) are one pair, stored with the smaller id first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = ["CandidatePair", "Decision", "DecisionVerdict", "PairKey"]


class DecisionVerdict(StrEnum):
    """What a person decided; ``none`` is what undoing a first decision leaves."""

    SAME = "same"
    DIFFERENT = "different"
    UNSURE = "unsure"
    NONE = "none"


@dataclass(frozen=True, order=True)
class PairKey:
    """Two record ids, smaller first."""

    low: int
    high: int

    @classmethod
    def of(cls, a: int, b: int) -> PairKey:
        """The key of the pair (a, b), in either order; a record is never paired with
        itself."""
        if a == b:
            raise ValueError("a record cannot be paired with itself")
        return cls(min(a, b), max(a, b))


@dataclass(frozen=True)
class Decision:
    """One decision as kept: who decided what about which pair, when and why, and the
    decision it superseded (``None`` for the first on the pair)."""

    id: int
    record_low: int
    record_high: int
    verdict: DecisionVerdict
    actor: str
    decided_at: dt.datetime
    note: str | None
    supersedes_id: int | None
    low_version: int | None = None
    """The version of ``record_low`` the person saw (``None``: decided before records
    had versions)."""
    high_version: int | None = None
    """The version of ``record_high`` the person saw."""

    @property
    def pair(self) -> PairKey:
        """The pair decided on."""
        return PairKey(self.record_low, self.record_high)


@dataclass(frozen=True)
class CandidatePair:
    """Two records the model scored, as the latest run saw them: its weight and
    probability, its decision (``match`` links them without review, ``review`` sends
    them to a person) and its reasons, field by field (the stored explanation)."""

    id: int
    record_low: int
    record_high: int
    match_weight: float
    match_probability: float
    decision: str
    explanation: dict[str, Any]

    @property
    def pair(self) -> PairKey:
        """The two records."""
        return PairKey(self.record_low, self.record_high)
