"""The tables of a release: what each counts, its fixed rows and columns, and how its
figures are tied together (the same figure in several tables, totals, nesting).

Counting is plain; what matters for disclosure control is :func:`layout`: every figure of
a release gets one key, a figure shown in several tables (a milestone's total recurs in
every table) gets the *same* key, and the relations a reader can rely on are listed —
each column adds up to its total, and no category has more cases at any milestone than
were reported in it (every case begins as a report). The attacker and the secondary
suppression use exactly this layout, so they reason about the same facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from kinlink.i18n import N_
from kinlink.statistics.facts import (
    AGE_BANDS,
    MILESTONES,
    OBLASTS,
    RETURN_CHANNELS,
    SEXES,
    UNKNOWN,
    CaseFact,
    oblast_code,
)

__all__ = ["CHILDREN", "EARLIER", "FIRST_MONTH", "TOTAL", "Layout", "Skeleton", "count",
           "layout", "month_rows", "skeletons"]

TOTAL = "total"
CHILDREN = "children"
"""The single column of a table without a column dimension."""
EARLIER = "earlier"
"""The month row gathering every date before :data:`FIRST_MONTH`."""
FIRST_MONTH = dt.date(2022, 2, 1)
"""The full-scale invasion: months are shown one by one from here."""

REPORTED = "reported"


@dataclass(frozen=True)
class Skeleton:
    """A table without its figures (see :class:`kinlink.statistics.release.PublishedTable`
    for the fields)."""

    code: str
    title: str
    definition: str
    row_dimension: str
    column_dimension: str | None
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    row_totals: bool = False
    column_totals: bool = True

    def cells(self) -> list[tuple[str, str]]:
        """Every cell, totals included, in display order."""
        out = [(r, c) for r in self.rows for c in self.columns]
        if self.row_totals:
            out = [cell for r in self.rows for cell in
                   ([(r, c) for c in self.columns] + [(r, TOTAL)])]
        if self.column_totals:
            out += [(TOTAL, c) for c in self.columns]
            if self.row_totals:
                out.append((TOTAL, TOTAL))
        return out


def month_rows(as_of: dt.date) -> tuple[str, ...]:
    """``earlier`` and every month from February 2022 to ``as_of``'s, as ``YYYY-MM``."""
    rows = [EARLIER]
    year, month = FIRST_MONTH.year, FIRST_MONTH.month
    while (year, month) <= (as_of.year, as_of.month):
        rows.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(rows)


def skeletons(as_of: dt.date) -> tuple[Skeleton, ...]:
    """The tables of a release as of ``as_of``, in the order they are shown."""
    return (
        Skeleton(
            "milestones", N_("Children by milestone reached"),
            N_("Cases (one per child, never one per record) that had reached each "
               "milestone by the release's date. A case counts under every milestone it "
               "has reached, so the figures are not added up."),
            "milestone", None, MILESTONES, (CHILDREN,), column_totals=False),
        Skeleton(
            "by_month", N_("Children by the month each milestone was reached"),
            N_("Cases that first reached each milestone in each month (the first row "
               "gathers dates before February 2022). Each column adds up to the "
               "milestone's total."),
            "month", "milestone", month_rows(as_of), MILESTONES),
        Skeleton(
            "by_oblast", N_("Children by oblast of origin"),
            N_("Cases that had reached each milestone by the release's date, by the "
               "oblast the child was taken from; unknown when it is not recorded."),
            "oblast", "milestone", (*OBLASTS, UNKNOWN), MILESTONES),
        Skeleton(
            "by_age_band", N_("Children by age at removal"),
            N_("Cases that had reached each milestone by the release's date, by the "
               "child's age when taken; 'adult now' counts children who have turned 18 "
               "since."),
            "age_band", "milestone", AGE_BANDS, MILESTONES),
        Skeleton(
            "by_sex", N_("Children by sex"),
            N_("Cases that had reached each milestone by the release's date, by the "
               "child's sex as recorded."),
            "sex", "milestone", SEXES, MILESTONES),
        Skeleton(
            "returns_by_channel", N_("Children returned, by how they came back"),
            N_("Cases that had been returned by the release's date, by the way the child "
               "came back: through a state mediator, an international organisation, an "
               "envoy, a non-governmental organisation, brought back by the family, "
               "another way, or not known."),
            "return_channel", None, RETURN_CHANNELS, (CHILDREN,)),
    )


