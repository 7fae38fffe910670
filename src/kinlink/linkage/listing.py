"""Why a record is listed among a child's possible identities, in words.

An adoption may replace a child's surname, patronymic, given name and birthplace and
move the birth date by up to three months (Russian Family Code art. 134–135). What it
leaves is what a record of the other role is listed by, once the sex the lists give
does not contradict the child's (the store checks that when it reads them):

- both records give a birth date: the two lie within three months of each other,
  the date as written or with day and month swapped (:func:`in_window`). Nothing else
  is asked: what else agrees only ranks them.
- one of them gives none: something else an adoption usually leaves must agree — the
  given name (the same in any language, a diminutive or a similar spelling), the birth
  place, the last known place, a brother or sister with the same age difference, the
  move (the same institution, or moved within three days) — and the given names must
  not be two different names (with no date either, nothing would be left to tie the
  record to the child).

The ties are the linkage spec's own comparisons at named levels (:data:`TIES`), read
from the levels the model's scoring found for the pair; the move (``cohort``: the same
institution, or moved within three days) is one of them. Group mates linked to group
mates (:data:`MOVED_WITH`) rank a listed record higher and are said of it, but list
nothing. Each reason is marked for translation and shown in the reader's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from kinlink.domain.dates import PartialDate
from kinlink.i18n import N_

__all__ = ["BORN_NEAR", "CONTRADICTIONS", "MOVED_WITH", "NO_CHILD_DATE", "NO_DATE", "TIES",
           "WINDOW_DAYS", "Reason", "Tie", "in_window", "reasons"]

WINDOW_DAYS = 92
"""How far an adoption may move a birth date: three months (Family Code art. 135)."""


@lru_cache(maxsize=8_192)
def in_window(child: PartialDate, other: PartialDate | None) -> bool:
    """Whether ``other`` may be ``child``'s birth date moved by up to three months: some
    day either date can mean lies within :data:`WINDOW_DAYS` of some day the other can
    (a date known to the year only agrees with any date of that year, give or take
    three months) — the date as written or with its day and month swapped. Remembered:
    a child's window asks it twice of each of thousands of records sharing a few hundred
    dates (issue 15); a few thousand pairs, about one child's, are kept."""
    if other is None:
        return False
    window = dt.timedelta(days=WINDOW_DAYS)
    return any(other.earliest() <= date.latest() + window
               and other.latest() >= date.earliest() - window
               for date in (child, child.swapped()) if date is not None)


@dataclass(frozen=True)
class Reason:
    """One reason a record is listed: a short code (for tables and programs) and the
    words a person reads."""

    code: str
    words: str


@dataclass(frozen=True)
class Tie:
    """A comparison of the spec whose ``levels`` tie a record to the child."""

    comparison: str
    levels: frozenset[str]
    reason: Reason


BORN_NEAR = Reason("born_near", N_("born within three months of the child (an adoption may "
                                   "move a birth date by up to three months)"))
NO_DATE = Reason("no_date", N_("no birth date on this record: listed by what else agrees"))
NO_CHILD_DATE = Reason("no_child_date", N_("no birth date on the child's record: listed by "
                                           "what else agrees"))

TIES: tuple[Tie, ...] = (
    Tie("given_name", frozenset({"same", "diminutive", "similar"}), Reason(
        "given_name", N_("the same given name (in another language, a diminutive or a "
                         "similar spelling)"))),
    Tie("birth_place", frozenset({"same"}), Reason("birth_place", N_("the same birth place"))),
    Tie("last_place", frozenset({"same"}),
        Reason("last_place", N_("the same last known place"))),
    Tie("siblings", frozenset({"same_gap"}), Reason(
        "sibling_gap", N_("a brother or sister with the same age difference (siblings "
                          "adopted together keep their age gap)"))),
    Tie("cohort", frozenset({"same_near", "same_institution", "moved_near"}), Reason(
        "moved_together", N_("moved from the same institution, or within three days of "
                             "the child (children were moved in groups; a new name does "
                             "not change where and when a child was moved)"))),
)
"""What lists a record without a birth date, and is said of every listed record."""

MOVED_WITH = Reason("moved_with", N_("other children moved with the child are linked to "
                                     "children of this record's group or intake: where "
                                     "the child's group went"))
"""Said of a listed record whose group mates are linked to the child's
(:meth:`kinlink.linkage.cohorts.Cohorts.intakes`): it ranks the record higher, it does
not list it."""

CONTRADICTIONS: tuple[tuple[str, str], ...] = (("given_name", "different"),)
"""Levels that keep a record without a birth date off the list, whatever else ties it."""


def reasons(child: PartialDate | None, other: PartialDate | None,
            levels: Mapping[str, str]) -> tuple[Reason, ...]:
    """Why ``other``'s record is listed for the child, first the reason that lists it
    (empty: it is not listed). ``levels`` names the level of each comparison of the
    pair (a comparison the spec lacks is no tie)."""
    ties = tuple(t.reason for t in TIES if levels.get(t.comparison) in t.levels)
    if child is not None and other is not None:
        return (BORN_NEAR, *ties) if in_window(child, other) else ()
    if not ties or any(levels.get(name) == level for name, level in CONTRADICTIONS):
        return ()
    return (NO_CHILD_DATE if child is None else NO_DATE, *ties)
