"""A large import beside a person reading records: before and after chunked imports.

Until issue 12 an import wrote the whole file in one transaction; now it writes chunks of
``kinlink.ingest.CHUNK_ROWS`` rows, each in a short transaction, and makes the list seen
in a last one. This runs both versions in the same run, on fresh stores: the old one
from a source tree given with ``--before`` (``git archive 8636160 src | tar -x -C DIR``:
the commit before the change), the new one from this checkout. For each version:

- **alone**: the import of a generated list of N rows, nothing else running;
- **beside a busy office**: the same import while a second process reads records as
  people do — a record page's read, which writes its audit event — ten
  a second (``--pause 0.1``), timing each;
- **beside a flood**: the same, the reads one after another without pause (a worst case:
  on SQLite the import then waits for its turn at the write lock before each chunk).

Printed: the import's wall time, the reads served, the longest and the 99th-percentile
wait, the reads refused as busy (``KINLINK_BUSY_TIMEOUT``, default 5 s), and the ratios
new/old of the wall times. Each process runs in its own interpreter, with the version's
code on its path.

    git archive 8636160 src | tar -x -C /tmp/kinlink-before
    .venv/bin/python benchmarks/import_chunks.py --rows 100000 \\
        --before /tmp/kinlink-before/src \\
        --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SEEN = 200
"""Records of a small list imported first: what the reader reads."""


# -- the two roles a child process plays ---------------------------------------------------

def _store(data: str, url: str | None):  # type: ignore[no-untyped-def]
    from kinlink.config import Settings
    from kinlink.storage import open_store

    return open_store(Settings(data_dir=Path(data), database_url=url or None))


def role_import(data: str, url: str | None, file: str) -> None:
    """Import ``file`` with the version's defaults; print the seconds it took."""
    from kinlink.ingest import ImportRequest, import_file

    store = _store(data, url)
    started = time.perf_counter()
    import_file(store, ImportRequest(path=Path(file), imported_by="bench"))
    print(json.dumps({"seconds": time.perf_counter() - started}))
    store.dispose()


def _reader(store: Any, who: Any) -> Callable[[int], object]:
    """One audited record read, through the use case (this version) or the service object
    the version before issue 12 had."""
    try:
        from kinlink.usecases.records import read_record
    except ImportError:
        from kinlink.search.records import RecordReader  # type: ignore[attr-defined]

        old = RecordReader(store)
        return lambda pk: old.read(who, pk, with_contact=False)
    return lambda pk: read_record(store, who.acting, pk, with_contact=False)


def role_read(data: str, url: str | None, ready: str, stop: str, pause: float) -> None:
    """Audited reads, ``pause`` seconds apart, until ``stop`` exists; print each one's
    wait."""
    from kinlink.domain.access import Principal
    from kinlink.domain.users import UserRole
    from kinlink.errors import StoreBusyError

    store = _store(data, url)
    who = Principal(1, "bench-reader", UserRole.SUPERVISOR, 1)
    read = _reader(store, who)
    waits: list[float] = []
    busy = pk = 0
    read(1)
    Path(ready).touch()
    while not Path(stop).exists():
        time.sleep(pause)
        pk = pk % SEEN + 1
        started = time.perf_counter()
        try:
            read(pk)
        except StoreBusyError:
            busy += 1
            continue
        waits.append(time.perf_counter() - started)
    print(json.dumps({"waits": waits, "busy": busy}))
    store.dispose()


# -- the orchestra --------------------------------------------------------------------------

@dataclass(frozen=True)
class Reads:
    """What the reader saw: each served read's seconds, and the refusals."""

    waits: list[float]
    busy: int

    def words(self) -> str:
        if not self.waits:
            return f"no read served, {self.busy} refused busy"
        ordered = sorted(self.waits)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        return (f"{len(ordered):6,} reads, longest {ordered[-1]:5.2f} s, p99 {p99:5.2f} s, "
                f"{self.busy} refused busy")


