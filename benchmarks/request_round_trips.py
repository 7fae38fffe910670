"""What one API request costs the database: statements, commits, pool checkouts.

Opens the store ``concurrency.py`` built (``--work``; ``--postgres URL`` for its
PostgreSQL database), signs one case worker in through the application in this process
(Starlette's test client: no HTTP, no other process) and, for each page of the
concurrency benchmark's rotation, sends it ``--repeat`` times while SQLAlchemy's event
hooks count, per request:

- **statements** sent (``before_cursor_execute``), and which ones — the page's own and
  the rest (the session's lookup, the audit write…), the first request's printed with
  ``--show``;
- **transactions** committed (each a ``COMMIT`` round trip);
- **checkouts** from the pool: with ``pool_pre_ping`` each is one more round trip (a
  ``SELECT 1`` the statement hook does not see).

``--profile PAGE`` runs cProfile over ``--repeat`` requests of that page and prints the
functions with the most cumulative time.

    .venv/bin/python benchmarks/request_round_trips.py --work /tmp/kinlink-concurrency-small \\
        --postgres postgresql+psycopg://postgres@127.0.0.1/kinlink_bench_conc --show
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyotp
from fastapi.testclient import TestClient
from sqlalchemy import event

from kinlink.config import Settings
from kinlink.domain.access import Actor
from kinlink.domain.users import UserRole
from kinlink.server import create_app
from kinlink.usecases.cases import list_cases


class Counts:
    """Round trips seen by the engine's and the pool's event hooks."""

    def __init__(self) -> None:
        self.statements: list[str] = []
        self.commits = 0
        self.checkouts = 0

    def reset(self) -> None:
        self.statements, self.commits, self.checkouts = [], 0, 0

    def hook(self, engine: Any) -> None:
        def executed(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
            self.statements.append(" ".join(statement.split())[:110])

        def committed(_conn: Any) -> None:
            self.commits += 1

        def checked_out(*_args: Any) -> None:
            self.checkouts += 1

        event.listen(engine, "before_cursor_execute", executed)
        event.listen(engine, "commit", committed)
        event.listen(engine.pool, "checkout", checked_out)


def _signed_in(app: Any) -> tuple[TestClient, str]:
    made = app.state.services.admin.create_user(
        "bench", f"trips-{time.time_ns()}", UserRole.CASE_WORKER, 1, "en",
        with_second_factor=True)
    client = TestClient(app)
    first = client.post("/api/v1/auth/login",
                        json={"username": made.user.username, "password": made.password})
    first.raise_for_status()
    second = client.post("/api/v1/auth/second-factor",
                         json={"code": pyotp.TOTP(made.totp_secret).now()},
                         headers={"X-CSRF-Token": first.json()["csrf_token"]})
    second.raise_for_status()
    csrf = str(second.json()["csrf_token"])
    client.post("/api/v1/me/password", headers={"X-CSRF-Token": csrf},
                json={"current": made.password, "new": f"own-{time.time_ns()}-pass"}
                ).raise_for_status()
    return client, csrf


def _decide(client: TestClient, csrf: str, rng: random.Random) -> Any:
    """A decision on one pair of the review queue, as the concurrency benchmark makes."""
    pair = rng.choice(client.get("/api/v1/review/queue", params={"limit": 20}).json())
    return client.post("/api/v1/review/decisions", headers={"X-CSRF-Token": csrf},
                       json={"a": pair["low"]["id"], "b": pair["high"]["id"],
                             "verdict": rng.choice(["different", "unsure"])})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/kinlink-concurrency"))
    parser.add_argument("--postgres", metavar="URL")
    parser.add_argument("--store-rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--show", action="store_true", help="print each page's statements")
    parser.add_argument("--profile", metavar="PAGE")
    args = parser.parse_args()
    data = args.work / ("data-pg" if args.postgres else "data")
    app = create_app(Settings(data_dir=data, cookie_secure=False, database_url=args.postgres))
    engine = app.state.services.store.engine
    cases = [c.id for c in list_cases(app.state.services.store,
                                      Actor("bench", UserRole.CASE_WORKER), None, 200)]
    client, csrf = _signed_in(app)
    rng = random.Random(5)
    pages: dict[str, Callable[[], Any]] = {
        "search": lambda: client.get("/search", params={"q": "Olena Kovalenko"}),
        "record": lambda: client.get(f"/records/{rng.randint(1, args.store_rows)}"),
        "child": lambda: client.get(f"/children/{rng.randint(1, args.store_rows)}"),
        "case": lambda: client.get(f"/cases/{rng.choice(cases)}"),
        "review queue": lambda: client.get("/api/v1/review/queue", params={"limit": 20}),
        "queue + decide": lambda: _decide(client, csrf, rng),
    }
    counts = Counts()
    counts.hook(engine)
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.repeat):
            pages[args.profile]()
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
        return
    print(f"{engine.dialect.name}, {args.repeat} requests a page; per request:")
    print(f"  {'page':<16}{'statements':>11}{'commits':>9}{'checkouts':>10}{'ms':>8}")
    for name, call in pages.items():
        call()  # warm: the first view fills caches
        seen: Counter[str] = Counter()
        totals = [0, 0, 0]
        started = time.perf_counter()
        for _ in range(args.repeat):
            counts.reset()
            status = call().status_code
            if status >= 300:
                raise SystemExit(f"{name} answered {status}")
            totals[0] += len(counts.statements)
            totals[1] += counts.commits
            totals[2] += counts.checkouts
            seen.update(counts.statements)
        millis = (time.perf_counter() - started) * 1000 / args.repeat
        print(f"  {name:<16}{totals[0] / args.repeat:>11.1f}{totals[1] / args.repeat:>9.1f}"
              f"{totals[2] / args.repeat:>10.1f}{millis:>8.1f}")
        if args.show:
            for statement, times in seen.most_common():
                print(f"      {times / args.repeat:>5.1f}× {statement}")


if __name__ == "__main__":
    main()
