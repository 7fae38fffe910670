"""Link one record through the store's blocking keys, in this process.

Registering a report or correcting a record used to link it by running the engine over
the whole store (about a minute at 100,000 children). Every linkage run now keeps each
record's blocking keys (``linkage_keys``, :mod:`kinlink.linkage.blocking`), so one
record finds its candidates by index: the records sharing a key of one of the spec's
blocking rules — the rules the store's last run used, a wide net that run skipped for
its ``max_pairs`` stays skipped. The pairs are scored in Python
(:func:`kinlink.linkage.pairwise.score_rows`) with the model in use and term
frequencies counted over the store's keys at link time, then vetoed, decided and
explained as a run over the store does, so a pair gets the same probability either way
(tests/linkage/test_linkage_one_record.py compares them).

What a run over the store would do to one record's pairs is done too: the sibling
signatures of the candidates are read from the keys (they are computed over a whole
list, not one record), and group evidence (:mod:`kinlink.linkage.cohorts`) is left out:
it counts links between *other* members of two groups, and every pair of a run of one
record has that record on one side, so it never adds anything. The review cap per
record keeps every pair for the same reason (each candidate has one pair in the run).

In one transaction: the record's keys are replaced, its pairs upserted, its former
pairs that are no longer candidates and that no person decided on are dropped, the run
is finished with its counts and the audit event ``linkage.match`` says how many pairs
were kept and how many stale ones were dropped (ids and counts only). A source whose
only record this is (a registered form) is marked linked by the run.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.linkage import Display, FeatureBuilder, LinkageSpec, TrainedModel, explain
from kinlink.linkage.blocking import (
    SIBLINGS,
    encoded,
    indexable,
    probes,
    record_keys,
    tf_columns,
    tf_name,
)
from kinlink.linkage.engine import level_for_gamma
from kinlink.linkage.features import closest_sibling
from kinlink.linkage.pairwise import Row, score_rows
from kinlink.storage import Session, Store, candidate_reach
from kinlink.storage.accounts import begin_write
from kinlink.storage.linkage import LinkageRepository, NewPair, StoredRecord

__all__ = ["RecordLinked", "keyed_model", "link_record", "spec_digests"]


@dataclass(frozen=True)
class RecordLinked:
    """What linking one record did (ids and counts)."""

    run_id: int
    model_version: str
    candidates: int
    pairs: int
    matches: int
    stale_dropped: int


@dataclass(frozen=True)
class _Keyed:
    """The model in use, and the rules its store's last run blocked on."""

    model: TrainedModel
    model_id: int
    skipped: tuple[str, ...]
    version: str
    """The model's version (as kept with it: computing it hashes the parameters)."""
    spec_digest: str
    """The digest of the spec the record is linked with (names the run)."""


_MODELS: dict[str, TrainedModel] = {}
"""Models read from a store, by version: a kept model is never changed, and its version
is a digest of its parameters, so the same version is the same model in any store. Read
once per process, not at every registration (the parameters' JSON and the model)."""
_MAX_MODELS = 8


@functools.lru_cache(maxsize=8)
def spec_digests(spec: LinkageSpec) -> tuple[str, str]:
    """The spec's :meth:`~LinkageSpec.digest` and :meth:`~LinkageSpec.model_digest`,
    computed once per spec (each hashes the spec's canonical JSON, about a millisecond;
    a spec is frozen, and equal specs have equal digests)."""
    return spec.digest(), spec.model_digest()


def _model(repo: LinkageRepository, model_id: int, version: str) -> TrainedModel:
    """The kept model ``model_id`` of ``version``, from the process's models when met
    before; one whose parameters do not give its version is read again every time."""
    model = _MODELS.get(version)
    if model is None:
        model = TrainedModel.from_dict(repo.model_parameters(model_id))
        if model.version == version:
            if len(_MODELS) >= _MAX_MODELS:
                _MODELS.clear()
            _MODELS[version] = model
    return model


def keyed_model(session: Session, spec: LinkageSpec) -> _Keyed | None:
    """The model in use when one record can be linked by key: a model is kept, a run of
    it wrote every record's keys, and each rule the run used can be looked up by key;
    else ``None`` (link over the whole store instead)."""
    repo = LinkageRepository(session)
    digest, model_digest = spec_digests(spec)
    found = repo.latest_model_version(model_digest)
    if found is None:
        return None
    model_id, version = found
    if repo.latest_run(model_id, keyed=True) is None:
        return None
    last = repo.latest_run(model_id)
    skipped = tuple(str(name) for name in (last.skipped_rules if last else []))
    if any(not indexable(r) for r in spec.blocking if r.name not in skipped):
        return None
    return _Keyed(_model(repo, model_id, version), model_id, skipped, version, digest)


def _rows(records: Sequence[StoredRecord]) -> tuple[list[Row], tuple[Display, ...]]:
    builder = FeatureBuilder(display=True)
    for record in records:
        builder.add_stored(record.pk, record)
    rows, display = builder.finish_rows()
    return rows, display or ()


