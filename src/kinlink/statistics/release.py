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

from kinlink.statistics import tables as _tables
from kinlink.statistics.facts import CaseFact
from kinlink.statistics.protect import (
    PROTECTION_WIDTH,
    ROUNDING_BASE,
    THRESHOLD,
    Layer,
    Reason,
    protect,
    rounded,
)
from kinlink.statistics.tables import TOTAL

__all__ = [
    "METHOD_VERSION", "PROTECTION_WIDTH", "ROUNDING_BASE", "TABLE_CODES", "THRESHOLD",
    "TOTAL", "CellStatus", "Preview", "PublishedCell", "PublishedTable", "Reason", "Release",
    "TableChanges", "build_release", "percentage", "prepare_release", "published_layer",
    "rounded",
]

METHOD_VERSION = "sdc-2"
"""The disclosure-control method: threshold 10 (zeros too), linked secondary suppression
checked by an LP attacker with protection width 10, rounding to 5; ``sdc-2``: between two
releases the attacker allows the least decrease the published figures prove (``sdc-1``
assumed strict growth and could not prepare a release after counts went down). Changes
when any of these does; every release carries the version it was built with."""

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
        return {
            "format": FORMAT,
            "method": self.method,
            "as_of": self.as_of.isoformat(),
            "previous_as_of": None if self.previous_as_of is None
            else self.previous_as_of.isoformat(),
            "threshold": THRESHOLD,
            "rounding_base": ROUNDING_BASE,
            "unit": "cases",
            "tables": [_table_json(t) for t in self.tables],
            "changes": [{"table": c.table, "cells": c.cells, "suppressed": c.suppressed,
                         "rounded": c.rounded, "changed_by_rounding": c.changed_by_rounding}
                        for c in self.changes],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Release:
        """The release :meth:`to_json` gave; ``ValueError`` if ``data`` is not one."""
        try:
            if data["format"] != FORMAT:
                raise ValueError("not a kinlink statistics release")
            previous = data.get("previous_as_of")
            return cls(
                as_of=dt.date.fromisoformat(data["as_of"]),
                tables=tuple(_table_from_json(t) for t in data["tables"]),
                changes=tuple(TableChanges(table=str(c["table"]), cells=int(c["cells"]),
                                           suppressed=int(c["suppressed"]),
                                           rounded=int(c["rounded"]),
                                           changed_by_rounding=int(c["changed_by_rounding"]))
                              for c in data["changes"]),
                method=str(data["method"]),
                previous_as_of=None if previous is None else dt.date.fromisoformat(previous),
            )
        except (KeyError, TypeError, AttributeError) as problem:
            raise ValueError(f"not a kinlink statistics release: {problem!r}") from problem


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
    if previous is not None and previous.as_of > as_of:
        raise ValueError("a release cannot be protected against a later one")
    skeletons = _tables.skeletons(as_of)
    raw = _tables.count(facts, as_of, skeletons)
    layout = _tables.layout(skeletons)
    values = {layout.key[(code, cell)]: n for code, cells in raw.items()
              for cell, n in cells.items()}
    outcome = protect(layout, values,
                      None if previous is None else published_layer(previous, "previous"))
    published: dict[str, dict[tuple[str, str], PublishedCell]] = {}
    reasons: dict[str, dict[tuple[str, str], Reason]] = {}
    changes, primary, secondary = [], {}, {}
    for sk in skeletons:
        cells: dict[tuple[str, str], PublishedCell] = {}
        why: dict[tuple[str, str], Reason] = {}
        for cell, n in raw[sk.code].items():
            reason = outcome.reasons.get(layout.key[(sk.code, cell)])
            if reason is None:
                cells[cell] = PublishedCell(rounded(n), CellStatus.ROUNDED)
            else:
                cells[cell] = PublishedCell(None, CellStatus.SUPPRESSED)
                why[cell] = reason
        published[sk.code], reasons[sk.code] = cells, why
        primary[sk.code] = sum(r is Reason.PRIMARY for r in why.values())
        secondary[sk.code] = sum(r is Reason.SECONDARY for r in why.values())
        changes.append(TableChanges(
            table=sk.code, cells=len(cells), suppressed=len(why),
            rounded=len(cells) - len(why),
            changed_by_rounding=sum(c.value is not None and c.value != raw[sk.code][k]
                                    for k, c in cells.items())))
    release = Release(
        as_of=as_of,
        tables=tuple(PublishedTable(
            code=sk.code, title=sk.title, definition=sk.definition,
            row_dimension=sk.row_dimension, column_dimension=sk.column_dimension,
            rows=sk.rows, columns=sk.columns, cells=published[sk.code],
            row_totals=sk.row_totals, column_totals=sk.column_totals) for sk in skeletons),
        changes=tuple(changes),
        previous_as_of=None if previous is None else previous.as_of,
    )
    return Preview(release=release, raw=raw, reasons=reasons, primary=primary,
                   secondary=secondary, solver_seconds=outcome.solver_seconds)


FORMAT = "kinlink-statistics-release"


def published_layer(release: Release, name: str) -> Layer:
    """What a reader knows of ``release``: its layout and published figures, by key."""
    layout = _tables.layout([_tables.Skeleton(
        code=t.code, title=t.title, definition=t.definition, row_dimension=t.row_dimension,
        column_dimension=t.column_dimension, rows=t.rows, columns=t.columns,
        row_totals=t.row_totals, column_totals=t.column_totals) for t in release.tables])
    published: dict[str, int | None] = {}
    for t in release.tables:
        for cell, figure in t.cells.items():
            published[layout.key[(t.code, cell)]] = figure.value
    return Layer(name, layout, published)


def _table_json(t: PublishedTable) -> dict[str, Any]:
    return {
        "code": t.code, "title": t.title, "definition": t.definition,
        "row_dimension": t.row_dimension, "column_dimension": t.column_dimension,
        "rows": list(t.rows), "columns": list(t.columns),
        "row_totals": t.row_totals, "column_totals": t.column_totals,
        "cells": [{"row": r, "column": c, "value": cell.value, "status": str(cell.status)}
                  for (r, c), cell in t.cells.items()],
    }


def _table_from_json(data: Mapping[str, Any]) -> PublishedTable:
    cells = {}
    for c in data["cells"]:
        value = c["value"]
        status = CellStatus(c["status"])
        if (value is None) != (status is CellStatus.SUPPRESSED):
            raise ValueError("a suppressed cell has no value, a published one has one")
        cells[(str(c["row"]), str(c["column"]))] = PublishedCell(
            None if value is None else int(value), status)
    column_dimension = data["column_dimension"]
    return PublishedTable(
        code=str(data["code"]), title=str(data["title"]), definition=str(data["definition"]),
        row_dimension=str(data["row_dimension"]),
        column_dimension=None if column_dimension is None else str(column_dimension),
        rows=tuple(str(r) for r in data["rows"]),
        columns=tuple(str(c) for c in data["columns"]),
        cells=cells, row_totals=bool(data["row_totals"]),
        column_totals=bool(data["column_totals"]))


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

