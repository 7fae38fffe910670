"""Helpers of the web tests (types and test lists), imported by conftest and tests."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyotp
from fastapi import FastAPI, routing
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from kinlink.config import Settings
from kinlink.domain.access import Actor
from kinlink.domain.records import SourceKind
from kinlink.domain.users import UserRole
from kinlink.ingest import ImportRequest, import_file
from kinlink.matching.store import match_store
from kinlink.server import create_app
from kinlink.storage import Store
from kinlink.usecases.cases import open_missing_cases

FAMILY_LIST = (
    "record_id,прізвище,ім'я,по батькові,дата народження,стать,місце народження,"
    "reporter_name,reporter_contact\n"
    "F-1,Петренко,Олександр,Іванович,12.03.2014,ч,\"м. Маріуполь, Донецька обл.\","
    "Петренко Ірина,+380501112233\n"
    "F-2,Бойко,Ганна,,03.2015,ж,Херсон,Бойко Марія,+380671234567\n"
    "F-3,Коваленко,Дмитро,Петрович,05.06.2013,ч,Бердянськ,,\n"
)
FOUND_LIST = (
    "record_id,surname,given_name,birth_date,sex,birth_place\n"
    "C-1,Petrenko,Aleksandr,2014-03-12,M,Mariupol\n"
    "C-2,Shevchenko,Taras,2012,M,Melitopol\n"
)

REVIEW_FOUND = (
    "record_id,surname,given_name,birth_date,sex,birth_place\n"
    "C-1,Petrenko,Aleksandr,2014-03-12,F,Mariupol\n"
    "C-2,Boiko,Anna,2015-03,M,Kherson\n"
    "C-3,Kovalenko,Dmytro,2013-06-05,M,Berdiansk\n"
)
"""Found children against FAMILY_LIST: the model sends F-1/C-1 and F-2/C-2 to review
(the sexes differ) and links F-3/C-3 on its own."""


def link_and_open_cases(store: Store, tmp_path: Path) -> None:
    """Import REVIEW_FOUND, link it with the store (the real matcher) and open the cases
    of the reported children, as ``kinlink import`` does."""
    path = tmp_path / "review-found.csv"
    path.write_text(REVIEW_FOUND, encoding="utf-8")
    import_file(store, ImportRequest(path=path, imported_by="test",
                                     kind=SourceKind.ADOPTION_REGISTRY))
    match_store(store, actor="test")
    open_missing_cases(store, Actor("test", UserRole.SUPERVISOR))


def app_with_cases(tmp_path: Path, family_list: str) -> Iterator[FastAPI]:
    """A web application on a new SQLite store holding ``family_list`` (a family-reports
    CSV) with a case opened for each reported child; shut down after use (a fixture's
    body: ``yield from app_with_cases(tmp_path, LIST)``)."""
    app = create_app(Settings(data_dir=tmp_path / "data", database_url=None,
                              cookie_secure=False))
    path = tmp_path / "family.csv"
    path.write_text(family_list, encoding="utf-8")
    store = app.state.services.store
    import_file(store, ImportRequest(path=path, imported_by="test",
                                     kind=SourceKind.FAMILY_REPORTS))
    open_missing_cases(store, Actor("test", UserRole.SUPERVISOR, 1))
    yield app
    app.state.services.jobs.shutdown()
    store.dispose()


class FakeClock:
    """Now, movable: ``clock.advance(minutes=31)``."""

    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@dataclass
class Person:
    """A signed-in person: their client (cookie jar), CSRF token and secrets."""

    client: TestClient
    username: str
    password: str
    secret: str
    csrf: str
    user_id: int
    role: UserRole

    @property
    def headers(self) -> dict[str, str]:
        """The header state-changing API calls need."""
        return {"X-CSRF-Token": self.csrf}



def upload_on_page(person: Person, files: dict[str, Any], data: dict[str, str]) -> str:
    """Upload a list on the Imports page, import it from its preview as it stands and
    return the job page's path."""
    sent = person.client.post("/imports", follow_redirects=False, files=files,
                              data={"csrf_token": person.csrf, **data})
    assert sent.status_code == 303, sent.text
    preview = str(sent.headers["location"])
    assert preview.startswith("/imports/preview/"), preview
    assert person.client.get(preview).status_code == 200
    done = person.client.post(preview, follow_redirects=False,
                              data={"csrf_token": person.csrf})
    assert done.status_code == 303, done.text
    return str(done.headers["location"])


