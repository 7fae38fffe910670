"""Documents' text and screening wired through the store, the review queue and the API
(issue 17, items 2–3), on SQLite and PostgreSQL: an upload keeps the text as a derived
artefact and screens it; a document naming a child in the genitive makes a mention of
that child only (never another agency's child); confirming attaches the document to the
child's case; rejecting keeps the mention off the queue; each step is audited without
personal data; a scan without Tesseract is kept with a coded warning; a list imported
later is screened against the documents kept before."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from sqlalchemy import select
from webhelpers import FAMILY_LIST, Person, Seed, SignIn

from kinlink.domain.access import Actor
from kinlink.domain.decisions import DecisionVerdict
from kinlink.domain.records import SourceKind
from kinlink.domain.users import UserRole
from kinlink.storage.tables import AuditEventRow, RecordRow
from kinlink.usecases.cases import list_cases, open_missing_cases
from kinlink.usecases.mentions import rescreen_after_import, rescreen_documents
from kinlink.usecases.review import decide_pair

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
COLLECTION = {"collected_at": "2026-11-30T09:15:00+02:00", "collected_by": "Iryna Analyst",
              "method": "download", "source_url": "https://example.org/news/1",
              "languages": "uk", "description": "a news page"}
NEWS = ("<html><body><h1>Новини</h1><p>За даними омбудсмана, з Маріуполя вивезли "
        "Олександра Петренка, 12.03.2014 р.н., а також Тараса Шевченка.</p>"
        "<p>Ганну Бойко бачили в Херсоні.</p></body></html>")
OTHER_AGENCY = ("record_id,прізвище,ім'я,дата народження\n"
                "O-1,Шевченко,Тарас,01.01.2012\n")


def pdf(lines: list[str]) -> bytes:
    """A born-digital PDF with ``lines`` typed on one page."""
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT)))
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setFont("DejaVuSans", 14)
    for number, line in enumerate(lines):
        page.drawString(72, 760 - 22 * number, line)
    page.showPage()
    page.save()
    return out.getvalue()


def _upload(person: Person, data: bytes, name: str = "news.html", **extra: Any) -> Any:
    made = person.client.post("/api/v1/documents", headers=person.headers,
                              files={"file": (name, data)},
                              data={**COLLECTION, **{k: str(v) for k, v in extra.items()}})
    assert made.status_code == 201, made.text
    return made.json()


def _events(app: FastAPI, document_id: int) -> list[AuditEventRow]:
    with app.state.services.store.transaction() as session:
        return list(session.execute(select(AuditEventRow).where(
            AuditEventRow.entity_type == "document",
            AuditEventRow.entity_id == str(document_id)).order_by(AuditEventRow.id))
            .scalars())


def _cases(app: FastAPI, agency_id: int) -> dict[str, int]:
    """The cases of ``agency_id`` by the reported child's surname."""
    store = app.state.services.store
    boss = Actor(f"boss-{agency_id}", UserRole.SUPERVISOR, agency_id)
    open_missing_cases(store, boss)
    cases = list_cases(store, boss)
    with store.transaction() as session:
        names = {r.id: r.surname for r in session.execute(select(RecordRow.id, RecordRow.surname))}
    return {str(names[c.sought_record_pk]): c.id for c in cases}


@pytest.fixture
def world(app: FastAPI, seed: Seed, second_agency: int) -> dict[str, int]:
    seed(FAMILY_LIST, agency_id=1)
    seed(OTHER_AGENCY, name="other.csv", agency_id=second_agency)
    return _cases(app, 1)


