"""One record linked through the store's blocking keys (SQLite and PostgreSQL): the same
candidates and the same probabilities as the engine scoring it against the whole store,
its stale pairs dropped unless a person decided on them, and the run over the store
when no keys were written yet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import delete, func, inspect, select

from kinlink.config import Settings
from kinlink.demo import DemoConfig, generate
from kinlink.domain.records import SourceKind
from kinlink.ingest import ImportRequest, import_file
from kinlink.linkage import TrainedModel, default_spec
from kinlink.matching import match_store
from kinlink.matching import record as matching_record
from kinlink.matching import store as matching_store
from kinlink.storage import Store
from kinlink.storage.linkage import LinkageRepository
from kinlink.storage.linkage_tables import (
    CandidatePairRow,
    LinkageKeyRow,
    LinkageModelRow,
    LinkageRunRow,
)
from kinlink.storage.review_tables import DecisionRow
from kinlink.storage.store import _alembic_config, head_revision, upgrade
from kinlink.storage.tables import AuditEventRow, RecordRow
from storecopies import WorldBuilder

pytestmark = pytest.mark.slow


def _linked(store: Store, _settings: Settings, folder: Path) -> None:
    """The demo's three lists (300 children, seed 31) imported and linked over the store."""
    lists = {item.kind: item.path
             for item in generate(folder / "demo", DemoConfig(children=300, seed=31))}
    for kind in ("family_reports", "adoption_registry", "institution_list"):
        import_file(store, ImportRequest(path=lists[kind], imported_by="tester",
                                         kind=SourceKind(kind)))
    match_store(store, actor="tester")


@pytest.fixture
def store_world() -> WorldBuilder:
    """Each test's store starts on a copy of :func:`_linked`, built once per session and
    backend (:mod:`storecopies`): importing and linking the lists took most of each
    test's time."""
    return _linked


def _pairs_of(store: Store, pk: int) -> dict[int, tuple[float, str]]:
    with store.transaction() as session:
        rows = session.execute(select(CandidatePairRow).where(
            (CandidatePairRow.record_low == pk) | (CandidatePairRow.record_high == pk)
        )).scalars()
        return {(r.record_high if r.record_low == pk else r.record_low):
                (r.match_probability, r.decision) for r in rows}