@dataclass(frozen=True)
class Version:
    """Which code runs: a source tree on the path, or this checkout (``None``)."""

    name: str
    src: Path | None

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KINLINK_")}
        if self.src is not None:
            env["PYTHONPATH"] = str(self.src)
        return env

    def command(self, *args: str) -> list[str]:
        return [sys.executable, __file__, *args]


def _database(admin: str | None) -> tuple[str | None, str | None]:
    if admin is None:
        return None, None
    import psycopg

    name = f"kinlink_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{admin.rsplit('/', 1)[0]}/{name}", name


def _drop(admin: str | None, name: str | None) -> None:
    if admin is None or name is None:
        return
    import psycopg

    with psycopg.connect(admin.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def measure(version: Version, work: Path, admin: str | None, small: Path, big: Path,
            pause: float | None) -> tuple[float, Reads | None]:
    """One import of ``big`` into a fresh store holding ``small``, beside a reader whose
    reads are ``pause`` seconds apart (``None``: no reader)."""
    data = work / f"{version.name}-{uuid.uuid4().hex[:6]}"
    data.mkdir()
    url, name = _database(admin)
    store = ["--data", str(data), "--url", url or ""]
    try:
        subprocess.run(version.command("import", *store, "--file", str(small)),
                       env=version.env(), check=True, capture_output=True)
        reader = None
        ready, stop = data / "ready", data / "stop"
        if pause is not None:
            reader = subprocess.Popen(
                version.command("read", *store, "--ready", str(ready), "--stop", str(stop),
                                "--pause", str(pause)),
                env=version.env(), stdout=subprocess.PIPE)
            while not ready.exists():
                if reader.poll() is not None:
                    raise RuntimeError("the reader stopped before its first read")
                time.sleep(0.1)
        done = subprocess.run(version.command("import", *store, "--file", str(big)),
                              env=version.env(), check=True, capture_output=True, text=True)
        seconds = float(json.loads(done.stdout)["seconds"])
        reads = None
        if reader is not None:
            stop.touch()
            out, _ = reader.communicate(timeout=120)
            found = json.loads(out)
            reads = Reads(found["waits"], found["busy"])
        return seconds, reads
    finally:
        _drop(admin, name)


MODES = (("alone", None), ("office", 0.1), ("flood", 0.0))


def compare(label: str, versions: list[Version], work: Path, admin: str | None,
            small: Path, big: Path) -> None:
    """Both versions in every mode; print the figures and the ratios new/old."""
    took: dict[tuple[str, str], float] = {}
    for mode, pause in MODES:
        for v in versions:
            seconds, reads = measure(v, work, admin, small, big, pause)
            took[v.name, mode] = seconds
            print(f"{label} {v.name} {mode:6} import {seconds:6.1f} s"
                  + (f" | {reads.words()}" if reads else ""), flush=True)
    if len(versions) == 2:
        print(f"{label} new/old wall time: " + ", ".join(
            f"{mode} {took['new', mode] / took['old', mode]:.2f}" for mode, _ in MODES))


def main() -> None:
    """Generate the lists, run the versions on SQLite (and PostgreSQL), print figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--before", type=Path, help="src/ of the version to compare with")
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server to test too")
    args = parser.parse_args()
    from kinlink.demo.generator import generate_flat

    versions = ([Version("old", args.before)] if args.before else []) + [Version("new", None)]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        small, big = work / "small.csv", work / "big.csv"
        generate_flat(small, SEEN, seed=args.seed + 1)
        generate_flat(big, args.rows, seed=args.seed)
        compare("sqlite  ", versions, work, None, small, big)
        if args.postgres:
            compare("postgres", versions, work, args.postgres, small, big)


def _child() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=["import", "read"])
    parser.add_argument("--data", required=True)
    parser.add_argument("--url", default="")
    parser.add_argument("--file")
    parser.add_argument("--ready")
    parser.add_argument("--stop")
    parser.add_argument("--pause", type=float, default=0.0)
    args = parser.parse_args()
    if args.role == "import":
        role_import(args.data, args.url or None, args.file)
    else:
        role_read(args.data, args.url or None, args.ready, args.stop, args.pause)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("import", "read"):
        _child()
    else:
        main()
