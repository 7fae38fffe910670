"""A person's decision about a pair of records: the same child, different, or unsure.

Decisions are append-only facts. A new decision on the same pair supersedes the old one
(which stays in history); undo is a new decision restoring what was there before. The
pair is unordered: (a, b) and (b, a) are one pair, stored with the smaller id first.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["DecisionVerdict", "PairKey"]


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
