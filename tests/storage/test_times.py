"""Every moment read from the store is an aware UTC datetime, on SQLite too.

SQLite keeps a ``DateTime(timezone=True)`` as text without an offset and SQLAlchemy gives
it back naive; the API then showed times without a zone (``/api/v1/cases``). The
columns' type (:class:`kinlink.storage.types.UtcDateTime`) stores UTC and reads back
aware UTC on both stores, so no reader has to remember to fix it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from kinlink.storage import Store
from kinlink.storage.imports import ImportRepository
from kinlink.storage.tables import ImportRunRow

KYIV = dt.timezone(dt.timedelta(hours=3))


def test_a_moment_comes_back_aware_utc_and_the_same_instant(store: Store) -> None:
    kyiv_evening = dt.datetime(2026, 6, 1, 21, 30, tzinfo=KYIV)
    with store.transaction() as session:
        run_id = ImportRepository(session).start_run("list.csv", "0" * 64, "tester")
        session.get_one(ImportRunRow, run_id).finished_at = kyiv_evening
    with store.transaction() as session:
        started, finished = session.execute(
            select(ImportRunRow.started_at, ImportRunRow.finished_at)).one()
        latest = session.execute(select(ImportRunRow.finished_at).where(
            ImportRunRow.finished_at > dt.datetime(2026, 6, 1, 18, 0, tzinfo=dt.UTC))
        ).scalar_one_or_none()
    assert started.utcoffset() == dt.timedelta(0)
    assert finished.utcoffset() == dt.timedelta(0)
    assert finished == kyiv_evening  # the same instant: 18:30 UTC
    assert finished.hour == 18
    assert latest == kyiv_evening  # compared as instants in the store too
