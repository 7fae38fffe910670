"""Twenty case workers' office: people keep working while a big list is imported and linked.

Builds (once, then reuses from ``--work``) a store of ``--store-rows`` generated records
(``kinlink.demo.generate_flat``), imported as reported children, linked, with their cases
opened. Then starts ``kinlink serve`` as its own process and signs ``--clients`` case
workers in over HTTP (password and authenticator code, as a person does). Each client,
for the whole of each phase, one request after another: the search page, a record page,
a child page, a case page, and the review queue followed by a decision on one of its
pairs (``different`` or ``unsure``, sometimes ``same``, which opens cases).

Phases, one after another in the same run:

1. **idle**: nothing else runs (``--idle-seconds``) — the baseline;
2. **CLI import**: ``kinlink import`` of a new list of ``--import-rows`` rows, imported,
   linked and its cases opened, in a second process beside the server;
3. **web import**: another list of the same size uploaded through ``POST
   /api/v1/imports``; the server imports, links and opens cases in its background job
   while it serves the clients.

Printed per phase: the bulk work's wall time and, per kind of request, how many were
served, requests/s, p50/p95/p99/max in ms, and the counts answered 5xx (must be 0), 503
(store busy, with ``Retry-After``) and other 4xx (two clients deciding the same pair, for
example).

``--postgres URL`` builds the same generated store in that PostgreSQL database (dropped
and created again when the store is built; reused while its marker is in ``--work``) and
serves from it; ``--workers N`` is passed to ``kinlink serve`` (PostgreSQL only);
``--idle-only`` runs the idle phase alone (issue 20: the API under 16 clients). Before
the measured phases every client works for ``--warmup-seconds`` unmeasured, so that each
worker process has loaded its name tables and filled its connection pool.

    .venv/bin/python benchmarks/concurrency.py                      # 150k store, 100k lists
    .venv/bin/python benchmarks/concurrency.py --store-rows 20000 --import-rows 10000 \\
        --idle-seconds 15 --work /tmp/kinlink-concurrency-small
    .venv/bin/python benchmarks/concurrency.py --store-rows 20000 --idle-only \\
        --postgres postgresql+psycopg://postgres@127.0.0.1/kinlink_bench_conc --workers 2
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx
import psycopg
from sqlalchemy.engine import make_url

import served
from kinlink.config import Settings
from kinlink.demo.generator import generate_flat
from kinlink.domain.access import Actor
from kinlink.domain.records import Role
from kinlink.domain.users import UserRole
from kinlink.ingest import ImportRequest
from kinlink.server import create_app
from kinlink.usecases.cases import list_cases
from kinlink.usecases.importing import import_list

KINLINK = str(Path(sys.executable).with_name("kinlink"))


# -- the store, built once ----------------------------------------------------------------

def _recreate(url: str) -> None:
    """Drop and create the PostgreSQL database ``url`` names (the bench's own database)."""
    parsed = make_url(url)
    name = parsed.database
    if not name or not name.replace("_", "").isalnum():
        raise SystemExit(f"--postgres needs a database name of letters, digits and _: {name}")
    admin = parsed.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _build(settings: Settings, rows: int) -> None:
    """Import ``rows`` generated reported records, link them and open their cases."""
    marker = settings.data_dir / f"built-{rows}"
    if marker.exists():
        print(f"store of {rows:,} records reused from {settings.data_dir}")
        return
    if settings.data_dir.exists():
        shutil.rmtree(settings.data_dir)
    settings.data_dir.mkdir(parents=True)
    if settings.database_url:
        _recreate(settings.database_url)
    path = settings.data_dir / "store.csv"
    generate_flat(path, rows, seed=11)
    app = create_app(settings)
    store = app.state.services.store
    started = time.perf_counter()
    outcome = import_list(store, Actor("bench", UserRole.CASE_WORKER),
                          ImportRequest(path=path, imported_by="bench", role=Role.SOUGHT))
    print(f"store built: {outcome.imported.counts.imported:,} records imported, "
          f"{outcome.linked.pairs if outcome.linked else 0:,} pairs, "
          f"{outcome.cases_opened:,} cases opened in {time.perf_counter() - started:.0f} s")
    store.dispose()
    marker.touch()


def _bulk_lists(folder: Path, rows: int) -> tuple[Path, Path]:
    """Two new lists (other seeds than the store's): one for the CLI, one for the web."""
    paths = []
    for seed, door in ((12, "cli"), (13, "web")):
        path = folder / f"found-{door}-{rows}.csv"
        if not path.exists():
            generate_flat(path, rows, seed=seed)
        paths.append(path)
    return paths[0], paths[1]


def _names(path: Path, count: int, rng: random.Random) -> list[str]:
    """Names to type into search, taken from the store's own list."""
    with path.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["surname"] or r["full_name"]]
    picked = rng.sample(rows, min(count, len(rows)))
    return [f"{r['given_name']} {r['surname']}".strip() or r["full_name"] for r in picked]


