"""A generated password must be changed at the first sign-in (issue 13): after password
and second factor the session can do nothing but change it or sign out; a reset
password likewise; the refusal of a weak new one says why, in English and Ukrainian.
The browser walk is in test_web_browser.py."""

from __future__ import annotations

import re

import pyotp
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from webhelpers import FakeClock, SignIn, own_password

from kinlink.domain.users import UserRole
from kinlink.storage.tables import AuditEventRow


def _signed_in_with_generated(app: FastAPI, clock: FakeClock, password: str, secret: str,
                              username: str = "mykola") -> tuple[TestClient, str]:
    client = TestClient(app)
    login = client.post("/api/v1/auth/login", json={"username": username,
                                                    "password": password})
    assert login.status_code == 200, login.text
    second = client.post("/api/v1/auth/second-factor",
                         json={"code": pyotp.TOTP(secret).at(clock())},
                         headers={"X-CSRF-Token": login.json()["csrf_token"]})
    assert second.status_code == 200, second.text
    assert second.json()["stage"] == "change_password"
    return client, second.json()["csrf_token"]


def test_a_new_account_can_only_change_its_password_or_sign_out_first(
        app: FastAPI, sign_in: SignIn, clock: FakeClock) -> None:
    admin = sign_in(UserRole.ADMIN)
    made = admin.client.post("/api/v1/admin/users", headers=admin.headers, json={
        "username": "mykola", "role": "case_worker", "agency_id": 1}).json()
    assert made["user"]["must_change_password"] is True
    user_id = made["user"]["id"]
    app.state.services.admin.reset_second_factor("test", user_id)
    client = TestClient(app)
    login = client.post("/api/v1/auth/login", json={"username": "mykola",
                                                    "password": made["password"]})
    enrolment = client.get("/api/v1/auth/enrolment").json()
    done = client.post("/api/v1/auth/enrolment",
                       json={"code": pyotp.TOTP(enrolment["secret"]).at(clock())},
                       headers={"X-CSRF-Token": login.json()["csrf_token"]})
    assert done.json()["stage"] == "change_password"
    headers = {"X-CSRF-Token": done.json()["csrf_token"]}
    for method, path in (("GET", "/api/v1/me"), ("GET", "/api/v1/records/search?q=x"),
                         ("GET", "/api/v1/imports"), ("GET", "/api/v1/cases"),
                         ("PUT", "/api/v1/me/language")):
        refused = client.request(method, path, headers=headers, json={"language": "en"})
        assert refused.status_code == 403, path
        assert refused.json()["error"] == {
            "code": "password_change_required",
            "message": "you signed in with a password kinlink made for you; choose your own "
                       "password first (POST /api/v1/me/password, or the page Your account)"}
    weak = client.post("/api/v1/me/password", headers=headers,
                       json={"current": made["password"], "new": "123456789012"})
    assert (weak.status_code, weak.json()["error"]["code"]) == (422, "password_sequence")
    same = client.post("/api/v1/me/password", headers=headers,
                       json={"current": made["password"], "new": made["password"]})
    assert same.json()["error"]["code"] == "password_unchanged"
    own = own_password()
    assert client.post("/api/v1/me/password", headers=headers, json={
        "current": made["password"], "new": own}).status_code == 204
    assert client.get("/api/v1/me").status_code == 200
    assert client.get("/api/v1/imports").status_code == 200
    seen = admin.client.get(f"/api/v1/admin/users/{user_id}").json()
    assert seen["must_change_password"] is False
    with app.state.services.store.transaction() as session:
        refusals = session.execute(select(AuditEventRow.details).where(
            AuditEventRow.action == "user.password_change_refused")).scalars().all()
    assert refusals == [{"rule": "password_sequence"}, {"rule": "password_unchanged"}]


def test_signing_out_works_before_the_change_and_the_mark_stays(
        app: FastAPI, clock: FakeClock) -> None:
    made = app.state.services.admin.create_user("test", "mykola", UserRole.VIEWER, 1, "en",
                                                with_second_factor=True)
    client, csrf = _signed_in_with_generated(app, clock, made.password or "",
                                             made.totp_secret or "")
    assert client.post("/api/v1/auth/logout",
                       headers={"X-CSRF-Token": csrf}).status_code == 204
    clock.advance(seconds=30)
    again, _ = _signed_in_with_generated(app, clock, made.password or "",
                                         made.totp_secret or "")
    assert again.get("/api/v1/me").status_code == 403


