"""Import speed: a generated list of N rows into a fresh store, against a raw baseline.

The baseline is the least any importer must do: read the same CSV with the csv module
and insert its cells with sqlite3 ``executemany`` in one transaction, with no decoding
checks, no validation, no parsed fields, no audit. The ratio shows what kinlink's
checks and bookkeeping cost. Run:

    .venv/bin/python benchmarks/import_speed.py --rows 100000
    .venv/bin/python benchmarks/import_speed.py --rows 100000 --postgres \
        postgresql+psycopg://postgres@127.0.0.1:5432/postgres

Prints one line per engine with wall time, rows per second and peak memory (RSS).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import resource
import sqlite3
import tempfile
import time
import uuid
from pathlib import Path

from kinlink.config import Settings
from kinlink.demo.generator import generate_flat
from kinlink.ingest import ImportRequest, import_file
from kinlink.storage import open_store


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def baseline(path: Path, work: Path) -> float:
    """Plain csv + sqlite3 executemany (WAL, synchronous=FULL) of the raw cells."""
    start = time.perf_counter()
    conn = sqlite3.connect(work / "baseline.sqlite3")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        columns = ", ".join(f"c{i}" for i in range(len(header)))
        conn.execute(f"CREATE TABLE rows (line INTEGER, {columns})")
        marks = ", ".join("?" for _ in range(len(header) + 1))
        with conn:
            conn.executemany(f"INSERT INTO rows VALUES ({marks})",
                             ([n, *row[: len(header)]] for n, row in enumerate(reader, 2)))
    conn.close()
    return time.perf_counter() - start


def kinlink_import(path: Path, settings: Settings) -> tuple[float, int]:
    """kinlink's import service into a fresh store (schema creation excluded)."""
    store = open_store(settings)
    start = time.perf_counter()
    result = import_file(store, ImportRequest(path=path, imported_by="benchmark"),
                         today=dt.date.today())
    elapsed = time.perf_counter() - start
    store.dispose()
    return elapsed, result.counts.imported


def _postgres_database(admin_url: str) -> tuple[str, str]:
    import psycopg

    name = f"kinlink_bench_{uuid.uuid4().hex[:8]}"
    plain = admin_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{admin_url.rsplit('/', 1)[0]}/{name}", name


def _drop(admin_url: str, name: str) -> None:
    import psycopg

    plain = admin_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    """Generate the file, run the baseline and kinlink, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server to test too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        path = work / "flat.csv"
        started = time.perf_counter()
        generate_flat(path, args.rows, seed=args.seed)
        print(f"generated {args.rows} rows ({path.stat().st_size / 1e6:.1f} MB) in "
              f"{time.perf_counter() - started:.1f} s")
        base = baseline(path, work)
        print(f"baseline csv+sqlite3   {base:6.2f} s  {args.rows / base:9,.0f} rows/s")
        took, imported = kinlink_import(path, Settings(data_dir=work / "data"))
        print(f"kinlink import sqlite  {took:6.2f} s  {args.rows / took:9,.0f} rows/s  "
              f"imported {imported}  ratio to baseline {took / base:.1f}x  "
              f"peak RSS {_peak_mb():.0f} MB")
        if args.postgres:
            url, name = _postgres_database(args.postgres)
            try:
                took, imported = kinlink_import(path, Settings(data_dir=work / "pg",
                                                               database_url=url))
            finally:
                _drop(args.postgres, name)
            print(f"kinlink import postgres {took:5.2f} s  {args.rows / took:9,.0f} rows/s  "
                  f"imported {imported}  ratio to baseline {took / base:.1f}x")


if __name__ == "__main__":
    main()