# -- the people ---------------------------------------------------------------------------

@dataclass
class Person:
    """A signed-in case worker: their HTTP session and CSRF token."""

    client: httpx.Client
    csrf: str


def _accounts(settings: Settings, count: int) -> list[tuple[str, str, str]]:
    """``count`` new case workers with an authenticator: (name, password, secret)."""
    app = create_app(settings)
    services = app.state.services
    made = []
    stamp = time.time_ns()
    for index in range(count):
        new = services.admin.create_user("bench", f"worker-{stamp}-{index}",
                                         UserRole.CASE_WORKER, 1, "en", with_second_factor=True)
        made.append((new.user.username, new.password, new.totp_secret or ""))
    services.store.dispose()
    return made


def _sign_in(base: str, name: str, password: str, secret: str) -> Person:
    return Person(*served.sign_in(base, name, password, secret))


# -- what is measured ---------------------------------------------------------------------

@dataclass
class Tally:
    """Latencies and refusals per kind of request, in one phase."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    server_errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    busy: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    refused: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, millis: float, status: int) -> None:
        with self.lock:
            self.times[kind].append(millis)
            if status == 503:
                self.busy[kind] += 1
            elif status >= 500:
                self.server_errors[kind] += 1
            elif status >= 400:
                self.refused[kind] += 1


def _rank(ordered: list[float], share: float) -> float:
    """The nearest-rank percentile: a value that was measured, never extrapolated."""
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _report(phase: str, tally: Tally, wall: float) -> None:
    served = sum(len(times) for times in tally.times.values())
    print(f"\n{phase} ({wall:.0f} s, {served / wall:.1f} requests/s)")
    print(f"  {'request':<14}{'n':>6}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}"
          f"{'5xx':>6}{'503':>6}{'4xx':>6}")
    everything: list[float] = []
    for kind in sorted(tally.times):
        ordered = sorted(tally.times[kind])
        everything += ordered
        print(f"  {kind:<14}{len(ordered):>6}{_rank(ordered, .5):>8.0f}{_rank(ordered, .95):>8.0f}"
              f"{_rank(ordered, .99):>8.0f}{ordered[-1]:>8.0f}{tally.server_errors[kind]:>6}"
              f"{tally.busy[kind]:>6}{tally.refused[kind]:>6}")
    everything.sort()
    if everything:
        print(f"  {'all':<14}{len(everything):>6}{_rank(everything, .5):>8.0f}"
              f"{_rank(everything, .95):>8.0f}{_rank(everything, .99):>8.0f}"
              f"{everything[-1]:>8.0f}{sum(tally.server_errors.values()):>6}"
              f"{sum(tally.busy.values()):>6}{sum(tally.refused.values()):>6}")


def _timed(tally: Tally, kind: str, call: httpx.Request, person: Person) -> httpx.Response:
    started = time.perf_counter()
    response = person.client.send(call)
    tally.add(kind, (time.perf_counter() - started) * 1000, response.status_code)
    return response


def _work(person: Person, tally: Tally, stop: threading.Event, seed: int, names: list[str],
          top_record: int, cases: list[int]) -> None:
    """One case worker's requests until ``stop``, in a fixed rotation with random targets."""
    rng = random.Random(seed)
    client = person.client
    while not stop.is_set():
        _timed(tally, "search", client.build_request(
            "GET", "/search", params={"q": rng.choice(names)}), person)
        _timed(tally, "record", client.build_request(
            "GET", f"/records/{rng.randint(1, top_record)}"), person)
        _timed(tally, "child", client.build_request(
            "GET", f"/children/{rng.randint(1, top_record)}"), person)
        if cases:
            _timed(tally, "case", client.build_request(
                "GET", f"/cases/{rng.choice(cases)}"), person)
        queue = _timed(tally, "review queue", client.build_request(
            "GET", "/api/v1/review/queue", params={"limit": 20}), person)
        if queue.status_code == 200 and queue.json():
            pair = rng.choice(queue.json())
            verdict = rng.choices(["different", "unsure", "same"], [6, 3, 1])[0]
            _timed(tally, "decide", client.build_request(
                "POST", "/api/v1/review/decisions",
                json={"a": pair["low"]["id"], "b": pair["high"]["id"], "verdict": verdict},
                headers={"X-CSRF-Token": person.csrf}), person)