def _records_with_pairs(store: Store, count: int) -> list[int]:
    with store.transaction() as session:
        lows = session.execute(select(CandidatePairRow.record_low).distinct()
                               .order_by(CandidatePairRow.record_low)).scalars().all()
    return list(lows[::max(1, len(lows) // count)][:count])


def _by_engine(store: Store, pk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Score ``pk`` against the whole store with the engine (the keys hidden)."""
    with monkeypatch.context() as patched:
        patched.setattr(matching_store, "keyed_model", lambda _session, _spec: None)
        result = match_store(store, actor="tester", records={pk})
    assert not result.by_key


def test_one_record_by_key_scores_as_the_engine_over_the_whole_store(
        store: Store, built_world: None, monkeypatch: pytest.MonkeyPatch) -> None:
    compared = 0
    for pk in _records_with_pairs(store, 12):
        with store.transaction() as session:  # only the engine's pairs of this record
            session.execute(delete(CandidatePairRow).where(
                (CandidatePairRow.record_low == pk) | (CandidatePairRow.record_high == pk)))
        _by_engine(store, pk, monkeypatch)
        engine = _pairs_of(store, pk)
        result = match_store(store, actor="tester", records={pk})
        assert result.by_key
        assert result.existing_records >= len(engine)  # the candidates found by key
        keyed = _pairs_of(store, pk)
        assert result.stale_dropped == 0
        assert keyed.keys() == engine.keys(), pk
        for other, (probability, decision) in engine.items():
            assert keyed[other][0] == pytest.approx(probability, rel=1e-9, abs=1e-12)
            assert keyed[other][1] == decision
        compared += len(engine)
    assert compared > 12


def test_stale_pairs_are_dropped_and_decided_pairs_kept(
        store: Store, built_world: None) -> None:
    pk = _records_with_pairs(store, 1)[0]
    before = _pairs_of(store, pk)
    with store.transaction() as session:
        strangers = session.execute(select(RecordRow.id).where(RecordRow.id.not_in(
            [pk, *before])).order_by(RecordRow.id.desc()).limit(2)).scalars().all()
        run = session.execute(select(LinkageRunRow).limit(1)).scalar_one()
        now = dt.datetime.now(dt.UTC)
        for other in strangers:  # pairs the record's new fields no longer make
            session.add(CandidatePairRow(
                record_low=min(pk, other), record_high=max(pk, other), model_id=run.model_id,
                run_id=run.id, match_weight=1.0, match_probability=0.9, decision="review",
                explanation={}, scored_at=now))
        decided = strangers[0]
        session.add(DecisionRow(record_low=min(pk, decided), record_high=max(pk, decided),
                                verdict="unsure", actor="worker", decided_at=now))
    result = match_store(store, actor="tester", records={pk})
    assert result.by_key
    assert result.stale_dropped == 1
    after = _pairs_of(store, pk)
    assert decided in after
    assert strangers[1] not in after
    assert set(before) <= set(after)
    with store.transaction() as session:
        event = session.execute(select(AuditEventRow).where(
            AuditEventRow.action == "linkage.match", AuditEventRow.entity_id == str(
                result.run_id))).scalar_one()
    assert event.details["stale_pairs_dropped"] == 1
    assert event.details["record"] == pk


def test_a_store_linked_before_0014_links_over_the_store_until_a_run_writes_the_keys(
        store: Store, built_world: None) -> None:
    config = _alembic_config(store.engine)
    command.downgrade(config, "0013")  # a filled store as it was before revision 0014
    assert "linkage_keys" not in inspect(store.engine).get_table_names()
    assert upgrade(store.engine) == head_revision()
    with store.transaction() as session:
        assert set(session.execute(select(LinkageRunRow.keys_written)).scalars()) == {0}
        assert session.execute(select(func.count()).select_from(LinkageKeyRow)
                               ).scalar_one() == 0
    pk = _records_with_pairs(store, 1)[0]
    before = _pairs_of(store, pk)
    assert not match_store(store, actor="tester", records={pk}).by_key
    assert _pairs_of(store, pk) == before
    nothing_new = match_store(store, actor="tester")  # writes every record's keys
    assert nothing_new.pairs == 0
    with store.transaction() as session:
        keys = session.execute(select(LinkageKeyRow.record_id).distinct()).scalars().all()
        records = session.execute(select(RecordRow.id)).scalars().all()
        keyed_run = session.execute(select(LinkageRunRow).order_by(
            LinkageRunRow.id.desc()).limit(1)).scalar_one()
    assert set(keys) == set(records)
    assert keyed_run.keys_written == len(records)
    again = match_store(store, actor="tester", records={pk})
    assert again.by_key
    assert again.pairs == len(_pairs_of(store, pk))
    assert match_store(store, actor="tester").run_id is None  # keys kept: nothing to do


def test_a_new_model_kept_is_used_by_the_next_record_linked_by_key(
        store: Store, built_world: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The model is read from the store once per version and kept in the process: the
    same model links the next record without being read again, and a newer model kept
    for the spec (with a run that wrote the keys) links the record after it."""
    first, second = _records_with_pairs(store, 2)
    read: list[object] = []
    real = TrainedModel.from_dict

    def counted(data: dict[str, object]) -> TrainedModel:
        read.append(data["version"])
        return real(data)

    monkeypatch.setattr(TrainedModel, "from_dict", staticmethod(counted))
    monkeypatch.setattr(matching_record, "_MODELS", {})  # as a process starting
    linked = [match_store(store, actor="tester", records={pk}) for pk in (first, second)]
    assert all(result.by_key for result in linked)
    old = linked[0].model_version
    assert read == [old]  # read from the store for the first record only
    with store.transaction() as session:
        repo = LinkageRepository(session)
        kept = session.execute(select(LinkageModelRow).order_by(
            LinkageModelRow.id.desc()).limit(1)).scalar_one()
        newer = real(dict(kept.parameters)).with_prior(0.5)
        model_id = repo.add_model(newer.to_dict(), dict(kept.spec), kept.records_used,
                                  newer.engine, "tester").id
        run = repo.start_run(model_id, default_spec().digest(), "tester")
        repo.finish_run(run.id, new=0, existing=0, pairs=0, matches=0, reviews=0,
                        skipped=[], keys_written=1)
    assert newer.version != old
    again = match_store(store, actor="tester", records={first})
    assert again.by_key
    assert again.model_version == newer.version
    assert read == [old, newer.version]
    with store.transaction() as session:
        assert session.execute(select(LinkageRunRow.model_id).where(
            LinkageRunRow.id == again.run_id)).scalar_one() == model_id
