"""Children moved together: evidence a pair draws from its group mates' links.

Ukrainian children were moved in groups — a whole institution's children on one day,
siblings together — and Russian registry profiles appeared in bursts after such moves.
An adoption renames a child and moves the birth date, but the child still left with the
others. Pairwise scoring sees one pair at a time; this collective step, run on the
scored pairs before they are decided, looks at the pair's two groups:

- a record's **groups** are the source's own ``group`` (a transport, an intake), and
  the records naming the same institution (:func:`~kinlink.names.institutions.institution_key`)
  whose move dates (``moved_days``) lie within :data:`MOVE_DAYS` of that group's first
  one, from any list. Groups of one, and groups of more than :data:`GROUP_MAX` records
  (a whole list given one group, a large institution's register), say nothing and are
  left out;
- when **other** children of a group of a candidate pair's left record are linked
  (``match``) to children of a group of its right record (the pair of groups with the
  most such links counts), the two groups are taken for one move seen from both
  sides, and the pair's odds are multiplied by a Bayes factor of 2 per such group mate,
  at most ``2 ** MAX_BITS`` (64) and at most ``N / n`` for a right group of ``n``
  records among ``N``: one mate may have travelled apart from the group, six or more
  leave little doubt that the right group is where the left one went, and the factor
  stays bounded because the group says which intake to look in — one of ``n`` records
  rather than one of ``N`` — not which child of it is this one. The pairwise
  comparison ``cohort`` may already have credited a move on nearly the same day, so
  part of this is counted twice: the caps, and a person's review, bound what that does;
- moving together is **never enough for an automatic link**: a pair whose own score
  was not already within a factor :data:`NEAR_MATCH_FACTOR` of the match odds is raised
  at most to the top of the review band, where a person decides. Review vetoes still
  apply; pairs that were links already are left as they are;
- pairs the engine scored below the review threshold are looked at too when the lists
  carry groups (:meth:`Cohorts.reach`: the lowest probability the largest factor can
  lift to review), so a renamed child just under the threshold can reach a person.

- **children reported together are different children**: when one record is linked
  automatically to two or more records of one group of the other side (a family's report
  of twins, a bus's roster), all those links go to review (``rivals``, with
  :data:`RIVAL_WORDS`): the group says they are different children, so at most one of
  them is this record's child, and the scores cannot tell which (twins reported as Ганна
  and Анна, one Russian record "Анна").

Each raised pair carries its factor in bits (``cohort_weight``), the number of group
mates (``cohort_mates``), whether it was held at the top of review (``cohort_held``),
its kind (``cohort_kind``) and the other list's intake (``cohort_intake``);
:func:`kinlink.linkage.explain.explain` says it in words (:data:`WORDS`), and the
weights still add up to the total.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

import pyarrow as pa
import pyarrow.compute as pc

from kinlink.i18n import N_
from kinlink.linkage.features import FeatureTable
from kinlink.linkage.spec import LinkageSpec

__all__ = ["FIELD", "GROUP_MAX", "MAX_BITS", "MOVE_DAYS", "NEAR_MATCH_FACTOR", "RIVAL_WORDS",
           "WORDS", "Cohorts", "Intake", "cohort_words", "nominal_bits"]

RIVAL_WORDS = N_("this record is linked to two or more children reported together on the "
                 "other list (one family's report, one transport): they are different "
                 "children, so a person decides which of them, if any, it is")
"""Why a link to one of several children of one group waits for a person."""

MOVE_DAYS = 3
"""Moves this many days apart or less are one move (a departure and its arrival, a
transport over several days); the pairwise comparison ``cohort`` uses it too."""
GROUP_MAX = 120
"""More records than this in one group are not children moved together."""
BITS_PER_MATE = 1.0
"""Each linked group mate doubles the odds …"""
MAX_BITS = 6.0
"""… up to 64 times, and never more than the right group's size allows (a record of an
intake of ``n`` among ``N`` records is one of ``n`` rather than one of ``N``: at most
``N / n``)."""
NEAR_MATCH_FACTOR = 10.0
"""A pair whose odds were within this factor of the match threshold's may be raised to
a link by its group; any other pair at most to the top of review."""

Kind = Literal["group", "institution"]
FIELD = N_("moved together")
"""The title of the cohort line of an explanation."""
WORDS: dict[str, str] = {
    "institution": N_("{count} other children from the same institution, moved within "
                      "{days} days of this child, are linked to children of one intake "
                      "of the other list ({intake})"),
    "group": N_("{count} other children of the same group are linked to children of one "
                "intake of the other list ({intake})"),
    "capped": N_("moving together alone never makes an automatic link: raised at most to "
                 "the top of review"),
}
"""The cohort line's words, by kind (and the note on a pair held at review)."""


