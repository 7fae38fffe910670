"""Sign-in throttling (issue 13): failures make later attempts wait, per account and per
client address, with 429 and ``Retry-After``; during a wait the password or code is not
looked at; the right one after the wait works; nobody is locked out or signed out.

Addresses are the test client's (``TestClient(app, client=(address, port))``); the
clock is the app's injectable one, moved past each wait.
"""

from __future__ import annotations

import re

import pyotp
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from webhelpers import FakeClock, SignIn

from kinlink.domain.users import UserRole
from kinlink.storage.tables import AuditEventRow
from kinlink.storage.web_tables import SignInThrottleRow

WRONG = "Wrong-guess-4711"


def _events(app: FastAPI, prefix: str) -> list[AuditEventRow]:
    with app.state.services.store.transaction() as session:
        return [e for e in session.execute(select(AuditEventRow).order_by(AuditEventRow.id))
                .scalars() if e.action.startswith(prefix)]


def _user(app: FastAPI, name: str = "olena") -> tuple[str, str]:
    made = app.state.services.admin.create_user("test", name, UserRole.CASE_WORKER, 1, "en",
                                                with_second_factor=True)
    return made.password or "", made.totp_secret or ""


def _client(app: FastAPI, address: str) -> TestClient:
    return TestClient(app, client=(address, 40000))


def test_after_five_failures_an_account_waits_and_the_password_is_not_checked(
        app: FastAPI, clock: FakeClock) -> None:
    password, _ = _user(app)
    client = _client(app, "192.0.2.10")
    for _ in range(5):
        assert client.post("/api/v1/auth/login", json={
            "username": "olena", "password": WRONG}).status_code == 401
    refused = client.post("/api/v1/auth/login", json={"username": "olena",
                                                      "password": password})
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "2"
    assert refused.json()["error"]["code"] == "sign_in_throttled"
    assert "wait 2 seconds" in refused.json()["error"]["message"]
    assert "not checked" in refused.json()["error"]["message"]
    assert _events(app, "auth.password_ok") == []  # the right password was not looked at
    clock.advance(seconds=1)
    still = client.post("/api/v1/auth/login", json={"username": "olena", "password": password})
    assert (still.status_code, still.headers["retry-after"]) == (429, "1")
    assert len(_events(app, "auth.refused_throttled")) == 1  # the first of the wait only
    clock.advance(seconds=1)
    assert client.post("/api/v1/auth/login", json={
        "username": "olena", "password": password}).status_code == 200


def test_each_failure_after_the_free_ones_doubles_the_wait_up_to_a_cap(
        app: FastAPI, clock: FakeClock) -> None:
    _user(app)
    waits = []
    for attempt in range(16):
        client = _client(app, f"192.0.2.{attempt + 1}")  # new addresses: the account counts
        assert client.post("/api/v1/auth/login", json={
            "username": "olena", "password": WRONG}).status_code == 401
        probe = client.post("/api/v1/auth/login", json={"username": "olena",
                                                        "password": WRONG})
        if probe.status_code == 401:  # no wait yet: the probe was a failure of its own
            waits.append(0)
            continue
        assert probe.status_code == 429
        waits.append(int(probe.headers["retry-after"]))
        clock.advance(seconds=waits[-1])
    assert waits == [0, 0, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900, 900]
    details = [e.details for e in _events(app, "auth.throttled")]
    assert {d["scope"] for d in details} == {"account"}
    assert [d["seconds"] for d in details][:6] == [2, 4, 8, 16, 32, 64]
    assert details[-1] == {"scope": "account", "failures": 18, "seconds": 900}


def test_one_address_trying_many_names_waits_and_other_addresses_do_not(
        app: FastAPI, clock: FakeClock) -> None:
    password, _ = _user(app)
    sprayer = _client(app, "2001:db8:1:2::10")
    for number in range(20):
        assert sprayer.post("/api/v1/auth/login", json={
            "username": f"guess-{number}", "password": WRONG}).status_code == 401
    same_network = _client(app, "2001:db8:1:2::99")  # the same /64
    refused = same_network.post("/api/v1/auth/login", json={"username": "olena",
                                                            "password": password})
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "2"
    assert _events(app, "auth.refused_throttled")[-1].details == {"scope": "address",
                                                                   "seconds": 2}
    elsewhere = _client(app, "2001:db8:9:9::10")
    assert elsewhere.post("/api/v1/auth/login", json={
        "username": "olena", "password": password}).status_code == 200
    clock.advance(seconds=2)
    assert same_network.post("/api/v1/auth/login", json={
        "username": "olena", "password": password}).status_code == 200


def test_unknown_names_wait_like_real_ones(app: FastAPI) -> None:
    _user(app)
    answers = {}
    for name in ("olena", "nobody-here"):
        client = _client(app, "192.0.2.50" if name == "olena" else "192.0.2.51")
        for _ in range(5):
            client.post("/api/v1/auth/login", json={"username": name, "password": WRONG})
        sixth = client.post("/api/v1/auth/login", json={"username": name, "password": WRONG})
        answers[name] = (sixth.status_code, sixth.headers.get("retry-after"), sixth.json())
    assert answers["olena"] == answers["nobody-here"]  # a wait tells no name exists


