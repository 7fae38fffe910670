"""Reading records for linkage and keeping its models, runs and candidate pairs.

Pairs are upserted on (record_low, record_high): a later run that scores the same two
records again replaces the score, decision and explanation, and nothing else. Which
sources a model has already linked is kept per (source, model), so that ``kinlink
match`` links a new import against what is there without redoing everything, and a
source imported while a run was going is simply new to the next one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, and_, delete, func, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from kinlink.domain.dates import PartialDate
from kinlink.storage.linkage_tables import (
    CandidatePairRow,
    LinkageKeyRow,
    LinkageModelRow,
    LinkageRunRow,
    LinkedSourceRow,
)
from kinlink.storage.review_tables import DecisionRow
from kinlink.storage.tables import RecordRow
from kinlink.storage.visibility import (
    ready_source_ids,
    record_is_visible,
    record_may_be_traced,
)

__all__ = ["LinkageRepository", "NewPair", "StoredRecord"]

_PAIRS = cast(Table, CandidatePairRow.__table__)
_KEYS = cast(Table, LinkageKeyRow.__table__)
_BATCH = 2000


@dataclass(frozen=True)
class StoredRecord:
    """The fields of a stored record that linkage reads."""

    pk: int
    source_id: int
    given_name: str | None
    surname: str | None
    patronymic: str | None
    full_name: str | None
    sex: str | None
    birth: PartialDate | None
    birth_place: str | None
    last_known_place: str | None
    event: PartialDate | None
    institution: str | None = None
    moved: PartialDate | None = None
    group: str | None = None


@dataclass(frozen=True)
class NewPair:
    """A scored candidate pair to keep (record ids in either order)."""

    record_a: int
    record_b: int
    match_weight: float
    match_probability: float
    decision: str
    explanation: dict[str, Any]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class LinkageRepository:
    """Linkage's reads and writes in one session (the caller's transaction)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # -- models and runs ---------------------------------------------------------------

    def latest_model(self, spec_digest: str) -> LinkageModelRow | None:
        """The newest model stored for a spec with this model digest."""
        return self._session.execute(
            select(LinkageModelRow).where(LinkageModelRow.spec_digest == spec_digest)
            .order_by(LinkageModelRow.id.desc()).limit(1)).scalar_one_or_none()

    def latest_model_version(self, spec_digest: str) -> tuple[int, str] | None:
        """The id and version of the newest model stored for a spec with this model
        digest, without its parameters (a version names its parameters: the caller
        reads them, :meth:`model_parameters`, only for a version it has not met)."""
        row = self._session.execute(
            select(LinkageModelRow.id, LinkageModelRow.version)
            .where(LinkageModelRow.spec_digest == spec_digest)
            .order_by(LinkageModelRow.id.desc()).limit(1)).first()
        return None if row is None else (int(row[0]), str(row[1]))

    def model_parameters(self, model_id: int) -> dict[str, Any]:
        """The parameters of a kept model."""
        return dict(self._session.execute(select(LinkageModelRow.parameters).where(
            LinkageModelRow.id == model_id)).scalar_one())

    def add_model(self, parameters: dict[str, Any], spec: dict[str, Any], records: int,
                  engine: str, actor: str) -> LinkageModelRow:
        """Keep a trained model (the same version twice is kept once)."""
        existing = self._session.execute(select(LinkageModelRow).where(
            LinkageModelRow.version == parameters["version"])).scalar_one_or_none()
        if existing is not None:
            return existing
        row = LinkageModelRow(
            version=parameters["version"], spec_version=parameters["spec_version"],
            spec_digest=parameters["spec_digest"], spec=spec, parameters=parameters,
            records_used=records, engine=engine, trained_by=actor, trained_at=_now())
        self._session.add(row)
        self._session.flush()
        return row

    def start_run(self, model_id: int, spec_digest: str, actor: str) -> LinkageRunRow:
        """A run row, to be finished with :meth:`finish_run`."""
        row = LinkageRunRow(model_id=model_id, spec_digest=spec_digest, started_by=actor,
                            started_at=_now(), new_records=0, existing_records=0,
                            pairs=0, matches=0, reviews=0, skipped_rules=[])
        self._session.add(row)
        self._session.flush()
        return row

    def finish_run(self, run_id: int, *, new: int, existing: int, pairs: int,
                   matches: int, reviews: int, skipped: Iterable[str],
                   keys_written: int = 0) -> None:
        """Record what the run found (in the transaction of its last pairs)."""
        run = self._session.get(LinkageRunRow, run_id)
        assert run is not None, run_id
        run.finished_at = _now()
        run.new_records, run.existing_records = new, existing
        run.pairs, run.matches, run.reviews = pairs, matches, reviews
        run.skipped_rules = list(skipped)
        run.keys_written = keys_written

    def latest_run(self, model_id: int, *, keyed: bool = False) -> LinkageRunRow | None:
        """The model's newest finished run (with ``keyed``: one that wrote keys)."""
        query = select(LinkageRunRow).where(LinkageRunRow.model_id == model_id,
                                            LinkageRunRow.finished_at.is_not(None))
        if keyed:
            query = query.where(LinkageRunRow.keys_written > 0)
        return self._session.execute(query.order_by(LinkageRunRow.id.desc()).limit(1)
                                     ).scalar_one_or_none()

    # -- blocking keys -------------------------------------------------------------------

    def write_keys(self, keys: Mapping[int, Iterable[tuple[str, str]]]) -> int:
        """Replace the blocking keys of these records (record id → (name, value)s);
        returns how many records' keys were written."""
        ids = list(keys)
        self.drop_keys(ids)
        batch: list[dict[str, Any]] = []
        for record_id, found in keys.items():
            for name, value in found:
                batch.append({"record_id": record_id, "name": name, "value": value})
                if len(batch) >= _BATCH * 5:
                    self._session.execute(insert(_KEYS), batch)
                    batch = []
        if batch:
            self._session.execute(insert(_KEYS), batch)
        return len(ids)

    def drop_keys(self, record_ids: Iterable[int]) -> None:
        """Forget the blocking keys of these records (no longer linkable by key)."""
        ids = list(record_ids)
        for at in range(0, len(ids), _BATCH):
            self._session.execute(delete(_KEYS).where(_KEYS.c.record_id.in_(ids[at:at + _BATCH])))

    def keyed_records(self, probes: Iterable[tuple[str, str]], *, leave_out: int
                      ) -> set[int]:
        """The records holding any of the (name, value) keys, but ``leave_out``."""
        wanted = list(probes)
        if not wanted:
            return set()
        condition = or_(*(and_(_KEYS.c.name == name, _KEYS.c.value == value)
                          for name, value in wanted))
        return set(self._session.execute(select(_KEYS.c.record_id).distinct().where(
            condition, _KEYS.c.record_id != leave_out)).scalars())

    def key_values(self, record_ids: Iterable[int], name: str) -> dict[int, list[str]]:
        """Each record's values of the key ``name`` (sorted), for those that have any."""
        ids = list(record_ids)
        found: dict[int, list[str]] = {}
        for at in range(0, len(ids), _BATCH):
            rows = self._session.execute(select(_KEYS.c.record_id, _KEYS.c.value).where(
                _KEYS.c.name == name, _KEYS.c.record_id.in_(ids[at:at + _BATCH]))
                .order_by(_KEYS.c.record_id, _KEYS.c.value))
            for record_id, value in rows:
                found.setdefault(int(record_id), []).append(str(value))
        return found

    def key_counts(self, name: str, values: Iterable[str], *, total: bool = True
                   ) -> tuple[dict[str, int], int]:
        """How many records have each of ``values`` as key ``name``, and how many have
        the key at all (a term frequency's numerator and denominator; 0 unless
        ``total``)."""
        wanted = sorted(set(values))
        counts: dict[str, int] = {}
        for at in range(0, len(wanted), _BATCH):
            rows = self._session.execute(select(_KEYS.c.value, func.count()).where(
                _KEYS.c.name == name, _KEYS.c.value.in_(wanted[at:at + _BATCH]))
                .group_by(_KEYS.c.value))
            counts.update({str(value): int(n) for value, n in rows})
        if not total:
            return counts, 0
        return counts, int(self._session.execute(select(func.count()).select_from(_KEYS).where(
            _KEYS.c.name == name)).scalar_one())

    # -- sources and records -------------------------------------------------------------

    def source_ids(self) -> set[int]:
        """Every source in the store whose import has finished."""
        return set(self._session.execute(ready_source_ids()).scalars())

    def linked_sources(self, model_id: int) -> set[int]:
        """Sources the model has linked already."""
        return set(self._session.execute(select(LinkedSourceRow.source_id).where(
            LinkedSourceRow.model_id == model_id)).scalars())

    def mark_linked(self, source_ids: Iterable[int], model_id: int, run_id: int) -> None:
        """Remember that the model has linked these sources (in this run)."""
        for source_id in source_ids:
            self._session.merge(LinkedSourceRow(source_id=source_id, model_id=model_id,
                                                run_id=run_id))
        self._session.flush()

    def count_records(self, source_ids: Iterable[int]) -> int:
        """How many records the sources hold."""
        ids = list(source_ids)
        if not ids:
            return 0
        return int(self._session.execute(select(func.count()).select_from(RecordRow).where(
            RecordRow.source_id.in_(ids))).scalar_one())

    def records(self, source_ids: Iterable[int], *, only: Iterable[int] | None = None,
                leave_out: Iterable[int] = ()) -> Iterator[StoredRecord]:
        """The linkage fields of every record of the sources that may be traced (a report
        whose consent was refused or withdrawn is never matched), in id order; ``only``
        these records, or all but ``leave_out``."""
        ids = list(source_ids)
        if not ids:
            return
        condition = record_may_be_traced()
        if only is not None:
            condition = condition & RecordRow.id.in_(list(only))
        left_out = list(leave_out)
        if left_out:
            condition = condition & RecordRow.id.not_in(left_out)
        query = (select(RecordRow.id, RecordRow.source_id, RecordRow.given_name, RecordRow.surname,
                        RecordRow.patronymic, RecordRow.full_name, RecordRow.sex,
                        RecordRow.birth_year, RecordRow.birth_month, RecordRow.birth_day,
                        RecordRow.birth_place, RecordRow.last_known_place,
                        RecordRow.event_year, RecordRow.event_month, RecordRow.event_day,
                        RecordRow.institution, RecordRow.moved_year, RecordRow.moved_month,
                        RecordRow.moved_day, RecordRow.group)
                 .where(RecordRow.source_id.in_(ids), record_is_visible(), condition)
                 .order_by(RecordRow.id)
                 .execution_options(yield_per=_BATCH))
        for row in self._session.execute(query):
            yield StoredRecord(row[0], row[1], row[2], row[3], row[4], row[5], row[6],
                               PartialDate.from_parts(row[7], row[8], row[9]), row[10],
                               row[11], PartialDate.from_parts(row[12], row[13], row[14]),
                               row[15], PartialDate.from_parts(row[16], row[17], row[18]),
                               row[19])

    # -- pairs ---------------------------------------------------------------------------

    def upsert_pairs(self, pairs: Iterable[NewPair], model_id: int, run_id: int) -> int:
        """Insert pairs, or update the score of pairs already kept; returns how many."""
        dialect = self._session.get_bind().dialect.name
        insert_for = postgresql.insert if dialect == "postgresql" else sqlite.insert
        count = 0
        batch: list[dict[str, Any]] = []
        for pair in pairs:
            batch.append(self._values(pair, model_id, run_id))
            if len(batch) >= _BATCH:
                count += self._write(insert_for, batch)
                batch = []
        if batch:
            count += self._write(insert_for, batch)
        return count

    @staticmethod
    def _values(pair: NewPair, model_id: int, run_id: int) -> dict[str, Any]:
        return {"record_low": min(pair.record_a, pair.record_b),
                "record_high": max(pair.record_a, pair.record_b), "model_id": model_id,
                "run_id": run_id, "match_weight": pair.match_weight,
                "match_probability": pair.match_probability, "decision": pair.decision,
                "explanation": pair.explanation, "scored_at": _now()}

    def _write(self, insert_for: Any, batch: list[dict[str, Any]]) -> int:
        statement = insert_for(_PAIRS)
        excluded = statement.excluded
        statement = statement.on_conflict_do_update(
            index_elements=["record_low", "record_high"],
            set_={name: excluded[name] for name in (
                "model_id", "run_id", "match_weight", "match_probability", "decision",
                "explanation", "scored_at")})
        self._session.execute(statement, batch)
        return len(batch)

    def drop_stale_pairs(self, record_id: int, kept: Iterable[int]) -> int:
        """Delete the record's pairs with records other than ``kept`` (its candidates
        now) on which no person has decided; returns how many were deleted."""
        others = set(kept)
        rows = self._session.execute(select(
            CandidatePairRow.id, CandidatePairRow.record_low, CandidatePairRow.record_high)
            .where(or_(CandidatePairRow.record_low == record_id,
                       CandidatePairRow.record_high == record_id))).all()
        stale = {(low, high): pair_id for pair_id, low, high in rows
                 if (high if low == record_id else low) not in others}
        if not stale:
            return 0
        decided = {(int(low), int(high)) for low, high in self._session.execute(select(
            DecisionRow.record_low, DecisionRow.record_high).where(
            or_(DecisionRow.record_low == record_id, DecisionRow.record_high == record_id)))}
        doomed = [pair_id for pair, pair_id in stale.items() if pair not in decided]
        if doomed:
            self._session.execute(delete(_PAIRS).where(_PAIRS.c.id.in_(doomed)))
        return len(doomed)

    def pairs(self, decision: str | None = None) -> list[CandidatePairRow]:
        """Kept pairs, highest probability first (optionally one decision only)."""
        query = select(CandidatePairRow).order_by(CandidatePairRow.match_probability.desc(),
                                                  CandidatePairRow.id)
        if decision is not None:
            query = query.where(CandidatePairRow.decision == decision)
        return list(self._session.execute(query).scalars())

    def count_pairs(self) -> dict[str, int]:
        """Kept pairs by decision."""
        rows = self._session.execute(select(CandidatePairRow.decision, func.count())
                                     .group_by(CandidatePairRow.decision)).all()
        return {str(decision): int(n) for decision, n in rows}