def cohort_words(kind: str, count: int, intake: str, capped: bool,
                 gettext: Callable[[str], str] | None = None) -> str:
    """The cohort line of a pair in words (translated with ``gettext`` if given)."""
    say = gettext or str
    words = say(WORDS[kind]).format(count=count, days=MOVE_DAYS, intake=intake)
    return f"{words}; {say(WORDS['capped'])}" if capped else words


def nominal_bits(count: int) -> float:
    """The factor in bits ``count`` linked group mates give before any cap."""
    return min(MAX_BITS, BITS_PER_MATE * count)


@dataclass(frozen=True)
class _Group:
    """One group of records: its kind, how the other list's intake is named, its size
    and how many records its side has in all."""

    kind: Kind
    intake: str
    size: int = 0
    among: int = 0

    @property
    def bound(self) -> float:
        """The most a group can say, in bits: that the record is one of :attr:`size`
        rather than one of :attr:`among`."""
        return math.log2(self.among / self.size) if self.size else 0.0


@dataclass(frozen=True)
class Intake:
    """What a candidate's groups say of it for one child (:meth:`Cohorts.intakes`): how
    many of the child's group mates are linked to its group mates, the kind of the
    child's group, how the candidate's intake is named and the most its group can say
    (bits)."""

    mates: int
    kind: Kind
    intake: str
    bound: float

    def bits(self, spec: LinkageSpec, probability: float) -> tuple[float, bool]:
        """The factor in bits for a pair scored ``probability`` on its own, and whether
        it was held at the top of review — as the collective step of linkage gives it."""
        return _bits(spec, probability, self.mates, self.bound)


def _iso(day: int | None) -> str | None:
    return None if day is None else (dt.date(1970, 1, 1) + dt.timedelta(days=day)).isoformat()


def _assign(table: pa.Table, groups: list[_Group]) -> dict[int, list[int]]:
    """Each record's groups (indices into ``groups``, which grows), by uid: its source's
    group and its institution's move, whichever it has."""
    uids = table["uid"].to_pylist()
    days = table["moved_days"].to_pylist()
    by_group: dict[str, list[int]] = {}
    by_place: dict[str, list[tuple[int, int]]] = {}
    for uid, group, place, day in zip(uids, table["group_key"].to_pylist(),
                                      table["institution_key"].to_pylist(), days,
                                      strict=True):
        if group is not None:
            by_group.setdefault(group, []).append(uid)
        if place is not None and day is not None:
            by_place.setdefault(place, []).append((day, uid))
    day_of = dict(zip(uids, days, strict=True))
    members: list[tuple[_Group, list[int]]] = []
    for key, found in by_group.items():
        known = [d for d in (day_of[u] for u in found) if d is not None]
        text = key.split("|", 1)[1]
        first = _iso(min(known)) if known else None
        members.append((_Group("group", f"{text}, {first}" if first else text), found))
    for entries in by_place.values():
        entries.sort()
        start, current = entries[0][0], [entries[0][1]]
        for day, uid in entries[1:]:
            if day - start > MOVE_DAYS:
                members.append((_Group("institution", _iso(start) or ""), current))
                start, current = day, []
            current.append(uid)
        members.append((_Group("institution", _iso(start) or ""), current))
    assigned: dict[int, list[int]] = {}
    for group, uids_in in members:
        if 2 <= len(uids_in) <= GROUP_MAX:
            for uid in uids_in:
                assigned.setdefault(uid, []).append(len(groups))
            groups.append(replace(group, size=len(uids_in), among=len(uids)))
    return assigned


def _odds_weight(probability: float) -> float:
    return math.log2(probability / (1.0 - probability))


def _probability(weight: float) -> float:
    return 1.0 / (1.0 + math.pow(2.0, -weight))


