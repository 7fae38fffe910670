"""The served application builds the found records' features at start (issue 15): on
SQLite and PostgreSQL, every found record of a finished list is built into the memo the
identities page reads, in chunks, and the page ranks exactly as without the warm-up;
only the served application does it and freezes its start-up objects. The window read
month by month is the window read by years."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kinlink.config import Settings
from kinlink.demo.generator import DemoConfig, generate
from kinlink.domain.access import Actor
from kinlink.domain.records import Role, Sex, SourceKind
from kinlink.domain.users import UserRole
from kinlink.ingest import ImportRequest, import_file
from kinlink.linkage import features
from kinlink.matching.store import match_store
from kinlink.server import create_app
from kinlink.storage import Store
from kinlink.storage.identities import IdentityQueries
from kinlink.storage.review import ReviewQueries
from kinlink.storage.tables import RecordRow
from kinlink.usecases import children
from kinlink.usecases.children import possible_identities, remember_features

WORKER = Actor("olena", UserRole.CASE_WORKER)
pytestmark = pytest.mark.slow


@pytest.fixture
def lists(store: Store, tmp_path: Path) -> Store:
    """A demo world's family reports and adoption registry, linked."""
    files = {f.path.name: f for f in generate(tmp_path, DemoConfig(children=120, seed=7))}
    for name in ("family_reports.csv", "adoption_registry.csv"):
        item = files[name]
        import_file(store, ImportRequest(path=item.path, imported_by="tester",
                                         kind=SourceKind(item.kind), role=Role(item.role)))
    match_store(store, actor="tester")
    return store


def _pages(store: Store, reports: list[int]) -> list[list[tuple[int, float, str]]]:
    """Each report's possible identities as (record, weight, first reason)."""
    return [[(c.record.id, c.weight, c.listed_for[0].code)
             for c in possible_identities(store, WORKER, pk, limit=500).candidates]
            for pk in reports]


def test_newest_reads_on_below_an_id(lists: Store) -> None:
    with lists.transaction() as session:
        every = session.execute(select(RecordRow.id).where(RecordRow.role == "found")
                                .order_by(RecordRow.id.desc())).scalars().all()
        queries = IdentityQueries(session)
        first = [r.id for r in queries.newest(Role.FOUND, 5)]
        after = [r.id for r in queries.newest(Role.FOUND, 5, below=first[-1])]
    assert first + after == every[:10]


def test_every_found_record_is_built_and_the_page_ranks_as_before(
        lists: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(features, "_REMEMBERED", {})
    monkeypatch.setattr(children, "_WARM_CHUNK", 7)  # several chunks on a small store
    with lists.transaction() as session:
        found = session.execute(select(RecordRow.id).where(RecordRow.role == "found")
                                ).scalars().all()
        reports = session.execute(select(RecordRow.id).where(RecordRow.role == "sought")
                                  .order_by(RecordRow.id).limit(8)).scalars().all()
    cold = _pages(lists, reports)
    features._REMEMBERED.clear()

    assert remember_features(lists) == len(found) > 7
    assert len(features._REMEMBERED) == len(found)
    assert remember_features(lists, limit=10) == 10
    assert len(features._REMEMBERED) == len(found)  # the same records, nothing twice
    assert _pages(lists, reports) == cold
    assert any(cold)


def test_born_in_months_is_born_between_for_those_months(lists: Store) -> None:
    """The window read month by month gives what the read of whole years filtered by
    month gives, windows across a new year included."""
    with lists.transaction() as session:
        years = sorted({y for y in session.execute(select(RecordRow.birth_year)).scalars()
                        if y is not None})
        queries, review = IdentityQueries(session), ReviewQueries(session)
        checked = 0
        for year in years[::2]:
            for first_month, span in ((0, 6), (9, 6), (11, 13), (3, 0)):
                months = (year * 12 + first_month, year * 12 + first_month + span)
                for sex in (None, Sex.MALE):
                    expected = review.born_between(Role.FOUND, months[0] // 12,
                                                   months[1] // 12, sex, None, months=months)
                    assert queries.born_in_months(Role.FOUND, sex, None, months) == expected
                    checked += len(expected)
    assert checked


def test_only_the_served_application_builds_features_and_freezes(
        settings: Settings, lists: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(features, "_REMEMBERED", {})
    frozen = gc.get_freeze_count()
    app = create_app(settings)
    assert app.state.warmed.wait(120)
    assert gc.get_freeze_count() == frozen
    assert not features._REMEMBERED
    app.state.services.store.dispose()
    try:
        served = create_app(settings, serving=True)
        assert served.state.warmed.wait(120)
        assert gc.get_freeze_count() > frozen
        with lists.transaction() as session:
            found = session.execute(select(func.count()).select_from(RecordRow).where(
                RecordRow.role == "found")).scalar_one()
        assert len(features._REMEMBERED) == found
        served.state.services.store.dispose()
    finally:
        gc.unfreeze()  # the next tests of this process collect as before
