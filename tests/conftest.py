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
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

# pytest-xdist starts its workers with COLUMNS=80, which Rich fixes as the width of the
# CLI's consoles when they are created at import; command-line tests set their own width
# per test, as a terminal would, so the workers must not carry one.
os.environ.pop("COLUMNS", None)

from kinlink.config import Settings
from kinlink.storage import Store, open_store
from pgdatabases import ADMIN_URL, empty_databases


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
"""The fixtures that open the store of ``settings``: a test taking one starts from the
session's migrated template instead of an empty database."""


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding a migrated, empty SQLite store, made once per session."""
    data_dir = tmp_path_factory.mktemp("template") / "data"
    open_store(Settings(data_dir=data_dir, database_url=None, user="tester")).dispose()
    return data_dir


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """The name of a PostgreSQL database holding a migrated, empty store (no connection
    to it is left open, so that it can be a template), dropped after the session."""
    with empty_databases("kinlink_template") as (url,):
        open_store(Settings(data_dir=Path("unused"), database_url=url,
                            user="tester")).dispose()
        yield url.rsplit("/", 1)[1]


def copied_database(request: pytest.FixtureRequest, template: str) -> str:
    """A SQLAlchemy URL of a new database copied from ``template``, dropped after the
    test."""
    name = f"kinlink_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')

    def drop() -> None:
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    request.addfinalizer(drop)
    base = ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for a store on SQLite (a file in tmp_path) or PostgreSQL: empty, or a copy
    of the migrated template when the test opens the store (:data:`OPENS_THE_STORE`)."""
    data_dir = tmp_path / "data"
    migrated = not OPENS_THE_STORE.isdisjoint(request.fixturenames)
    if request.param == "sqlite":
        if migrated:
            shutil.copytree(request.getfixturevalue("sqlite_template"), data_dir)
        return Settings(data_dir=data_dir, database_url=None, user="tester")
    if migrated:
        url = copied_database(request, request.getfixturevalue("postgres_template"))
        return Settings(data_dir=data_dir, database_url=url, user="tester")
    url = request.getfixturevalue("postgres_url")
    _reset_postgres(url)
    return Settings(data_dir=data_dir, database_url=url, user="tester")


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    """An opened store on the backend of ``settings``; disposed after the test."""
    opened = open_store(settings)
    yield opened
    opened.dispose()
