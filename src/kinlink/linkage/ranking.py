"""Rank a chosen set of records against one: who, among these, could this child be?

Linkage proper compares every pair its blocking rules generate and keeps those above a
threshold fixed for all; a child renamed on adoption often falls below it (the evidence
left — a given name, the sex, a birth date within three months — is shared with a
handful of strangers). For one child, a person can go through more: :func:`in_window`
says which birth dates an adoption could have made of the child's, and
:func:`rank_candidates` scores every record of a set chosen that way against the child
with the same comparisons, vetoes and explanations as linkage, strongest first.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from kinlink.domain.dates import PartialDate
from kinlink.linkage.engine import Engine
from kinlink.linkage.explain import Explanation
from kinlink.linkage.model import TrainedModel
from kinlink.linkage.spec import BlockingRule, LinkageSpec
from kinlink.linkage.tasks import Side, explanations, score

__all__ = ["WINDOW_DAYS", "Ranked", "in_window", "rank_candidates"]

WINDOW_DAYS = 92
"""How far an adoption may move a birth date: three months (Family Code art. 135)."""


def in_window(child: PartialDate, other: PartialDate | None) -> bool:
    """Whether ``other`` may be ``child``'s birth date moved by up to three months: some
    day either date can mean lies within :data:`WINDOW_DAYS` of some day the other can
    (a date known to the year only agrees with any date of that year, give or take
    three months) — the date as written or with its day and month swapped."""
    if other is None:
        return False
    window = dt.timedelta(days=WINDOW_DAYS)
    return any(other.earliest() <= date.latest() + window
               and other.latest() >= date.earliest() - window
               for date in (child, child.swapped()) if date is not None)


@dataclass(frozen=True)
class Ranked:
    """One candidate: its position in the candidates' side, score and reasons."""

    uid: int
    probability: float
    weight: float
    explanation: Explanation


def _every_pair(spec: LinkageSpec, size: int) -> LinkageSpec:
    """The same comparisons and vetoes, every pair compared, nothing cut off."""
    thresholds = dataclasses.replace(spec.thresholds, review=1e-300,
                                     review_per_record=max(size, 1))
    return dataclasses.replace(spec, blocking=(BlockingRule("every_pair", ()),),
                               thresholds=thresholds)


def rank_candidates(engine: Engine, spec: LinkageSpec, model: TrainedModel, child: Side,
                    candidates: Side) -> list[Ranked]:
    """Every candidate scored against the one record of ``child``, strongest first.
    Vetoes apply as in linkage: a brother or sister (the same family name, another
    given name) is not a candidate."""
    if len(candidates) == 0:
        return []
    pairs = score(engine, _every_pair(spec, len(candidates)), [child, candidates], "link",
                  model)
    why = explanations(spec, pairs, child, candidates)
    ranked = [Ranked(int(row["right_uid"]), float(row["match_probability"]),
                     float(row["match_weight"]), explanation)
              for row, explanation in zip(pairs.table.to_pylist(), why, strict=True)]
    return sorted(ranked, key=lambda r: (-r.weight, r.uid))
