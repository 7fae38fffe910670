"""The store's connection pool: one kept connection per request thread, and a connection
that died while idle replaced before a request gets it (issue 20: 16 signed-in people on
PostgreSQL opened a backend per transaction past the default pool's fifth connection,
and paid a ping's round trip on every transaction)."""

from __future__ import annotations

import threading
from typing import Any

import anyio
import anyio.to_thread
import psycopg
import pytest
from sqlalchemy import event, text

from kinlink.storage import Store
from kinlink.storage import engine as engine_module
from kinlink.storage.engine import REQUEST_THREADS

_AT_ONCE = 20  # more than the old default pool (5 kept) and fewer than the request threads


def _hold_all_at_once(store: Store) -> None:
    """``_AT_ONCE`` threads, each in a transaction at the same time as all the others."""
    together = threading.Barrier(_AT_ONCE)

    def hold() -> None:
        with store.transaction() as session:
            session.execute(text("SELECT 1"))
            together.wait(timeout=30)

    threads = [threading.Thread(target=hold) for _ in range(_AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_request_threads_are_anyios_default() -> None:
    async def tokens() -> float:
        return anyio.to_thread.current_default_thread_limiter().total_tokens

    assert anyio.run(tokens) == REQUEST_THREADS


def test_concurrent_requests_reuse_their_connections(store: Store) -> None:
    opened: list[int] = []

    def connected(*_args: Any) -> None:
        opened.append(1)

    event.listen(store.engine, "connect", connected)
    _hold_all_at_once(store)
    first = len(opened)
    _hold_all_at_once(store)
    assert first <= _AT_ONCE
    assert len(opened) == first  # the second wave found every connection kept


def test_a_connection_that_died_while_idle_is_replaced(store: Store,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    if store.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no server to lose a connection")
    with store.transaction() as session:
        first = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
    url = store.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (first,))
    monkeypatch.setattr(engine_module, "PING_AFTER_IDLE_SECONDS", 0.0)
    with store.transaction() as session:
        second = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
    assert second != first