def _phase(people: list[Person], names: list[str], top_record: int, cases: list[int],
           bulk: object, seed: int) -> tuple[Tally, float]:
    """Run every client until ``bulk()`` returns; return the tally and the wall time."""
    tally, stop = Tally(), threading.Event()
    threads = [threading.Thread(target=_work, args=(p, tally, stop, seed + i, names,
                                                    top_record, cases), daemon=True)
               for i, p in enumerate(people)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    bulk()  # type: ignore[operator]
    wall = time.perf_counter() - started
    stop.set()
    for thread in threads:
        thread.join()
    return tally, wall


def _environment(settings: Settings) -> dict[str, str]:
    """The environment a ``kinlink`` process needs to open the bench's store."""
    env = {**os.environ, "KINLINK_DATA_DIR": str(settings.data_dir)}
    if settings.database_url:
        env["KINLINK_DATABASE_URL"] = settings.database_url
    return env


def _cli_import(settings: Settings, path: Path) -> None:
    env = {**_environment(settings), "KINLINK_USER": "bench-cli"}
    done = subprocess.run([KINLINK, "import", str(path), "--role", "found",
                           "--kind", "adoption_registry"], env=env, capture_output=True, text=True,
                          check=False)
    if done.returncode:
        raise SystemExit(f"kinlink import failed ({done.returncode}): {done.stderr[-400:]}")


def _web_import(uploader: Person, path: Path) -> None:
    with path.open("rb") as handle:
        sent = uploader.client.post(
            "/api/v1/imports", files={"file": (path.name, handle, "text/csv")},
            data={"kind": "adoption_registry", "role": "found", "link": "true"},
            headers={"X-CSRF-Token": uploader.csrf})
    sent.raise_for_status()
    job = sent.json()["id"]
    while True:
        time.sleep(2)
        state = uploader.client.get(f"/api/v1/imports/jobs/{job}")
        if state.status_code != 200:
            continue
        if state.json()["status"] != "running":
            if state.json()["status"] != "completed":
                raise SystemExit(f"web import ended {state.json()['status']}")
            return


def _serve(settings: Settings, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    env = {**_environment(settings), "KINLINK_COOKIE_SECURE": "false"}
    return served.serve(env, stderr=subprocess.PIPE, workers=workers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store-rows", type=int, default=150_000)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--idle-seconds", type=float, default=60)
    parser.add_argument("--warmup-seconds", type=float, default=10)
    parser.add_argument("--idle-only", action="store_true",
                        help="measure the idle phase only (no import beside the clients)")
    parser.add_argument("--postgres", metavar="URL",
                        help="build and serve the store in this PostgreSQL database "
                             "(postgresql+psycopg://…; dropped and created again on a build)")
    parser.add_argument("--workers", type=int, default=1,
                        help="kinlink serve --workers (PostgreSQL only)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kinlink-concurrency"))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    data = args.work / ("data-pg" if args.postgres else "data")
    settings = Settings(data_dir=data, cookie_secure=False, database_url=args.postgres)
    _build(settings, args.store_rows)
    cli_list, web_list = (_bulk_lists(args.work, args.import_rows) if not args.idle_only
                          else (Path(), Path()))
    rng = random.Random(args.seed)
    names = _names(settings.data_dir / "store.csv", 2000, rng)
    accounts = _accounts(settings, args.clients + 1)
    app = create_app(settings)
    cases = [c.id for c in list_cases(app.state.services.store,
                                      Actor("bench", UserRole.CASE_WORKER), None, 2000)]
    app.state.services.store.dispose()
    server, base = _serve(settings, args.workers)
    try:
        people = [_sign_in(base, *account) for account in accounts]
        uploader, workers = people[0], people[1:]
        top = args.store_rows
        print(f"{len(workers)} case workers signed in at {base} "
              f"({'PostgreSQL' if args.postgres else 'SQLite'}, {args.workers} worker(s)); "
              f"store of {args.store_rows:,} records, {len(cases):,} cases sampled")
        _phase(workers, names, top, cases, lambda: time.sleep(args.warmup_seconds), -1)
        phases = [
            ("idle store", lambda: time.sleep(args.idle_seconds)),
            (f"CLI import and link of {args.import_rows:,} rows",
             lambda: _cli_import(settings, cli_list)),
            (f"web import and link of {args.import_rows:,} rows",
             lambda: _web_import(uploader, web_list)),
        ][:1 if args.idle_only else 3]
        errors = 0
        for index, (label, bulk) in enumerate(phases):
            tally, wall = _phase(workers, names, top, cases, bulk, args.seed * 100 + index)
            _report(label, tally, wall)
            errors += sum(tally.server_errors.values())
        print(f"\n5xx other than 503, all phases: {errors}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        logged = (server.stderr.read() if server.stderr else b"").decode(errors="replace")
        if "Traceback" in logged:
            print("the server logged a traceback:\n" + logged[-2000:])


if __name__ == "__main__":
    main()
