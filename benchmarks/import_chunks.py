"""A large import beside people reading records: one transaction against short chunks.

The same generated list of N rows is imported twice into fresh stores, in the same run:
once as **one chunk** (the whole file in one transaction, as kinlink imported before
issue 12: ``chunk_rows`` larger than the file) and once in **chunks** of
``kinlink.ingest.CHUNK_ROWS`` rows. During each import a second *process* reads records
as a person does — ``RecordReader.read``, an audited read that writes its audit event —
one after another, and times each read. Printed per mode: the import's wall time, how
many reads were served, the longest and the 99th-percentile wait, how many were refused
as busy (``KINLINK_BUSY_TIMEOUT``, default 5 s), and the ratio of the wall times.

    .venv/bin/python benchmarks/import_chunks.py --rows 100000
    .venv/bin/python benchmarks/import_chunks.py --rows 100000 --postgres \\
        postgresql+psycopg://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import tempfile
import time
import uuid
from dataclasses import dataclass
from multiprocessing.synchronize import Event
from pathlib import Path

from kinlink.config import Settings
from kinlink.demo.generator import generate_flat
from kinlink.domain.access import Principal
from kinlink.domain.users import UserRole
from kinlink.errors import StoreBusyError
from kinlink.ingest import CHUNK_ROWS, ImportRequest, import_file
from kinlink.search.records import RecordReader
from kinlink.storage import open_store

SEEN = 200
"""Records of a small list imported first: what the reader reads."""
READER = Principal(1, "bench-reader", UserRole.SUPERVISOR, 1)


@dataclass(frozen=True)
class Reads:
    """What the reading process saw: each served read's seconds, and the refusals."""

    waits: list[float]
    busy: int

    def words(self) -> str:
        if not self.waits:
            return f"no read served, {self.busy} refused busy"
        ordered = sorted(self.waits)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        return (f"{len(ordered):6,} reads, longest {ordered[-1]:6.2f} s, p99 {p99:5.2f} s, "
                f"median {statistics.median(ordered) * 1000:5.1f} ms, {self.busy} refused busy")


def _read_until(settings: Settings, stop: Event, out: mp.Queue[Reads]) -> None:
    """The second process: audited reads, one after another, until ``stop``."""
    store = open_store(settings)
    reader = RecordReader(store)
    waits: list[float] = []
    busy = pk = 0
    while not stop.is_set():
        pk = pk % SEEN + 1
        started = time.perf_counter()
        try:
            reader.read(READER, pk, with_contact=False)
        except StoreBusyError:
            busy += 1
            continue
        waits.append(time.perf_counter() - started)
    store.dispose()
    out.put(Reads(waits, busy))


def _list(path: Path, rows: int, seed: int) -> Path:
    generate_flat(path, rows, seed=seed)
    return path


def run(settings: Settings, small: Path, big: Path, chunk_rows: int) -> tuple[float, Reads]:
    """Import ``big`` with ``chunk_rows`` while another process reads; wall time, reads."""
    store = open_store(settings)
    import_file(store, ImportRequest(path=small, imported_by="bench"))
    context = mp.get_context("spawn")
    stop, out = context.Event(), context.Queue()
    reader = context.Process(target=_read_until, args=(settings, stop, out))
    reader.start()
    time.sleep(3.0)  # the reader's imports and store opening, before the clock starts
    started = time.perf_counter()
    import_file(store, ImportRequest(path=big, imported_by="bench"), chunk_rows=chunk_rows)
    took = time.perf_counter() - started
    stop.set()
    reads: Reads = out.get(timeout=120)
    reader.join(timeout=30)
    store.dispose()
    return took, reads


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


def _compare(label: str, settings_for: list[Settings], small: Path, big: Path,
             rows: int) -> None:
    one, one_reads = run(settings_for[0], small, big, rows + 1)
    print(f"{label} one transaction   import {one:6.1f} s  {one_reads.words()}")
    chunked, reads = run(settings_for[1], small, big, CHUNK_ROWS)
    print(f"{label} chunks of {CHUNK_ROWS:,}  import {chunked:6.1f} s  {reads.words()}")
    print(f"{label} wall time chunked / one transaction: {chunked / one:.2f}")


def main() -> None:
    """Generate the lists, run both modes on SQLite (and PostgreSQL), print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server to test too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        small = _list(work / "small.csv", SEEN, args.seed + 1)
        big = _list(work / "big.csv", args.rows, args.seed)
        sqlite = [Settings(data_dir=work / mode, database_url=None) for mode in ("a", "b")]
        _compare("sqlite  ", sqlite, small, big, args.rows)
        if args.postgres:
            made = [_postgres(args.postgres) for _ in range(2)]
            try:
                _compare("postgres", [Settings(data_dir=work / f"pg{n}", database_url=url)
                                      for n, (url, _name) in enumerate(made)],
                         small, big, args.rows)
            finally:
                for _url, name in made:
                    _drop(args.postgres, name)


if __name__ == "__main__":
    main()
