"""Shared fixtures: a real store on SQLite (a file) and on PostgreSQL (its own database).

Storage and import tests take the ``store`` fixture and so run on both. PostgreSQL is
reached at ``KINLINK_TEST_POSTGRES`` (default: the local server with trust auth); each
test session creates a fresh database and drops it at the end. A missing server fails
the tests rather than skipping them: `.ci/run` starts it.
"""

from __future__ import annotations

import os
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
from pgdatabases import empty_databases


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


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for an empty store on SQLite (a file in tmp_path) or PostgreSQL."""
    data_dir = tmp_path / "data"
    if request.param == "sqlite":
        return Settings(data_dir=data_dir, database_url=None, user="tester")
    url: str = request.getfixturevalue("postgres_url")
    _reset_postgres(url)
    return Settings(data_dir=data_dir, database_url=url, user="tester")


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    """An opened store on the backend of ``settings``; disposed after the test."""
    opened = open_store(settings)
    yield opened
    opened.dispose()
