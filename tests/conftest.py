"""Shared fixtures: a real store on SQLite (a file) and on PostgreSQL (its own database).

Storage and import tests take the ``store`` fixture and so run on both. PostgreSQL is
reached at ``KINLINK_TEST_POSTGRES`` (default: the local server with trust auth); each
test session creates a fresh database and drops it at the end. A missing server fails
the tests rather than skipping them: `.ci/run` starts it.

Creating the schema (every migration) takes about a second per test on this machine, so
a test that opens the store (it takes ``store`` or ``app``) starts from a copy of a store
migrated once per session (per xdist worker): the SQLite file copied byte for byte, or a
PostgreSQL database made with ``CREATE DATABASE … TEMPLATE``. A test that takes only
``settings`` still gets an empty database, so what creating the schema does stays tested.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

# pytest-xdist starts its workers with COLUMNS=80, which Rich fixes as the width of the
# CLI's consoles when they are created at import; command-line tests set their own width
# per test, as a terminal would, so the workers must not carry one.
os.environ.pop("COLUMNS", None)

from argon2 import PasswordHasher

import hostile
from kinlink.accounts import passwords
from kinlink.config import Settings
from kinlink.storage import Store, open_store
from pgdatabases import empty_databases
from storecopies import StoreTemplates, WorldBuilder, copy_folder
from suiteorder import LONGEST_FILES

# Every password the tests make or check is hashed with Argon2id as in production, but at
# the lowest cost (one pass over 1 MiB, one lane) instead of the defaults (three passes over
# 64 MiB, four lanes): a hash took 0.2–0.9 s of a loaded 2-core machine, and signing one
# person in through the API makes four (create, sign in, the forced change). What the
# tests assert does not depend on the cost; the hash format, salt and length are kept.
# Commands the tests run in a subprocess keep the production hasher.
passwords._HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Order the files so the longest run first: the files of ``LONGEST_FILES`` in its
    order, then the others by their number of tests, most first (xdist's own order), each
    file's tests in their order.

    Why: xdist hands out whole files (``--dist=loadfile``, ``--no-loadscope-reorder`` in
    pyproject.toml) in this order. Ordered by the number of tests alone, a file of two
    long browser walks came last and ran for a minute and a half on one worker while the
    other had finished. A file missing from the list costs time, never a result."""
    def file(item: pytest.Item) -> str:
        return item.nodeid.split("::")[0]

    counts = Counter(file(item) for item in items)
    rank = {name: place for place, name in enumerate(LONGEST_FILES)}

    def key(item: pytest.Item) -> tuple[int, int]:
        return rank.get(file(item), len(rank)), -counts[file(item)]

    items.sort(key=key)


@pytest.fixture(scope="session")
def gigabyte_string_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workbook of about a megabyte whose one shared string is 1 GiB long
    (:func:`hostile.huge_shared_string`), for the drills of three modules: deflating the
    gigabyte took 8 s of a loaded machine, so it is written once per session (per xdist
    worker) and only read by the tests (one that hands it to a command copies it)."""
    return hostile.huge_shared_string(tmp_path_factory.mktemp("bomb") / "bomb.xlsx", 2**30)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A SQLAlchemy URL of a fresh PostgreSQL database, dropped after the session."""
    with empty_databases("kinlink_test") as (url,):
        yield url


def _reset_postgres(url: str) -> None:
    plain = url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


OPENS_THE_STORE = frozenset({"store", "app"})
"""The fixtures that open the store of ``settings``: a test taking one starts from a copy
of the session's template (:mod:`storecopies`) instead of an empty database."""


@pytest.fixture(scope="session")
def store_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoreTemplates]:
    """The session's stores made once and copied per test; their databases dropped after
    the session."""
    templates = StoreTemplates(tmp_path_factory.mktemp("templates"))
    yield templates
    templates.close()


@pytest.fixture
def store_world() -> WorldBuilder | None:
    """What a test's store holds when it starts: nothing (an empty, migrated store). A
    module overrides this with a builder (:data:`storecopies.WorldBuilder`) to start each
    of its tests that take ``built_world`` (what the builder returned) from a copy of a
    world built once; its other tests start from an empty store."""
    return None


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Settings for a store on SQLite (a file in tmp_path) or PostgreSQL: empty, or a copy
    of the session's template when the test opens the store (:data:`OPENS_THE_STORE`)."""
    data_dir = tmp_path / "data"
    if OPENS_THE_STORE.isdisjoint(request.fixturenames):
        if request.param == "sqlite":
            yield Settings(data_dir=data_dir, database_url=None, user="tester")
            return
        url: str = request.getfixturevalue("postgres_url")
        _reset_postgres(url)
        yield Settings(data_dir=data_dir, database_url=url, user="tester")
        return
    templates: StoreTemplates = request.getfixturevalue("store_templates")
    # only a test that takes the world (through ``built_world``) starts from it
    builder = (request.getfixturevalue("store_world") if "built_world" in request.fixturenames
               else None)
    template = templates.get(request.param, builder)
    copy_folder(template.folder, tmp_path)
    if template.database is None:
        yield Settings(data_dir=data_dir, database_url=None, user="tester")
        return
    database_url, drop = templates.copy_database(template)
    yield Settings(data_dir=data_dir, database_url=database_url, user="tester")
    drop()


@pytest.fixture
def built_world(request: pytest.FixtureRequest, settings: Settings,
                store_world: WorldBuilder | None, store_templates: StoreTemplates) -> Any:
    """What the module's ``store_world`` builder returned (a copy for this test), for the
    copy of its world this test's store starts from."""
    assert store_world is not None, "built_world needs a module's store_world builder"
    backend = "sqlite" if settings.database_url is None else "postgresql"
    return store_templates.result(store_templates.get(backend, store_world))


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    """An opened store on the backend of ``settings``; disposed after the test."""
    opened = open_store(settings)
    yield opened
    opened.dispose()