def test_an_uploaded_page_naming_a_child_in_the_genitive_makes_a_mention_for_review(
        app: FastAPI, sign_in: SignIn, world: dict[str, int]) -> None:
    worker = sign_in(UserRole.CASE_WORKER)
    doc = _upload(worker, NEWS.encode("utf-8"))
    page = worker.client.get(f"/api/v1/documents/{doc['id']}").json()
    text = page["text"]
    assert "Олександра Петренка" in text
    made = [d for d in page["derived"] if d["kind"] == "text"]
    assert len(made) == 1
    assert made[0]["tool"] == "kinlink-markup"
    assert made[0]["sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert made[0]["media_type"].startswith("text/plain")

    queue = worker.client.get("/api/v1/review/mentions").json()
    spans = {m["span"] for m in queue}
    assert "Олександра Петренка" in spans
    assert "Ганну Бойко" in spans
    assert not any("Шевченк" in m["span"] for m in queue), "another agency's child"
    first = queue[0]
    assert first["span"] == "Олександра Петренка", "the birth date near it: most likely"
    assert first["record_name"].startswith("Петренко Олександр")
    assert first["case_id"] == world["Петренко"]
    assert text[first["start"]:first["end"]] == first["span"]
    assert first["page"] == 1
    codes = {e["code"] for e in first["evidence"]}
    assert any("birth_date" in c for c in codes), codes
    assert any("genitive" in c or "case" in c for c in codes), codes
    assert first["before"].endswith("вивезли ")
    assert {m["record_id"] for m in page["mentions"]} == {m["record_id"] for m in queue}


def test_confirm_attaches_the_document_to_the_case_and_reject_keeps_it_off_the_queue(
        app: FastAPI, sign_in: SignIn, world: dict[str, int]) -> None:
    worker = sign_in(UserRole.CASE_WORKER)
    doc = _upload(worker, NEWS.encode("utf-8"))
    queue = {m["span"]: m for m in worker.client.get("/api/v1/review/mentions").json()}
    petrenko, boiko = queue["Олександра Петренка"], queue["Ганну Бойко"]

    confirmed = worker.client.post(f"/api/v1/review/mentions/{petrenko['id']}/confirm",
                                   headers=worker.headers)
    assert confirmed.status_code == 200, confirmed.text
    body = confirmed.json()
    assert body["mention"]["status"] == "confirmed"
    assert body["mention"]["decided_by"] == worker.username
    assert (body["attached_to"], body["attached_id"]) == ("case", world["Петренко"])
    on_case = worker.client.get("/api/v1/documents", params={
        "attached_to": "case", "attached_id": world["Петренко"]}).json()
    assert [d["id"] for d in on_case] == [doc["id"]]
    again = worker.client.post(f"/api/v1/review/mentions/{petrenko['id']}/confirm",
                               headers=worker.headers)
    assert again.status_code == 409

    rejected = worker.client.post(f"/api/v1/review/mentions/{boiko['id']}/reject",
                                  headers=worker.headers)
    assert rejected.json()["mention"]["status"] == "rejected"
    assert worker.client.get("/api/v1/review/mentions").json() == []
    shown = worker.client.get(f"/api/v1/documents/{doc['id']}").json()["mentions"]
    assert [(m["id"], m["status"]) for m in shown] == [(petrenko["id"], "confirmed")]

    actions = [e.action for e in _events(app, doc["id"])]
    for step in ("document.uploaded", "document.text_extracted", "document.screened",
                 "mention.confirmed", "document.attached", "mention.rejected"):
        assert step in actions
    for event in _events(app, doc["id"]):
        for personal in ("Петренк", "Бойко", "Олександр", "Iryna", "news"):
            assert personal not in str(event.details)
    rescreened = rescreen_documents(app.state.services.evidence,
                                    Actor("op", UserRole.SUPERVISOR, 1))
    assert rescreened == (1, 0), "a span already decided is never suggested again"
    assert worker.client.get("/api/v1/review/mentions").json() == []


def test_another_agency_neither_sees_nor_decides_the_mentions(
        app: FastAPI, sign_in: SignIn, world: dict[str, int], second_agency: int) -> None:
    worker = sign_in(UserRole.CASE_WORKER)
    _upload(worker, NEWS.encode("utf-8"))
    mention = worker.client.get("/api/v1/review/mentions").json()[0]
    stranger = sign_in(UserRole.CASE_WORKER, agency_id=second_agency)
    assert stranger.client.get("/api/v1/review/mentions").json() == []
    for step in ("confirm", "reject"):
        refused = stranger.client.post(f"/api/v1/review/mentions/{mention['id']}/{step}",
                                       headers=stranger.headers)
        assert refused.status_code == 404
    theirs = _upload(stranger, NEWS.encode("utf-8"))
    spans = [m["span"] for m in stranger.client.get("/api/v1/review/mentions").json()]
    assert spans == ["Тараса Шевченка"], "their own child only"
    assert mention["document_id"] != theirs["id"]


def test_a_pdf_is_screened_and_a_list_imported_later_is_screened_against_it(
        app: FastAPI, sign_in: SignIn, seed: Seed) -> None:
    worker = sign_in(UserRole.CASE_WORKER)
    doc = _upload(worker, pdf(["НАКАЗ № 17 від 12.03.2022", "вивезено Марію Іванову,",
                               "2012 р.н."]), name="order.pdf")
    assert worker.client.get("/api/v1/review/mentions").json() == []
    source = seed("record_id,прізвище,ім'я\nI-1,Іванова,Марія\n", name="later.csv")
    added = rescreen_after_import(app.state.services.evidence,
                                  Actor("importer", UserRole.CASE_WORKER, 1), source)
    assert added == 1
    queue = worker.client.get("/api/v1/review/mentions").json()
    assert [(m["span"], m["document_id"]) for m in queue] == [("Марію Іванову", doc["id"])]
    made = worker.client.get(f"/api/v1/documents/{doc['id']}").json()["derived"]
    assert [d["tool"] for d in made if d["kind"] == "text"] == ["pypdfium2"]


def test_a_scan_without_tesseract_is_kept_with_a_coded_warning_and_no_text(
        app: FastAPI, sign_in: SignIn, monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image
    out = io.BytesIO()
    Image.new("L", (200, 100), 240).save(out, "PNG")
    worker = sign_in(UserRole.CASE_WORKER)
    monkeypatch.setenv("PATH", "")
    doc = _upload(worker, out.getvalue(), name="scan.png")
    monkeypatch.undo()
    page = worker.client.get(f"/api/v1/documents/{doc['id']}").json()
    assert page["text"] is None
    assert [d["kind"] for d in page["derived"]] == ["working_copy"]
    codes = [w["code"] for w in page["warnings"]]
    assert codes, "a warning is kept"
    assert codes[0].startswith("evidence.ocr"), codes
    html = worker.client.get(f"/documents/{doc['id']}").text
    assert "tesseract" in html.lower()


ADOPTED = ("record_id,прізвище,ім'я,по батькові,дата народження\n"
           "A-1,Мельник,Дмитро,Петрович,05.06.2013\n")
"""A found record: Коваленко Дмитро (F-3 of FAMILY_LIST) under his adoptive surname."""
ADOPTION_PAGE = ("<html><body><p>Сім'я з Ростова усиновила Дмитра Мельника, "
                 "05.06.2013 р.н.</p></body></html>")


def _record(app: FastAPI, record_id: str) -> int:
    with app.state.services.store.transaction() as session:
        return int(session.execute(select(RecordRow.id).where(
            RecordRow.record_id == record_id)).scalar_one())


def _confirm_the_adoption_page(worker: Person) -> tuple[int, Any]:
    doc = _upload(worker, ADOPTION_PAGE.encode("utf-8"), name="adoption.html")
    queue = worker.client.get("/api/v1/review/mentions").json()
    assert [m["span"] for m in queue] == ["Дмитра Мельника"]
    confirmed = worker.client.post(f"/api/v1/review/mentions/{queue[0]['id']}/confirm",
                                   headers=worker.headers)
    assert confirmed.status_code == 200, confirmed.text
    return doc["id"], confirmed.json()


def _on_case_page(worker: Person, case_id: int, document_id: int) -> bool:
    """Whether the case page's list of the case's documents shows the document."""
    page = worker.client.get(f"/cases/{case_id}")
    assert page.status_code == 200
    link = f"/documents?attached_to=case&amp;attached_id={case_id}"
    assert link in page.text
    listed = worker.client.get(link.replace("&amp;", "&"))
    return f'href="/documents/{document_id}"' in listed.text


def test_a_confirmed_mention_of_a_found_record_linked_to_a_child_reaches_the_case(
        app: FastAPI, sign_in: SignIn, seed: Seed, world: dict[str, int]) -> None:
    seed(ADOPTED, name="adoptions.csv", kind=SourceKind.ADOPTION_REGISTRY)
    worker = sign_in(UserRole.CASE_WORKER)
    decide_pair(app.state.services.store, Actor(worker.username, UserRole.CASE_WORKER, 1),
                _record(app, "A-1"), _record(app, "F-3"), DecisionVerdict.SAME)
    case = world["Коваленко"]
    document_id, confirmed = _confirm_the_adoption_page(worker)
    assert (confirmed["attached_to"], confirmed["attached_id"]) == ("case", case)
    assert _on_case_page(worker, case, document_id)
    moved = [e for e in _events(app, document_id) if e.action == "document.attached"]
    assert [(e.details["to"], e.details["by"]) for e in moved] == [
        ({"kind": "case", "id": case}, "mention")]


def test_an_earlier_confirmed_mention_follows_the_link_confirmed_later(
        app: FastAPI, sign_in: SignIn, seed: Seed, world: dict[str, int],
        second_agency: int) -> None:
    seed(ADOPTED, name="adoptions.csv", kind=SourceKind.ADOPTION_REGISTRY)
    worker = sign_in(UserRole.CASE_WORKER)
    found = _record(app, "A-1")
    document_id, confirmed = _confirm_the_adoption_page(worker)
    assert (confirmed["attached_to"], confirmed["attached_id"]) == ("record", found)
    case = world["Коваленко"]
    assert not _on_case_page(worker, case, document_id)
    store, actor = app.state.services.store, Actor(worker.username, UserRole.CASE_WORKER, 1)
    decide_pair(store, actor, found, _record(app, "F-1"), DecisionVerdict.DIFFERENT)
    assert not _on_case_page(worker, case, document_id), "a *different* moves nothing"
    decide_pair(store, actor, found, _record(app, "F-3"), DecisionVerdict.SAME)
    assert _on_case_page(worker, case, document_id)
    moved = [e for e in _events(app, document_id) if e.action == "document.attached"]
    assert [(e.details["from"], e.details["to"], e.details["by"]) for e in moved] == [
        ({"kind": "inbox", "id": None}, {"kind": "record", "id": found}, "mention"),
        ({"kind": "record", "id": found}, {"kind": "case", "id": case}, "link")]
    assert moved[-1].details["record"] == found
    assert "Мельник" not in str(moved[-1].details)
    decide_pair(store, actor, found, _record(app, "F-3"), DecisionVerdict.SAME, "again")
    assert len([e for e in _events(app, document_id) if e.action == "document.attached"]) == 2
    stranger = sign_in(UserRole.CASE_WORKER, agency_id=second_agency)
    assert stranger.client.get(f"/api/v1/documents/{document_id}").status_code == 404