def _dates(fact: CaseFact, as_of: dt.date) -> dict[str, dt.date]:
    """The milestones ``fact`` had reached by ``as_of``; a case that reached any milestone
    had been reported by then (a missing or later report date is taken as the earliest
    date), so every count is at most the reported one."""
    dates = {m: d for m in MILESTONES if (d := fact.reached(m, as_of)) is not None}
    if dates:
        dates[REPORTED] = min(dates.values())
    return dates


def _month(day: dt.date) -> str:
    return EARLIER if day < FIRST_MONTH else f"{day.year:04d}-{day.month:02d}"


def count(facts: Iterable[CaseFact], as_of: dt.date,
          tables: Sequence[Skeleton]) -> dict[str, dict[tuple[str, str], int]]:
    """The true count of every cell of ``tables`` (totals included)."""
    raw = {t.code: dict.fromkeys(t.cells(), 0) for t in tables}

    def add(code: str, row: str, column: str) -> None:
        cells = raw[code]
        cells[(row, column)] += 1
        if (TOTAL, column) in cells:
            cells[(TOTAL, column)] += 1

    for fact in facts:
        dates = _dates(fact, as_of)
        oblast = oblast_code(fact.oblast)
        age = fact.age_band if fact.age_band in AGE_BANDS else UNKNOWN
        sex = fact.sex if fact.sex in SEXES else UNKNOWN
        for milestone, day in dates.items():
            add("milestones", milestone, CHILDREN)
            add("by_month", _month(day), milestone)
            add("by_oblast", oblast, milestone)
            add("by_age_band", age, milestone)
            add("by_sex", sex, milestone)
        if "returned" in dates:
            channel = fact.return_channel or UNKNOWN
            add("returns_by_channel", channel if channel in RETURN_CHANNELS else "other",
                CHILDREN)
    return raw


@dataclass(frozen=True)
class Layout:
    """How the figures of a release are tied together.

    ``key[(table, (row, column))]`` is the figure's key (shared by the same figure in
    several tables); ``groups`` are ``(total, members)``: the members add up to the
    total; ``at_most`` are ``(smaller, larger)`` pairs; ``cells`` lists every
    ``(table, (row, column))``.
    """

    key: Mapping[tuple[str, tuple[str, str]], str]
    groups: tuple[tuple[str, tuple[str, ...]], ...]
    at_most: tuple[tuple[str, str], ...]
    totals: frozenset[str]

    def figures(self) -> list[str]:
        """Every distinct figure key, in a stable order."""
        return list(dict.fromkeys(self.key.values()))


def _milestone_key(milestone: str) -> str:
    return f"milestone/{milestone}"


def layout(tables: Sequence[Skeleton]) -> Layout:
    """The :class:`Layout` of ``tables`` (of a release being built or a published one)."""
    key: dict[tuple[str, tuple[str, str]], str] = {}
    groups: list[tuple[str, tuple[str, ...]]] = []
    at_most: list[tuple[str, str]] = []
    for t in tables:
        for row, column in t.cells():
            if t.code == "milestones":
                k = _milestone_key(row)
            elif t.column_dimension == "milestone" and row == TOTAL:
                k = _milestone_key(column)
            elif t.code == "returns_by_channel" and row == TOTAL:
                k = _milestone_key("returned")
            else:
                k = f"{t.code}/{row}/{column}"
            key[(t.code, (row, column))] = k
        if t.column_totals:
            for column in t.columns:
                groups.append((key[(t.code, (TOTAL, column))],
                               tuple(key[(t.code, (r, column))] for r in t.rows)))
        if t.row_totals:
            for row in (*t.rows, *((TOTAL,) if t.column_totals else ())):
                groups.append((key[(t.code, (row, TOTAL))],
                               tuple(key[(t.code, (row, c))] for c in t.columns)))
        if t.column_dimension == "milestone" and t.row_dimension != "month":
            for row in (*t.rows, TOTAL):
                for column in t.columns:
                    if column != REPORTED and (row, column) in dict.fromkeys(t.cells()):
                        at_most.append((key[(t.code, (row, column))],
                                        key[(t.code, (row, REPORTED))]))
    totals = frozenset(g[0] for g in groups)
    return Layout(key=key, groups=tuple(groups), at_most=tuple(dict.fromkeys(at_most)),
                  totals=totals)
