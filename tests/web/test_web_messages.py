"""Services' messages in the reader's language: an import's problems and a refused step
of a case are said in Ukrainian to a Ukrainian reader and in English to an English one,
and the API answers the message's code and parameters beside its English text."""

from __future__ import annotations

import html
import re
from pathlib import Path

from fastapi import FastAPI
from webhelpers import Person, Seed, SignIn, link_and_open_cases, upload_on_page

from kinlink.domain.users import UserRole

BAD_ROWS = ("record_id,прізвище,ім'я,дата народження,стать\n"
            "1,Петренко,Олександр,12.03.2014,ч\n"
            "2,Бойко,Ганна,31.02.2015,ж\n"
            "3,,,2014,ч\n"
            "1,Коваль,Марія,2013,ж\n"
            "4,Шевчук,Іван,2014,х\n")


def _run_path(app: FastAPI, person: Person) -> str:
    job = upload_on_page(person, {"file": ("camp.csv", BAD_ROWS.encode(), "text/csv")},
                         {"kind": "camp_list"})
    app.state.services.jobs.wait()
    link = re.search(r'href="(/imports/\d+)"', person.client.get(job).text)
    assert link is not None
    return link.group(1)


def test_an_imports_problems_are_said_in_the_readers_language(app: FastAPI,
                                                               sign_in: SignIn) -> None:
    analyst = sign_in(UserRole.ANALYST, language="uk")
    path = _run_path(app, analyst)
    ukrainian = html.unescape(analyst.client.get(path).text)
    assert "дня 31 немає в місяці 2" in ukrainian
    assert "у рядку немає імені (given_name, surname або full_name)" in ukrainian
    assert "record_id повторює той, що в рядку 2" in ukrainian
    assert "це не значення статі" in ukrainian
    for english in ("does not exist in month", "the row has no name", "repeats the one",
                    "not a sex value"):
        assert english not in ukrainian
    english_page = html.unescape(sign_in(UserRole.ANALYST, language="en").client.get(path).text)
    assert "day 31 does not exist in month 2" in english_page
    assert "record_id repeats the one on line 2" in english_page


def _located_case(app: FastAPI, seed: Seed, tmp_path: Path, worker: Person) -> int:
    seed()
    link_and_open_cases(app.state.services.store, tmp_path)
    cases = worker.client.get("/api/v1/cases").json()["items"]
    for case in cases:
        moved = worker.client.post(f"/api/v1/cases/{case['id']}/transitions",
                                   headers=worker.headers,
                                   json={"version": 1, "target": "located", "reason": "found"})
        if moved.status_code == 200:
            return int(case["id"])
    raise AssertionError("no case could be located")


def _refused(person: Person, case_id: int) -> str:
    answer = person.client.post(f"/cases/{case_id}/advance", data={
        "csrf_token": person.csrf, "version": "2", "target": "identity_verified",
        "reason": "схоже на неї"})
    assert answer.status_code == 409
    said = re.search(r'<div class="error" role="alert">(.*?)</div>', answer.text, re.DOTALL)
    assert said is not None
    return html.unescape(said.group(1))


def test_a_refused_step_is_said_in_the_readers_language(
        app: FastAPI, seed: Seed, sign_in: SignIn, tmp_path: Path) -> None:
    worker = sign_in(UserRole.CASE_WORKER, language="uk")
    case_id = _located_case(app, seed, tmp_path, worker)
    ukrainian = _refused(worker, case_id)
    assert ("перехід «місцеперебування встановлено» → «особу підтверджено» потребує "
            "доказу") in ukrainian
    assert "needs evidence" not in ukrainian
    assert "identity_verified" not in ukrainian
    english = _refused(sign_in(UserRole.CASE_WORKER, language="en"), case_id)
    assert "located → identity verified needs evidence: one of" in english
    assert "confirmed by the family" in english


def test_the_api_answers_a_refusals_code_and_parameters(
        app: FastAPI, seed: Seed, sign_in: SignIn, tmp_path: Path) -> None:
    worker = sign_in(UserRole.CASE_WORKER)
    case_id = _located_case(app, seed, tmp_path, worker)
    refused = worker.client.post(f"/api/v1/cases/{case_id}/transitions",
                                 headers=worker.headers,
                                 json={"version": 2, "target": "identity_verified",
                                       "reason": "x"})
    error = refused.json()["error"]
    assert error["code"] == "transition_refused"
    assert error["message_code"] == "case.needs_evidence"
    assert error["params"] == {"current": "located", "target": "identity_verified",
                               "kinds": ["dna", "documents", "family_confirmation"]}
    assert error["message"] == ("located → identity_verified needs evidence: one of dna, "
                                "documents, family_confirmation")
    missing = worker.client.get("/api/v1/cases/99999").json()["error"]
    assert (missing["message_code"], missing["params"]) == ("not_there.case", {"id": "99999"})


def test_a_registered_reports_bad_field_is_said_in_the_readers_language(
        app: FastAPI, sign_in: SignIn) -> None:
    for language, words in (("uk", "дня 31 немає в місяці 2"),
                            ("en", "day 31 does not exist in month 2")):
        worker = sign_in(UserRole.CASE_WORKER, language=language)
        sent = worker.client.post("/records/new", data={
            "csrf_token": worker.csrf, "role": "sought", "surname": "Коваленко",
            "given_name": "Олександр", "birth_date": "31.02.2015", "channel": "hotline"})
        assert sent.status_code == 422
        assert words in html.unescape(sent.text)


def test_the_servers_own_refusals_are_coded_and_said_once(sign_in: SignIn) -> None:
    """A page that does not exist says so once, in the reader's language (not again in
    grey below); the API's 404 and 422 answer their codes beside the English."""
    worker = sign_in(UserRole.CASE_WORKER, language="uk")
    page = html.unescape(worker.client.get("/no-such-page").text)
    assert "Такої сторінки чи запису немає" in page or "Не знайдено" in page
    assert 'class="muted"' not in page.split("<h1>")[1].split("</section>")[0]
    missing = worker.client.get("/api/v1/no-such-thing", headers=worker.headers)
    assert missing.json()["error"]["message_code"] == "server.no_such_page"
    assert missing.json()["error"]["message"] == "there is no such page"
    invalid = worker.client.get("/api/v1/cases/nonsense", headers=worker.headers)
    assert invalid.status_code == 422
    assert invalid.json()["error"]["message_code"] == "server.input_not_valid"
