"""``match_store`` keeps its pairs in short transactions; a run that stops before its last
one leaves its sources unlinked, and the next run links them again without duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from kinlink.audit import AuditAction
from kinlink.domain.progress import StageProgress
from kinlink.domain.records import SourceKind
from kinlink.ingest import ImportRequest, import_file
from kinlink.matching import match_store
from kinlink.matching import store as matching_store
from kinlink.storage import Store
from kinlink.storage.accounts import begin_write
from kinlink.storage.linkage_tables import CandidatePairRow, LinkageRunRow, LinkedSourceRow
from kinlink.storage.tables import AuditEventRow

pytestmark = pytest.mark.slow


FAMILY_LIST = (
    "record_id,прізвище,ім'я,по батькові,дата народження,стать,місце народження\n"
    "F-1,Петренко,Олександр,Іванович,12.03.2014,ч,\"м. Маріуполь, Донецька обл.\"\n"
    "F-2,Бойко,Ганна,,03.2015,ж,Херсон\n"
    "F-3,Коваленко,Дмитро,Петрович,05.06.2013,ч,Бердянськ\n"
)
FOUND_LIST = (
    "record_id,surname,given_name,birth_date,sex,birth_place\n"
    "C-1,Petrenko,Aleksandr,2014-03-12,F,Mariupol\n"
    "C-2,Boiko,Anna,2015-03,M,Kherson\n"
    "C-3,Kovalenko,Dmytro,2013-06-05,M,Berdiansk\n"
)


class Stopped(BaseException):
    """Stands for a process killed between two chunks."""


def _lists(store: Store, tmp_path: Path) -> None:
    for name, text, kind in (("family.csv", FAMILY_LIST, SourceKind.FAMILY_REPORTS),
                             ("found.csv", FOUND_LIST, SourceKind.ADOPTION_REGISTRY)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        import_file(store, ImportRequest(path=path, imported_by="tester", kind=kind))


def _state(store: Store) -> tuple[int, int, int, int]:
    """Pairs kept, sources linked, runs finished, ``linkage.match`` events."""
    with store.transaction() as session:
        def count(query: object) -> int:
            return int(session.execute(query).scalar_one())  # type: ignore[call-overload]

        return (count(select(func.count()).select_from(CandidatePairRow)),
                count(select(func.count()).select_from(LinkedSourceRow)),
                count(select(func.count()).select_from(LinkageRunRow)
                      .where(LinkageRunRow.finished_at.is_not(None))),
                count(select(func.count()).select_from(AuditEventRow)
                      .where(AuditEventRow.action == AuditAction.LINKAGE_MATCH.value)))


def test_pairs_are_kept_chunk_by_chunk_and_a_stopped_run_is_done_again(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _lists(store, tmp_path)
    monkeypatch.setattr(matching_store, "SAVE_CHUNK", 1)
    between: list[tuple[int, int, int, int]] = []

    def stop_after_two(step: StageProgress) -> None:
        if not step.total:
            return
        with store.transaction() as session:  # another session writes between two chunks
            begin_write(session)
        between.append(_state(store))
        if step.done == 2:
            raise Stopped

    with pytest.raises(Stopped):
        match_store(store, actor="tester", progress=stop_after_two)
    assert between == [(1, 0, 0, 0), (2, 0, 0, 0)]  # pairs kept, the run not ended
    assert _state(store) == (2, 0, 0, 0)

    again = match_store(store, actor="tester")
    assert (again.pairs, again.matches, again.reviews) == (3, 1, 2)
    assert _state(store) == (3, 2, 1, 1)  # no pair twice; both lists linked; one event
