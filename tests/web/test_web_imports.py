"""Imports through the web: upload, progress, result, error report; refusals; scoping."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi import FastAPI
from webhelpers import Person, SignIn, upload_on_page

from kinlink.domain.users import UserRole
from kinlink.listfiles.uploads import MAX_UPLOAD_BYTES, safe_name

WITH_ERRORS = ("record_id,прізвище,ім'я,дата народження,стать\n"
               "1,Петренко,Олександр,12.03.2014,ч\n"
               "2,Бойко,Ганна,31.02.2015,ж\n"
               "3,,,2014,ч\n")


def _upload(app: FastAPI, person: Person, data: bytes = WITH_ERRORS.encode(),
            name: str = "reports.csv") -> dict[str, object]:
    answer = person.client.post("/api/v1/imports", headers=person.headers,
                                files={"file": (name, data, "text/csv")},
                                data={"kind": "family_reports", "title": "Звернення"})
    assert answer.status_code == 202, answer.text
    app.state.services.jobs.wait()
    job = person.client.get(f"/api/v1/imports/jobs/{answer.json()['id']}").json()
    assert isinstance(job, dict)
    return job


def test_upload_a_list_with_errors_and_download_the_report(app: FastAPI,
                                                           sign_in: SignIn) -> None:
    person = sign_in(UserRole.CASE_WORKER)
    job = _upload(app, person)
    assert (job["status"], job["imported"], job["rejected"], job["field_errors"]) == \
        ("completed", 2, 1, 1)
    run = person.client.get(f"/api/v1/imports/{job['run_id']}").json()
    assert run["issues_total"] == 2
    assert {i["code"] for i in run["issues"]} >= {"bad_date"}
    report = person.client.get(run["errors_csv"])
    assert report.headers["content-disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig"))))
    assert rows[0] == ["file", "line", "column", "severity", "code", "problem", "value"]
    assert any(row[1] == "3" and row[4] == "bad_date" for row in rows[1:])
    rejected = person.client.get(run["rejected_csv"]).content.decode("utf-8-sig")
    assert rejected.splitlines() == [WITH_ERRORS.splitlines()[0], "3,,,2014,ч"]
    sources = person.client.get("/api/v1/sources").json()
    assert [s["title"] for s in sources] == ["Звернення"]


def test_the_import_pages(app: FastAPI, sign_in: SignIn) -> None:
    person = sign_in(UserRole.ANALYST)
    page = person.client.get("/imports")
    assert 'enctype="multipart/form-data"' in page.text
    job_path = upload_on_page(person, {"file": ("camp.csv", WITH_ERRORS.encode(), "text/csv")},
                              {"kind": "camp_list"})
    app.state.services.jobs.wait()
    job_page = person.client.get(job_path)
    link = re.search(r'href="(/imports/\d+)"', job_page.text)
    assert link is not None
    run_page = person.client.get(link.group(1))
    assert "errors.csv" in run_page.text
    assert "rejected.csv" in run_page.text
    assert "day 31 does not exist in month 2" in run_page.text


def test_another_agency_cannot_see_the_run_or_fetch_the_report(
        app: FastAPI, sign_in: SignIn, second_agency: int) -> None:
    owner = sign_in(UserRole.CASE_WORKER)
    job = _upload(app, owner)
    stranger = sign_in(UserRole.SUPERVISOR, agency_id=second_agency)
    run_id = job["run_id"]
    for path in (f"/api/v1/imports/{run_id}", f"/api/v1/imports/{run_id}/errors.csv",
                 f"/api/v1/imports/{run_id}/rejected.csv", f"/imports/{run_id}",
                 f"/api/v1/imports/jobs/{job['id']}"):
        assert stranger.client.get(path).status_code == 404, path
    assert stranger.client.get("/api/v1/imports").json() == []
    # the same file is no duplicate for another agency: it imports there too
    assert _upload(app, stranger)["status"] == "completed"
    assert _upload(app, owner)["status"] == "refused"


def test_refusals_too_large_wrong_type_not_a_list(app: FastAPI, sign_in: SignIn) -> None:
    person = sign_in(UserRole.CASE_WORKER)
    big = person.client.post("/api/v1/imports", headers=person.headers,
                             files={"file": ("big.csv", b"x" * (MAX_UPLOAD_BYTES + 1))},
                             data={"kind": "list"})
    assert big.status_code == 413
    exe = person.client.post("/api/v1/imports", headers=person.headers,
                             files={"file": ("list.exe", b"MZ\x90\x00")},
                             data={"kind": "list"})
    assert exe.status_code == 415
    fake = person.client.post("/api/v1/imports", headers=person.headers,
                              files={"file": ("list.xlsx", b"not a workbook")},
                              data={"kind": "list"})
    assert fake.status_code == 415
    no_name = _upload(app, person, b"a,b\n1,2\n", "plain.csv")
    assert no_name["status"] == "refused"
    assert "record_id" in str(no_name["message"])


@pytest.mark.parametrize(("given", "kept"), [
    ("../../etc/passwd.csv", "passwd.csv"), ("C:\\Users\\x\\list.csv", "list.csv"),
    ("спис ок.xlsx", "спис ок.xlsx"), ("a;b|c.csv", "a_b_c.csv"), ("...", "list")])
def test_uploaded_names_lose_their_folders(given: str, kept: str) -> None:
    assert safe_name(given) == kept


@pytest.mark.parametrize("language", ["en", "uk"])
def test_a_file_imported_before_can_be_imported_again_anyway_from_the_form(
        app: FastAPI, sign_in: SignIn, language: str) -> None:
    person = sign_in(UserRole.CASE_WORKER, language=language)
    assert _upload(app, person)["status"] == "completed"
    form = person.client.get("/imports").text
    assert 'name="force" type="checkbox" value="1"' in form
    upload = {"file": ("reports.csv", WITH_ERRORS.encode(), "text/csv")}

    def send(**extra: str) -> str:
        job = upload_on_page(person, upload, {"kind": "camp_list", **extra})
        app.state.services.jobs.wait()
        return job

    refused = send()
    job = person.client.get("/api/v1" + refused).json()
    assert (job["status"], job["duplicate"], job["source_id"]) == ("refused", True, 1)
    assert "--force" not in job["message"]  # the command line's way is the command line's
    page = person.client.get(refused).text
    hint = {"en": "To import it again anyway, choose it again on the Imports page and tick "
                  "“Import again anyway”.",
            "uk": "Щоб усе ж імпортувати його ще раз, виберіть його знову на сторінці "
                  "«Імпорт» і позначте «Імпортувати ще раз»."}[language]
    assert hint in " ".join(page.split())
    assert ("Import again anyway" if language == "en" else "Імпортувати ще раз") in form
    again = person.client.get("/api/v1" + send(force="1")).json()
    assert (again["status"], again["duplicate"], again["imported"]) == ("completed", False, 2)
    assert again["source_id"] != 1
    # the API's door: force=true
    forced = person.client.post("/api/v1/imports", headers=person.headers, files=upload,
                                data={"force": "true", "kind": "camp_list"})
    app.state.services.jobs.wait()
    assert person.client.get(f"/api/v1/imports/jobs/{forced.json()['id']}"
                             ).json()["status"] == "completed"
