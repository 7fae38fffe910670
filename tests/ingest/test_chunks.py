"""An import writes in short chunks, yet is seen whole or not at all.

Between two chunks other sessions read and write (a progress callback looks into the
store from sessions of its own while the import waits); none of them sees the source or
its records before the last transaction. An import that fails removes its chunks; one
killed keeps them, unseen, until the same file is imported again, which removes them and
completes the import.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kinlink.domain.access import Principal
from kinlink.domain.imports import ImportStatus
from kinlink.domain.records import SourceKind
from kinlink.domain.users import UserRole
from kinlink.errors import NotFoundError
from kinlink.ingest import ImportRequest, import_file
from kinlink.names.keys import surname_key
from kinlink.search import RecordSearch
from kinlink.search.service import SearchQuery
from kinlink.storage import Store
from kinlink.storage.accounts import AccountRepository
from kinlink.storage.browse import RecordFilter, find_records
from kinlink.storage.import_views import ImportViews
from kinlink.storage.imports import ImportRepository
from kinlink.storage.linkage import LinkageRepository
from kinlink.storage.review import CaseRepository
from kinlink.storage.stats import newest_record
from kinlink.storage.tables import (
    ImportIssueRow,
    ImportRunRow,
    RecordRow,
    ReporterRow,
    SourceRow,
)
from kinlink.storage.web_tables import SearchKeyRow
from kinlink.usecases.records import read_record
from kinlink.usecases.sources import list_sources

ROWS = 10
CHUNK = 3
LINES = ["record_id,прізвище,ім'я,дата народження,стать",
         "R-bad,,,2014,ч",  # rejected, no name: an issue of the run in the first chunk
         *(f"R{i},Петренко,Олександр,{i + 1:02d}.03.2014,ч" for i in range(ROWS - 1))]
TEXT = "\n".join(LINES) + "\n"
SHA256 = hashlib.sha256(TEXT.encode()).hexdigest()
READER = Principal(1, "reader", UserRole.SUPERVISOR, 1)


class Killed(BaseException):
    """Stands for SIGKILL: nothing of the import's own error handling runs."""


def _list(path: Path) -> Path:
    path.write_bytes(TEXT.encode())
    return path


def _request(path: Path) -> ImportRequest:
    return ImportRequest(path=path, imported_by="tester", kind=SourceKind.FAMILY_REPORTS)


def _stored(store: Store) -> tuple[int, int, int]:
    """Record, source and issue rows in the store, seen or not."""
    with store.transaction() as session:
        return tuple(int(session.execute(select(func.count()).select_from(table)).scalar_one())
                     for table in (RecordRow, SourceRow, ImportIssueRow))  # type: ignore[return-value]


def _seen_by_everyone(store: Store) -> dict[str, object]:
    """What each reader of the store finds, each in a session of its own."""
    with store.transaction() as session:
        seen: dict[str, object] = {
            "sources": len(ImportViews(session).sources(None)),
            "records": len(find_records(session, RecordFilter(), 100)),
            "visible": AccountRepository(session).visible_source_ids(1),
            "linkage": LinkageRepository(session).source_ids(),
            "without_case": CaseRepository(session).sought_without_case(),
            "duplicate": ImportRepository(session).source_with_sha256(SHA256) is not None,
            "dashboard_key": newest_record(session),
        }
    seen["agency_sources"] = len(list_sources(store, READER.acting))
    seen["search"] = RecordSearch(store).search(READER.acting, SearchQuery("Петренко")).total
    return seen


NOTHING = {"sources": 0, "records": 0, "visible": [], "linkage": set(), "without_case": [],
           "duplicate": False, "dashboard_key": 0, "agency_sources": 0, "search": 0}


def _first_stored_record(store: Store) -> int:
    with store.transaction() as session:
        return int(session.execute(select(func.min(RecordRow.id))).scalar_one())


def _watch(store: Store, seen: list[dict[str, object]], when: Callable[[int], None] | None = None
           ) -> Callable[[int, int], None]:
    def progress(done: int, _estimate: int) -> None:
        if done < ROWS:  # between two chunks: some are in the store, none is seen
            assert 0 < _stored(store)[0] < ROWS
            seen.append(_seen_by_everyone(store))
            with pytest.raises(NotFoundError):
                read_record(store, READER.acting, _first_stored_record(store),
                            with_contact=False)
        if when is not None:
            when(done)

    return progress


