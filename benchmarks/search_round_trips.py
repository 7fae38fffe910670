"""Search's database work alone, before and after its lookups were folded into one
statement (issue 20.4): the same typed names as ``web_speed.py`` (same seed), each looked
up both ways in turn on the same store and connection, timed around the database calls
only (no name ranking, no HTTP): the old way's up to nine statements (each reading's
exact lookup, the forgiving ones when those find fewer than 25 records, the records'
fields, their sources' titles) against :func:`kinlink.storage.search_keys.find_records`.

    .venv/bin/python benchmarks/search_round_trips.py --work /tmp/kinlink-web-1m-pg \\
        --postgres postgresql+psycopg://postgres@127.0.0.1:5432/kinlink_bench

Prints percentiles (ms) of both and the statements each made.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from kinlink.config import Settings
from kinlink.search.query import Reading, readings
from kinlink.search.service import CANDIDATES, FEW, FORGIVING_CANDIDATES
from kinlink.storage import open_store
from kinlink.storage import search_keys as sk
from kinlink.storage.accounts import AccountRepository
from kinlink.storage.search_keys import (
    KeyQuery,
    Lookups,
    RecordFilters,
    fetch_found,
    find_records,
    source_titles,
)
from kinlink.storage.tables import RecordRow
from kinlink.storage.web_tables import SearchKeyRow
from web_speed import _percentiles, _queries


def _old_candidates(session: Any, query: KeyQuery, filters: RecordFilters,
                    limit: int) -> list[int]:
    """The lookup as it was before (one statement per lookup)."""
    if not filters.source_ids or (query.surname_key is None and not query.tokens):
        return []
    statement = sk._filtered(select(SearchKeyRow.record_pk)
                             .join(RecordRow, RecordRow.id == SearchKeyRow.record_pk)
                             .where(sk.key_condition(query)), filters)
    return list(session.execute(statement.distinct().limit(limit)).scalars())


def _old(session: Any, found_readings: list[Reading], filters: RecordFilters) -> int:
    statements = 0
    found: set[int] = set()
    for reading in found_readings:
        found.update(_old_candidates(session, reading.exact, filters, CANDIDATES + 1))
        statements += 1
    fuzzy: set[int] = set()
    if len(found) < FEW:
        for reading in found_readings:
            for lookup in reading.fuzzy:
                fuzzy.update(_old_candidates(session, lookup, filters, FORGIVING_CANDIDATES))
                statements += 1
    records = fetch_found(session, sorted(found | fuzzy))
    source_titles(session, (r.source_id for r in records[:25]))
    return statements + 2


def _new(session: Any, found_readings: list[Reading], filters: RecordFilters) -> int:
    find_records(session, Lookups([r.exact for r in found_readings],
                                  [q for r in found_readings for q in r.fuzzy],
                                  CANDIDATES + 1, FORGIVING_CANDIDATES, FEW), filters)
    return 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=int, default=600)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--postgres", default=None)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    settings = Settings(data_dir=args.work, database_url=args.postgres)
    queries = _queries(settings, args.queries, args.seed)
    store = open_store(settings)
    old_ms: list[float] = []
    new_ms: list[float] = []
    counts = {"old": 0, "new": 0}
    with store.transaction() as session:
        filters = RecordFilters(AccountRepository(session).visible_source_ids(None))
        for index, (_kind, typed) in enumerate(queries):
            found_readings = readings(typed)
            ways = [("old", _old, old_ms), ("new", _new, new_ms)]
            for name, way, samples in (ways if index % 2 else ways[::-1]):
                start = time.perf_counter()
                counts[name] += way(session, found_readings, filters)
                samples.append((time.perf_counter() - start) * 1000)
    store.dispose()
    print(f"{len(queries)} searches; statements: old {counts['old']:,}, new {counts['new']:,}")
    _percentiles("database work, nine statements", old_ms)
    _percentiles("database work, one statement", new_ms)


if __name__ == "__main__":
    main()