def test_the_second_factor_waits_too_and_the_code_is_not_checked(
        app: FastAPI, clock: FakeClock) -> None:
    password, secret = _user(app)
    client = _client(app, "192.0.2.60")
    login = client.post("/api/v1/auth/login", json={"username": "olena", "password": password})
    headers = {"X-CSRF-Token": login.json()["csrf_token"]}
    for _ in range(5):
        wrong = client.post("/api/v1/auth/second-factor", json={"code": "000000"},
                            headers=headers)
        assert wrong.status_code == 401
    right = pyotp.TOTP(secret).at(clock())
    refused = client.post("/api/v1/auth/second-factor", json={"code": right}, headers=headers)
    assert (refused.status_code, refused.headers["retry-after"]) == (429, "2")
    assert _events(app, "auth.signed_in") == []
    clock.advance(seconds=2)
    done = client.post("/api/v1/auth/second-factor", json={"code": right}, headers=headers)
    assert done.status_code == 200
    assert [e.details["reason"] for e in _events(app, "auth.failed")] == ["second_factor"] * 5


def test_a_full_sign_in_clears_the_counts_and_a_day_forgets_them(
        app: FastAPI, clock: FakeClock) -> None:
    password, secret = _user(app)
    client = _client(app, "192.0.2.70")
    for _ in range(4):
        client.post("/api/v1/auth/login", json={"username": "olena", "password": WRONG})
    login = client.post("/api/v1/auth/login", json={"username": "olena", "password": password})
    client.post("/api/v1/auth/second-factor", json={"code": pyotp.TOTP(secret).at(clock())},
                headers={"X-CSRF-Token": login.json()["csrf_token"]})
    with app.state.services.store.transaction() as session:
        assert session.execute(select(SignInThrottleRow)).scalars().all() == []
    other = _client(app, "192.0.2.71")
    for _ in range(4):
        other.post("/api/v1/auth/login", json={"username": "nobody", "password": WRONG})
    clock.advance(hours=25)
    other.post("/api/v1/auth/login", json={"username": "nobody", "password": WRONG})
    with app.state.services.store.transaction() as session:
        rows = session.execute(select(SignInThrottleRow)).scalars().all()
        assert sorted(r.failures for r in rows) == [1, 1]  # started again, not 5
        assert all(len(r.key) == 64 and "nobody" not in r.key for r in rows)


def test_no_password_or_address_reaches_the_audit_log(app: FastAPI) -> None:
    _user(app)
    client = _client(app, "203.0.113.77")
    for _ in range(8):
        client.post("/api/v1/auth/login", json={"username": "olena", "password": WRONG})
    events = _events(app, "auth.")
    assert {e.action for e in events} >= {"auth.failed", "auth.throttled",
                                          "auth.refused_throttled"}
    text = repr([(e.actor, e.entity_id, e.details) for e in events])
    assert WRONG not in text
    assert "203.0.113.77" not in text


def test_the_sign_in_page_says_how_long_to_wait_in_english_and_ukrainian(
        app: FastAPI, clock: FakeClock) -> None:
    _user(app)
    for language, words in (("en", "Too many failed sign-ins"),
                            ("uk", "Забагато невдалих спроб входу")):
        client = _client(app, f"192.0.2.{90 if language == 'en' else 91}")
        client.cookies.set("kinlink-lang", language)
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        answers = [client.post("/login", data={"username": "olena", "password": WRONG,
                                               "csrf_token": token.group(1)})
                   for _ in range(6)]
        assert [a.status_code for a in answers] == [401] * 5 + [429]
        assert answers[-1].headers["retry-after"] == "2"
        assert words in answers[-1].text
        clock.advance(minutes=1)
        app.state.services.admin.unlock("test", app.state.services.admin.user_id_named("olena"))


def test_a_signed_in_person_is_not_signed_out_by_others_failures(
        app: FastAPI, sign_in: SignIn, clock: FakeClock) -> None:
    person = sign_in(UserRole.CASE_WORKER)
    stranger = _client(app, "198.51.100.1")
    answers = []
    for _ in range(12):
        clock.advance(seconds=60)
        answers.append(stranger.post("/api/v1/auth/login", json={
            "username": person.username, "password": WRONG}).status_code)
        assert person.client.get("/api/v1/me").status_code == 200
    assert answers[:10] == [401] * 10  # a minute apart: looked at until waits pass a minute
    assert 429 in answers[10:]


def test_parallel_failures_are_all_counted_and_none_fails_the_server(app: FastAPI) -> None:
    """Failures at the same moment (threads; on PostgreSQL truly parallel) are counted
    once each by the atomic upsert, and no attempt ends in an error of the store."""
    from concurrent.futures import ThreadPoolExecutor

    from kinlink.errors import AuthenticationError, SignInThrottledError

    _user(app)
    accounts = app.state.services.accounts

    def attempt(number: int) -> str:
        try:
            accounts.sign_in("olena", WRONG, f"192.0.2.{200 + number}")
        except SignInThrottledError:
            return "waited"
        except AuthenticationError:
            return "failed"
        return "signed in"

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(attempt, range(10)))
    assert set(outcomes) <= {"failed", "waited"}
    with app.state.services.store.transaction() as session:
        rows = session.execute(select(SignInThrottleRow).where(
            SignInThrottleRow.scope == "account")).scalars().all()
    assert len(rows) == 1
    assert rows[0].failures == outcomes.count("failed") >= 5
    assert len(_events(app, "auth.failed")) == outcomes.count("failed")
