"""``POST /api/v1/records`` and its neighbours, and the pages behind them without a
browser: a Ukrainian report registered over the API and linked to the Russian list, 422
naming the fields, 409 for a stale correction, an earlier version read, consent
withdrawn, 404 for another agency's record; the register form shown again with what was
typed and each message by its field. On SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from sqlalchemy import select
from webhelpers import SignIn

from kinlink.domain.users import UserRole
from kinlink.storage.tables import AuditEventRow
from registerworld import REPORT_UK, import_found_list


def test_register_correct_version_and_withdraw_through_the_api(
        app: FastAPI, sign_in: SignIn, tmp_path: Path, second_agency: int) -> None:
    store = app.state.services.store
    found = import_found_list(store, tmp_path)
    worker = sign_in(UserRole.CASE_WORKER)
    api = worker.client

    refused = api.post("/api/v1/records", headers=worker.headers, json={
        "role": "sought", "fields": {"surname": "Коваленко", "birth_date": "2015-14"}})
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert set(error["fields"]) == {"birth_date", "reporter_name"}
    assert "month 14 does not exist" in error["fields"]["birth_date"]

    made = api.post("/api/v1/records", headers=worker.headers, json={
        "role": "sought", "fields": {**REPORT_UK, "birth_date": "2011"}, "channel": "hotline",
        "language": "uk", "consent": {"tracing": True, "channels": [], "contact": True}})
    assert made.status_code == 201, made.text
    pk = made.json()["record_pk"]
    assert made.json()["cases_opened"] == 1
    child = api.get(f"/api/v1/children/{pk}")
    assert child.status_code == 200

    fixed = api.post(f"/api/v1/records/{pk}/corrections", headers=worker.headers, json={
        "fields": {"birth_date": "12.03.2015"}, "reason": "certificate", "expected_version": 1})
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["version"] == 2
    assert fixed.json()["changed"] == ["birth_date"]
    stale = api.post(f"/api/v1/records/{pk}/corrections", headers=worker.headers, json={
        "fields": {"sex": "ж"}, "reason": "typo", "expected_version": 1})
    assert stale.status_code == 409
    assert "corrected by someone else" in stale.json()["error"]["message"]
    bad = api.post(f"/api/v1/records/{pk}/corrections", headers=worker.headers, json={
        "fields": {"birth_date": "30.02.2015"}, "reason": "x", "expected_version": 2})
    assert bad.status_code == 422
    assert list(bad.json()["error"]["fields"]) == ["birth_date"]
    earlier = api.get(f"/api/v1/records/{pk}/versions/1")
    assert earlier.status_code == 200
    assert earlier.json()["fields"]["birth_date"] == "2011"
    assert earlier.json()["reason"] == "certificate"
    assert api.get(f"/api/v1/records/{pk}/versions/5").status_code == 404

    stranger = sign_in(UserRole.CASE_WORKER, second_agency)
    for method, path, body in (
            ("GET", f"/api/v1/records/{pk}/versions/1", None),
            ("POST", f"/api/v1/records/{pk}/corrections",
             {"fields": {"sex": "ж"}, "reason": "x", "expected_version": 2}),
            ("POST", f"/api/v1/records/{pk}/consent/withdrawal", {"reason": "x"})):
        answer = stranger.client.request(method, path, json=body, headers=stranger.headers)
        assert answer.status_code == 404, (path, answer.text)

    withdrawn = api.post(f"/api/v1/records/{pk}/consent/withdrawal", headers=worker.headers,
                         json={"reason": "the mother asked"})
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["withdrawn_by"] == worker.username
    again = api.post(f"/api/v1/records/{pk}/consent/withdrawal", headers=worker.headers,
                     json={"reason": "again"})
    assert again.status_code == 409
    page = api.get(f"/records/{pk}")
    assert "the mother asked" in page.text
    assert f"/records/{pk}/versions/1" in page.text
    with store.transaction() as session:
        actions = list(session.execute(select(AuditEventRow.action, AuditEventRow.details)
                                       .where(AuditEventRow.entity_id == str(pk))))
    names = [a for a, _ in actions]
    for wanted in ("record.registered", "record.corrected", "record.version_read",
                   "consent.withdrawn"):
        assert wanted in names
    assert all("Коваленко" not in str(d) and "certificate" not in str(d) for _, d in actions)
    assert found


def test_the_register_page_keeps_what_was_typed_and_names_each_field(
        app: FastAPI, sign_in: SignIn) -> None:
    worker = sign_in(UserRole.CASE_WORKER)
    form = worker.client.get("/records/new")
    assert form.status_code == 200
    assert 'name="reporter_name"' in form.text
    sent = worker.client.post("/records/new", data={
        "csrf_token": worker.csrf, "role": "sought", "surname": "Коваленко",
        "given_name": "Олександр", "birth_date": "31.02.2015", "tracing": "on",
        "channel": "hotline"}, follow_redirects=False)
    assert sent.status_code == 422
    assert 'value="Коваленко"' in sent.text
    assert 'id="e-birth_date"' in sent.text
    assert 'id="e-reporter_name"' in sent.text
    viewer = sign_in(UserRole.VIEWER)
    assert "/records/new" not in viewer.client.get("/search").text
    assert 'href="/records/new"' in worker.client.get("/search").text
