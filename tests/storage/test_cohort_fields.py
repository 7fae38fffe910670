"""The cohort fields survive the store (SQLite and PostgreSQL): an import writes them,
and the record page, review and linkage read them back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from kinlink.domain.dates import PartialDate
from kinlink.ingest import ImportRequest, import_file
from kinlink.search.records import detail_of
from kinlink.storage import Store
from kinlink.storage.linkage import LinkageRepository
from kinlink.storage.review import record_view
from kinlink.storage.tables import RecordRow

LIST = (
    "record_id,surname,given_name,institution,moved_on,group,siblings_count\n"
    "A1,Петренко,Олександр,Херсонський обласний дитячий будинок,14.10.2022,T-7,2\n"
    "A2,Іваненко,Ганна,,2022,,\n"
    "A3,Коваль,Марія,,,,\n"
)


def test_cohort_fields_round_trip(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "moved.csv"
    path.write_text(LIST, encoding="utf-8")
    import_file(store, ImportRequest(path=path, imported_by="tester"),
                today=dt.date(2026, 1, 1))
    with store.transaction() as session:
        rows = {r.record_id: r for r in session.execute(select(RecordRow)).scalars()}
        first = rows["A1"]
        assert first.institution == "Херсонський обласний дитячий будинок"
        assert (first.moved_year, first.moved_month, first.moved_day) == (2022, 10, 14)
        assert (first.group, first.siblings_count) == ("T-7", 2)
        assert rows["A2"].moved == PartialDate(2022, None, None)
        assert rows["A3"].institution is None
        assert rows["A3"].moved is None

        view = record_view(first)
        assert view.moved == PartialDate(2022, 10, 14)
        assert (view.institution, view.group, view.siblings_count) == (
            first.institution, "T-7", 2)

        detail = detail_of(session, first.id, with_contact=False)
        assert detail.moved == PartialDate(2022, 10, 14)
        assert (detail.institution, detail.group, detail.siblings_count) == (
            first.institution, "T-7", 2)

        stored = {r.pk: r for r in LinkageRepository(session).records({first.source_id})}
        assert stored[first.id].moved == PartialDate(2022, 10, 14)
        assert (stored[first.id].institution, stored[first.id].group) == (
            first.institution, "T-7")
        assert stored[rows["A3"].id].moved is None
