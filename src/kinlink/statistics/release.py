"""A release of public statistics: complete tables, protected, built once, served as is.

:func:`prepare_release` counts the case facts as of a date into the tables of
:data:`TABLE_CODES`, applies disclosure control (``docs/statistics.md``) and returns a
:class:`Preview`: the :class:`Release` that may be published, beside the unprotected
counts and why each cell was changed, for the person preparing it. **Only
``Preview.release`` (and its :meth:`Release.to_json`) is safe to publish**;
``Preview.raw`` and ``Preview.reasons`` are for the preparer's eyes and never leave
kinlink. :func:`build_release` is the short way to the release alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kinlink.i18n import N_
from kinlink.statistics.facts import CaseFact

__all__ = [
    "METHOD_VERSION", "ROUNDING_BASE", "TABLE_CODES", "THRESHOLD", "TOTAL", "CellStatus",
    "Preview", "PublishedCell", "PublishedTable", "Reason", "Release", "TableChanges",
    "build_release", "percentage", "prepare_release",
]

THRESHOLD = 10
"""No published count below this (zero included): ``docs/statistics.md``."""

ROUNDING_BASE = 5
"""Published counts are rounded to the nearest multiple of this."""

METHOD_VERSION = "sdc-1"
"""The disclosure-control method: threshold 10 (zeros too), linked secondary suppression
checked by an LP attacker with protection width 10, rounding to 5. Changes when any of
these does; every release carries the version it was built with."""

TOTAL = "total"
"""The row (or column) key of totals in :attr:`PublishedTable.cells`."""

TABLE_CODES: tuple[str, ...] = (
    "milestones", "by_month", "by_oblast", "by_age_band", "by_sex", "returns_by_channel",
)


class CellStatus(StrEnum):
    """What the public sees of a cell. Deliberately never says *why* a cell is
    suppressed: telling the cells under 10 from those hidden to protect them would tell
    the small ones apart (the preparer sees the reason: :class:`Reason`)."""

    ROUNDED = "rounded"
    """The value shown is the count rounded to the nearest 5 (and is at least 10)."""
    SUPPRESSED = "suppressed"
    """Not shown: fewer than 10, or hidden so that a count under 10 cannot be worked out."""


class Reason(StrEnum):
    """Why disclosure control suppressed a cell (for the preparer only)."""

    PRIMARY = "primary"
    """The count is under 10 (zero included)."""
    SECONDARY = "secondary"
    """The count is 10 or more, hidden so that a suppressed cell cannot be worked out."""


@dataclass(frozen=True)
class PublishedCell:
    """One published figure: ``value`` the rounded count, ``None`` when suppressed."""

    value: int | None
    status: CellStatus

    @property
    def suppressed(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class PublishedTable:
    """One table of a release.

    ``title`` and ``definition`` are English gettext msgids (pages translate them);
    ``definition`` says in words what is counted (cases, never records, and from what
    date). ``rows`` and ``columns`` are category codes in display order (see
    :mod:`kinlink.statistics.facts` for their lists); ``column_dimension`` is ``None``
    for a one-column table whose single column is ``"children"``. ``cells`` maps
    ``(row, column)`` to its figure, totals included: ``(TOTAL, column)`` is a column's
    total; ``(row, TOTAL)`` and ``(TOTAL, TOTAL)`` exist only where the columns add up to
    a count of children (``row_totals``) — a child counted under several milestones is
    never summed across them.
    """

    code: str
    title: str
    definition: str
    row_dimension: str
    column_dimension: str | None
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: Mapping[tuple[str, str], PublishedCell]
    row_totals: bool = False
    column_totals: bool = True

    def cell(self, row: str, column: str) -> PublishedCell:
        return self.cells[(row, column)]


@dataclass(frozen=True)
class TableChanges:
    """What disclosure control changed in one table: how many cells it suppressed and
    how many it rounded (every published count is rounded; ``changed_by_rounding`` of them
    differ from the true count). Primary and secondary are told apart only in the
    :class:`Preview`."""

    table: str
    cells: int
    suppressed: int
    rounded: int
    changed_by_rounding: int


@dataclass(frozen=True)
class Release:
    """A complete, protected set of tables as of one date: what the public may see.

    ``previous_as_of`` is the date of the release it was protected against (differencing
    the two cannot recover a suppressed cell), ``None`` for a first release.
    """

    as_of: dt.date
    tables: tuple[PublishedTable, ...]
    changes: tuple[TableChanges, ...]
    method: str = METHOD_VERSION
    previous_as_of: dt.date | None = None

    def table(self, code: str) -> PublishedTable:
        for t in self.tables:
            if t.code == code:
                return t
        raise KeyError(code)

    def to_json(self) -> dict[str, Any]:
        """The release as plain JSON data (the public API's answer and what is stored)."""
        raise NotImplementedError

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Release:
        """The release :meth:`to_json` gave; ``ValueError`` if ``data`` is not one."""
        raise NotImplementedError


@dataclass(frozen=True)
class Preview:
    """A release being prepared: the publishable :attr:`release`, and for the preparer
    only the unprotected counts and why each changed cell changed. **Never publish or
    serialise ``raw`` or ``reasons``.**

    ``raw[table][(row, column)]`` is the true count; ``reasons[table][(row, column)]``
    is set for every suppressed cell. ``primary`` / ``secondary`` count them per table;
    ``solver_seconds`` is the time spent in the linear-programming solver.
    """

    release: Release
    raw: Mapping[str, Mapping[tuple[str, str], int]]
    reasons: Mapping[str, Mapping[tuple[str, str], Reason]]
    primary: Mapping[str, int] = field(default_factory=dict)
    secondary: Mapping[str, int] = field(default_factory=dict)
    solver_seconds: float = 0.0


def prepare_release(facts: Sequence[CaseFact], as_of: dt.date,
                    previous: Release | None = None) -> Preview:
    """Count ``facts`` as of ``as_of`` (milestones reached after it are not counted),
    protect the tables against ``previous`` (the last published release, if any) and
    return the preview."""
    raise NotImplementedError


def build_release(facts: Sequence[CaseFact], as_of: dt.date,
                  previous: Release | None = None) -> Release:
    """The publishable release of :func:`prepare_release`."""
    return prepare_release(facts, as_of, previous).release


def percentage(part: PublishedCell, whole: PublishedCell) -> float | None:
    """``part`` as a percentage of ``whole``, or ``None`` when either is suppressed or
    ``whole`` is under :data:`THRESHOLD`: no percentage on fewer than 10."""
    if part.value is None or whole.value is None or whole.value < THRESHOLD:
        return None
    return 100.0 * part.value / whole.value


_ = N_  # titles and definitions are marked where the tables are defined
