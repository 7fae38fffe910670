"""``kinlink match``: link everything in the store, incrementally, and keep the pairs.

All records of all sources are linked with each other (reports against found lists,
and within a list: the same child reported twice). The first run trains a model on
the store (or, on a store too small to learn from, uses the packaged model with a
prior re-estimated on it), keeps it with its version, and scores every candidate
pair. Later runs reuse that model and score only what is new: pairs within the
sources imported since, and between them and everything linked before — never the old
pairs again. A run retrains, and rescores everything, when asked (``retrain``) or when
the store has grown to more than twice the size the model was trained on, because the
prior (how rare a true pair is) depends on the size of the lists.

Each kept pair carries its score, decision, explanation and model. The pairs are written
in chunks of :data:`SAVE_CHUNK`, a short transaction each, so that other people's reads
and small writes go on while a large run saves; the last chunk's transaction also marks
the sources linked, finishes the run and writes the audit event ``linkage.match``
(counts only). A run that stops before its last chunk leaves its sources unlinked: the
next run scores them again, and its upserts replace what the stopped run had kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.progress import Progress, Stage, StageProgress
from kinlink.errors import ConfigurationError
from kinlink.i18n import N_, Wording
from kinlink.linkage import (
    Cohorts,
    Crowding,
    Display,
    Engine,
    FeatureBuilder,
    FeatureTable,
    LinkageSpec,
    Pairs,
    TrainedModel,
    choose_model,
    default_engine,
    default_spec,
    explain,
    finish,
    packaged_model,
)
from kinlink.linkage.blocking import record_keys
from kinlink.linkage.engine import Scored
from kinlink.matching.record import keyed_model, link_record
from kinlink.storage import Session, Store, candidate_reach
from kinlink.storage.accounts import begin_write
from kinlink.storage.linkage import LinkageRepository, NewPair, StoredRecord

_NO_LINKAGE_MODEL_RUN = Wording("matching.store.no_linkage_model_run", N_(
    "no linkage model: run `kinlink match` first"))

__all__ = ["SAVE_CHUNK", "MatchResult", "StoredModel", "match_store", "model_in_use",
           "origin_words", "stored_model"]

GROWTH_FOR_RETRAIN = 2.0
SAVE_CHUNK = 2000
"""Candidate pairs written per transaction."""
KEY_CHUNK = 5000
"""Records whose blocking keys are written per transaction."""


@dataclass(frozen=True)
class MatchResult:
    """What one ``kinlink match`` did."""

    run_id: int | None
    model_version: str | None
    trained: bool
    new_records: int
    existing_records: int
    pairs: int
    matches: int
    reviews: int
    skipped_rules: tuple[str, ...] = ()
    totals: dict[str, int] = field(default_factory=dict)
    crowded: Crowding = field(default_factory=lambda: Crowding(0, 0, 0))
    stale_dropped: int = 0
    """One record linked by key: its former pairs no longer candidates, dropped."""
    by_key: bool = False
    """One record linked through the blocking keys (:mod:`kinlink.matching.record`)."""

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready summary (ids and counts only)."""
        return {"run_id": self.run_id, "model_version": self.model_version,
                "stale_pairs_dropped": self.stale_dropped, "trained": self.trained,
                "new_records": self.new_records,
                "existing_records": self.existing_records, "pairs": self.pairs,
                "match": self.matches, "review": self.reviews,
                "skipped_rules": list(self.skipped_rules), "pairs_kept": self.totals,
                "crowded_records": self.crowded.records,
                "crowded_pairs_dropped": self.crowded.dropped}


def _features(records: Iterable[StoredRecord]) -> FeatureTable:
    """Feature rows of stored records, with the record id as the uid."""
    builder = FeatureBuilder(display=True)
    for r in records:
        builder.add_stored(r.pk, r)
    return builder.finish()


@dataclass(frozen=True)
class _Plan:
    """Which model scores, and which sources are old and new to it."""

    model: TrainedModel | None
    model_id: int | None
    old: set[int]
    new: set[int]


@dataclass(frozen=True)
class StoredModel:
    """The model ``kinlink match`` keeps in the store, with who trained it and on what."""

    model: TrainedModel
    trained_by: str
    trained_at: dt.datetime
    """When, aware (UTC as stored): each door shows it in its reader's zone."""
    records_used: int


