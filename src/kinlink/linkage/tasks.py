"""The two linkage tasks on records in memory: link two lists, dedupe one.

These functions know nothing of files or the store: they take parsed records (or
feature tables already built), train or reuse a model, and return scored pairs with
their decisions. ``kinlink link`` / ``kinlink dedupe`` feed them from files and
``kinlink match`` from the store.

Training follows the spec: a model is learned from the data itself unless one is
given. Data too small to learn from (fewer records than
:attr:`~kinlink.linkage.spec.Training.min_records`) keeps the packaged model's m and u
and re-estimates only the prior, which depends on the size of the lists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from kinlink.domain.records import ParsedRecord
from kinlink.errors import ConfigurationError
from kinlink.i18n import N_, Wording
from kinlink.linkage.cohorts import Cohorts
from kinlink.linkage.engine import Engine, Scored, Task, level_for_gamma
from kinlink.linkage.explain import Explanation, explain
from kinlink.linkage.features import FeatureBuilder, FeatureTable
from kinlink.linkage.model import TrainedModel, packaged_model
from kinlink.linkage.spec import LinkageSpec, Veto

_MODEL_WAS_TRAINED_FOR = Wording("linkage.tasks.model_was_trained_for", N_(
    "the model was trained for another linkage spec"))

__all__ = [
    "Crowding",
    "Pairs",
    "Side",
    "choose_model",
    "clusters",
    "decisions",
    "explanations",
    "finish",
    "packaged_model",
    "score",
    "side_from_records",
    "vetoes",
]

Progress = Callable[[int], None]
"""Called with the number of records read so far."""


@dataclass(frozen=True)
class Side:
    """Records ready for linkage: their ids (by uid, which is the position) and features."""

    ids: tuple[str, ...]
    features: FeatureTable

    def __len__(self) -> int:
        return len(self.ids)


def side_from_records(records: Iterable[ParsedRecord], *, display: bool = True,
                      progress: Progress | None = None) -> Side:
    """Number the records 0, 1, … (their uid) and compute their features."""
    builder = FeatureBuilder(display=display)
    ids: list[str] = []
    for uid, record in enumerate(records):
        ids.append(record.record_id)
        builder.add(uid, given=record.given_name, surname=record.surname,
                    patronymic=record.patronymic, full_name=record.full_name,
                    sex=record.sex.value if record.sex else None, birth=record.birth_date,
                    birth_place=record.birth_place,
                    last_known_place=record.last_known_place, event=record.event_date,
                    institution=record.institution, moved=record.moved_on,
                    group=record.group)
        if progress is not None and uid % 10_000 == 9_999:
            progress(uid + 1)
    return Side(tuple(ids), builder.finish())


def _packaged_for(spec: LinkageSpec) -> TrainedModel | None:
    packaged = packaged_model()
    return packaged if packaged is not None and packaged.fits(spec) else None


def choose_model(engine: Engine, spec: LinkageSpec, tables: Sequence[FeatureTable],
                 task: Task, given: TrainedModel | None = None) -> TrainedModel:
    """The model to score with: ``given``, learned from ``tables``, or the packaged one.

    A given model must have been trained for ``spec``. Training starts from the
    packaged model when there is one for ``spec``; tables with fewer records than the
    spec's ``min_records`` get the packaged model with a prior re-estimated on them —
    unless the estimate falls below the packaged prior: a few records with no pair
    agreeing on the estimate's rules (the first small list of a store, with no child
    twice) are no evidence that pairs are rarer than in the packaged lists, and a prior
    near nothing, kept with the store's model, would link no later list at all.
    """
    if given is not None:
        if not given.fits(spec):
            raise ConfigurationError(_MODEL_WAS_TRAINED_FOR())
        return given
    packaged = _packaged_for(spec)
    if sum(len(t) for t in tables) >= spec.training.min_records or packaged is None:
        return engine.train(spec, tables, task, packaged)
    if not _comparable(tables, task):  # one record alone: no pair to learn a prior from
        return packaged
    estimated = engine.estimate_prior(spec, packaged, tables, task)
    return packaged if estimated.prior < packaged.prior else estimated


def _comparable(tables: Sequence[FeatureTable], task: Task) -> bool:
    """Whether the tables make at least one pair for ``task``."""
    if task == "dedupe":
        return sum(len(t) for t in tables) >= 2
    return all(len(t) > 0 for t in tables)


def _gamma(spec: LinkageSpec, comparison: str, level: str) -> int:
    """Splink's comparison vector value of a level (the inverse of level_for_gamma)."""
    found = spec.comparison(comparison)
    for gamma in range(-1, len(found.levels)):
        if level_for_gamma(found, gamma).name == level:
            return gamma
    raise KeyError(f"{comparison} has no level {level}")


