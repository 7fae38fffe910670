"""Accuracy of scored pairs against a known truth (generated data), pair by pair.

A true pair is two records of the same child (across the two sides for ``link``,
within the side for ``dedupe``). Recall is measured against *every* true pair, so
pairs that blocking never generated count as misses. The figures the thresholds are
held to:

- automatic precision: of the pairs decided ``match``, the share that are true;
- review recall: of all true pairs, the share decided ``match`` or ``review``;
- review load: pairs sent to a person, and how many of them are false.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pyarrow as pa

from kinlink.linkage.engine import Task

__all__ = ["Accuracy", "pair_accuracy"]


@dataclass(frozen=True)
class Accuracy:
    """Counts of pairs by decision and truth, and the ratios derived from them."""

    true_pairs: int
    match: int
    match_true: int
    review: int
    review_true: int

    @property
    def auto_precision(self) -> float:
        """Share of automatic links that are right (1.0 when there are none)."""
        return self.match_true / self.match if self.match else 1.0

    @property
    def auto_recall(self) -> float:
        """Share of true pairs linked automatically."""
        return self.match_true / self.true_pairs if self.true_pairs else 1.0

    @property
    def review_recall(self) -> float:
        """Share of true pairs linked automatically or sent to review."""
        found = self.match_true + self.review_true
        return found / self.true_pairs if self.true_pairs else 1.0

    @property
    def review_false(self) -> int:
        """Pairs in the review queue that are not the same child."""
        return self.review - self.review_true

    def as_dict(self) -> dict[str, float | int]:
        """Counts and ratios, for reports."""
        return {
            "true_pairs": self.true_pairs, "match": self.match, "match_true": self.match_true,
            "review": self.review, "review_true": self.review_true,
            "review_false": self.review_false, "auto_precision": self.auto_precision,
            "auto_recall": self.auto_recall, "review_recall": self.review_recall,
        }


def _true_pairs(left: Sequence[str | None], right: Sequence[str | None] | None) -> int:
    left_counts = Counter(c for c in left if c is not None)
    if right is None:
        return sum(n * (n - 1) // 2 for n in left_counts.values())
    right_counts = Counter(c for c in right if c is not None)
    return sum(n * right_counts[c] for c, n in left_counts.items())


def pair_accuracy(pairs: pa.Table, task: Task, left_truth: Sequence[str | None],
                  right_truth: Sequence[str | None] | None = None) -> Accuracy:
    """Score ``pairs`` (``left_uid``, ``right_uid``, ``decision``) against the truth.

    ``left_truth[uid]`` is the child a left record describes (``None`` if unknown);
    ``right_truth`` likewise for ``link`` (``dedupe`` uses ``left_truth`` for both).
    """
    other = left_truth if task == "dedupe" else right_truth
    if other is None:
        raise ValueError("link needs the truth of both sides")
    counts: Mapping[tuple[str, bool], int] = Counter(
        (decision, left_truth[a] is not None and left_truth[a] == other[b])
        for a, b, decision in zip(pairs["left_uid"].to_pylist(), pairs["right_uid"].to_pylist(),
                                  pairs["decision"].to_pylist(), strict=True))
    return Accuracy(
        true_pairs=_true_pairs(left_truth, None if task == "dedupe" else right_truth),
        match=counts.get(("match", True), 0) + counts.get(("match", False), 0),
        match_true=counts.get(("match", True), 0),
        review=counts.get(("review", True), 0) + counts.get(("review", False), 0),
        review_true=counts.get(("review", True), 0),
    )