class Cohorts:
    """The groups of the records of one linkage run, and the step that uses them.

    Made with :meth:`link` (two lists, two numberings of records) or :meth:`single`
    (one numbering: dedupe, or the store's records by primary key).
    """

    def __init__(self, left: dict[int, list[int]], right: dict[int, list[int]] | None,
                 groups: list[_Group]) -> None:
        self._left = left
        self._right = right
        self._groups = groups

    @classmethod
    def link(cls, left: FeatureTable, right: FeatureTable) -> Cohorts:
        """Groups of two lists linked against each other."""
        groups: list[_Group] = []
        return cls(_assign(left.arrow, groups), _assign(right.arrow, groups), groups)

    @classmethod
    def single(cls, tables: Sequence[FeatureTable]) -> Cohorts:
        """Groups of records numbered in one space (``dedupe``, the store)."""
        groups: list[_Group] = []
        if not tables:
            return cls({}, None, groups)
        arrow = pa.concat_tables([t.arrow for t in tables])
        return cls(_assign(arrow, groups), None, groups)

    def __bool__(self) -> bool:
        """Whether a pair could have groups on both sides."""
        return bool(self._left) and (self._right is None or bool(self._right))

    @staticmethod
    def reach(spec: LinkageSpec) -> float:
        """The lowest match probability the largest factor lifts to the review threshold:
        pairs from here up are worth scoring when records have groups."""
        review = spec.thresholds.review
        return min(review, _probability(_odds_weight(review) - MAX_BITS))

    def apply(self, spec: LinkageSpec, pairs: pa.Table) -> pa.Table:
        """The pairs (with their ``decision``) with group evidence added: ``match_weight``
        and ``match_probability`` raised where it applies, and the ``cohort_*`` columns."""
        size = pairs.num_rows
        weight = [0.0] * size
        mates = [0] * size
        held = [False] * size
        kinds: list[str | None] = [None] * size
        intakes: list[str | None] = [None] * size
        if self and size:
            right = self._right if self._right is not None else self._left
            grouped = pc.and_(
                pc.is_in(pairs["left_uid"], value_set=pa.array(list(self._left), pa.int64())),
                pc.is_in(pairs["right_uid"], value_set=pa.array(list(right), pa.int64())))
            rows = pc.indices_nonzero(grouped).to_pylist()  # only pairs with groups
            picked = pairs.take(pa.array(rows, pa.int64()))  # may be empty
            left_uids = picked["left_uid"].to_pylist()
            right_uids = picked["right_uid"].to_pylist()
            links = self._links(left_uids, right_uids, picked["decision"].to_pylist(), right)
            probabilities = picked["match_probability"].to_pylist()
            for at, a, b, probability in zip(rows, left_uids, right_uids, probabilities,
                                             strict=True):
                if probability >= spec.thresholds.match:
                    continue
                best = self._best(links, a, b, right)
                if best is not None:
                    mates[at], ga, gb = best
                    kinds[at], intakes[at] = self._groups[ga].kind, self._groups[gb].intake
                    weight[at], held[at] = _bits(spec, probability, mates[at],
                                                 self._groups[gb].bound)
        return _with_evidence(pairs, weight, mates, held, kinds, intakes)

    def intakes(self, links: Sequence[tuple[int, int]], child: int,
                candidates: Sequence[int]) -> list[Intake | None]:
        """For one left record ``child`` and right records ``candidates`` (uids), what
        the groups say of each candidate given the pairs already ``links`` (left uid,
        right uid: the records decided or linked to be one child): the most of the
        child's group mates linked to the candidate's group mates (the child and the
        candidate themselves not counted), as :meth:`apply` counts them for a pair;
        ``None`` where there are none."""
        right = self._right if self._right is not None else self._left
        if not self or child not in self._left or not links:
            return [None] * len(candidates)
        lefts, rights = [a for a, _b in links], [b for _a, b in links]
        table = self._links(lefts, rights, ["match"] * len(links), right)
        found: list[Intake | None] = []
        for b in candidates:
            best = self._best(table, child, b, right) if b in right else None
            if best is None:
                found.append(None)
                continue
            count, ga, gb = best
            group = self._groups[gb]
            found.append(Intake(count, self._groups[ga].kind, group.intake, group.bound))
        return found

    def rivals(self, pairs: pa.Table) -> pa.Array:
        """True for each ``match`` pair whose record is also linked automatically to
        another record of the same source group on the other side (groups of the
        ``group`` kind only: institutions' moves may gather records of several lists)."""
        right = self._right if self._right is not None else self._left
        partners: dict[tuple[int, int, int], list[int]] = {}
        for at, (a, b, decision) in enumerate(zip(
                pairs["left_uid"].to_pylist(), pairs["right_uid"].to_pylist(),
                pairs["decision"].to_pylist(), strict=True)):
            if decision != "match":
                continue
            for g in right.get(b, ()):
                if self._groups[g].kind == "group":
                    partners.setdefault((0, a, g), []).append(at)
            for g in self._left.get(a, ()):
                if self._groups[g].kind == "group":
                    partners.setdefault((1, b, g), []).append(at)
        hit = [False] * pairs.num_rows
        for rows in partners.values():
            if len(rows) > 1:
                for at in rows:
                    hit[at] = True
        return pa.array(hit, pa.bool_())

    def _best(self, links: dict[tuple[int, int], list[tuple[int, int]]], a: int, b: int,
              right: dict[int, list[int]]) -> tuple[int, int, int] | None:
        """The most group mates linked between a group of ``a`` and one of ``b``, with the
        two groups; ``None`` when there are none."""
        best: tuple[int, int, int] | None = None
        for ga in self._left.get(a, ()):
            for gb in right.get(b, ()):
                if self._right is None and ga == gb:
                    continue  # two records of one group: its mates say nothing of them
                count = _mates(links.get((ga, gb), ()), a, b, self._right is None)
                if count and (best is None or count > best[0]):
                    best = (count, ga, gb)
        return best

    def _links(self, left_uids: list[int], right_uids: list[int], decided: list[str],
               right: dict[int, list[int]]) -> dict[tuple[int, int], list[tuple[int, int]]]:
        """The linked pairs between groups: (left group, right group) → (left, right)
        records; in one numbering both ways round."""
        links: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for a, b, decision in zip(left_uids, right_uids, decided, strict=True):
            if decision != "match":
                continue
            for ga in self._left.get(a, ()):
                for gb in right.get(b, ()):
                    links.setdefault((ga, gb), []).append((a, b))
                    if self._right is None:
                        links.setdefault((gb, ga), []).append((b, a))
        return links


