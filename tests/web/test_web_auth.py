"""Sign-in with the second factor, failures that neither lock nor end sessions, sessions
and their timeouts, logout, CSRF, cookies and security headers (security.md
AUTH-01/04/05, SESS-01/02/03, INP-06). Throttling itself: test_web_throttle.py."""

from __future__ import annotations

import re

import pyotp
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from webhelpers import FakeClock, SignIn, change_generated_password, own_password

from kinlink.domain.users import UserRole
from kinlink.storage.tables import AuditEventRow


def _events(app: FastAPI, action: str) -> list[AuditEventRow]:
    with app.state.services.store.transaction() as session:
        return list(session.execute(select(AuditEventRow)
                                    .where(AuditEventRow.action == action)).scalars())


def _new_user(app: FastAPI, role: UserRole = UserRole.CASE_WORKER, *, totp: bool = True,
              name: str = "olena") -> tuple[str, str | None]:
    made = app.state.services.admin.create_user("test", name, role, 1, "en",
                                                with_second_factor=totp)
    assert made.password is not None
    return made.password, made.totp_secret


def test_password_then_code_signs_in_and_a_replayed_code_is_refused(
        app: FastAPI, clock: FakeClock) -> None:
    password, secret = _new_user(app)
    assert secret is not None
    client = TestClient(app)
    first = client.post("/api/v1/auth/login", json={"username": "Olena", "password": password})
    assert first.json()["stage"] == "second_factor"
    assert client.get("/api/v1/me").status_code == 401  # half a session reaches nothing
    code = pyotp.TOTP(secret).at(clock())
    headers = {"X-CSRF-Token": first.json()["csrf_token"]}
    second = client.post("/api/v1/auth/second-factor", json={"code": code}, headers=headers)
    assert second.status_code == 200
    assert second.json()["stage"] == "change_password"
    own = change_generated_password(client, second.json()["csrf_token"], password)
    me = client.get("/api/v1/me").json()
    assert (me["username"], me["role"]) == ("olena", "case_worker")
    assert me["csrf_token"] == second.json()["csrf_token"] != headers["X-CSRF-Token"]
    again = TestClient(app)
    login = again.post("/api/v1/auth/login", json={"username": "olena", "password": own})
    replay = again.post("/api/v1/auth/second-factor", json={"code": code},
                        headers={"X-CSRF-Token": login.json()["csrf_token"]})
    assert replay.status_code == 401
    assert replay.json()["error"]["code"] == "second_factor_failed"


def test_failures_say_nothing_about_why(app: FastAPI) -> None:
    _new_user(app)
    client = TestClient(app)
    unknown = client.post("/api/v1/auth/login", json={"username": "nobody", "password": "x"})
    wrong = client.post("/api/v1/auth/login", json={"username": "olena", "password": "x"})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()
    assert {e.details["reason"] for e in _events(app, "auth.failed")} == {"unknown_user",
                                                                          "password"}


def test_a_stranger_s_five_wrong_passwords_neither_lock_nor_end_a_session(
        app: FastAPI, sign_in: SignIn, clock: FakeClock) -> None:
    """The drill's repro: five wrong passwords for a known name, with no session."""
    person = sign_in(UserRole.ADMIN)
    stranger = TestClient(app, client=("203.0.113.9", 40000))
    for _ in range(5):
        failed = stranger.post("/api/v1/auth/login",
                               json={"username": person.username, "password": "wrong"})
        assert failed.status_code == 401
    assert person.client.get("/api/v1/me").status_code == 200  # still signed in
    assert person.client.get("/api/v1/admin/users").status_code == 200
    assert _events(app, "auth.locked") == []
    assert not [e for e in _events(app, "auth.session_ended")
                if e.entity_id == str(person.user_id)]
    throttled = _events(app, "auth.throttled")
    assert [(e.details["scope"], e.details["failures"], e.details["seconds"])
            for e in throttled] == [("account", 5, 2)]
    clock.advance(seconds=2)
    again = TestClient(app)
    assert again.post("/api/v1/auth/login", json={
        "username": person.username, "password": person.password}).status_code == 200


