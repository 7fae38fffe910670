"""Empty PostgreSQL databases for tests, on the server the tests use
(``KINLINK_TEST_POSTGRES``, else this machine's 127.0.0.1:5432 with trust auth), each
dropped afterwards. A module of its own because a test cannot import ``conftest`` by
name: ``tests/web`` has a conftest of its own, and the whole suite sees that one."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

ADMIN_URL = os.environ.get("KINLINK_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
"""The server's maintenance database, where databases are created and dropped."""

__all__ = ["ADMIN_URL", "empty_databases"]


@contextmanager
def empty_databases(prefix: str, count: int = 1) -> Iterator[list[str]]:
    """SQLAlchemy URLs of ``count`` new, empty databases named ``prefix`` and a random
    tail, dropped (connections and all) when the block ends."""
    names = [f"{prefix}_{uuid.uuid4().hex[:12]}" for _ in range(count)]
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}"')
    base = ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        yield [f"{base}/{name}" for name in names]
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