def stored_model(store: Store, spec: LinkageSpec | None = None) -> StoredModel | None:
    """The newest model kept for ``spec`` (default: kinlink's), or ``None`` before the
    first ``kinlink match``."""
    spec = spec or default_spec()
    with store.transaction() as session:
        row = LinkageRepository(session).latest_model(spec.model_digest())
        if row is None:
            return None
        return StoredModel(TrainedModel.from_dict(row.parameters), row.trained_by,
                           row.trained_at, row.records_used)


def model_in_use(store: Store, spec: LinkageSpec | None = None
                 ) -> tuple[TrainedModel, StoredModel | None]:
    """The model the store's pairs are scored with: the one ``kinlink match`` kept (with
    who trained it), else the packaged model (and ``None``)."""
    kept = stored_model(store, spec)
    if kept is not None:
        return kept.model, kept
    packaged = packaged_model()
    if packaged is None:
        raise ConfigurationError(_NO_LINKAGE_MODEL_RUN())
    return packaged, None


def origin_words(kept: StoredModel | None) -> str:
    """Where a model in use comes from, in words."""
    if kept is None:
        return "packaged with kinlink (trained on generated lists, see benchmarks)"
    return (f"kept in the store, trained by {kept.trained_by} at "
            f"{kept.trained_at.isoformat(timespec='seconds')} on "
            f"{kept.records_used:,} records")


def _plan(store: Store, spec: LinkageSpec, retrain: bool) -> _Plan:
    with store.transaction() as session:
        repo = LinkageRepository(session)
        everything = repo.source_ids()
        row = None if retrain else repo.latest_model(spec.model_digest())
        if row is not None:
            total = repo.count_records(everything)
            grown = total > GROWTH_FOR_RETRAIN * max(row.records_used, 1) or (
                total > row.records_used and _unlearned(row.parameters, row.records_used, spec))
            if grown:
                row = None
        if row is None:
            return _Plan(None, None, set(), everything)
        old = repo.linked_sources(row.id) & everything
        return _Plan(TrainedModel.from_dict(row.parameters), row.id, old, everything - old)


def _unlearned(parameters: dict[str, Any], records_used: int, spec: LinkageSpec) -> bool:
    """Whether a kept model learned nothing from the store: chosen on fewer records than
    ``min_records`` and left with the packaged prior (no pair of those records agreed, as
    on a store's first small list). It is chosen again on the whole store as soon as the
    store grows, as ``kinlink match`` over every list would; a model whose prior the store
    did move is kept, and linking stays incremental."""
    if records_used >= spec.training.min_records:
        return False
    packaged = packaged_model()
    return packaged is not None and TrainedModel.from_dict(parameters).prior <= packaged.prior


def _load(store: Store, sources: set[int], *, only: set[int] | None = None,
          leave_out: set[int] | None = None) -> FeatureTable:
    with store.transaction() as session:
        return _features(LinkageRepository(session).records(
            sources, only=only, leave_out=leave_out or ()))


def _plan_for_records(store: Store, spec: LinkageSpec, records: set[int]) -> _Plan | None:
    """Score only ``records`` with the model in use (``None``: no model kept yet, so the
    store must first be linked as a whole). No source is new: none is marked linked."""
    with store.transaction() as session:
        repo = LinkageRepository(session)
        row = repo.latest_model(spec.model_digest())
        if row is None:
            return None
        return _Plan(TrainedModel.from_dict(row.parameters), row.id, repo.source_ids(), set())


def _new_pairs(spec: LinkageSpec, pairs: Pairs, tables: list[FeatureTable]
               ) -> list[NewPair]:
    display: dict[int, Display] = {}
    for table in tables:
        uids = table.arrow["uid"].to_pylist()
        display.update(zip(uids, table.display or (), strict=False))
    kept = []
    for row in pairs.table.to_pylist():
        why = explain(spec, pairs.model, row, display.get(row["left_uid"]),
                      display.get(row["right_uid"]))
        kept.append(NewPair(row["left_uid"], row["right_uid"], row["match_weight"],
                            row["match_probability"], row["decision"], why.as_dict()))
    return kept


def _by_key(store: Store, spec: LinkageSpec, record: int, actor: str) -> MatchResult | None:
    """Link one record through the blocking keys (:mod:`kinlink.matching.record`), or
    ``None`` when the store has no keys to do it with yet."""
    with store.transaction() as session:
        keyed = keyed_model(session, spec)
    if keyed is None:
        return None
    done = link_record(store, spec, keyed, record, actor)
    if done is None:
        return MatchResult(None, keyed.version, False, 0, 0, 0, 0, 0)
    return MatchResult(done.run_id, done.model_version, False, 1, done.candidates,
                       done.pairs, done.matches, done.pairs - done.matches,
                       keyed.skipped, stale_dropped=done.stale_dropped, by_key=True)