def _veto_hits(spec: LinkageSpec, veto: Veto, pairs: pa.Table) -> pa.Array:
    """True for the pairs ``veto`` applies to (every ``when`` holds, no ``unless`` does)."""
    def holds(comparison: str, level: str) -> pa.Array:
        return pc.equal(pairs[f"gamma_{comparison}"], _gamma(spec, comparison, level))

    hit = pa.repeat(True, pairs.num_rows)
    for comparison, level in veto.when:
        hit = pc.and_(hit, holds(comparison, level))
    for comparison, level in veto.unless:
        hit = pc.and_(hit, pc.invert(holds(comparison, level)))
    return hit


def _veto_mask(spec: LinkageSpec, pairs: pa.Table, effect: str) -> pa.Array:
    """True for the pairs a veto with ``effect`` applies to."""
    mask = pa.repeat(False, pairs.num_rows)
    for veto in spec.vetoes:
        if veto.effect == effect:
            mask = pc.or_(mask, _veto_hits(spec, veto, pairs))
    return mask


def vetoes(spec: LinkageSpec, pairs: pa.Table) -> list[str | None]:
    """The name of the first veto that applies to each pair (``None`` where none does)."""
    names: list[str | None] = [None] * pairs.num_rows
    for veto in reversed(spec.vetoes):
        for index in pc.indices_nonzero(_veto_hits(spec, veto, pairs)).to_pylist():
            names[index] = veto.name
    return names


def decisions(spec: LinkageSpec, pairs: pa.Table) -> pa.Array:
    """``match`` or ``review`` for every scored pair (all are at or above review).

    A pair at the match threshold is still ``review`` when a ``review`` veto applies.
    """
    auto = pc.greater_equal(pairs["match_probability"], spec.thresholds.match)
    auto = pc.and_(auto, pc.invert(_veto_mask(spec, pairs, "review")))
    return pc.if_else(auto, "match", "review")


@dataclass(frozen=True)
class Pairs:
    """Scored pairs with their decision column, the model that scored them and how
    candidates were generated."""

    model: TrainedModel
    table: pa.Table
    scored: Scored
    crowded: Crowding = field(default_factory=lambda: Crowding(0, 0, 0))

    def __len__(self) -> int:
        return int(self.table.num_rows)


@dataclass(frozen=True)
class Crowding:
    """Records with more ``review`` candidates than the spec keeps for one record.

    ``records`` counts them, ``dropped`` the weaker candidates not kept, ``cap`` is
    :attr:`~kinlink.linkage.spec.Thresholds.review_per_record`. Counts only, so it can
    be logged and audited.
    """

    records: int
    dropped: int
    cap: int

    def words(self) -> str:
        """The crowding in plain words, or an empty string when there was none."""
        if not self.records:
            return ""
        return (f"{self.records} records each had more than {self.cap} look-alike "
                f"candidates; only their {self.cap} strongest were kept for review "
                f"({self.dropped} weaker pairs left out). Such lists usually lack the fields "
                "that tell children apart (full birth dates, birthplaces, patronymics).")


def finish(spec: LinkageSpec, model: TrainedModel, scored: Scored,
           cohorts: Cohorts | None = None) -> Pairs:
    """Drop vetoed pairs, add decisions, weigh what the records' groups say
    (:mod:`kinlink.linkage.cohorts`, when ``cohorts`` are given) and decide again, drop
    what is still below review, send links to two children reported together to review, keep at most
    :attr:`~kinlink.linkage.spec.Thresholds.review_per_record` review candidates per
    record, order by left record then probability."""
    pairs = scored.pairs.filter(pc.invert(_veto_mask(spec, scored.pairs, "drop")))
    if "decision" in pairs.column_names:  # decided again, by this spec's thresholds
        pairs = pairs.drop_columns(["decision"])
    pairs = pairs.append_column("decision", decisions(spec, pairs))
    if cohorts:
        pairs = cohorts.apply(spec, pairs).drop_columns(["decision"])
        pairs = pairs.filter(pc.greater_equal(pairs["match_probability"],
                                              spec.thresholds.review))
        pairs = pairs.append_column("decision", decisions(spec, pairs))
    if cohorts is not None:
        pairs = _rivals_to_review(pairs, cohorts)
    pairs, crowded = _cap_reviews(pairs, spec.thresholds.review_per_record)
    pairs = pairs.sort_by([("left_uid", "ascending"), ("match_probability", "descending"),
                           ("right_uid", "ascending")])
    return Pairs(model, pairs, scored, crowded)


