"""The web import's two steps: the kind said, the preview's mapping (saved per agency and
producer, audited), default titles, the estimate at upload, files deleted, and the
rejected rows and error report in the upload's own encoding and delimiter."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy import select
from webhelpers import SignIn

from kinlink.domain.access import Actor
from kinlink.domain.users import UserRole
from kinlink.storage.audit_events import AuditEventRow
from kinlink.usecases.import_preview import save_mapping, saved_mapping
from kinlink.usecases.jobs import default_title, estimate_rows

UNKNOWN = ("record_id;прізвище;ім'я;дата народження;Табір;Примітка опікуна\n"
           "1;Петренко;Олександр;12.03.2014;Артек;=1+2\n"
           "2;Бойко;Ганна;31.02.2015;Артек;тихо\n"
           "3;;;2014;Ясне;@SUM(A1)\n")


def test_the_api_and_the_page_refuse_an_upload_without_its_kind(app: FastAPI,
                                                                 sign_in: SignIn) -> None:
    person = sign_in(UserRole.CASE_WORKER, language="uk")
    upload = {"file": ("list.csv", UNKNOWN.encode(), "text/csv")}
    api = person.client.post("/api/v1/imports", headers=person.headers, files=upload)
    assert api.status_code == 422
    assert "kind" in api.text
    page = person.client.post("/imports", files=upload, data={"csrf_token": person.csrf})
    assert page.status_code == 422
    assert "Виберіть вид списку." in page.text
    assert not (Path(app.state.services.settings.data_dir) / "previews").exists() or not any(
        (Path(app.state.services.settings.data_dir) / "previews").iterdir())


def test_a_mapping_is_saved_per_agency_and_producer(app: FastAPI, second_agency: int) -> None:
    store = app.state.services.store
    ours = Actor("a", UserRole.CASE_WORKER, 1)
    theirs = Actor("b", UserRole.CASE_WORKER, second_agency)
    save_mapping(store, ours, "Табір «Артек»", {"Табір": "institution"})
    assert saved_mapping(store, ours, " табір «артек» ") == {"табір": "institution"}
    assert saved_mapping(store, theirs, "Табір «Артек»") == {}
    assert saved_mapping(store, ours, "someone else") == {}
    with store.transaction() as session:
        event = session.execute(select(AuditEventRow).where(
            AuditEventRow.action == "import.mapping_saved")).scalar_one()
    assert event.details == {"fields": ["institution"], "columns": 1}
    assert "Артек" not in str(event.details)


def test_preview_map_an_unknown_header_import_and_the_files_round_trip(
        app: FastAPI, sign_in: SignIn) -> None:
    person = sign_in(UserRole.CASE_WORKER)
    data_dir = Path(app.state.services.settings.data_dir)
    upload = {"file": ("family_reports.csv", UNKNOWN.encode("cp1251"), "text/csv")}
    sent = person.client.post("/imports", follow_redirects=False, files=upload, data={
        "csrf_token": person.csrf, "kind": "camp_list", "producer": "Табір"})
    assert sent.status_code == 303, sent.text
    preview = sent.headers["location"]
    page = person.client.get(preview).text
    assert "→ surname" in page
    assert "→ date of birth" in page
    assert 'name="column_4"' in page
    assert 'name="column_5"' in page
    assert 'name="column_1"' not in page
    assert "Петренко" in page
    assert "About 3 rows" in page
    assert len(list((data_dir / "previews").iterdir())) == 1
    done = person.client.post(preview, follow_redirects=False,
                              data={"csrf_token": person.csrf, "column_4": "institution"})
    assert done.status_code == 303
    assert not list((data_dir / "previews").iterdir())
    app.state.services.jobs.wait()
    job = person.client.get("/api/v1" + done.headers["location"]).json()
    assert (job["status"], job["imported"], job["rejected"]) == ("completed", 2, 1)
    [source] = [s for s in person.client.get("/api/v1/sources").json()
                if s["id"] == job["source_id"]]
    assert re.fullmatch(r"family_reports\.csv — Табір — \d{4}-\d{2}-\d{2}", source["title"])
    # the rejected rows and the error report: Windows-1251 with semicolons, formulas
    # neutralised
    run = person.client.get(f"/api/v1/imports/{job['run_id']}").json()
    rejected = person.client.get(run["rejected_csv"])
    assert "windows-1251" in rejected.headers["content-type"]
    text = rejected.content.decode("cp1251")
    assert text.splitlines() == [UNKNOWN.splitlines()[0], "3;;;2014;Ясне;'@SUM(A1)"]
    errors = person.client.get(run["errors_csv"]).content.decode("cp1251")
    rows = list(csv.reader(io.StringIO(errors), delimiter=";"))
    assert rows[0][:3] == ["file", "line", "column"]
    # the next list of that producer is offered the saved mapping
    again = person.client.post("/imports", follow_redirects=False, files={
        "file": ("next.csv", UNKNOWN.replace("Петренко", "Петренко-Бойко").encode(),
                 "text/csv")}, data={"csrf_token": person.csrf, "kind": "camp_list",
                                     "producer": "табір"})
    offered = person.client.get(again.headers["location"]).text
    assert '<option value="institution" selected>' in offered
    assert "as saved for this producer" in offered
    cancelled = person.client.post(again.headers["location"] + "/cancel",
                                   follow_redirects=False, data={"csrf_token": person.csrf})
    assert cancelled.status_code == 303
    assert not list((data_dir / "previews").iterdir())
    assert person.client.get(again.headers["location"]).status_code == 404


def test_another_agency_cannot_open_a_preview(app: FastAPI, sign_in: SignIn,
                                              second_agency: int) -> None:
    owner = sign_in(UserRole.CASE_WORKER)
    stranger = sign_in(UserRole.CASE_WORKER, second_agency)
    sent = owner.client.post("/imports", follow_redirects=False, files={
        "file": ("l.csv", UNKNOWN.encode(), "text/csv")}, data={
        "csrf_token": owner.csrf, "kind": "list"})
    assert stranger.client.get(sent.headers["location"]).status_code == 404
    assert stranger.client.post(sent.headers["location"], data={
        "csrf_token": stranger.csrf}).status_code == 404
    # The refusals are audited under a digest of the token, never the token: it opens
    # the upload for anyone of the owner's agency until it is imported or cancelled.
    token = sent.headers["location"].rstrip("/").rsplit("/", 1)[-1]
    with app.state.services.store.transaction() as session:
        refusals = session.execute(select(AuditEventRow).where(
            AuditEventRow.entity_type == "import_preview")).scalars().all()
    assert len(refusals) == 2
    assert all(token not in f"{e.entity_id} {e.details}" for e in refusals)
    assert {e.entity_id for e in refusals} == {refusals[0].entity_id}
    assert str(refusals[0].entity_id).startswith("sha256:")


def test_default_titles_and_estimates() -> None:
    import datetime as dt
    day = dt.date(2026, 3, 1)
    assert default_title("family_reports.csv", "НГО", day) == \
        "family_reports.csv — НГО — 2026-03-01"
    assert default_title("a.csv", None, day) == "a.csv — 2026-03-01"
    assert estimate_rows(b"h\n1\n2\n") == 2
    assert estimate_rows(b"h\n1\n2") == 2
    assert estimate_rows(b"h") == 1