def test_a_reset_password_must_be_changed_too(app: FastAPI, sign_in: SignIn,
                                              clock: FakeClock) -> None:
    person = sign_in(UserRole.CASE_WORKER)
    assert person.client.get("/api/v1/me").status_code == 200
    admin = sign_in(UserRole.ADMIN)
    reset = admin.client.post(f"/api/v1/admin/users/{person.user_id}/reset-password",
                              headers=admin.headers).json()
    assert reset["user"]["must_change_password"] is True
    assert person.client.get("/api/v1/me").status_code == 401  # the reset ended it
    clock.advance(seconds=30)
    client, _ = _signed_in_with_generated(app, clock, reset["password"], person.secret,
                                          username=person.username)
    assert client.get("/api/v1/cases").json()["error"]["code"] == "password_change_required"


def test_pages_lead_to_the_account_page_and_say_why_a_password_is_refused(
        app: FastAPI, clock: FakeClock) -> None:
    made = app.state.services.admin.create_user("test", "mykola", UserRole.CASE_WORKER, 1,
                                                "uk", with_second_factor=True)
    client, _ = _signed_in_with_generated(app, clock, made.password or "",
                                          made.totp_secret or "")
    for path in ("/search", "/cases", "/imports", "/dashboard"):
        moved = client.get(path, follow_redirects=False)
        assert (moved.status_code, moved.headers["location"]) == (303, "/account"), path
    page = client.get("/account")
    assert "Оберіть власний пароль зараз" in page.text
    assert 'href="/search"' not in page.text  # no navigation until it is changed
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf is not None
    for new, words in (("123456789012", "послідовність літер, цифр або сусідніх клавіш"),
                       ("mykola-mykola-2024", "не повинен містити ваше ім’я користувача"),
                       ("iloveyou2024", "загальновідомих паролів"),
                       ("aaaaaaaaaaaaaaa", "пароль повторюється")):
        refused = client.post("/account/password", data={
            "current": made.password, "new": new, "csrf_token": csrf.group(1)})
        assert refused.status_code == 422
        assert words in refused.text, new
    switched = client.post("/account/language", follow_redirects=False, data={
        "language": "en", "back": "/account", "csrf_token": csrf.group(1)})
    assert switched.headers["location"] == "/account"  # open before the change too
    english = client.post("/account/password", data={
        "current": made.password, "new": "zyxwvutsrqpo", "csrf_token": csrf.group(1)})
    assert "This password is a sequence of letters, digits or keys" in english.text
    done = client.post("/account/password", follow_redirects=False, data={
        "current": made.password, "new": own_password(), "csrf_token": csrf.group(1)})
    assert done.headers["location"] == "/dashboard"  # a case worker: to their work
    assert client.get("/dashboard").status_code == 200
    assert client.get("/search").status_code == 200


def test_after_the_forced_change_each_lands_where_signing_in_leads(
        app: FastAPI, clock: FakeClock) -> None:
    """Who works cases lands on the dashboard, as when signing in with their own
    password; who does not, on the search page — the forced change leads to the same
    page as an ordinary sign-in."""
    for name, role, home in (("kateryna", UserRole.SUPERVISOR, "/dashboard"),
                             ("andrii", UserRole.ANALYST, "/search"),
                             ("vira", UserRole.REVIEWER, "/search")):
        made = app.state.services.admin.create_user("test", name, role, 1, "en",
                                                    with_second_factor=True)
        client, csrf = _signed_in_with_generated(app, clock, made.password or "",
                                                 made.totp_secret or "", username=name)
        new = own_password()
        done = client.post("/account/password", follow_redirects=False, data={
            "current": made.password, "new": new, "csrf_token": csrf})
        assert (done.status_code, done.headers["location"]) == (303, home), name
        assert client.get(home).status_code == 200, name
        clock.advance(seconds=30)  # a fresh code for the sign-in again
        again = TestClient(app)
        page = again.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        again.post("/login", data={"username": name, "password": new,
                                   "csrf_token": token.group(1)})
        factor = re.search(r'name="csrf_token" value="([^"]+)"',
                           again.get("/login/second-factor").text)
        assert factor is not None
        signed = again.post("/login/second-factor", follow_redirects=False, data={
            "code": pyotp.TOTP(made.totp_secret or "").at(clock()),
            "csrf_token": factor.group(1)})
        assert signed.headers["location"] == home, name
        # The address of the site itself leads to the same page, and, signed out, to the
        # sign-in form.
        assert again.get("/", follow_redirects=False).headers["location"] == home, name
        assert TestClient(app).get("/", follow_redirects=False).headers["location"] == "/login"
