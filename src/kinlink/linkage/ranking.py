"""Rank a chosen set of records against one: who, among these, could this child be?

Linkage proper compares every pair its blocking rules generate and keeps those above a
threshold fixed for all; a child renamed on adoption often falls below it (the evidence
left — a given name, the sex, a birth date within three months — is shared with a
handful of strangers). For one child, a person can go through more:
:func:`rank_candidates` scores every record of a set chosen by the caller against the
child with the model's comparisons (in this process, :mod:`kinlink.linkage.pairwise`),
keeps those :mod:`kinlink.linkage.listing` has a reason to list, drops those a veto
removes (a brother or sister is not a candidate) and explains the strongest.

Records listed by their birth date and records listed without one are ranked apart,
each section strongest first. The model's weights were learned for pairs in general,
where a date three months off is no evidence (true pairs mostly give the same date):
on that scale a stranger of the child's name without a birth date outweighs the
renamed child born within the window — the date that listed it counts for nothing. On
generated lists with a tenth of the birth dates blanked, one ranking for all put the
true entry of a dated child among the first ten for 70% of children, two sections for
80% (benchmarks/README.md).

Every comparison of the spec counts, whatever the child lacks: a child without a birth
date is ranked by its given name, sex, birthplace, last known place and siblings, and
by any comparison the spec gains. Each level weighs what the model learned on the lists
(log2 m/u), with no term-frequency adjustment: the candidates were chosen by the child's
own name and birth date, so among them the child's name looks common and its agreement
weak (measured on generated lists: the true entry among the first three for 52% of
adopted children without the adjustment, 42% with it; benchmarks/README.md).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from kinlink.domain.dates import PartialDate
from kinlink.linkage.cohorts import Intake
from kinlink.linkage.engine import level_for_gamma
from kinlink.linkage.explain import Explanation, explain
from kinlink.linkage.features import Display
from kinlink.linkage.listing import (
    BORN_NEAR,
    MOVED_WITH,
    WINDOW_DAYS,
    Reason,
    in_window,
    reasons,
)
from kinlink.linkage.model import TrainedModel
from kinlink.linkage.pairwise import Row, VectorScorer, every_pair, level_vectors
from kinlink.linkage.spec import LinkageSpec, Null, Veto
from kinlink.linkage.tasks import Side

__all__ = ["SIBLING_COLUMNS", "WINDOW_DAYS", "Intake", "Ranked", "Ranking", "Reason",
           "Records", "in_window", "rank_candidates", "siblings_matter"]

SIBLING_COLUMNS = frozenset({"siblings", "sibling_key"})
"""The feature columns of a record's sibling signature (read from its list's families)."""


@dataclass(frozen=True)
class Records:
    """Some records' feature rows (as :meth:`FeatureBuilder.finish_rows
    <kinlink.linkage.features.FeatureBuilder.finish_rows>` gives them) and, when kept,
    what a person sees of each."""

    rows: Sequence[Row]
    display: Sequence[Display] | None = None

    @classmethod
    def of(cls, side: Side) -> Records:
        """The records of a side built for the linkage engine."""
        return cls(side.features.arrow.to_pylist(), side.features.display)

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class Ranked:
    """One candidate: its position among the candidates, score, the model's reasons and
    why it is listed at all."""

    uid: int
    probability: float
    weight: float
    explanation: Explanation
    listed_for: tuple[Reason, ...] = ()

    @property
    def by_date(self) -> bool:
        """Listed because both birth dates lie within three months of each other."""
        return bool(self.listed_for) and self.listed_for[0] == BORN_NEAR


@dataclass(frozen=True)
class Ranking:
    """The strongest listed candidates of each section — those listed by their birth
    date first, then those listed without one — and how many were listed in all."""

    ranked: list[Ranked]
    listed: int


def siblings_matter(spec: LinkageSpec, child: Row) -> bool:
    """Whether the candidates' sibling signatures can change their scores against
    ``child`` (a feature row): some comparison reads a signature and the child's own
    empty one does not settle it. A comparison that starts with a null level for an
    empty signature on either side (the default spec's ``siblings``) gives that level
    to every candidate of a child without brothers or sisters with a full birth date —
    most children — and then nobody's family needs reading (the most of a child's
    possible identities read at 100k records, issue 15). Any other comparison of
    signatures counts them."""
    for comparison in spec.comparisons:
        if not SIBLING_COLUMNS & set(comparison.columns()):
            continue
        first = comparison.levels[0]
        settled = (first.null and isinstance(first.when, Null)
                   and first.when.column in SIBLING_COLUMNS
                   and child.get(first.when.column) is None)
        if not settled:
            return True
    return False


def _probability(weight: float) -> float:
    return 1.0 / (1.0 + math.pow(2.0, -weight))


def _veto(spec: LinkageSpec, levels: dict[str, str]) -> Veto | None:
    """The first veto whose levels all hold, as linkage applies them."""
    return next((v for v in spec.vetoes if v.applies(levels)), None)


def rank_candidates(spec: LinkageSpec, model: TrainedModel, child: Records,
                    candidates: Records, *, child_birth: PartialDate | None,
                    candidate_births: Sequence[PartialDate | None],
                    limit: int | None = None,
                    intakes: Sequence[Intake | None] | None = None) -> Ranking:
    """The listed candidates scored against the one record of ``child``, each explained:
    those listed by their birth date strongest first, then those listed without one
    strongest first (at most ``limit`` of each). ``candidate_births`` gives each
    candidate's birth date, by position. Vetoes apply as in linkage: a brother or sister
    (the same family name, another given name) is not a candidate, and a pair a
    ``review`` veto holds (different sexes) is never a ``match``.

    ``intakes`` (by position, from :meth:`Cohorts.intakes
    <kinlink.linkage.cohorts.Cohorts.intakes>`) says of a candidate that the child's
    group mates are linked to its group mates: its score gains the factor the collective
    step of linkage gives such a pair (a doubling of the odds per mate, bounded by the
    group's size, never by itself an automatic link), the explanation says it on its own
    line and the reasons say :data:`~kinlink.linkage.listing.MOVED_WITH`."""
    # Each candidate is its comparison vector; a vector's levels, veto, weight and
    # probability are worked out once (a few hundred vectors among thousands of
    # candidates), and a result row is built only for the candidates explained.
    scorer = VectorScorer(spec, model)
    judged: dict[tuple[int, ...], tuple[dict[str, str], Veto | None, float]] = {}
    listed: list[tuple[float, int, tuple[int, ...], tuple[Reason, ...]]] = []
    moved = intakes or ()
    vectors = level_vectors(spec, child.rows, candidates.rows, every_pair(1, len(candidates)))
    for uid, vector in enumerate(vectors):
        if vector not in judged:
            levels = {c.name: level_for_gamma(c, gamma).name
                      for c, gamma in zip(spec.comparisons, vector, strict=True)}
            judged[vector] = levels, _veto(spec, levels), scorer.weight(vector)
        levels, veto, weight = judged[vector]
        why = reasons(child_birth, candidate_births[uid], levels)
        if not why or (veto is not None and veto.effect == "drop"):
            continue
        intake = moved[uid] if uid < len(moved) else None
        if intake is not None:
            weight += intake.bits(spec, _probability(weight))[0]
            why = (*why, MOVED_WITH)
        listed.append((weight, uid, vector, why))
    listed.sort(key=lambda item: (-item[0], item[1]))
    shown_child = child.display[0] if child.display else None
    shown = candidates.display
    sections = ([item for item in listed if item[3][0] == BORN_NEAR],
                [item for item in listed if item[3][0] != BORN_NEAR])

    def explained(uid: int, vector: tuple[int, ...]) -> Row:
        row = scorer.row(vector, 0, uid)
        intake = moved[uid] if uid < len(moved) else None
        if intake is not None:
            bits, held = intake.bits(spec, float(row["match_probability"]))
            row["match_weight"] = float(row["match_weight"]) + bits
            row["match_probability"] = _probability(float(row["match_weight"]))
            row.update(cohort_weight=bits, cohort_mates=intake.mates, cohort_held=held,
                       cohort_kind=intake.kind, cohort_intake=intake.intake)
        veto = judged[vector][1]
        automatic = row["match_probability"] >= spec.thresholds.match and veto is None
        row["decision"] = "match" if automatic else "review"
        return row

    return Ranking([
        Ranked(uid, float(row["match_probability"]), float(row["match_weight"]),
               explain(spec, model, row, shown_child, shown[uid] if shown else None), why)
        for section in sections for _weight, uid, vector, why in section[:limit]
        for row in (explained(uid, vector),)], len(listed))