def _mates(links: Sequence[tuple[int, int]], a: int, b: int, one_numbering: bool) -> int:
    """How many other children of the left group are linked to other records of the
    right group (counted on both sides, the smaller: one child linked to two records of
    the right group is one mate). Two lists number their records apart: there a left
    record is another child than ``a``, a right record another than ``b`` (a left record
    numbered like ``b`` is not ``b``); in one numbering neither may be either."""

    def other(x: int, y: int) -> bool:
        return x not in (a, b) and y not in (a, b) if one_numbering else x != a and y != b

    kept = [(x, y) for x, y in links if other(x, y)]
    return min(len({x for x, _y in kept}), len({y for _x, y in kept}))


def _bits(spec: LinkageSpec, probability: float, count: int, bound: float
          ) -> tuple[float, bool]:
    """The factor in bits for ``count`` linked mates, at most the right group's
    ``bound``, held below the match threshold unless the pair was near it already; and
    whether it was held there."""
    bits = max(0.0, min(nominal_bits(count), bound))
    match = spec.thresholds.match
    own = _odds_weight(probability)
    if own >= _odds_weight(match) - math.log2(NEAR_MATCH_FACTOR):
        return bits, False
    room = max(0.0, _odds_weight(math.nextafter(match, 0.0)) - own)
    return min(bits, room), bits > room


def _with_evidence(pairs: pa.Table, weight: list[float], mates: list[int],
                   held: list[bool], kinds: list[str | None], intakes: list[str | None]
                   ) -> pa.Table:
    added = pa.array(weight, pa.float64())
    total = pc.add(pairs["match_weight"], added)
    raised = pc.greater(added, 0.0)
    probability = pc.if_else(raised, pa.array([_probability(w) for w in total.to_pylist()],
                                              pa.float64()), pairs["match_probability"])
    columns = {"match_weight": total, "match_probability": probability}
    table = pairs
    for name, column in columns.items():
        table = table.set_column(table.schema.get_field_index(name), name, column)
    for name, values in (("cohort_weight", added), ("cohort_mates", pa.array(mates, pa.int32())),
                         ("cohort_held", pa.array(held, pa.bool_())),
                         ("cohort_kind", pa.array(kinds, pa.string())),
                         ("cohort_intake", pa.array(intakes, pa.string()))):
        if name in table.column_names:
            table = table.drop_columns([name])
        table = table.append_column(name, values)
    return table