def test_an_administrator_sees_the_failures_and_clears_them(
        app: FastAPI, sign_in: SignIn, clock: FakeClock) -> None:
    password, _ = _new_user(app)
    admin = sign_in(UserRole.ADMIN)
    client = TestClient(app, client=("198.51.100.7", 40000))
    for _ in range(7):
        clock.advance(minutes=1)  # past each wait: every attempt is looked at
        failed = client.post("/api/v1/auth/login", json={"username": "olena",
                                                         "password": "wrong"})
        assert failed.status_code == 401
    user_id = app.state.services.admin.user_id_named("olena")
    seen = admin.client.get(f"/api/v1/admin/users/{user_id}").json()
    assert seen["failed_sign_ins"] == 7
    assert seen["throttled_until"]
    listed = {u["username"]: u for u in admin.client.get("/api/v1/admin/users").json()}
    assert listed["olena"]["failed_sign_ins"] == 7
    assert listed[admin.username]["failed_sign_ins"] == 0
    page = admin.client.get("/admin/users")
    assert "throttled until" in page.text
    assert client.post("/api/v1/auth/login", json={
        "username": "olena", "password": password}).status_code == 429
    cleared = admin.client.post(f"/api/v1/admin/users/{user_id}/unlock", headers=admin.headers)
    assert cleared.status_code == 200
    assert (cleared.json()["failed_sign_ins"], cleared.json()["throttled_until"]) == (0, None)
    assert client.post("/api/v1/auth/login",
                       json={"username": "olena", "password": password}).status_code == 200


def test_first_sign_in_sets_up_the_second_factor(app: FastAPI, clock: FakeClock) -> None:
    password, secret = _new_user(app, totp=False)
    assert secret is None
    client = TestClient(app)
    login = client.post("/api/v1/auth/login", json={"username": "olena", "password": password})
    assert login.json()["stage"] == "enrol"
    enrolment = client.get("/api/v1/auth/enrolment").json()
    assert enrolment["otpauth_uri"].startswith("otpauth://totp/kinlink:olena?secret=")
    code = pyotp.TOTP(enrolment["secret"]).at(clock())
    done = client.post("/api/v1/auth/enrolment", json={"code": code},
                       headers={"X-CSRF-Token": login.json()["csrf_token"]})
    assert done.status_code == 200
    assert done.json()["stage"] == "change_password"
    change_generated_password(client, done.json()["csrf_token"], password)
    assert client.get("/api/v1/me").status_code == 200
    assert client.get("/api/v1/auth/enrolment").status_code == 401  # never shown again


def test_the_sign_in_pages_work_without_javascript(app: FastAPI, clock: FakeClock) -> None:
    password, secret = _new_user(app)
    assert secret is not None
    client = TestClient(app)
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    stale = client.post("/login", data={"username": "olena", "password": password,
                                        "csrf_token": "forged"})
    assert stale.status_code == 403
    sent = client.post("/login", data={"username": "olena", "password": password,
                                       "csrf_token": token.group(1)}, follow_redirects=False)
    assert sent.headers["location"] == "/login/second-factor"
    assert client.get("/search", follow_redirects=False).headers["location"] == \
        "/login/second-factor"
    factor = client.get("/login/second-factor")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', factor.text)
    assert csrf is not None
    done = client.post("/login/second-factor", follow_redirects=False,
                       data={"code": pyotp.TOTP(secret).at(clock()), "csrf_token": csrf.group(1)})
    assert done.headers["location"] == "/account"  # a generated password: choose one first
    assert client.get("/search", follow_redirects=False).headers["location"] == "/account"
    account = client.get("/account")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', account.text)
    assert csrf is not None
    changed = client.post("/account/password", follow_redirects=False, data={
        "current": password, "new": own_password(), "csrf_token": csrf.group(1)})
    assert changed.headers["location"] == "/dashboard"  # a case worker: to their work
    assert client.get("/search").status_code == 200


def test_idle_and_absolute_timeouts(app: FastAPI, sign_in: SignIn, clock: FakeClock) -> None:
    person = sign_in(UserRole.CASE_WORKER)
    clock.advance(minutes=29)
    assert person.client.get("/api/v1/me").status_code == 200
    clock.advance(minutes=31)
    assert person.client.get("/api/v1/me").status_code == 401
    assert _events(app, "auth.session_ended")[-1].details == {"reason": "idle"}
    busy = sign_in(UserRole.CASE_WORKER)
    for _ in range(12 * 3):
        clock.advance(minutes=20)
        assert busy.client.get("/api/v1/me").status_code == 200
    clock.advance(minutes=1)
    assert busy.client.get("/api/v1/me").status_code == 401


