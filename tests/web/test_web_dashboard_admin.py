"""The dashboard's counts and charts; administration of users and agencies."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from webhelpers import FOUND_LIST, Seed, SignIn

from kinlink.domain.records import SourceKind
from kinlink.domain.users import UserRole
from kinlink.reports import oblast_of


@pytest.mark.parametrize(("place", "oblast"), [
    ("м. Маріуполь, Донецька обл.", "Донецька область"),
    ("Mariupol", "Донецька область"),
    ("г. Артёмовск", "Донецька область"),
    ("с. Невідоме, Херсонська обл.", "Херсонська область"),
    ("г. Москва", None),
    (None, None),
])
def test_oblast_of_a_birth_place(place: str | None, oblast: str | None) -> None:
    assert oblast_of(place) == oblast


def test_dashboard_counts_what_the_agency_sees(seed: Seed, sign_in: SignIn,
                                               second_agency: int) -> None:
    seed()
    seed(FOUND_LIST, "camp.csv", SourceKind.CAMP_LIST, agency_id=second_agency)
    person = sign_in(UserRole.VIEWER)
    data = person.client.get("/api/v1/dashboard").json()
    assert (data["records"], data["sources"]) == (3, 1)
    assert data["by_role"] == [{"label": "sought", "count": 3}]
    regions = {r["label"]: r["count"] for r in data["by_region"]}
    assert regions == {"Донецька область": 1, "Херсонська область": 1,
                       "Запорізька область": 1}
    page = person.client.get("/dashboard")
    assert page.text.count("<svg") >= 4
    assert "<script" not in page.text.split("</head>")[1]


def test_administration_of_users_and_agencies(app: FastAPI, sign_in: SignIn) -> None:
    admin = sign_in(UserRole.ADMIN)
    made = admin.client.post("/api/v1/admin/users", headers=admin.headers, json={
        "username": "Mykola.K", "role": "case_worker", "agency_id": 1})
    assert made.status_code == 201
    body = made.json()
    assert body["user"]["username"] == "mykola.k"
    assert len(body["password"]) >= 20
    assert body["user"]["second_factor"] is False
    read = admin.client.get(f"/api/v1/admin/users/{body['user']['id']}")
    assert body["password"] not in read.text
    assert "hash" not in read.text
    assert read.json()["must_change_password"] is True
    taken = admin.client.post("/api/v1/admin/users", headers=admin.headers, json={
        "username": "mykola.k", "role": "viewer", "agency_id": 1})
    assert taken.status_code == 409
    unknown = admin.client.post("/api/v1/admin/users", headers=admin.headers, json={
        "username": "ivan", "role": "viewer", "agency_id": 99})
    assert unknown.status_code == 404
    extra = admin.client.post("/api/v1/admin/users", headers=admin.headers, json={
        "username": "ivan", "role": "viewer", "agency_id": 1, "password": "mine"})
    assert extra.status_code == 422  # no mass assignment
    agency = admin.client.post("/api/v1/admin/agencies", headers=admin.headers,
                               json={"name": "Омбудсман, гаряча лінія"}).json()
    moved = admin.client.patch(f"/api/v1/admin/users/{body['user']['id']}",
                               headers=admin.headers, json={"agency_id": agency["id"]})
    assert moved.json()["agency"] == "Омбудсман, гаряча лінія"
    reset = admin.client.post(f"/api/v1/admin/users/{body['user']['id']}/reset-password",
                              headers=admin.headers)
    assert reset.json()["password"] != body["password"]


def test_the_last_administrator_stays(app: FastAPI, sign_in: SignIn) -> None:
    admin = sign_in(UserRole.ADMIN)
    demote = admin.client.patch(f"/api/v1/admin/users/{admin.user_id}",
                                headers=admin.headers, json={"role": "viewer"})
    assert demote.status_code == 409
    disable = admin.client.patch(f"/api/v1/admin/users/{admin.user_id}",
                                 headers=admin.headers, json={"disabled": True})
    assert disable.status_code == 409


def test_passwords_follow_the_policy(app: FastAPI, sign_in: SignIn) -> None:
    person = sign_in(UserRole.VIEWER)
    for new, code in (("short", "password_too_short"), ("passwordpassword", "password_repetitive"),
                      ("aaaaaaaaaaaa", "password_repetitive"),
                      ("123456789012", "password_sequence"), ("abcdefghijkl", "password_sequence"),
                      ("iloveyou2024", "password_common"),
                      (f"my name is {person.username}!", "password_has_username"),
                      ("Football fan!", "password_guessable"),
                      (person.password, "password_unchanged")):
        refused = person.client.post("/api/v1/me/password", headers=person.headers,
                                     json={"current": person.password, "new": new})
        assert refused.status_code == 422
        assert refused.json()["error"]["code"] == code
    wrong = person.client.post("/api/v1/me/password", headers=person.headers,
                               json={"current": "nope", "new": "a long enough phrase"})
    assert wrong.json()["error"]["code"] == "password_wrong"
    changed = person.client.post("/api/v1/me/password", headers=person.headers,
                                 json={"current": person.password,
                                       "new": "Довга фраза українською мовою про Карпати"})
    assert changed.status_code == 204
    assert person.client.get("/api/v1/me").status_code == 200  # this session stays


def test_admin_pages_show_a_new_password_once(app: FastAPI, sign_in: SignIn) -> None:
    admin = sign_in(UserRole.ADMIN)
    page = admin.client.post("/admin/users", data={
        "csrf_token": admin.csrf, "username": "oksana", "role": "supervisor",
        "agency_id": "1", "language": "uk"})
    assert page.status_code == 200
    assert 'id="password"' in page.text
    listing = admin.client.get("/admin/users")
    assert "oksana" in listing.text
    assert 'id="password"' not in listing.text


@pytest.mark.parametrize("wrong", [True, "2", 2.0, False])
def test_ids_and_flags_in_a_body_are_json_integers_and_booleans_only(
        app: FastAPI, sign_in: SignIn, wrong: object) -> None:
    admin = sign_in(UserRole.ADMIN)
    other = admin.client.post("/api/v1/admin/agencies", headers=admin.headers,
                              json={"name": "Друга агенція"}).json()
    assert other["id"] == 2  # so that "2" and 2.0 would name a real agency if taken
    worker = sign_in(UserRole.CASE_WORKER)
    address = f"/api/v1/admin/users/{worker.user_id}"
    moved = admin.client.patch(address, headers=admin.headers, json={"agency_id": wrong})
    assert moved.status_code == 422, moved.text
    assert moved.json()["error"]["message"] == "the input is not valid: agency_id"
    made = admin.client.post("/api/v1/admin/users", headers=admin.headers, json={
        "username": "ivan", "role": "viewer", "agency_id": wrong})
    assert made.status_code == 422
    boss = sign_in(UserRole.SUPERVISOR)
    shared = boss.client.post("/api/v1/sources/1/shares", headers=boss.headers,
                              json={"agency_id": wrong})
    assert shared.status_code == 422
    decided = boss.client.post("/api/v1/review/decisions", headers=boss.headers,
                               json={"a": wrong, "b": 1, "verdict": "unsure"})
    assert decided.status_code == 422
    moved_case = boss.client.post("/api/v1/cases/1/transitions", headers=boss.headers,
                                  json={"version": wrong, "target": "withdrawn",
                                        "reason": "x"})
    assert moved_case.status_code == 422
    flagged = admin.client.patch(address, headers=admin.headers,
                                 json={"disabled": 1 if wrong is True else "yes"})
    assert flagged.status_code == 422
    assert admin.client.get(address).json()["agency_id"] == 1
    # the same requests with real integers and booleans are taken
    assert admin.client.patch(address, headers=admin.headers,
                              json={"agency_id": 2, "disabled": True}).status_code == 200