class _Shares(Mapping[Any, float]):
    """A term-frequency column's share of each value among the store's records that
    have the column, counted from the keys when a pair first asks for it (only pairs
    whose level is adjusted ask: most candidates need no count)."""

    def __init__(self, repo: LinkageRepository, column: str) -> None:
        self._repo = repo
        self._name = tf_name(column)
        self._total: int | None = None
        self._known: dict[Any, float | None] = {}

    def _share(self, value: Any) -> float | None:
        if value not in self._known:
            key = encoded(value)
            counts, total = self._repo.key_counts(self._name, [key] if key else [],
                                                  total=self._total is None)
            self._total = total if self._total is None else self._total
            found = counts.get(key or "")
            self._known[value] = found / self._total if found and self._total else None
        return self._known[value]

    def __getitem__(self, value: Any) -> float:
        share = self._share(value) if value is not None else None
        if share is None:
            raise KeyError(value)
        return share

    def get(self, value: Any, default: Any = None) -> Any:
        """The value's share, or ``default`` when the store has none of it."""
        share = self._share(value) if value is not None else None
        return default if share is None else share

    def __iter__(self) -> Iterator[Any]:
        return iter(v for v, share in self._known.items() if share is not None)

    def __len__(self) -> int:
        return sum(1 for share in self._known.values() if share is not None)


def _frequencies(spec: LinkageSpec, repo: LinkageRepository) -> dict[str, Mapping[Any, float]]:
    """Each term-frequency column's shares of values among the store's records that have
    the column (the engine counts over every record it links)."""
    return {column: _Shares(repo, column) for column in tf_columns(spec)}


def _with_siblings(rows: list[Row], siblings: dict[int, list[str]]) -> None:
    """Give candidates the sibling signatures computed over their whole list."""
    for row in rows:
        found = siblings.get(row["uid"])
        row[SIBLINGS] = found or None
        row["sibling_key"] = closest_sibling(found) if found else None


def _decide(spec: LinkageSpec, row: Row) -> str | None:
    """The decision a run over the store gives a scored pair: ``None`` when it is under
    the review threshold or a ``drop`` veto removes it, ``review`` when a ``review``
    veto holds, else by the thresholds."""
    probability = float(row["match_probability"])
    if probability < spec.thresholds.review:
        return None
    levels = {c.name: level_for_gamma(c, int(row[f"gamma_{c.name}"])).name
              for c in spec.comparisons}
    hits = [veto for veto in spec.vetoes if veto.applies(levels)]
    if any(veto.effect == "drop" for veto in hits):
        return None
    if probability >= spec.thresholds.match and not any(v.effect == "review" for v in hits):
        return "match"
    return "review"


def link_record(store: Store, spec: LinkageSpec, keyed: _Keyed, record_pk: int,
                actor: str) -> RecordLinked | None:
    """Link ``record_pk`` with the store by key (see the module); ``None`` when the
    record may not be linked (its report may not be traced: its keys and its pairs
    nobody decided on are dropped)."""
    with store.transaction() as session:
        begin_write(session)
        repo = LinkageRepository(session)
        sources = repo.source_ids()
        found = list(repo.records(sources, only={record_pk}))
        before = candidate_reach.partners(session, [record_pk])
        if not found:
            repo.drop_keys([record_pk])
            repo.drop_stale_pairs(record_pk, ())
            candidate_reach.refresh(session, before)
            return None
        own_rows, own_display = _rows(found)
        own = own_rows[0]
        repo.write_keys({record_pk: record_keys(spec, own)})
        rules = [r for r in spec.blocking if r.name not in keyed.skipped]
        candidate_ids = repo.keyed_records(probes(spec, own, rules), leave_out=record_pk)
        candidates = list(repo.records(sources, only=candidate_ids)) if candidate_ids else []
        rows, display = _rows(candidates)
        _with_siblings(rows, repo.key_values(candidate_ids, SIBLINGS))
        everyone = sorted([(record_pk, own, own_display[0]),
                           *((r["uid"], r, d) for r, d in zip(rows, display, strict=True))],
                          key=lambda item: item[0])
        feature_rows = [item[1] for item in everyone]
        at = next(i for i, item in enumerate(everyone) if item[0] == record_pk)
        pairs = [(min(at, i), max(at, i)) for i in range(len(everyone)) if i != at]
        scored = score_rows(spec, keyed.model, feature_rows, feature_rows, pairs,
                            frequencies=_frequencies(spec, repo))
        kept: list[NewPair] = []
        for row in scored:
            decision = _decide(spec, row)
            if decision is None:
                continue
            low, high = everyone[row["left_uid"]], everyone[row["right_uid"]]
            row["decision"] = decision
            row["left_uid"], row["right_uid"] = low[0], high[0]
            why = explain(spec, keyed.model, row, low[2], high[2])
            kept.append(NewPair(low[0], high[0], float(row["match_weight"]),
                                float(row["match_probability"]), decision, why.as_dict()))
        version = keyed.version
        run_id = repo.start_run(keyed.model_id, keyed.spec_digest, actor).id
        repo.upsert_pairs(kept, keyed.model_id, run_id)
        others = {p.record_b if p.record_a == record_pk else p.record_a for p in kept}
        dropped = repo.drop_stale_pairs(record_pk, others)
        candidate_reach.refresh(session, before | others)
        source_id = found[0].source_id
        if repo.count_records([source_id]) == 1:
            repo.mark_linked([source_id], keyed.model_id, run_id)
        matches = sum(1 for p in kept if p.decision == "match")
        repo.finish_run(run_id, new=1, existing=len(candidates), pairs=len(kept),
                        matches=matches, reviews=len(kept) - matches,
                        skipped=keyed.skipped, keys_written=1)
        append_event(session, AuditEvent(actor, AuditAction.LINKAGE_MATCH, "linkage_run",
                                         str(run_id), {
            "model_version": version, "trained": False, "record": record_pk,
            "by_key": True, "new_records": 1, "existing_records": len(candidates),
            "pairs": len(kept), "match": matches, "review": len(kept) - matches,
            "stale_pairs_dropped": dropped, "skipped_rules": list(keyed.skipped)}))
    return RecordLinked(run_id, version, len(candidates), len(kept), matches,
                        dropped)
