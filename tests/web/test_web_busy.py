"""A store held by another transaction longer than ``busy_timeout``: an audited read (a
record's page and its JSON twin) answers 503 with ``Retry-After`` and a plain message —
no 500, no personal data — and nothing of it is written.

The store is held as a long transaction holds it: on SQLite the write lock (``BEGIN
IMMEDIATE`` from another connection), on PostgreSQL the audit chain's advisory lock that
every audited action takes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from webhelpers import Seed, SignIn

from kinlink.config import Settings
from kinlink.domain.users import UserRole
from kinlink.storage.tables import AuditEventRow

_AUDIT_CHAIN_LOCK = 0x6B696E6C


@pytest.fixture
def web_settings(settings: Settings) -> Settings:
    """The test store with a busy timeout short enough for a test."""
    return settings.model_copy(update={"cookie_secure": False, "busy_timeout": 0.3})


@contextmanager
def _held(settings: Settings) -> Iterator[None]:
    if settings.database_url is None:
        other = sqlite3.connect(settings.data_dir / "kinlink.sqlite3", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    url = settings.database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(url) as other:
        other.execute("SELECT pg_advisory_xact_lock(%s)", (_AUDIT_CHAIN_LOCK,))
        try:
            yield
        finally:
            other.rollback()


def _events(app: FastAPI) -> int:
    with app.state.services.store.transaction() as session:
        return int(session.execute(select(func.count()).select_from(AuditEventRow))
                   .scalar_one())


def test_a_record_read_while_the_store_is_held_is_a_503_that_writes_nothing(
        app: FastAPI, sign_in: SignIn, seed: Seed, web_settings: Settings) -> None:
    seed()
    person = sign_in(UserRole.CASE_WORKER)
    before = _events(app)
    with _held(web_settings):
        page = person.client.get("/records/1")
        twin = person.client.get("/api/v1/records/1")
    for answer in (page, twin):
        assert answer.status_code == 503, answer.text
        assert answer.headers["retry-after"] == "5"
        assert "busy" in answer.text
        for private in ("Петренко", "Олександр", "+380", "Traceback", "Error("):
            assert private not in answer.text
    assert twin.json()["error"]["code"] == "busy"
    assert _events(app) == before, "a refused read wrote its audit event"
    read = person.client.get("/api/v1/records/1")
    assert read.status_code == 200
    assert _events(app) == before + 1
