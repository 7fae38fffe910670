"""Evidence documents through the API, on SQLite and PostgreSQL: the original's bytes are
the same after upload, view and download; every custody step is an audit event with the
document's id and hash and no personal data; another agency's documents answer 404 by id
(API and pages); a type kinlink does not keep is refused, clearly, and nothing is kept."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from PIL import Image
from sqlalchemy import func, select
from webhelpers import FAMILY_LIST, Person, Seed, SignIn

from kinlink.domain.access import Actor
from kinlink.domain.users import UserRole
from kinlink.storage.tables import AuditEventRow
from kinlink.usecases.cases import list_cases, open_missing_cases

COLLECTION = {"collected_at": "2026-11-30T09:15:00+02:00", "collected_by": "Iryna Analyst",
              "method": "photo", "from_person": "the child's grandmother",
              "device": "Pixel 7", "languages": "uk,ru",
              "description": "birth certificate kept by the family"}


def photograph() -> bytes:
    """A JPEG with EXIF (camera and GPS), as a phone takes it."""
    exif = Image.Exif()
    exif[0x010F] = "CameraMakerX"
    exif[0x8825] = {1: "N", 2: (50.0, 27.0, 0.0)}
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def _case(app: FastAPI, seed: Seed, agency_id: int) -> int:
    store = app.state.services.store
    seed(FAMILY_LIST, agency_id=agency_id)
    boss = Actor(f"boss-{agency_id}", UserRole.SUPERVISOR, agency_id)
    open_missing_cases(store, boss)
    return list_cases(store, boss)[0].id


def _upload(person: Person, data: bytes, name: str = "certificate.jpg",
            **extra: Any) -> Any:
    return person.client.post("/api/v1/documents", headers=person.headers,
                              files={"file": (name, data)},
                              data={**COLLECTION, **{k: str(v) for k, v in extra.items()}})


def _events(app: FastAPI, document_id: int) -> list[AuditEventRow]:
    with app.state.services.store.transaction() as session:
        return list(session.execute(select(AuditEventRow).where(
            AuditEventRow.entity_type == "document",
            AuditEventRow.entity_id == str(document_id)).order_by(AuditEventRow.id))
            .scalars())


def test_bytes_unchanged_and_every_custody_step_audited(
        app: FastAPI, sign_in: SignIn, seed: Seed) -> None:
    case = _case(app, seed, 1)
    worker = sign_in(UserRole.CASE_WORKER)
    original = photograph()
    digest = hashlib.sha256(original).hexdigest()
    made = _upload(worker, original, case_id=case)
    assert made.status_code == 201, made.text
    doc = made.json()
    assert doc["sha256"] == digest
    assert doc["size"] == len(original)
    assert doc["type"] == "jpeg"
    assert doc["attached_to"] == "case"
    assert doc["collection"]["collected_at"].endswith("+02:00")
    assert doc["collection"]["languages"] == ["uk", "ru"]
    stored = app.state.services.evidence.content.path_of(digest)
    assert stored.read_bytes() == original

    page = worker.client.get(f"/api/v1/documents/{doc['id']}")
    assert page.status_code == 200
    working = page.json()["derived"][0]
    assert working["kind"] == "working_copy"
    assert working["tool"] == "Pillow"
    view = worker.client.get(f"/api/v1/documents/{doc['id']}/working-copy")
    assert view.status_code == 200
    assert view.headers["content-type"] == "image/png"
    assert b"CameraMakerX" not in view.content
    assert hashlib.sha256(view.content).hexdigest() == working["sha256"]
    got = worker.client.get(f"/api/v1/documents/{doc['id']}/original")
    assert got.status_code == 200
    assert got.content == original
    assert got.headers["content-disposition"].startswith("attachment;")
    assert got.headers["x-content-type-options"] == "nosniff"
    assert stored.read_bytes() == original

    inbox = worker.client.post(f"/api/v1/documents/{doc['id']}/attach",
                               headers=worker.headers, json={"to": "inbox"})
    assert inbox.status_code == 200
    assert inbox.json()["attached_to"] == "inbox"
    back = worker.client.post(f"/api/v1/documents/{doc['id']}/attach",
                              headers=worker.headers, json={"to": "case", "id": case})
    assert back.status_code == 200
    boss = sign_in(UserRole.SUPERVISOR)
    limited = boss.client.post(f"/api/v1/documents/{doc['id']}/restriction",
                               headers=boss.headers, json={"roles": ["analyst"]})
    assert limited.json()["restricted_to"] == ["analyst", "supervisor"]
    assert worker.client.get(f"/api/v1/documents/{doc['id']}").status_code == 404
    assert worker.client.get(f"/api/v1/documents/{doc['id']}/original").status_code == 404
    assert boss.client.get(f"/api/v1/documents/{doc['id']}/original").content == original

    actions = [e.action for e in _events(app, doc["id"])
               if e.action not in ("document.text_extracted", "document.screened")]
    assert actions[:7] == ["document.uploaded", "document.read", "document.viewed",
                           "document.downloaded", "document.attached", "document.attached",
                           "document.restricted"]
    assert actions.count("scope.refused") == 2  # the case worker's two refused reads
    for event in _events(app, doc["id"]):
        if event.action.startswith("document."):
            assert event.details["sha256"] == digest
        text = str(event.details)
        for personal in ("Iryna", "grandmother", "Pixel", "certificate", "Петренко"):
            assert personal not in text


def test_another_agencys_documents_are_not_reachable_by_id(
        app: FastAPI, sign_in: SignIn, seed: Seed, second_agency: int) -> None:
    case = _case(app, seed, 1)
    owner = sign_in(UserRole.SUPERVISOR)
    on_case = _upload(owner, photograph(), case_id=case).json()["id"]
    in_inbox = _upload(owner, b"%PDF-1.7\n%%EOF\n", "order.pdf").json()["id"]
    stranger = sign_in(UserRole.SUPERVISOR, second_agency)
    own_case = _case(app, seed, second_agency)
    for document_id in (on_case, in_inbox, 999_999):
        for path in (f"/api/v1/documents/{document_id}",
                     f"/api/v1/documents/{document_id}/original",
                     f"/api/v1/documents/{document_id}/working-copy",
                     f"/documents/{document_id}", f"/documents/{document_id}/original"):
            assert stranger.client.get(path).status_code == 404, path
        moved = stranger.client.post(f"/api/v1/documents/{document_id}/attach",
                                     headers=stranger.headers,
                                     json={"to": "case", "id": own_case})
        assert moved.status_code == 404
    assert stranger.client.get("/api/v1/documents").json() == []
    assert stranger.client.get(
        f"/api/v1/documents?attached_to=case&attached_id={case}").status_code == 404
    refused = _upload(stranger, photograph(), case_id=case)
    assert refused.status_code == 404
    assert len(owner.client.get("/api/v1/documents").json()) == 2


def test_a_type_not_kept_is_refused_and_nothing_is_stored(
        app: FastAPI, sign_in: SignIn, tmp_path: Path) -> None:
    worker = sign_in(UserRole.CASE_WORKER)
    refused = _upload(worker, b"MZ\x90\x00\x03\x00\x00\x00", "setup.pdf")
    assert refused.status_code == 415
    assert "PDF, JPEG, PNG" in refused.json()["error"]["message"]
    blank = _upload(worker, photograph(), collected_at="yesterday")
    assert blank.status_code == 422
    root = app.state.services.evidence.content.root
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))
    with app.state.services.store.transaction() as session:
        kept = session.execute(select(func.count()).select_from(AuditEventRow).where(
            AuditEventRow.action == "document.uploaded")).scalar_one()
    assert kept == 0
    assert worker.client.get("/api/v1/documents").json() == []


@pytest.mark.parametrize("role", [UserRole.VIEWER, UserRole.ADMIN])
def test_roles_without_documents_are_refused(app: FastAPI, sign_in: SignIn,
                                             role: UserRole) -> None:
    assert sign_in(role).client.get("/api/v1/documents").status_code == 403


def test_pages_upload_list_and_show_a_document(app: FastAPI, sign_in: SignIn,
                                               seed: Seed) -> None:
    case = _case(app, seed, 1)
    worker = sign_in(UserRole.CASE_WORKER)
    form = worker.client.get(f"/documents/new?case={case}")
    assert form.status_code == 200
    assert f'value="{case}"' in form.text
    sent = worker.client.post("/documents/new", follow_redirects=False,
                              files={"file": ("scan.jpg", photograph())},
                              data={**COLLECTION, "collected_at": "2026-11-30T09:15",
                                    "case_id": str(case), "csrf_token": worker.csrf})
    assert sent.status_code == 303, sent.text
    page = worker.client.get(sent.headers["location"])
    assert page.status_code == 200
    assert hashlib.sha256(photograph()).hexdigest() in page.text
    assert "document.uploaded" in page.text
    listed = worker.client.get(f"/documents?attached_to=case&attached_id={case}")
    assert "scan.jpg" in listed.text
    anything = worker.client.get("/documents?attached_to=&type=")  # the form's "any"
    assert anything.status_code == 200
    assert "scan.jpg" in anything.text
    assert "scan.jpg" not in worker.client.get("/documents?attached_to=inbox&type=").text
    wrong = worker.client.post("/documents/new", files={"file": ("x.exe", b"MZ\x90\x00")},
                               data={**COLLECTION, "csrf_token": worker.csrf})
    assert wrong.status_code == 415
    assert "PDF, JPEG, PNG" in wrong.text