def match_store(store: Store, *, actor: str, retrain: bool = False,
                spec: LinkageSpec | None = None, engine: Engine | None = None,
                progress: Progress | None = None,
                records: set[int] | None = None, whole_if_unkeyed: bool = False
                ) -> MatchResult:
    """Link what is new in the store (everything on the first run or when retraining);
    ``progress`` hears each step (stage ``linking``) and the pairs kept so far. Every
    run keeps the blocking keys of the records it links (of every record, the first
    time a model's run writes keys).

    With ``records`` (a corrected or registered record), score only those records
    against the rest of the store with the model in use: their pairs are scored again
    with their new fields (upserted; people's decisions are kept apart and stay),
    nothing else is. One record is linked through the blocking keys in this process
    (:mod:`kinlink.matching.record`; its former pairs nobody decided on and no longer
    candidates are dropped) once a run has written them; before that it is scored
    against the store by the engine — or, with ``whole_if_unkeyed``, the store's new
    sources are linked as a whole (a registered form is one). Before any model is kept
    this links the store as a whole instead."""
    spec = spec or default_spec()

    def tell(text: str) -> None:
        if progress is not None:
            progress(StageProgress(Stage.LINKING, message=text))

    if records is not None and len(records) == 1:
        tell("Scoring candidate pairs")
        found = _by_key(store, spec, next(iter(records)), actor)
        if found is not None:
            return found
        if whole_if_unkeyed:
            records = None
    plan = _plan_for_records(store, spec, records) if records else None
    if plan is not None and records:
        tell("Reading the records and computing name, date and place keys")
        existing = _load(store, plan.old, leave_out=records)
        new = _load(store, plan.old, only=records)
        if not new.arrow.num_rows:
            return MatchResult(None, plan.model.version if plan.model else None, False,
                               0, 0, 0, 0, 0)
    else:
        plan = _plan(store, spec, retrain)
        if not plan.new:
            return _keys_only(store, spec, plan, actor)
        tell("Reading the records and computing name, date and place keys")
        existing, new = _load(store, plan.old), _load(store, plan.new)
    # The engine (Splink on DuckDB, imported on first use) only now: a record linked by
    # key above never needs it, and a web process never pays its import for one.
    engine = engine or default_engine(memory_limit=store.duckdb_memory)
    model = plan.model
    if model is None:
        tell("Training the model on the store")
        model = choose_model(engine, spec, [new], "dedupe")
    tell("Scoring candidate pairs")
    cohorts = Cohorts.single([existing, new])
    threshold = Cohorts.reach(spec) if cohorts else spec.thresholds.review
    pairs = finish(spec, model, engine.predict_new(spec, model, existing, new, threshold),
                   cohorts)
    tell("Explaining the pairs")
    kept = _new_pairs(spec, pairs, [existing, new])
    run = _Run(store, spec, actor, plan, model, pairs, len(existing), len(new))
    return run.save(kept, progress, _keys_to_write(store, spec, plan, existing, new))


def _keyed(store: Store, model_id: int | None) -> bool:
    """Whether a run of the model has written every record's keys already."""
    if model_id is None:
        return False
    with store.transaction() as session:
        return LinkageRepository(session).latest_run(model_id, keyed=True) is not None


def _keys_to_write(store: Store, spec: LinkageSpec, plan: _Plan, existing: FeatureTable,
                   new: FeatureTable) -> dict[int, list[tuple[str, str]]]:
    """The blocking keys a run writes: of its new records, and of the existing ones too
    when no run of the model has written keys yet (a store linked before revision
    0014, or a new model). A run scoring chosen records writes none (theirs are
    written when they are linked by key)."""
    if plan.model_id is not None and not plan.new:
        return {}
    tables = [new] if _keyed(store, plan.model_id) else [existing, new]
    return {row["uid"]: record_keys(spec, row) for table in tables
            for row in table.arrow.to_pylist()}


