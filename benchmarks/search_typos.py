"""Search with a misspelt surname: is the record the name was taken from found, and where?

Random records of a store built by ``web_speed.py`` (any size, SQLite or PostgreSQL)
with a given name and a surname of five letters or more; each is searched for by its
given name and its surname with the third letter left out (``Олена Коваленко`` →
``Олена Коаленко``), the error ``web_speed.py``'s "typo" searches make. Prints the share
of searches whose source record is the first hit, in the first 10, 25 or anywhere among
the first 300, and why those not found were missed (counts only: no name is printed,
whatever store it runs on):

- *the key's first letters moved*: the misspelt surname's key does not begin with the
  two letters the record's key begins with (a left-out letter can change how the key
  reads the rest: ``Демиденко`` → ``Деиденко`` gives ``didenko``, not ``de…``), so the
  forgiving lookup by those two letters cannot find it;
- *not among those looked at*: the same first letters, but the forgiving lookup's
  :data:`~kinlink.search.service.FORGIVING_CANDIDATES` records (the lowest ids)
  did not include it, or the ranking did not keep it.

    .venv/bin/python benchmarks/search_typos.py --work /tmp/kinlink-web-bench \\
        [--postgres postgresql+psycopg://…] [--searches 300] [--seed 5]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from sqlalchemy import func, select

from kinlink.config import Settings
from kinlink.domain.access import Actor
from kinlink.domain.users import UserRole
from kinlink.search.query import readings
from kinlink.search.service import RecordSearch, SearchQuery
from kinlink.storage import open_store
from kinlink.storage.tables import RecordRow

SHOWN = 300
"""Hits asked for per search (the search's own cap on the records compared)."""


def _misspelt(surname: str) -> str:
    return surname[:2] + surname[3:]


def _key(text: str) -> str:
    found = readings(text)
    return (found[0].exact.surname_key or "") if found else ""


def main() -> None:
    """Run the searches and print what they found."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, required=True, help="the store's data folder")
    parser.add_argument("--postgres", default=None, help="a database URL instead of SQLite")
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    store = open_store(Settings(data_dir=args.work, database_url=args.postgres,
                                cookie_secure=False))
    rng = random.Random(args.seed)
    with store.transaction() as session:
        top = int(session.execute(select(func.max(RecordRow.id))).scalar_one())
        drawn = [rng.randint(1, top) for _ in range(args.searches * 4)]
        rows = session.execute(
            select(RecordRow.id, RecordRow.given_name, RecordRow.surname)
            .where(RecordRow.id.in_(drawn), RecordRow.given_name.is_not(None),
                   RecordRow.surname.is_not(None)).order_by(RecordRow.id)).all()
    picked = [(pk, given, surname) for pk, given, surname in rows
              if given and surname and len(surname) > 4][:args.searches]
    search = RecordSearch(store)
    search.warm_up()
    actor = Actor("bench", UserRole.SUPERVISOR)
    ranks: list[int | None] = []
    missed: dict[str, int] = {}
    times: list[float] = []
    for pk, given, surname in picked:
        typed = f"{given} {_misspelt(surname)}"
        start = time.perf_counter()
        found = search.search(actor, SearchQuery(typed, limit=SHOWN))
        times.append((time.perf_counter() - start) * 1000)
        pks = [hit.record_pk for hit in found.hits]
        ranks.append(pks.index(pk) + 1 if pk in pks else None)
        if pk not in pks:
            moved = _key(typed)[:2] != _key(f"{given} {surname}")[:2]
            why = "the key's first letters moved" if moved else "not among those looked at"
            missed[why] = missed.get(why, 0) + 1
    store.dispose()
    count = len(ranks)
    print(f"{count} searches with the surname's third letter left out "
          f"(seed {args.seed}, {top:,} records)")
    for cut in (1, 10, 25, SHOWN):
        share = sum(1 for rank in ranks if rank is not None and rank <= cut) / count
        print(f"  the record within the first {cut:>3}: {share:.3f}")
    for why, misses in sorted(missed.items()):
        print(f"  not found, {why}: {misses}")
    times.sort()
    print(f"  time per search: p50 {times[count // 2]:.1f} ms, "
          f"p95 {times[max(0, -(-95 * count // 100) - 1)]:.1f} ms")


if __name__ == "__main__":
    main()