def served_routes(app: FastAPI) -> Iterator[tuple[str, str, APIRoute]]:
    """(method, path, route) of every route the app serves, however FastAPI nests the
    routers it includes (FastAPI 0.165 keeps them inside ``_IncludedRouter`` entries of
    ``app.routes``, where a loop over ``app.routes`` alone finds no route at all)."""

    def walk(routes: Any) -> Iterator[tuple[str, APIRoute]]:
        included = getattr(routing, "_IncludedRouter", None)
        for route in routes:
            if included is not None and isinstance(route, included):
                yield from walk(route.effective_candidates())
            elif isinstance(route, APIRoute):
                yield route.path, route
            elif isinstance(getattr(route, "original_route", None), APIRoute):
                yield route.path, route.original_route

    for path, route in walk(app.routes):
        for method in sorted(route.methods - {"HEAD"}):
            yield method, path, route


def own_password() -> str:
    """A password a person might choose that the policy accepts (long and random)."""
    return f"own-{secrets.token_urlsafe(18)}"


def change_generated_password(client: TestClient, csrf: str, generated: str) -> str:
    """What a person does first after signing in with a generated password: choose their
    own (through the API). Returns the new password."""
    new = own_password()
    changed = client.post("/api/v1/me/password", json={"current": generated, "new": new},
                          headers={"X-CSRF-Token": csrf})
    assert changed.status_code == 204, changed.text
    return new


SignIn = Callable[..., Person]
Seed = Callable[..., int]


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


class LiveServer:
    """The app served by uvicorn on a free port of 127.0.0.1, in a thread."""

    def __init__(self, app: object) -> None:
        import socket
        import threading

        import uvicorn

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                access_log=False, lifespan="off")  # type: ignore[arg-type]
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        import time

        self._thread.start()
        for _ in range(200):
            if self._server.started:
                return self
            time.sleep(0.05)
        raise RuntimeError("the test server did not start")

    def __exit__(self, *_exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)


def sign_in_page(page: Page, base: str, username: str, password: str, secret: str) -> str:
    """Sign in through the pages in a browser: password, then the second factor, then
    (a generated password) choosing one's own on the account page. Checks the person
    lands where kinlink sends them — their work on the dashboard if the navigation
    offers "My tasks" (they work cases), else the search page — after the forced change
    as after an ordinary sign-in; then goes on to the search page (where the callers
    start) and returns the password now in force."""
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit] >> text=/Next|Далі/")
    expect(page).to_have_url(re.compile(r"/login/second-factor$"))
    page.fill("#code", pyotp.TOTP(secret).now())
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/(search|account|dashboard)$"))
    if page.url.endswith("/account"):
        new = own_password()
        page.fill("#current", password)
        page.fill("#new", new)
        page.click("form[action='/account/password'] button[type=submit]")
        password = new
        expect(page).to_have_url(re.compile(r"/(search|dashboard)$"))
    works_cases = page.locator("nav a[href='/tasks']").count() > 0
    expect(page).to_have_url(re.compile(r"/dashboard$" if works_cases else r"/search$"))
    if works_cases:
        page.goto(f"{base}/search")
    return password


def signed_in_worker(app: FastAPI, username: str) -> Person:
    """A new case worker of the home agency, signed in through the API with the real clock
    and their own password (for apps a test builds itself, outside the ``sign_in``
    fixture's)."""
    made = app.state.services.admin.create_user("test", username, UserRole.CASE_WORKER, 1,
                                                "en", with_second_factor=True)
    client = TestClient(app)
    first = client.post("/api/v1/auth/login",
                        json={"username": username, "password": made.password})
    second = client.post("/api/v1/auth/second-factor",
                         json={"code": pyotp.TOTP(made.totp_secret).now()},
                         headers={"X-CSRF-Token": first.json()["csrf_token"]})
    assert second.status_code == 200, second.text
    csrf = second.json()["csrf_token"]
    own = change_generated_password(client, csrf, made.password or "")
    return Person(client, username, own, made.totp_secret or "", csrf, made.user.id,
                  UserRole.CASE_WORKER)