def _keys_only(store: Store, spec: LinkageSpec, plan: _Plan, actor: str) -> MatchResult:
    """Nothing is new: write every record's keys if no run of the model has (a store
    linked before revision 0014), so that one record can be linked by key; a run of
    no pairs records it."""
    if plan.model is None or plan.model_id is None or _keyed(store, plan.model_id):
        return MatchResult(None, None, False, 0, 0, 0, 0, 0)
    existing = _load(store, plan.old)
    if not len(existing):
        return MatchResult(None, None, False, 0, 0, 0, 0, 0)
    with store.transaction() as session:
        last = LinkageRepository(session).latest_run(plan.model_id)
        skipped = tuple(str(n) for n in (last.skipped_rules if last else []))
    scored = Scored(pa.table({"decision": pa.array([], pa.string())}), (), skipped, {})
    pairs = Pairs(plan.model, scored.pairs, scored)
    run = _Run(store, spec, actor, plan, plan.model, pairs, len(existing), 0)
    return run.save([], None, {row["uid"]: record_keys(spec, row)
                               for row in existing.arrow.to_pylist()})


@dataclass
class _Run:
    """One run's saving: its pairs in chunks, its end in the last chunk's transaction."""

    store: Store
    spec: LinkageSpec
    actor: str
    plan: _Plan
    model: TrainedModel
    pairs: Pairs
    existing: int
    new: int

    def save(self, kept: list[NewPair], progress: Progress | None,
             keys: dict[int, list[tuple[str, str]]]) -> MatchResult:
        """Write the records' ``keys`` and ``kept`` a chunk per transaction; the last
        one ends the run (a run stopped before it wrote no ``keys_written``: the next
        run writes them again)."""
        chunks = [kept[at:at + SAVE_CHUNK] for at in range(0, len(kept), SAVE_CHUNK)] or [[]]
        ids = list(keys)
        model_id = run_id = 0
        for at in range(0, len(ids), KEY_CHUNK):
            with self.store.transaction() as session:
                begin_write(session)
                repo = LinkageRepository(session)
                if at == 0:
                    model_id, run_id = self._start(repo)
                repo.write_keys({pk: keys[pk] for pk in ids[at:at + KEY_CHUNK]})
        for number, chunk in enumerate(chunks, 1):
            with self.store.transaction() as session:
                begin_write(session)
                repo = LinkageRepository(session)
                if not run_id:
                    model_id, run_id = self._start(repo)
                repo.upsert_pairs(chunk, model_id, run_id)
                if number == len(chunks):
                    self._finish(session, repo, model_id, run_id, len(kept), len(ids))
            if progress is not None:
                progress(StageProgress(Stage.LINKING, min(number * SAVE_CHUNK, len(kept)),
                                       len(kept), "Keeping the candidate pairs"))
        with self.store.transaction() as session:  # a read: no lock held while it counts
            totals = LinkageRepository(session).count_pairs()
        matches = self._matches()
        return MatchResult(run_id, self.model.version, self.plan.model_id is None, self.new,
                           self.existing, len(kept), matches, len(kept) - matches,
                           self.pairs.scored.skipped, totals, self.pairs.crowded)

    def _matches(self) -> int:
        return int(pc.sum(pc.equal(self.pairs.table["decision"], "match")).as_py() or 0)

    def _start(self, repo: LinkageRepository) -> tuple[int, int]:
        model_id = self.plan.model_id
        if model_id is None:
            model_id = repo.add_model(self.model.to_dict(), self.spec.to_dict(), self.new,
                                      self.model.engine, self.actor).id
        return model_id, repo.start_run(model_id, self.spec.digest(), self.actor).id

    def _finish(self, session: Session, repo: LinkageRepository, model_id: int, run_id: int,
                kept: int, keys_written: int) -> None:
        matches = self._matches()
        repo.mark_linked(self.plan.new, model_id, run_id)
        candidate_reach.rebuild(session)
        repo.finish_run(run_id, new=self.new, existing=self.existing, pairs=kept,
                        matches=matches, reviews=kept - matches,
                        skipped=self.pairs.scored.skipped, keys_written=keys_written)
        append_event(session, AuditEvent(self.actor, AuditAction.LINKAGE_MATCH,
                                         "linkage_run", str(run_id), {
            "model_version": self.model.version, "trained": self.plan.model_id is None,
            "new_records": self.new, "existing_records": self.existing, "pairs": kept,
            "match": matches, "review": kept - matches,
            "sources": sorted(self.plan.new), "skipped_rules": list(self.pairs.scored.skipped),
            "crowded_records": self.pairs.crowded.records,
            "crowded_pairs_dropped": self.pairs.crowded.dropped,
            "keys_written": keys_written}))
