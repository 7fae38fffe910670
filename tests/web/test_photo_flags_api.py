"""Photographs flagged across documents and case photographs (issue 17.4), through the
API and the pages: the same photograph resized, uploaded to a second case, is flagged
for a person; a different picture is not; another agency's photographs are never
compared nor shown; confirming or dismissing is audited and links nothing; the document
page says where its photograph also appears; the backfill hashes what was kept before; a
picture inside a PDF is shown taken out of it (PNG, no metadata), reached as its document
is (restricted: missing; erased: gone)."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import numpy as np
from fastapi import FastAPI
from PIL import Image
from sqlalchemy import func, select
from webhelpers import FAMILY_LIST, Person, Seed, SignIn

from kinlink.domain.access import Actor
from kinlink.domain.retention import ErasureKind
from kinlink.domain.users import UserRole
from kinlink.storage.photographs import PhotoFlagRow, PhotoHashRow
from kinlink.storage.tables import AuditEventRow
from kinlink.usecases.cases import list_cases, open_missing_cases
from kinlink.usecases.documents import restrict_document
from kinlink.usecases.erasure import erase
from kinlink.usecases.photo_flags import hash_existing_photographs

COLLECTION = {"collected_at": "2026-11-30T09:15:00+02:00", "collected_by": "Analyst",
              "method": "download", "source_url": "https://example.org/profile",
              "languages": "ru", "description": "registry profile"}


def picture(seed: int, size: tuple[int, int] = (320, 240), fmt: str = "JPEG") -> bytes:
    """A photograph-like picture: smooth blobs of colour, different for each seed."""
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, (6, 8, 3), dtype=np.uint8)
    image = Image.fromarray(small).resize((640, 480), Image.Resampling.BICUBIC)
    out = io.BytesIO()
    image.resize(size, Image.Resampling.LANCZOS).save(out, fmt, quality=85)
    return out.getvalue()


def _cases(app: FastAPI, seed: Seed, agency_id: int) -> list[int]:
    store = app.state.services.store
    seed(FAMILY_LIST, agency_id=agency_id)
    boss = Actor(f"boss-{agency_id}", UserRole.SUPERVISOR, agency_id)
    open_missing_cases(store, boss)
    return [c.id for c in list_cases(store, boss)]


def _upload(person: Person, data: bytes, case_id: int, name: str = "photo.jpg") -> Any:
    made = person.client.post("/api/v1/documents", headers=person.headers,
                              files={"file": (name, data)},
                              data={**COLLECTION, "case_id": str(case_id)})
    assert made.status_code == 201, made.text
    return made.json()["id"]


def _flags(person: Person, *statuses: str) -> list[dict[str, Any]]:
    query = "&".join(f"status={s}" for s in statuses)
    got = person.client.get(f"/api/v1/photographs/flags?{query}")
    assert got.status_code == 200, got.text
    flags: list[dict[str, Any]] = got.json()
    return flags


def _actions(app: FastAPI, prefix: str) -> list[AuditEventRow]:
    with app.state.services.store.transaction() as session:
        return list(session.execute(select(AuditEventRow).where(
            AuditEventRow.action.startswith(prefix)).order_by(AuditEventRow.id)).scalars())


def test_the_same_photo_resized_on_a_second_case_is_flagged_a_different_one_not(
        app: FastAPI, sign_in: SignIn, seed: Seed) -> None:
    first, second, third = _cases(app, seed, 1)[:3]
    worker = sign_in(UserRole.CASE_WORKER)
    kept = _upload(worker, picture(1), first, "family.jpg")
    assert _flags(worker) == []
    again = _upload(worker, picture(1, (200, 150), "PNG"), second, "profile.png")
    other = _upload(worker, picture(2), third, "other.jpg")
    flags = _flags(worker)
    assert len(flags) == 1
    flag = flags[0]
    assert (flag["new"]["document_id"], flag["old"]["document_id"]) == (again, kept)
    assert flag["status"] == "waiting"
    assert flag["phash_distance"] <= 8
    assert flag["dhash_distance"] <= 8
    assert other not in (flag["new"]["document_id"], flag["old"]["document_id"])
    with app.state.services.store.transaction() as session:
        assert session.execute(select(func.count()).select_from(PhotoHashRow)).scalar_one() == 3
    # the document page says where its photograph also appears; the other's says nothing
    page = worker.client.get(f"/documents/{kept}")
    assert "This photograph also appears in" in page.text
    assert f'href="/documents/{again}"' in page.text
    assert "This photograph also appears in" not in worker.client.get(
        f"/documents/{other}").text
    # the flags page shows both pictures side by side
    listed = worker.client.get("/photographs")
    assert listed.status_code == 200
    assert f'src="/photographs/{flag["new"]["id"]}/image"' in listed.text
    assert f'src="/photographs/{flag["old"]["id"]}/image"' in listed.text
    image = worker.client.get(f"/photographs/{flag['new']['id']}/image")
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/png"


def test_a_case_photograph_is_compared_with_documents(
        app: FastAPI, sign_in: SignIn, seed: Seed) -> None:
    first, second = _cases(app, seed, 1)[:2]
    worker = sign_in(UserRole.CASE_WORKER)
    kept = _upload(worker, picture(5), first)
    attached = worker.client.post(f"/api/v1/cases/{second}/photo", headers=worker.headers,
                                  files={"file": ("child.png", picture(5, (256, 192), "PNG"))})
    assert attached.status_code == 200, attached.text
    [flag] = _flags(worker)
    assert flag["new"]["case_id"] == second
    assert flag["old"]["document_id"] == kept
    shown = worker.client.get(f"/api/v1/photographs/{flag['new']['id']}/image")
    assert shown.status_code == 200
    assert _actions(app, "photo.viewed")[-1].entity_id == str(second)
    # a replaced case photograph is no longer compared
    worker.client.post(f"/api/v1/cases/{second}/photo", headers=worker.headers,
                       files={"file": ("child.png", picture(6, (256, 192), "PNG"))})
    _upload(worker, picture(5, (300, 225)), first)
    assert len(_flags(worker)) == 2  # against the first document only


def test_confirm_and_dismiss_are_audited_and_link_nothing(
        app: FastAPI, sign_in: SignIn, seed: Seed) -> None:
    cases = _cases(app, seed, 1)
    worker = sign_in(UserRole.CASE_WORKER)
    _upload(worker, picture(3), cases[0])
    _upload(worker, picture(3, (160, 120)), cases[1])
    _upload(worker, picture(4), cases[0])
    _upload(worker, picture(4, (240, 180)), cases[2])
    one, two = _flags(worker)
    before = _actions(app, "")[-1].id
    said = worker.client.post(f"/api/v1/photographs/flags/{one['id']}/confirm",
                              headers=worker.headers)
    assert said.status_code == 200
    assert said.json()["status"] == "confirmed"
    assert said.json()["decided_by"] == worker.username
    again = worker.client.post(f"/api/v1/photographs/flags/{one['id']}/dismiss",
                               headers=worker.headers)
    assert again.status_code == 409
    form = worker.client.post(f"/photographs/flags/{two['id']}/dismiss",
                              data={"csrf_token": worker.csrf}, follow_redirects=False)
    assert form.status_code == 303
    assert _flags(worker) == []
    assert [f["id"] for f in _flags(worker, "confirmed", "dismissed")] == [one["id"], two["id"]]
    events = {e.action: e for e in _actions(app, "photo.flag")}
    assert events["photo.flag_confirmed"].entity_id == str(one["id"])
    assert events["photo.flag_confirmed"].actor == worker.username
    assert events["photo.flag_dismissed"].entity_id == str(two["id"])
    assert len(_actions(app, "photo.flagged")) == 2
    after = {e.action for e in _actions(app, "") if e.id > before}
    assert after == {"photo.flag_confirmed", "photo.flag_dismissed", "photo.flags_listed"}
    # confirmed (not dismissed) flags are said on the document page
    page = worker.client.get(f"/documents/{one['old']['document_id']}")
    assert "confirmed as the same photograph" in page.text
    assert "This photograph also appears in" not in worker.client.get(
        f"/documents/{two['old']['document_id']}").text
    viewer = sign_in(UserRole.VIEWER)
    assert viewer.client.get("/api/v1/photographs/flags").status_code == 403


def test_another_agencys_photographs_are_never_compared_nor_shown(
        app: FastAPI, sign_in: SignIn, seed: Seed, second_agency: int) -> None:
    mine = _cases(app, seed, 1)
    owner = sign_in(UserRole.CASE_WORKER)
    _upload(owner, picture(7), mine[0])
    _upload(owner, picture(7, (200, 150)), mine[1])
    [flag] = _flags(owner)
    theirs = _cases(app, seed, second_agency)
    stranger = sign_in(UserRole.SUPERVISOR, second_agency)
    _upload(stranger, picture(7, (256, 192)), theirs[0])
    assert _flags(stranger) == []
    assert len(_flags(owner)) == 1
    with app.state.services.store.transaction() as session:
        assert session.execute(select(func.count()).select_from(PhotoFlagRow)).scalar_one() == 1
    for path in (f"/api/v1/photographs/{flag['new']['id']}/image",
                 f"/photographs/{flag['old']['id']}/image"):
        assert stranger.client.get(path).status_code == 404, path
    for verdict in ("confirm", "dismiss"):
        refused = stranger.client.post(f"/api/v1/photographs/flags/{flag['id']}/{verdict}",
                                       headers=stranger.headers)
        assert refused.status_code == 404
    assert f'id="flag-{flag["id"]}"' not in stranger.client.get("/photographs").text
    assert f'id="flag-{flag["id"]}"' in owner.client.get("/photographs").text
    assert _flags(owner)[0]["status"] == "waiting"


def test_the_backfill_hashes_what_was_kept_before(
        app: FastAPI, sign_in: SignIn, seed: Seed) -> None:
    cases = _cases(app, seed, 1)
    worker = sign_in(UserRole.CASE_WORKER)
    first = _upload(worker, picture(8), cases[0])
    second = _upload(worker, picture(8, (200, 150)), cases[1])
    with app.state.services.store.transaction() as session:  # as before hashing existed
        for row in session.execute(select(PhotoFlagRow)).scalars():
            session.delete(row)
        session.flush()
        for row in session.execute(select(PhotoHashRow)).scalars():
            session.delete(row)
    steps: list[tuple[int, int]] = []
    done = hash_existing_photographs(app.state.services.evidence,
                                     Actor("operator", UserRole.SUPERVISOR, None),
                                     lambda d, t: steps.append((d, t)))
    assert (done.documents, done.case_photos, done.flags) == (2, 0, 1)
    assert steps == [(1, 2), (2, 2)]
    [flag] = _flags(worker)
    assert {flag["new"]["document_id"], flag["old"]["document_id"]} == {first, second}
    again = hash_existing_photographs(app.state.services.evidence,
                                      Actor("operator", UserRole.SUPERVISOR, None))
    assert (again.documents, again.flags) == (0, 0)
    assert next(e.details for e in _actions(app, "photos.hashed")) == {
        "documents": 2, "case_photos": 0, "flags": 1}


def pdf_with(photo: bytes) -> bytes:
    """A one-page PDF (reportlab) with a heading and ``photo`` drawn on it, as a news
    article or a registry's profile printed to PDF holds one."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 780, "Profile")
    page.drawImage(ImageReader(io.BytesIO(photo)), 72, 480, width=240, height=180)
    page.showPage()
    page.save()
    return out.getvalue()


