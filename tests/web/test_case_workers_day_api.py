"""Issue 15's done-means through the JSON API, on SQLite and PostgreSQL: the same day as
the browser walk (:mod:`test_case_workers_day_browser`) — the demo case worker registers
the mother's report, confirms its Russian candidate, takes the case, logs the call, sets a
task, corrects the birth date and finds the case by "Petrenko" on page 3 — and then, in
the same store, a report whose consent is withdrawn stays out of matching, review and
mediation lists."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, or_, select
from webhelpers import change_generated_password

from dayworld import BIRTH_DATE, LATIN, LISTS, REPORT, build_day, demo_worker
from kinlink.config import Settings
from kinlink.domain.records import SourceKind
from kinlink.domain.users import UserRole
from kinlink.ingest import ImportRequest
from kinlink.server import create_app
from kinlink.storage.linkage_tables import CandidatePairRow
from kinlink.usecases.importing import import_list

pytestmark = pytest.mark.slow


class Client:
    """A person signed in through the API, sending the CSRF header on every change."""

    def __init__(self, client: TestClient, username: str, password: str, secret: str) -> None:
        self.http = client
        first = client.post("/api/v1/auth/login",
                            json={"username": username, "password": password})
        assert first.status_code == 200, first.text
        second = client.post("/api/v1/auth/second-factor",
                             json={"code": pyotp.TOTP(secret).now()},
                             headers={"X-CSRF-Token": first.json()["csrf_token"]})
        assert second.status_code == 200, second.text
        assert second.json()["stage"] == "change_password"  # a generated password
        self.csrf = second.json()["csrf_token"]
        change_generated_password(client, self.csrf, password)

    def get(self, path: str, **params: Any) -> Any:
        answer = self.http.get(path, params=params)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def post(self, path: str, body: dict[str, Any] | None = None, status: int = 200) -> Any:
        answer = self.http.post(path, json=body or {}, headers={"X-CSRF-Token": self.csrf})
        assert answer.status_code == status, answer.text
        return answer.json()


def _registration(fields: dict[str, str]) -> dict[str, Any]:
    return {"role": "sought", "fields": fields, "channel": "hotline", "language": "uk",
            "consent": {"tracing": True, "contact": True, "channels": []}}


def test_the_demo_case_workers_day_and_a_withdrawn_consent_through_the_api(
        settings: Settings, tmp_path: Path) -> None:
    settings = settings.model_copy(update={"cookie_secure": False})
    settings, accounts = build_day(tmp_path, settings)
    app = create_app(settings)
    try:
        worker = Client(TestClient(app), *demo_worker(accounts))

        registered = worker.post("/api/v1/records", _registration(REPORT), 201)
        pk = registered["record_pk"]
        assert registered["cases_opened"] == 1
        waiting = worker.get("/api/v1/review/queue", record=pk)
        assert len(waiting) == 1
        pair = waiting[0]
        other = pair["high"] if pair["low"]["id"] == pk else pair["low"]
        assert other["given_name"] == "Ярослав"
        worker.post("/api/v1/review/decisions",
                    {"a": pk, "b": other["id"], "verdict": "same",
                     "note": "мати впізнала сина на фото"})
        assert worker.get("/api/v1/review/queue", record=pk) == []
        child = worker.get(f"/api/v1/children/{pk}")
        assert {r["id"] for r in child["records"]} >= {pk, other["id"]}
        case_id = child["cases"][0]["id"]

        worker.post(f"/api/v1/cases/{case_id}/claim")
        worker.post(f"/api/v1/cases/{case_id}/contacts",
                    {"with_whom": "мати", "channel": "phone",
                     "summary": "Мати підтвердила: на фото її син."}, 201)
        due = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=7)).isoformat()
        worker.post(f"/api/v1/cases/{case_id}/tasks",
                    {"title": "попросити копію свідоцтва", "due_on": due}, 201)
        corrected = worker.post(f"/api/v1/records/{pk}/corrections",
                                {"fields": {"birth_date": BIRTH_DATE},
                                 "reason": "свідоцтво про народження",
                                 "expected_version": 1})
        assert (corrected["version"], corrected["changed"]) == (2, ["birth_date"])
        stale = worker.http.post(f"/api/v1/records/{pk}/corrections",
                                 json={"fields": {"sex": "F"}, "reason": "typo",
                                       "expected_version": 1},
                                 headers={"X-CSRF-Token": worker.csrf})
        assert stale.status_code == 409

        first = worker.get("/api/v1/cases", q=LATIN, per_page=10)
        assert (first["pages"], first["page"]) == (3, 1)
        third = worker.get("/api/v1/cases", q=LATIN, per_page=10, page=3)
        mine = [i for i in third["items"] if i["id"] == case_id]
        assert len(mine) == 1
        assert mine[0]["owner"] == worker_name(accounts)
        assert mine[0]["birth_date"] == "2014-05-14"
        assert mine[0]["name"].startswith("Петренко Ярослав")
        tasks = worker.get(f"/api/v1/cases/{case_id}/tasks")
        contacts = worker.get(f"/api/v1/cases/{case_id}/contacts")
        assert [t["title"] for t in tasks] == ["попросити копію свідоцтва"]
        assert [c["channel"] for c in contacts] == ["phone"]

        _withdrawn_consent_keeps_a_report_out(app, accounts, worker, tmp_path)
    finally:
        app.state.services.jobs.shutdown()
        app.state.services.store.dispose()


def _pairs(app: Any, pk: int) -> int:
    """How many candidate pairs the record has."""
    with app.state.services.store.transaction() as session:
        found = session.scalar(select(func.count()).select_from(CandidatePairRow).where(
            or_(CandidatePairRow.record_low == pk, CandidatePairRow.record_high == pk)))
    return int(found or 0)


def worker_name(accounts: Any) -> str:
    """The demo case worker's username."""
    return demo_worker(accounts)[0]