def test_logout_ends_the_session_on_the_server(app: FastAPI, sign_in: SignIn) -> None:
    person = sign_in(UserRole.VIEWER)
    token = person.client.cookies.get("kinlink")
    assert token
    assert person.client.post("/api/v1/auth/logout", headers=person.headers).status_code == 204
    thief = TestClient(app, cookies={"kinlink": token})
    assert thief.get("/api/v1/me").status_code == 401


def test_a_new_sign_in_ends_the_older_session(app: FastAPI, clock: FakeClock) -> None:
    password, secret = _new_user(app)
    assert secret is not None
    clients = [TestClient(app), TestClient(app)]
    for number, client in enumerate(clients):
        login = client.post("/api/v1/auth/login", json={"username": "olena",
                                                        "password": password})
        clock.advance(seconds=30 * number)
        client.post("/api/v1/auth/second-factor", json={"code": pyotp.TOTP(secret).at(clock())},
                    headers={"X-CSRF-Token": login.json()["csrf_token"]})
    assert clients[0].get("/api/v1/me").status_code == 401
    assert clients[1].get("/api/v1/me").json()["error"]["code"] == "password_change_required"


def test_disabling_or_a_new_role_applies_at_the_next_request(
        app: FastAPI, sign_in: SignIn) -> None:
    admin = sign_in(UserRole.ADMIN)
    worker = sign_in(UserRole.CASE_WORKER)
    assert worker.client.get("/api/v1/imports").status_code == 200
    admin.client.patch(f"/api/v1/admin/users/{worker.user_id}", json={"role": "viewer"},
                       headers=admin.headers)
    assert worker.client.get("/api/v1/imports").status_code == 401  # sessions were ended
    other = sign_in(UserRole.CASE_WORKER)
    admin.client.patch(f"/api/v1/admin/users/{other.user_id}", json={"disabled": True},
                       headers=admin.headers)
    assert other.client.get("/api/v1/me").status_code == 401


def test_state_changes_need_the_csrf_token(app: FastAPI, sign_in: SignIn) -> None:
    person = sign_in(UserRole.ADMIN)
    body = {"name": "Another agency"}
    assert person.client.post("/api/v1/admin/agencies", json=body).status_code == 403
    assert person.client.post("/api/v1/admin/agencies", json=body,
                              headers={"X-CSRF-Token": "guess"}).status_code == 403
    assert len(_events(app, "access.csrf_refused")) == 2
    cross = person.client.post("/api/v1/admin/agencies", json=body,
                               headers={**person.headers, "Origin": "https://evil.example"})
    assert cross.status_code == 403
    form = person.client.post("/admin/agencies", data={"name": "Another agency"})
    assert form.status_code == 403
    assert person.client.post("/api/v1/admin/agencies", json=body,
                              headers=person.headers).status_code == 201


def test_cookies_and_security_headers(app: FastAPI, web_settings: object) -> None:
    password, _ = _new_user(app)
    client = TestClient(app)
    answer = client.post("/api/v1/auth/login", json={"username": "olena", "password": password})
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    page = client.get("/login")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "unsafe-inline" not in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["cache-control"] == "no-store"
    assert client.get("/static/kinlink.css").headers["cache-control"] != "no-store"


@pytest.mark.parametrize("secure", [True])
def test_secure_cookies_by_default(settings: object, secure: bool) -> None:
    from kinlink.config import Settings
    from kinlink.server import create_app

    assert isinstance(settings, Settings)
    app = create_app(settings)
    try:
        made = app.state.services.admin.create_user("test", "olena", UserRole.VIEWER, 1)
        client = TestClient(app, base_url="https://testserver")
        answer = client.post("/api/v1/auth/login",
                             json={"username": "olena", "password": made.password})
        cookie = answer.headers["set-cookie"]
        assert cookie.startswith("__Host-kinlink=")
        assert "Secure" in cookie
        assert "strict-transport-security" in answer.headers
    finally:
        app.state.services.store.dispose()