def test_a_picture_inside_a_pdf_is_shown_taken_out_of_it_as_the_document_is(
        app: FastAPI, sign_in: SignIn, seed: Seed) -> None:
    first, second = _cases(app, seed, 1)[:2]
    worker = sign_in(UserRole.CASE_WORKER)
    attached = worker.client.post(f"/api/v1/cases/{first}/photo", headers=worker.headers,
                                  files={"file": ("child.png", picture(9, fmt="PNG"))})
    assert attached.status_code == 200, attached.text
    photo = picture(9, (400, 300))
    pdf = _upload(worker, pdf_with(photo), second, "profile.pdf")
    [flag] = _flags(worker)
    assert (flag["new"]["document_id"], flag["new"]["index"]) == (pdf, 0)
    shown = worker.client.get(f"/api/v1/documents/{pdf}/pictures/1")
    assert shown.status_code == 200, shown.text
    assert shown.headers["content-type"] == "image/png"
    taken = Image.open(io.BytesIO(shown.content))
    assert taken.size == (400, 300)
    assert not {"exif", "icc_profile", "dpi"} & set(taken.info)
    assert not getattr(taken, "text", {})
    near = np.abs(np.asarray(taken.convert("RGB"), dtype=int)
                  - np.asarray(Image.open(io.BytesIO(photo)), dtype=int)).mean()
    assert near < 8  # the same pixels, as the JPEG in the PDF decodes
    viewed = _actions(app, "document.viewed")[-1]
    assert viewed.entity_id == str(pdf)
    assert viewed.details["picture"] == 0
    assert viewed.details["working_sha256"] == hashlib.sha256(shown.content).hexdigest()
    # the flag's image route shows the same copy; the page shows both side by side
    same = worker.client.get(f"/api/v1/photographs/{flag['new']['id']}/image")
    assert same.content == shown.content
    page = worker.client.get("/photographs").text
    assert f'src="/documents/{pdf}/pictures/1"' in page
    assert f'src="/photographs/{flag["old"]["id"]}/image"' in page
    assert worker.client.get(f"/api/v1/documents/{pdf}/pictures/2").status_code == 404
    assert worker.client.get(f"/documents/{pdf}/pictures/0").status_code == 422


def test_a_picture_inside_a_restricted_or_erased_document_is_refused(
        app: FastAPI, sign_in: SignIn, seed: Seed) -> None:
    first, second = _cases(app, seed, 1)[:2]
    worker = sign_in(UserRole.CASE_WORKER)
    pdf = _upload(worker, pdf_with(picture(10)), first, "order.pdf")
    other = _upload(worker, pdf_with(picture(11)), second, "article.pdf")
    path = f"/documents/{pdf}/pictures/1"
    assert worker.client.get(path).status_code == 200
    boss = Actor("boss", UserRole.SUPERVISOR, 1)
    evidence = app.state.services.evidence
    restrict_document(evidence, boss, pdf, ["supervisor"])
    before = len(_actions(app, "document.viewed"))
    assert worker.client.get(path).status_code == 404
    assert worker.client.get(f"/api/v1{path}").status_code == 404
    assert len(_actions(app, "document.viewed")) == before
    erase(evidence, boss, ErasureKind.DOCUMENT, other, "asked by the family")
    for gone in (f"/documents/{other}/pictures/1", f"/api/v1/documents/{other}/pictures/1"):
        assert worker.client.get(gone).status_code == 410, gone
    assert len(_actions(app, "document.viewed")) == before