def _withdrawn_consent_keeps_a_report_out(app: Any, accounts: Any, worker: Client,
                                          folder: Path) -> None:
    """Later the same day (the same store, to build it once): a report whose consent is
    withdrawn leaves the mediation candidates, and a new camp list with the child gives
    it no candidate while a report whose consent holds gets its own."""
    boss_made = next(a for a in accounts.created if a.user.role is UserRole.SUPERVISOR)
    boss = Client(TestClient(app), boss_made.user.username, boss_made.password or "",
                  boss_made.totp_secret or "")
    fields = dict(REPORT, given_name="Марко", birth_date="2016")
    pk = worker.post("/api/v1/records", _registration(fields), 201)["record_pk"]
    kept = dict(REPORT, surname="Гончаренко", given_name="Данило", birth_date="2012")
    control = worker.post("/api/v1/records", _registration(kept), 201)["record_pk"]
    case_id = worker.get(f"/api/v1/children/{pk}")["cases"][0]["id"]
    listed = boss.get("/api/v1/candidates", status=["reported"], limit=1000)
    assert case_id in {c["case_id"] for c in listed}

    withdrawn = worker.post(f"/api/v1/records/{pk}/consent/withdrawal",
                            {"reason": "мати попросила"})
    assert withdrawn["withdrawn_by"] == worker_name(accounts)
    listed = boss.get("/api/v1/candidates", status=["reported"], limit=1000)
    assert case_id not in {c["case_id"] for c in listed}

    # A new camp list with both children: the report whose consent holds gets its
    # candidate, the withdrawn one none.
    path = folder / "camp-2.csv"
    path.write_text("№,Фамилия,Имя,Отчество,Дата рождения,Место рождения,Пол\n"
                    "1,Петренко,Марко,Олегович,03.02.2016,Херсон,м\n"
                    "2,Гончаренко,Данила,Олегович,21.09.2012,Херсон,м\n",
                    encoding="utf-8")
    import_list(app.state.services.store, LISTS, ImportRequest(
        path=path, imported_by="operator", kind=SourceKind.CAMP_LIST))
    assert _pairs(app, control) > 0
    assert _pairs(app, pk) == 0
    assert worker.get("/api/v1/review/queue", record=pk) == []
