"""Fixtures of the web tests: an app over the test store, a clock to move, people to
sign in as any role (password, second factor and their own password in place of the
generated one, through the API), lists to import."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, sync_playwright
from webhelpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    FAMILY_LIST,
    FakeClock,
    Person,
    Seed,
    SignIn,
    change_generated_password,
)

from kinlink.config import Settings
from kinlink.domain.records import SourceKind
from kinlink.domain.users import UserRole
from kinlink.ingest import ImportRequest, import_file
from kinlink.server import create_app


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def web_settings(settings: Settings) -> Settings:
    """The test store's settings, with cookies usable over the test client's http."""
    return settings.model_copy(update={"cookie_secure": False})


@pytest.fixture
def app(web_settings: Settings, clock: FakeClock) -> Iterator[FastAPI]:
    application = create_app(web_settings, clock=clock)
    yield application
    application.state.services.jobs.shutdown()
    application.state.services.store.dispose()


_numbers = itertools.count(1)


@pytest.fixture
def sign_in(app: FastAPI, clock: FakeClock) -> SignIn:
    """``sign_in(role, agency_id=1)``: a new user of that role, signed in through the API."""

    def make(role: UserRole, agency_id: int = 1, language: str = "en") -> Person:
        made = app.state.services.admin.create_user(
            "test", f"{role.value.replace('_', '-')}-{next(_numbers)}", role, agency_id,
            language, with_second_factor=True)
        client = TestClient(app)
        first = client.post("/api/v1/auth/login",
                            json={"username": made.user.username, "password": made.password})
        assert first.status_code == 200, first.text
        code = pyotp.TOTP(made.totp_secret).at(clock())
        second = client.post("/api/v1/auth/second-factor", json={"code": code},
                             headers={"X-CSRF-Token": first.json()["csrf_token"]})
        assert second.status_code == 200, second.text
        assert second.json()["stage"] == "change_password"
        csrf = second.json()["csrf_token"]
        own = change_generated_password(client, csrf, made.password or "")
        return Person(client, made.user.username, own, made.totp_secret or "", csrf,
                      made.user.id, role)

    return make



@pytest.fixture
def seed(app: FastAPI, tmp_path: Path) -> Seed:
    """``seed(text, name, kind, agency_id)``: import a list; returns its source id."""

    def make(text: str = FAMILY_LIST, name: str = "family.csv",
             kind: SourceKind = SourceKind.FAMILY_REPORTS, agency_id: int = 1) -> int:
        path = tmp_path / f"{next(_numbers)}-{name}"
        path.write_text(text, encoding="utf-8")
        result = import_file(app.state.services.store, ImportRequest(
            path=path, imported_by="test", kind=kind, agency_id=agency_id))
        return result.source_id

    return make


@pytest.fixture
def second_agency(app: FastAPI) -> int:
    """Another agency's id."""
    return int(app.state.services.admin.create_agency("test", "NGO hotline").id)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """Debian's chromium, headless, driven by Playwright: started once per test module
    (about two seconds each time on this machine) and shared by its tests, each in
    contexts of its own (:func:`browser`). Not once per session: Playwright's sync API
    keeps an asyncio loop marked as running in the worker's main thread while it is
    started, so a later module's ``anyio.run`` there would be refused."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                              headless=True)
        yield launched
        launched.close()


@pytest.fixture
def browser(chromium: Browser) -> Iterator[Browser]:
    """The session's chromium for one test: every page it opens with ``new_page`` is a
    context of its own (no cookies or storage from another test), and the contexts the
    test opened are closed after it."""
    before = set(chromium.contexts)
    yield chromium
    for context in chromium.contexts:
        if context not in before:
            context.close()