def _rivals_to_review(pairs: pa.Table, cohorts: Cohorts) -> pa.Table:
    """Links to two or more children reported together sent to review, marked in the
    ``rivals`` column (:meth:`~kinlink.linkage.cohorts.Cohorts.rivals`); the pairs as
    they were when there are none."""
    hit = cohorts.rivals(pairs)
    if not pc.any(hit).as_py():
        return pairs
    decision = pc.if_else(hit, "review", pairs["decision"])
    pairs = pairs.set_column(pairs.schema.get_field_index("decision"), "decision", decision)
    if "rivals" in pairs.column_names:
        pairs = pairs.drop_columns(["rivals"])
    return pairs.append_column("rivals", hit)


def _cap_reviews(pairs: pa.Table, cap: int) -> tuple[pa.Table, Crowding]:
    """Keep every ``match`` pair and the review pairs among the ``cap`` strongest of
    their left or of their right record."""
    is_review = pc.equal(pairs["decision"], "review")
    reviews = pairs.filter(is_review)
    if reviews.num_rows <= cap:
        return pairs, Crowding(0, 0, cap)
    left_rank, left_over = _rank_within(reviews, "left_uid", "right_uid", cap)
    right_rank, right_over = _rank_within(reviews, "right_uid", "left_uid", cap)
    crowded = len(pc.unique(pa.concat_arrays([left_over, right_over])))
    keep = pc.or_(pc.less(left_rank, cap), pc.less(right_rank, cap))
    kept = reviews.filter(keep)
    dropped = reviews.num_rows - kept.num_rows
    if not dropped:
        return pairs, Crowding(0, 0, cap)
    result = pa.concat_tables([pairs.filter(pc.invert(is_review)), kept])
    return result, Crowding(crowded, dropped, cap)


def _rank_within(pairs: pa.Table, key: str, other: str, cap: int
                 ) -> tuple[pa.Array, pa.Array]:
    """Each pair's rank (0 = strongest) among the pairs of its ``key`` record, in the
    table's order, and the ``key`` records that have more than ``cap`` pairs."""
    order = pc.sort_indices(pairs, [(key, "ascending"), ("match_weight", "descending"),
                                    (other, "ascending")])
    keys = pc.take(pairs[key], order).combine_chunks()
    position = pc.subtract(pc.cumulative_sum(pa.repeat(1, len(keys))), 1)
    first = pa.concat_arrays([pa.array([True]), pc.not_equal(keys[1:], keys[:-1])])
    group_start = pc.fill_null_forward(pc.if_else(first, position, None))
    ranks = pc.subtract(position, group_start)
    crowded = keys.filter(pc.equal(ranks, cap))
    return pc.take(ranks, pc.sort_indices(order)), crowded


def score(engine: Engine, spec: LinkageSpec, sides: Sequence[Side], task: Task,
          model: TrainedModel | None = None) -> Pairs:
    """Link two sides (``link``) or one side with itself (``dedupe``)."""
    tables = [side.features for side in sides]
    chosen = choose_model(engine, spec, tables, task, model)
    cohorts = (Cohorts.link(tables[0], tables[1]) if task == "link"
               else Cohorts.single(tables))
    threshold = Cohorts.reach(spec) if cohorts else spec.thresholds.review
    scored = engine.predict(spec, chosen, tables, task, threshold)
    return finish(spec, chosen, scored, cohorts)


def clusters(size: int, pairs: Pairs) -> list[int]:
    """Cluster number of each record 0…size-1: records joined by ``match`` pairs share
    one (connected components); numbers follow the first record of each cluster."""
    parent = list(range(size))

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    table = pairs.table
    matched = table.filter(pc.equal(table["decision"], "match"))
    for a, b in zip(matched["left_uid"].to_pylist(), matched["right_uid"].to_pylist(),
                    strict=True):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    numbers: dict[int, int] = {}
    return [numbers.setdefault(root(node), len(numbers) + 1) for node in range(size)]


def explanations(spec: LinkageSpec, pairs: Pairs, left: Side, right: Side | None = None
                 ) -> list[Explanation]:
    """The explanation of every pair, with the records' values when the sides kept them."""
    other = right or left
    result = []
    for row in pairs.table.to_pylist():
        shown_l = left.features.display[row["left_uid"]] if left.features.display else None
        shown_r = other.features.display[row["right_uid"]] if other.features.display else None
        result.append(explain(spec, pairs.model, row, shown_l, shown_r))
    return result
