"""A child's candidates are read by primary key (SQLite's plan): the review queue asked
for a few chosen pairs must not walk every waiting pair of the store down the index on
decision and probability (issue 15: 20-70 ms per group at 30,000 waiting pairs)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from kinlink.config import Settings
from kinlink.storage import open_store
from kinlink.storage.review import QueueFilter, ReviewQueries


def _plans(settings: Settings, where: QueueFilter) -> list[str]:
    """The query plan of every statement the queue runs for ``where`` (agency 1)."""
    store = open_store(settings)
    statements: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, sql: str, params: Any, _context: Any,
             _many: bool) -> None:
        if "candidate_pairs" in sql and "ORDER BY" in sql:
            statements.append((sql, params))

    event.listen(store.engine, "before_cursor_execute", keep)
    try:
        with store.transaction() as session:
            ReviewQueries(session).queue(where, 20, agency_id=1)
        event.remove(store.engine, "before_cursor_execute", keep)
        with store.engine.connect() as conn:
            return [" | ".join(str(row[-1]) for row in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + sql, params)) for sql, params in statements]
    finally:
        store.dispose()


def test_chosen_pairs_are_read_by_primary_key(tmp_path: Any) -> None:
    settings = Settings(data_dir=tmp_path, user="tester")
    chosen = _plans(settings, QueueFilter(pair_ids=(3, 5, 8)))
    assert len(chosen) == 4  # undecided and unsure, with and without a reported child
    for plan in chosen:
        assert "SEARCH candidate_pairs USING INTEGER PRIMARY KEY" in plan, plan
        assert "ix_candidate_pairs_decision" not in plan, plan
    whole = _plans(settings, QueueFilter())  # the queue itself walks the index, best first
    assert all("ix_candidate_pairs_decision" in plan for plan in whole), whole