def test_an_import_is_seen_only_when_its_last_transaction_ends(store: Store,
                                                               tmp_path: Path) -> None:
    seen: list[dict[str, object]] = []
    result = import_file(store, _request(_list(tmp_path / "reports.csv")),
                         progress=_watch(store, seen), chunk_rows=CHUNK)
    assert len(seen) == ROWS // CHUNK  # every chunk but the last was looked at
    assert all(s == NOTHING for s in seen), seen
    after = _seen_by_everyone(store)
    assert (after["sources"], after["records"], after["visible"]) == (1, ROWS - 1,
                                                                      [result.source_id])
    assert after["search"] == ROWS - 1
    assert len(after["without_case"]) == ROWS - 1  # type: ignore[arg-type]


def test_a_failed_import_removes_its_chunks_and_the_next_one_completes(
        store: Store, tmp_path: Path) -> None:
    path = _list(tmp_path / "reports.csv")

    def fail(done: int) -> None:
        if done > CHUNK:
            raise RuntimeError("the disk is full")

    with pytest.raises(RuntimeError):
        import_file(store, _request(path), progress=_watch(store, [], fail), chunk_rows=CHUNK)
    assert _stored(store) == (0, 0, 0)
    assert _seen_by_everyone(store) == NOTHING
    again = import_file(store, _request(path), chunk_rows=CHUNK)
    assert again.counts.imported == ROWS - 1
    assert _stored(store) == (ROWS - 1, 1, 1)
    assert _statuses(store) == [ImportStatus.FAILED, ImportStatus.COMPLETED]


def test_a_killed_import_stays_unseen_until_the_same_file_is_imported_again(
        store: Store, tmp_path: Path) -> None:
    path = _list(tmp_path / "reports.csv")

    def kill(done: int) -> None:
        if done > CHUNK:
            raise Killed

    with pytest.raises(Killed):
        import_file(store, _request(path), progress=_watch(store, [], kill), chunk_rows=CHUNK)
    assert _stored(store) == (2 * CHUNK - 1, 1, 1)  # two chunks in the store, never seen
    assert _seen_by_everyone(store) == NOTHING
    assert _statuses(store) == [ImportStatus.RUNNING]
    again = import_file(store, _request(path), chunk_rows=CHUNK)
    assert again.counts.imported == ROWS - 1
    assert _stored(store) == (ROWS - 1, 1, 1)  # the killed run's chunks are gone
    assert _statuses(store) == [ImportStatus.INTERRUPTED, ImportStatus.COMPLETED]
    assert _seen_by_everyone(store)["sources"] == 1


def _statuses(store: Store) -> list[str]:
    with store.transaction() as session:
        return list(session.execute(select(ImportRunRow.status).order_by(ImportRunRow.id))
                    .scalars())


def test_each_chunks_reporters_issues_and_keys_belong_to_their_own_records(
        store: Store, tmp_path: Path) -> None:
    """Every record's reporter, field issue and search keys are written under the id the
    insert gave that record, chunk after chunk (the import looks the ids up after each
    insert)."""
    names = ["Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравченко", "Олійник",
             "Мельник", "Лисенко"]
    lines = ["record_id,прізвище,ім'я,дата народження,стать,reporter_name"]
    lines += [f"R{i},{surname},Олена,{'99.99.2014' if i % 3 == 0 else '01.03.2014'},ж,"
              f"Мати R{i}" for i, surname in enumerate(names)]
    path = tmp_path / "reported.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_file(store, _request(path), chunk_rows=CHUNK)
    with store.transaction() as session:
        records = {row.id: row for row in session.execute(select(RecordRow)).scalars()}
        reporters = session.execute(select(ReporterRow)).scalars().all()
        issues = session.execute(select(ImportIssueRow)
                                 .where(ImportIssueRow.record_pk.is_not(None))).scalars().all()
        keys = session.execute(select(SearchKeyRow)).scalars().all()
    assert len(records) == len(names)
    assert sorted(r.name for r in reporters) == sorted(f"Мати R{i}" for i in range(len(names)))
    assert all(r.name == f"Мати {records[r.record_pk].record_id}" for r in reporters)
    assert sorted(records[i.record_pk].record_id for i in issues) == ["R0", "R3", "R6"]
    by_record: dict[str, set[str]] = {}
    for key in keys:
        by_record.setdefault(records[key.record_pk].record_id, set()).add(key.surname_key or "")
    expected = {f"R{i}": {surname_key(surname)} for i, surname in enumerate(names)}
    assert by_record == expected
