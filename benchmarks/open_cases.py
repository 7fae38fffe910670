"""Opening every missing case: the one pass in batches, against the old record-by-record
walk, in the same run.

Builds a store of N reported (sought) records and N/3 found ones directly through
storage (no parsing, no linkage), with automatic ``match`` links the way ``kinlink
match`` keeps them — found records linked to a report, reports of one child made twice,
found records linked to each other — and people's decisions on some of them (*different*
reversing a link, *unsure* holding one back, *same* joining a report and a found record
the model had not linked). Then opens the cases:

* **new**: :func:`kinlink.usecases.cases.open_missing_cases` — one read of every link,
  decision and case, one union-find, cases written 1,000 per transaction;
* **old** (the baseline, copied below from kinlink before issue 12): for each sought
  record without a case, walk its child's links, look for a case among its records, open
  one — all in one transaction that holds the write lock from the first case to the
  last. It runs on a smaller store of the same shape (``--baseline``, so that it ends
  within minutes), and the new pass runs on that same store too, for the ratio.

Both must open the same number of cases. Run:

    .venv/bin/python benchmarks/open_cases.py --reported 150000 --baseline 10000
    .venv/bin/python benchmarks/open_cases.py --reported 150000 --baseline 10000 \
        --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres

Prints the time of each, the cases opened and the ratio old / new.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import select

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.config import Settings
from kinlink.domain.access import Actor
from kinlink.domain.cases import CaseStatus
from kinlink.domain.dates import PartialDate
from kinlink.domain.decisions import DecisionVerdict, PairKey
from kinlink.domain.imports import ImportCounts, ImportStatus
from kinlink.domain.records import ParsedRecord, Role, Sex
from kinlink.domain.users import UserRole
from kinlink.storage import Session, Store, open_store
from kinlink.storage.cases import CaseRepository
from kinlink.storage.imports import ImportRepository, NewRecord, SourceDraft
from kinlink.storage.linkage import LinkageRepository, NewPair
from kinlink.storage.review import DecisionRepository, cluster_of
from kinlink.storage.tables import RecordRow
from kinlink.usecases.cases import open_missing_cases

ACTOR = Actor("benchmark", UserRole.SUPERVISOR)
BATCH = 5000
NAMES = ("Олександр", "Ганна", "Дмитро", "Марія", "Іван", "Софія", "Андрій", "Олена")
SURNAMES = ("Петренко", "Бойко", "Коваленко", "Шевченко", "Мельник", "Ткаченко")


def _records(store: Store, role: Role, count: int, title: str, rng: random.Random) -> list[int]:
    """Write ``count`` records of ``role`` in one source; returns their ids."""
    with store.transaction() as session:
        imports = ImportRepository(session)
        run = imports.start_run(f"{title}.csv", uuid.uuid4().hex * 2, "benchmark")
        source = imports.create_source(SourceDraft(
            kind="family_reports" if role is Role.SOUGHT else "adoption_registry", role=role,
            title=title, producer=None, received_on=None, original_filename=f"{title}.csv",
            sha256=uuid.uuid4().hex * 2, file_format="csv", encoding="utf-8",
            header=["record_id", "surname", "given_name"], column_map={},
            imported_by="benchmark"))
        for start in range(0, count, BATCH):
            batch = []
            for n in range(start, min(count, start + BATCH)):
                surname, given = rng.choice(SURNAMES), rng.choice(NAMES)
                parsed = ParsedRecord(
                    record_id=f"{title}-{n}", surname=surname, given_name=given,
                    sex=rng.choice((Sex.MALE, Sex.FEMALE)),
                    birth_date=PartialDate(rng.randint(2008, 2021), rng.randint(1, 12),
                                           rng.randint(1, 28)))
                batch.append(NewRecord(n + 2, [parsed.record_id, surname, given], parsed, []))
            imports.add_records(source, run, role, batch)
        imports.finish_run(run, ImportStatus.COMPLETED, ImportCounts(count, count, 0, 0, 0),
                           source_id=source)
        imports.publish_source(source)  # a source is seen once its import has finished
        return list(session.execute(select(RecordRow.id).where(RecordRow.source_id == source)
                                    .order_by(RecordRow.id)).scalars())


def build(store: Store, reported: int, seed: int) -> None:
    """The store described in the module's docstring, the same for the same arguments."""
    rng = random.Random(seed)
    sought = _records(store, Role.SOUGHT, reported, "reports", rng)
    found = _records(store, Role.FOUND, reported // 3, "registry", rng)
    links: set[PairKey] = set()
    for record in found[: len(found) * 3 // 10]:          # found records of a report
        links.add(PairKey.of(record, rng.choice(sought)))
    for record in rng.sample(sought, len(sought) // 20):  # one child reported twice
        other = rng.choice(sought)
        if other != record:
            links.add(PairKey.of(record, other))
    for record in rng.sample(found, len(found) // 20):    # one child found twice
        other = rng.choice(found)
        if other != record:
            links.add(PairKey.of(record, other))
    ordered = sorted(links)
    with store.transaction() as session:
        linkage = LinkageRepository(session)
        model = linkage.add_model({"version": "bench", "spec_version": "bench",
                                   "spec_digest": "b" * 64}, {}, reported, "bench", "benchmark")
        run = linkage.start_run(model.id, "b" * 64, "benchmark")
        linkage.upsert_pairs([NewPair(p.low, p.high, 9.0, 0.999, "match", {}) for p in ordered],
                             model.id, run.id)
    decisions = [(p, DecisionVerdict.DIFFERENT) for p in rng.sample(ordered, len(ordered) // 50)]
    decisions += [(p, DecisionVerdict.UNSURE) for p in rng.sample(ordered, len(ordered) // 100)]
    decisions += [(PairKey.of(rng.choice(sought), rng.choice(found)), DecisionVerdict.SAME)
                  for _ in range(reported // 100)]
    with store.transaction() as session:
        repository = DecisionRepository(session)
        for pair, verdict in decisions:
            repository.add(pair, verdict, "benchmark", None)


def old_open_missing(session: Session, actor: Actor) -> int:
    """The per-record walk kinlink used before issue 12 (``cases.open_missing``), on
    today's storage calls, in the caller's one transaction."""
    opened = 0
    repository = CaseRepository(session)
    for record in repository.sought_without_case():
        cluster = cluster_of(session, record)
        if repository.for_records(cluster.records):
            continue
        case = repository.open_case(record, CaseStatus.REPORTED)
        repository.add_event(case_id=case.id, from_status=None,
                             to_status=CaseStatus.REPORTED, actor=actor.name,
                             role=actor.role, reason="reported child", evidence_kind=None,
                             evidence_ref=None)
        append_event(session, AuditEvent(actor.name, AuditAction.CASE_OPENED, "case",
                                         str(case.id), {"sought_record": record}))
        opened += 1
    return opened


def _timed_new(settings: Settings, reported: int, seed: int) -> tuple[float, float, int]:
    store = open_store(settings)
    try:
        started = time.perf_counter()
        build(store, reported, seed)
        built = time.perf_counter() - started
        started = time.perf_counter()
        opened = open_missing_cases(store, ACTOR)
        return built, time.perf_counter() - started, opened
    finally:
        store.dispose()


def _timed_old(settings: Settings, reported: int, seed: int) -> tuple[float, int]:
    store = open_store(settings)
    try:
        build(store, reported, seed)
        started = time.perf_counter()
        with store.transaction() as session:
            opened = old_open_missing(session, ACTOR)
        return time.perf_counter() - started, opened
    finally:
        store.dispose()


def _postgres(admin_url: str) -> tuple[str, str]:
    import psycopg

    name = f"kinlink_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{admin_url.rsplit('/', 1)[0]}/{name}", name


def _drop(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    """Build the stores, open their cases both ways, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reported", type=int, default=150_000,
                        help="reported records of the store the new pass opens cases on")
    parser.add_argument("--baseline", type=int, default=10_000,
                        help="reported records of the smaller store both ways run on")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server to time the "
                        "new pass on too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        built, took, opened = _timed_new(Settings(data_dir=work / "big"), args.reported,
                                         args.seed)
        print(f"new, SQLite, {args.reported:,} reported: {took:7.1f} s, {opened:,} cases "
              f"opened ({opened / took:,.0f}/s; store built in {built:.0f} s)")
        _built, new_small, new_opened = _timed_new(Settings(data_dir=work / "small-new"),
                                                   args.baseline, args.seed)
        old_small, old_opened = _timed_old(Settings(data_dir=work / "small-old"),
                                           args.baseline, args.seed)
        assert new_opened == old_opened, (new_opened, old_opened)
        print(f"old, SQLite, {args.baseline:,} reported: {old_small:7.1f} s, "
              f"{old_opened:,} cases opened ({old_opened / old_small:,.0f}/s)")
        print(f"new, SQLite, {args.baseline:,} reported: {new_small:7.1f} s, "
              f"{new_opened:,} cases opened ({new_opened / new_small:,.0f}/s)")
        print(f"ratio old / new at {args.baseline:,} reported: {old_small / new_small:,.0f}x")
        if args.postgres:
            url, name = _postgres(args.postgres)
            try:
                built, took, opened = _timed_new(
                    Settings(data_dir=work / "pg", database_url=url), args.reported, args.seed)
            finally:
                _drop(args.postgres, name)
            print(f"new, PostgreSQL, {args.reported:,} reported: {took:7.1f} s, {opened:,} "
                  f"cases opened ({opened / took:,.0f}/s; store built in {built:.0f} s)")


if __name__ == "__main__":
    main()
