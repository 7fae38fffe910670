"""The title of a list the registration form made, in the reader's language.

A report typed in at ``/records/new`` is kept as a list of kind ``form`` titled with an
internal label (``Report (hotline)``, :func:`~kinlink.domain.registration.form_title`).
The pages that name a record's list — the lists page, the record and child pages, the
case page, search and the review filter — show it in words of the reader's language,
while a list uploaded from a file keeps its own title; the JSON API keeps the label.
On SQLite and PostgreSQL, in Ukrainian and English."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from fastapi import FastAPI
from webhelpers import SignIn

from kinlink.domain.records import Role
from kinlink.domain.registration import IntakeChannel, form_title
from kinlink.domain.users import UserRole
from kinlink.web import labels
from kinlink.web.i18n import translations
from kinlink.web.templating import list_title
from registerworld import REPORT_UK, import_found_list

WORDS = {
    "en": ("Report taken on the hotline", "Found child, reported at a visit"),
    "uk": ("Звернення, прийняте на гарячій лінії",
           "Знайдена дитина, повідомлено під час візиту"),
}


def test_every_role_and_channel_has_words_in_english_and_ukrainian() -> None:
    ukrainian = translations("uk").gettext
    for role, channel in itertools.product(Role, IntakeChannel):
        title = form_title(role, channel)
        assert title in labels.FORM_TITLES, title
        words = labels.FORM_TITLES[title]
        assert ukrainian(words) != words, words
    assert len(set(labels.FORM_TITLES.values())) == len(labels.FORM_TITLES)


def test_only_a_form_s_title_is_put_into_words() -> None:
    assert list_title("Report (visit)", "form", str.upper) == "REPORT TAKEN AT A VISIT"
    # An uploaded list keeps its title, even one that reads like a form's label.
    assert list_title("Report (visit)", "family_reports", str.upper) == "Report (visit)"
    assert list_title("Мариуполь, лагерь", "camp_list", str.upper) == "Мариуполь, лагерь"
    assert list_title("Report (fax)", "form", str.upper) == "Report (fax)"
    assert list_title(None, "form", str.upper) == "—"


@pytest.mark.parametrize("language", ["uk", "en"])
def test_pages_name_a_form_s_list_in_the_reader_s_language(
        app: FastAPI, sign_in: SignIn, tmp_path: Path, language: str) -> None:
    store = app.state.services.store
    uploaded = import_found_list(store, tmp_path)
    worker = sign_in(UserRole.CASE_WORKER, language=language)
    api = worker.client
    report = api.post("/api/v1/records", headers=worker.headers, json={
        "role": "sought", "fields": REPORT_UK, "channel": "hotline", "language": "uk",
        "consent": {"tracing": True, "channels": [], "contact": True}})
    assert report.status_code == 201, report.text
    found = api.post("/api/v1/records", headers=worker.headers, json={
        "role": "found", "fields": {"surname": "Шевченко", "given_name": "Марія",
                                    "birth_date": "2014", "sex": "ж"},
        "channel": "visit"})
    assert found.status_code == 201, found.text
    pk = report.json()["record_pk"]

    sources = {s["id"]: s for s in api.get("/api/v1/sources").json()}
    assert sources[report.json()["source_id"]]["title"] == "Report (hotline)"
    assert sources[found.json()["source_id"]]["title"] == "Found child (visit)"
    file_title = sources[uploaded]["title"]

    report_words, found_words = WORDS[language]
    lists = api.get("/sources").text
    assert report_words in lists
    assert found_words in lists
    assert file_title in lists
    case_id = api.get(f"/api/v1/children/{pk}").json()["cases"][0]["id"]
    pages = {
        "record": api.get(f"/records/{pk}").text,
        "child": api.get(f"/children/{pk}").text,
        "case": api.get(f"/cases/{case_id}").text,
        "search": api.get("/search", params={"q": "Коваленко Олександр"}).text,
        "review": api.get("/review").text,
    }
    for name, html in pages.items():
        assert report_words in html, name
        assert "Report (hotline)" not in html, name
    for name in ("search", "review"):  # the Russian list's record is beside the report
        assert file_title in pages[name], name
