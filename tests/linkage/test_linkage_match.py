"""``kinlink match`` links the store incrementally and keeps every pair (SQLite and
PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from kinlink.config import Settings
from kinlink.demo import DemoConfig, generate
from kinlink.domain.records import SourceKind
from kinlink.ingest import ImportRequest, import_file
from kinlink.matching import match_store
from kinlink.storage import Store
from kinlink.storage.linkage import LinkageRepository
from kinlink.storage.linkage_tables import LinkageRunRow
from kinlink.storage.tables import AuditEventRow

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_lists(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("demo")
    files = generate(folder, DemoConfig(children=400, seed=23))
    return {item.kind: item.path for item in files}


def _import(store: Store, path: Path, kind: str) -> None:
    import_file(store, ImportRequest(path=path, imported_by="tester", kind=SourceKind(kind)))


def test_match_is_incremental_and_keeps_pairs_with_explanations(
        store: Store, settings: Settings, demo_lists: dict[str, Path]) -> None:
    _import(store, demo_lists["family_reports"], "family_reports")
    first = match_store(store, actor="tester")
    assert first.run_id is not None
    assert first.trained
    assert first.existing_records == 0

    _import(store, demo_lists["adoption_registry"], "adoption_registry")
    _import(store, demo_lists["institution_list"], "institution_list")
    second = match_store(store, actor="tester")
    assert not second.trained
    assert second.model_version == first.model_version
    assert second.existing_records == first.new_records
    assert second.new_records > 0
    assert second.matches > 0

    assert match_store(store, actor="tester").run_id is None  # nothing new

    with store.transaction() as session:
        repo = LinkageRepository(session)
        kept = repo.pairs()
        assert len(kept) == first.pairs + second.pairs
        for pair in kept:
            assert pair.record_low < pair.record_high
            assert pair.decision in ("match", "review")
            assert pair.explanation["fields"][0]["field"] == "given name"
            assert pair.explanation["decision"] == pair.decision
        runs = session.execute(select(LinkageRunRow).order_by(LinkageRunRow.id)).scalars().all()
        assert [r.new_records for r in runs] == [first.new_records, second.new_records]
        assert runs[0].model_id == runs[1].model_id
        events = session.execute(select(AuditEventRow).where(
            AuditEventRow.action == "linkage.match")).scalars().all()
    assert len(events) == 2
    text = json.dumps([e.details for e in events], ensure_ascii=False)
    assert not any("\u0400" <= ch <= "\u04ff" for ch in text)  # ids and counts, no names


def test_retrain_scores_everything_again_and_keeps_one_row_per_pair(
        store: Store, demo_lists: dict[str, Path]) -> None:
    _import(store, demo_lists["family_reports"], "family_reports")
    _import(store, demo_lists["camp_list"], "camp_list")
    first = match_store(store, actor="tester")
    again = match_store(store, actor="tester", retrain=True)
    assert again.trained
    assert again.existing_records == 0
    assert again.new_records == first.new_records
    with store.transaction() as session:
        kept = LinkageRepository(session).pairs()
    assert len({(p.record_low, p.record_high) for p in kept}) == len(kept)
    assert sum(1 for p in kept if p.run_id == again.run_id) == again.pairs


def test_an_empty_store_has_nothing_to_link(store: Store) -> None:
    assert match_store(store, actor="tester").run_id is None


def test_a_store_of_one_record_links_without_a_pair(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text("record_id,surname,given_name,birth_date\nR1,Петренко,Олександр,2014\n",
                    encoding="utf-8")
    import_file(store, ImportRequest(path=path, imported_by="tester",
                                     kind=SourceKind.FAMILY_REPORTS))
    result = match_store(store, actor="tester")
    assert (result.new_records, result.pairs) == (1, 0)
