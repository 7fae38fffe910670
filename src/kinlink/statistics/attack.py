"""The attacker: how much of each suppressed cell can be worked out from what is published.

For every suppressed cell of a release, :func:`attack` solves two linear programmes (the
least and the greatest value the cell can take) under everything a reader knows: each
published count as the interval its rounding allows (``[max(10, v - 2), v + 2]``), every
count non-negative, each table's cells adding up to its totals, the same figure (a
milestone's total) equal in every table that shows it, and, given the release before,
that every count is at least what it was then (releases are cumulative). A release is
safe when every interval is at least :data:`PROTECTION_WIDTH` wide.
"""

from __future__ import annotations

from dataclasses import dataclass

from kinlink.statistics.release import Release

__all__ = ["PROTECTION_WIDTH", "CellInterval", "attack", "narrowest"]

PROTECTION_WIDTH = 10
"""The rule (``docs/statistics.md``): the attacker's interval for a suppressed cell must be
at least this wide, so a count under 10 can be neither told apart from one of 10 or more
nor told from zero."""


@dataclass(frozen=True)
class CellInterval:
    """The values one suppressed cell can take: ``release`` says which release (its
    ``as_of``), ``table``, ``row`` and ``column`` which cell."""

    release: str
    table: str
    row: str
    column: str
    low: float
    high: float

    @property
    def width(self) -> float:
        return self.high - self.low


def attack(release: Release, previous: Release | None = None) -> list[CellInterval]:
    """The interval of every suppressed cell of ``release`` (and of ``previous``, whose
    cells the newer release may narrow), given every published figure of both."""
    raise NotImplementedError


def narrowest(intervals: list[CellInterval]) -> CellInterval | None:
    """The interval with the least width, ``None`` when nothing is suppressed."""
    return min(intervals, key=lambda i: i.width, default=None)
