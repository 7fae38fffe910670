"""Web speed: search across scripts and the record page with N records in the store.

Builds (once, then reuses) a store of N generated records (``kinlink.demo.generate_flat``:
Ukrainian, Russian and Latin spellings), starts the web application in-process, signs a
supervisor in and times requests through the whole stack (ASGI, session check,
permission, search, audit event with its commit, JSON):

* ``GET /api/v1/search`` with names taken from random records and typed as a case worker
  would: as written, in Latin letters (KMU 2010 for Cyrillic names), surname first in
  capitals, surname alone, with the birth year, and with one letter dropped;
* ``GET /api/v1/records/{id}`` and the record page ``GET /records/{id}``;
* the child page ``GET /children/{id}`` (with ``--match``, for records that have links);
* ``GET /api/v1/dashboard`` (a few times: it counts the whole store).

With ``--casework`` (issue 15) the store is the case worker's instead: the demo lists
(``kinlink.demo.generate``: families' reports and three found lists, about 1.7 records
per child, so ``--rows`` sets the number of children) imported and linked the way
``kinlink demo run`` does it, cases opened; then the pages of a case worker's day are
timed: the child page and the identities page of reported children, the cases page
(first page and ``?page=3``) and ``GET /api/v1/cases``, a decision's round trip
(``POST /review/decide`` on a pair waiting for review and the page it leads to), the
record page, and ``--registrations`` reports registered through the form (linked at
once, the child's page followed) then each corrected (its birth date; re-linked, the
record page followed), beside the same primary-key baseline. A store linked before
revision 0014 gets its blocking keys from a first ``kinlink match`` here (once), so that
a record is linked by key; ``--only-registration`` times registering and correcting
alone, ``--only-identities`` the identities page alone.

    .venv/bin/python benchmarks/web_speed.py --casework --rows 100000 \
        --work /tmp/kinlink-casework-100k

Baseline in the same run: a single-row primary-key SELECT on the same store, the floor
of any request that touches the database.

    .venv/bin/python benchmarks/web_speed.py --rows 1000000 --work /tmp/kinlink-web-1m
    .venv/bin/python benchmarks/web_speed.py --rows 1000000 --work /tmp/kinlink-web-1m-pg \
        --postgres postgresql+psycopg://postgres@127.0.0.1:5432/kinlink_bench

Prints percentiles (ms) per kind of request.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import random
import re
import secrets
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
import pyotp
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from kinlink.config import Settings
from kinlink.demo.generator import DemoConfig, generate, generate_flat
from kinlink.domain.access import Actor
from kinlink.domain.records import Role, SourceKind
from kinlink.domain.users import UserRole
from kinlink.errors import DuplicateFileError
from kinlink.ingest import ImportRequest, import_file
from kinlink.matching.store import match_store
from kinlink.names import System, detect, transliterate
from kinlink.names.scripts import Script
from kinlink.server import create_app
from kinlink.storage import Store, open_store
from kinlink.storage import caseload as stored
from kinlink.storage.candidate_reach import (
    records_with_candidates,
    records_with_candidates_recursive,
)
from kinlink.storage.linkage_tables import CandidatePairRow
from kinlink.storage.review_tables import CaseRow
from kinlink.storage.tables import RecordRow
from kinlink.usecases.importing import import_list
from kinlink.usecases.linking import link_store

RECORDS_PER_CHILD = 1.72
"""Records the demo world writes per child (measured: 3,449 records for 2,000 children)."""


def _ensure_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0].replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _fill(settings: Settings, rows: int) -> None:
    store = open_store(settings)
    with store.transaction() as session:
        present = int(session.execute(select(func.count()).select_from(RecordRow)).scalar_one())
    if present >= rows:
        print(f"store has {present:,} records already")
        store.dispose()
        return
    path = settings.data_dir / f"flat-{rows}.csv"
    if not path.exists():
        start = time.perf_counter()
        generate_flat(path, rows)
        print(f"generated {rows:,} rows in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    # a million generated rows are about 230 MiB, above the 200 MiB a list may have by
    # default; the benchmark's own file is let through, as KINLINK_LIMITS__FILE_MB would
    size_mb = path.stat().st_size // 2**20 + 1
    limits = dataclasses.replace(settings.limits,
                                 file_mb=max(settings.limits.file_mb, size_mb))
    import_file(store, ImportRequest(path=path, imported_by="bench"), limits=limits)
    print(f"imported {rows:,} rows (with search keys) in {time.perf_counter() - start:.1f} s")
    store.dispose()


def _fill_casework(settings: Settings, rows: int) -> None:
    """The demo world of about ``rows`` records, imported, linked and its cases opened
    (once: a store that has its cases already is reused as it is)."""
    store = open_store(settings)
    with store.transaction() as session:
        present = int(session.execute(select(func.count()).select_from(RecordRow)).scalar_one())
        cases = int(session.execute(select(func.count()).select_from(CaseRow)).scalar_one())
    if present and cases:
        print(f"store has {present:,} records and {cases:,} cases already")
        store.dispose()
        return
    who = Actor("bench", UserRole.SUPERVISOR)
    start = time.perf_counter()
    files = generate(settings.data_dir / "demo",
                     DemoConfig(children=max(1, round(rows / RECORDS_PER_CHILD))))
    print(f"generated {sum(f.rows for f in files):,} rows in {len(files)} lists in "
          f"{time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    for item in files:
        request = ImportRequest(path=item.path, imported_by=who.name,
                                kind=SourceKind(item.kind), role=Role(item.role),
                                title=item.title, producer=item.producer)
        try:
            import_list(store, who, request, link=False)
        except DuplicateFileError:
            continue
    print(f"imported in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    outcome = link_store(store, who)
    print(f"linked: {outcome.linked.pairs:,} pairs ({outcome.linked.reviews:,} for review), "
          f"{outcome.cases_opened:,} cases opened in {time.perf_counter() - start:.1f} s")
    store.dispose()


def _latin(word: str) -> str:
    return transliterate(word, System.KMU_2010) if detect(word).script != Script.LATIN else word


def _queries(settings: Settings, count: int, seed: int) -> list[tuple[str, str]]:
    """(kind, typed text) pairs drawn from random records."""
    rng = random.Random(seed)
    store = open_store(settings)
    with store.transaction() as session:
        top = int(session.execute(select(func.max(RecordRow.id))).scalar_one())
        picked = session.execute(
            select(RecordRow.given_name, RecordRow.surname, RecordRow.birth_year)
            .where(RecordRow.id.in_([rng.randint(1, top) for _ in range(count * 3)]),
                   RecordRow.given_name.is_not(None), RecordRow.surname.is_not(None))
        ).all()
    store.dispose()
    forms: list[tuple[str, Callable[[str, str, int | None], str]]] = [
        ("as written", lambda g, s, _y: f"{g} {s}"),
        ("latin", lambda g, s, _y: f"{_latin(g)} {_latin(s)}"),
        ("SURNAME given", lambda g, s, _y: f"{s.upper()} {g}"),
        ("surname only", lambda _g, s, _y: s),
        ("with year", lambda g, s, y: f"{s} {g} {y or ''}".strip()),
        ("typo", lambda g, s, _y: f"{g} {s[:2] + s[3:] if len(s) > 4 else s}"),
    ]
    queries = []
    named = [(g, s, y) for g, s, y in picked if g and s]  # the query asked for both
    for index, (given, surname, year) in enumerate(named[:count]):
        kind, form = forms[index % len(forms)]
        queries.append((kind, form(given, surname, year)))
    return queries


def _rank(ordered: list[float], share: float) -> float:
    """The nearest-rank percentile: a value that was measured, never extrapolated."""
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _percentiles(label: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    print(f"{label:<28} n={len(ordered):<5} p50={_rank(ordered, 0.5):7.1f}  "
          f"p95={_rank(ordered, 0.95):7.1f}  p99={_rank(ordered, 0.99):7.1f}  "
          f"max={ordered[-1]:7.1f} ms")


def _timed(client: TestClient, path: str, **kwargs: object) -> tuple[float, object]:
    start = time.perf_counter()
    response = client.get(path, **kwargs)  # type: ignore[arg-type]
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (path, response.status_code)
    return elapsed, response


def _match(settings: Settings) -> None:
    """Link the store (incremental: nothing to do when it was linked before)."""
    store = open_store(settings)
    start = time.perf_counter()
    result = match_store(store, actor="bench")
    print(f"matched: {result.pairs:,} new candidate pairs in {time.perf_counter() - start:.1f} s")
    store.dispose()


def _linked_records(store: Store, rng: random.Random, count: int) -> list[int]:
    """Records that have at least one candidate pair, for the child page."""
    with store.transaction() as session:
        lows = session.execute(select(CandidatePairRow.record_low).limit(20_000)).scalars().all()
    return [rng.choice(lows) for _ in range(count)] if lows else []


def _reported(store: Store, rng: random.Random, count: int) -> list[int]:
    """Records of reported children that have a case (the case worker's children)."""
    with store.transaction() as session:
        pks = session.execute(select(CaseRow.sought_record_pk).limit(50_000)).scalars().all()
    return [rng.choice(pks) for _ in range(count)]


def _review_pairs(store: Store, count: int) -> list[tuple[int, int]]:
    """Pairs the model left for review, best first (as the queue offers them)."""
    with store.transaction() as session:
        rows = session.execute(
            select(CandidatePairRow.record_low, CandidatePairRow.record_high)
            .where(CandidatePairRow.decision == "review")
            .order_by(CandidatePairRow.match_probability.desc()).limit(count * 3)).all()
    return [(low, high) for low, high in rows][::3][:count]


def _csrf(client: TestClient) -> str:
    """The form token of the signed-in session, as a page carries it."""
    page = client.get("/review").text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None, "no form token on the review page"
    return found.group(1)


def _decide(client: TestClient, token: str, low: int, high: int, verdict: str) -> float:
    """POST a decision as the review page's form does and follow to the page after."""
    start = time.perf_counter()
    response = client.post("/review/decide", data={
        "csrf_token": token, "low": str(low), "high": str(high), "verdict": verdict})
    assert response.status_code == 200, (low, high, response.status_code)
    return (time.perf_counter() - start) * 1000


def _casework(client: TestClient, store: Store, rng: random.Random, top: int,
              samples: int, registrations: int, *, everything: bool = True) -> None:
    """Time the pages of a case worker's day (issue 15); only registering and correcting
    unless ``everything``."""
    token = _csrf(client)
    if everything:
        _day(client, store, rng, top, samples, token)
    _timed(client, "/records/new")  # warm the form's page
    registered = [_register(client, token, index) for index in range(registrations)]
    _percentiles("register + link + child page", [elapsed for elapsed, _pk in registered])
    _percentiles("correct + link + record page", [_correct(client, token, pk, index)
                                                  for index, (_ms, pk) in
                                                  enumerate(registered)])


def _identities(client: TestClient, store: Store, rng: random.Random, samples: int,
                children: list[int] | None = None) -> None:
    """Time the identities page of reported children (``samples`` drawn unless given)."""
    children = children if children is not None else _reported(store, rng, samples)
    _timed(client, f"/children/{children[0]}")  # warm the templates and the name engine
    _percentiles("identities, page", [_timed(client, f"/children/{pk}/identities")[0]
                                      for pk in children])


def _day(client: TestClient, store: Store, rng: random.Random, top: int, samples: int,
         token: str) -> None:
    """The pages of a case worker's day but registering and correcting."""
    children = _reported(store, rng, samples)
    _timed(client, f"/children/{children[0]}")  # warm the templates and the name engine
    _percentiles("child, page", [_timed(client, f"/children/{pk}")[0] for pk in children])
    _identities(client, store, rng, samples, children)
    _percentiles("cases, page 1", [_timed(client, "/cases")[0] for _ in range(samples // 4)])
    _percentiles("cases, page 3", [_timed(client, "/cases", params={"page": 3})[0]
                                   for _ in range(samples // 4)])
    _percentiles("cases, JSON", [_timed(client, "/api/v1/cases")[0]
                                 for _ in range(samples // 4)])
    for label, path, params in (
            ("cases, has candidates, page 1", "/cases", {"has_candidates": "1"}),
            ("cases, has candidates, page 3", "/cases", {"has_candidates": "1", "page": "3"}),
            ("cases JSON, has candidates", "/api/v1/cases", {"has_candidates": "true"})):
        _percentiles(label, [_timed(client, path, params=params)[0]
                             for _ in range(samples // 4)])
    verdicts = ("different", "unsure", "same")
    decided = [_decide(client, token, low, high, verdicts[index % 3])
               for index, (low, high) in enumerate(_review_pairs(store, samples // 2))]
    if decided:
        _percentiles("decide + next pair", decided)
    pks = [rng.randint(1, top) for _ in range(samples)]
    _percentiles("record, page", [_timed(client, f"/records/{pk}")[0] for pk in pks])
    with store.transaction() as session:
        case_ids = session.execute(select(CaseRow.id).limit(50_000)).scalars().all()
    _percentiles("case, page", [_timed(client, f"/cases/{rng.choice(case_ids)}")[0]
                                for _ in range(samples)])
    _percentiles("cases, name in Latin", [_timed(client, "/cases", params={"q": name})[0]
                                          for name in ("Petrenko", "Kovalenko", "Shevchenko",
                                                       "Bondarenko") * (samples // 16 or 1)])
    _percentiles("my tasks, page", [_timed(client, "/tasks")[0] for _ in range(samples // 4)])
    _percentiles("dashboard, my work first", [_timed(client, "/dashboard")[0]
                                              for _ in range(samples // 4)])
    _percentiles("register, the form", [_timed(client, "/records/new")[0]
                                        for _ in range(samples // 4)])


def _candidates_filter(client: TestClient, samples: int) -> None:
    """Time the caseload's *has candidates* filter (the page, its page 3 and the API)
    two ways in the same process, interleaved request by request (the order swapped
    each round): the kept rows (``candidate_reach``, revision 0022c) and, as the
    baseline, the recursive walk the filter used before (put in its place for the
    timing only), with the number of cases each keeps; the unfiltered first page beside
    them each round for reference."""
    ways = {"walk (before)": records_with_candidates_recursive,
            "kept rows (after)": records_with_candidates}
    asks = (("cases, has candidates, page 1", "/cases", {"has_candidates": "1"}),
            ("cases, has candidates, page 3", "/cases", {"has_candidates": "1", "page": "3"}),
            ("cases JSON, has candidates", "/api/v1/cases", {"has_candidates": "true"}))
    times: dict[tuple[str, str], list[float]] = {}
    kept: dict[str, int] = {}
    try:
        for round_ in range(samples):
            order = list(ways.items()) if round_ % 2 == 0 else list(ways.items())[::-1]
            stored.records_with_candidates = records_with_candidates  # type: ignore[attr-defined]
            times.setdefault(("cases, page 1, no filter", "reference"), []).append(
                _timed(client, "/cases")[0])
            for label, path, params in asks:
                for way, where in order:
                    stored.records_with_candidates = where  # type: ignore[attr-defined]
                    elapsed, response = _timed(client, path, params=params)
                    if round_ == 0 and path.startswith("/api"):  # the first is a warm-up
                        kept[way] = int(response.json()["total"])  # type: ignore[attr-defined]
                        continue
                    times.setdefault((label, way), []).append(elapsed)
    finally:
        stored.records_with_candidates = records_with_candidates  # type: ignore[attr-defined]
    print("cases kept: " + ", ".join(f"{way} {n:,}" for way, n in kept.items()))
    for (label, way), samples_ in times.items():
        _percentiles(f"{label}, {way}", samples_)


REGISTRATIONS = 3
"""Reports registered (and then corrected) per run by default (``--registrations``)."""
_GIVEN = ("Олена", "Марко", "Ярослав", "Ганна", "Богдан", "Софія", "Тарас", "Ірина")
_PLACES = ("Херсон", "Маріуполь", "Бердянськ", "Мелітополь")


def _register(client: TestClient, token: str, index: int) -> tuple[float, int]:
    """POST a report as the registration form does and follow to the child's page;
    the time and the new record's id."""
    start = time.perf_counter()
    response = client.post("/records/new", data={
        "csrf_token": token, "role": "sought",
        "surname": ("Бенчмарк", "Коваленко", "Шевченко", "Бондаренко")[index % 4],
        "given_name": _GIVEN[index % len(_GIVEN)],
        "birth_date": f"{1 + index % 28:02d}.{1 + index % 12:02d}.{2008 + index % 9}",
        "sex": "F" if _GIVEN[index % len(_GIVEN)].endswith("а") else "M",
        "birth_place": _PLACES[index % len(_PLACES)], "tracing": "on",
        "reporter_name": "Тест", "channel": "hotline"})
    assert response.status_code == 200, response.status_code
    elapsed = (time.perf_counter() - start) * 1000
    return elapsed, int(str(response.url).rstrip("/").rsplit("/", 1)[-1])


def _correct(client: TestClient, token: str, pk: int, index: int) -> float:
    """POST a correction of a registered record's birth date as the edit form does and
    follow to the record page."""
    start = time.perf_counter()
    response = client.post(f"/records/{pk}/edit", data={
        "csrf_token": token, "version": "1", "reason": "the mother called again",
        "birth_date": f"{1 + index % 28:02d}.{1 + index % 12:02d}.{2007 + index % 9}"})
    assert response.status_code == 200, response.status_code
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=600)
    parser.add_argument("--work", type=Path, default=Path("/tmp/kinlink-web-bench"))
    parser.add_argument("--postgres", default=None, help="a database URL instead of SQLite")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--match", action="store_true",
                        help="link the store first (kinlink match), so children have records")
    parser.add_argument("--casework", action="store_true",
                        help="the case worker's store and pages (issue 15): demo lists, "
                             "linked, cases opened; child, identities, cases, decide, record, "
                             "case, tasks, dashboard, registration")
    parser.add_argument("--samples", type=int, default=200,
                        help="requests per page with --casework")
    parser.add_argument("--registrations", type=int, default=REGISTRATIONS,
                        help="reports registered, then corrected, with --casework")
    parser.add_argument("--only-registration", action="store_true",
                        help="with --casework, time only registering and correcting")
    parser.add_argument("--only-identities", action="store_true",
                        help="with --casework, time only the identities page (issue 15)")
    parser.add_argument("--only-candidates", action="store_true",
                        help="with --casework, time only the caseload's has-candidates "
                             "filter, the kept rows beside the recursive walk")
    args = parser.parse_args()
    if args.postgres:
        _ensure_database(args.postgres)
    settings = Settings(data_dir=args.work, database_url=args.postgres, cookie_secure=False)
    if args.casework:
        _fill_casework(settings, args.rows)
    else:
        _fill(settings, args.rows)
    if args.match or args.casework:
        _match(settings)  # a store linked before revision 0014 gets its blocking keys
    start = time.perf_counter()
    app = create_app(settings, serving=True)
    print(f"app ready in {time.perf_counter() - start:.1f} s")
    # Timed as the served application runs once its start-up warm-up is over (name
    # engine, found records' features, garbage collector freeze: server._warm_up).
    app.state.warmed.wait()
    print(f"warmed up in {time.perf_counter() - start:.1f} s")
    services = app.state.services
    made = services.admin.create_user("bench", f"bench-{time.time_ns()}", UserRole.SUPERVISOR,
                                      1, "en", with_second_factor=True)
    client = TestClient(app)
    login = client.post("/api/v1/auth/login", json={"username": made.user.username,
                                                    "password": made.password})
    second = client.post("/api/v1/auth/second-factor",
                         json={"code": pyotp.TOTP(made.totp_secret).now()},
                         headers={"X-CSRF-Token": login.json()["csrf_token"]})
    # A generated password must be replaced before anything else is open (issue 13).
    changed = client.post("/api/v1/me/password",
                          headers={"X-CSRF-Token": second.json()["csrf_token"]},
                          json={"current": made.password,
                                "new": f"own-{secrets.token_urlsafe(18)}"})
    assert changed.status_code == 204, changed.text
    with services.store.transaction() as session:
        top = int(session.execute(select(func.max(RecordRow.id))).scalar_one())
    rng = random.Random(args.seed)
    baseline = []
    for _ in range(200):
        pk = rng.randint(1, top)
        begin = time.perf_counter()
        with services.store.transaction() as session:
            session.execute(text("SELECT surname FROM records WHERE id = :pk"), {"pk": pk})
        baseline.append((time.perf_counter() - begin) * 1000)
    if args.casework:
        print(f"\n{top:,} records, {'PostgreSQL' if args.postgres else 'SQLite'}, "
              "the case worker's pages")
        _percentiles("baseline: PK select", baseline)
        if args.only_identities:
            _identities(client, services.store, rng, args.samples)
            services.store.dispose()
            return
        if args.only_candidates:
            _candidates_filter(client, args.samples)
            services.store.dispose()
            return
        _casework(client, services.store, rng, top, args.samples, args.registrations,
                  everything=not args.only_registration)
        services.store.dispose()
        return
    queries = _queries(settings, args.queries, args.seed)
    for _kind, typed in queries[:20]:  # warm caches of the name engine
        client.get("/api/v1/search", params={"q": typed})
    by_kind: dict[str, list[float]] = {}
    found = 0
    for kind, typed in queries:
        elapsed, response = _timed(client, "/api/v1/search", params={"q": typed})
        by_kind.setdefault(kind, []).append(elapsed)
        found += bool(response.json()["hits"])  # type: ignore[attr-defined]
    print(f"\n{args.rows:,} records, {'PostgreSQL' if args.postgres else 'SQLite'}; "
          f"{found}/{len(queries)} searches found something")
    _percentiles("baseline: PK select", baseline)
    _percentiles("search, all", [t for ts in by_kind.values() for t in ts])
    for kind, samples in by_kind.items():
        _percentiles(f"  search, {kind}", samples)
    pks = [rng.randint(1, top) for _ in range(200)]
    _percentiles("record, JSON", [_timed(client, f"/api/v1/records/{pk}")[0] for pk in pks])
    _percentiles("record, page", [_timed(client, f"/records/{pk}")[0] for pk in pks])
    linked = _linked_records(services.store, rng, 200)
    if linked:
        _percentiles("child, page (linked)", [_timed(client, f"/children/{pk}")[0]
                                              for pk in linked])
    _percentiles("child, page (any)", [_timed(client, f"/children/{pk}")[0] for pk in pks])
    _percentiles("dashboard, JSON", [_timed(client, "/api/v1/dashboard")[0] for _ in range(5)])
    services.store.dispose()


if __name__ == "__main__":
    main()
