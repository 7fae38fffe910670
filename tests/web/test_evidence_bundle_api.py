"""Evidence bundles through the API, on SQLite and PostgreSQL: the bundle of a case holds
its document's original byte for byte, its SHA-256 (in ``Digest``) is in the audit chain,
and the verify route finds it intact, and a changed byte altered; a short password is
refused in words; another agency's case answers 404 (and nothing is audited as made)."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import zipfile

from fastapi import FastAPI
from sqlalchemy import select
from webhelpers import FAMILY_LIST, Seed, SignIn

from fake_tsa import FakeAuthority, serving, unreachable_url
from kinlink.domain.access import Actor
from kinlink.domain.users import UserRole
from kinlink.evidence.bundle import BAG_ROOT
from kinlink.storage.tables import AuditEventRow
from kinlink.usecases.cases import list_cases, open_missing_cases

ORDER = b"%PDF-1.4\n% an order\n%%EOF\n"
COLLECTION = {"collected_at": "2026-11-30T09:15:00+02:00", "collected_by": "analyst",
              "method": "download", "source_url": "https://example.org/order"}


def _case(app: FastAPI, seed: Seed) -> int:
    store = app.state.services.store
    seed(FAMILY_LIST)
    boss = Actor("boss", UserRole.SUPERVISOR, 1)
    open_missing_cases(store, boss)
    return list_cases(store, boss)[0].id


def test_a_bundle_through_the_api_and_its_check(app: FastAPI, sign_in: SignIn, seed: Seed,
                                                second_agency: int) -> None:
    case = _case(app, seed)
    analyst = sign_in(UserRole.ANALYST)
    added = analyst.client.post("/api/v1/documents", headers=analyst.headers,
                                files={"file": ("order.pdf", ORDER)},
                                data={**COLLECTION, "case_id": str(case)})
    assert added.status_code == 201, added.text
    made = analyst.client.post(f"/api/v1/cases/{case}/bundle", headers=analyst.headers)
    assert made.status_code == 200, made.text
    assert made.headers["content-type"] == "application/zip"
    assert made.headers["content-disposition"].startswith("attachment;")
    sha = hashlib.sha256(made.content).hexdigest()
    assert made.headers["digest"] == f"sha-256={sha}"
    name = f"{BAG_ROOT}/data/originals/{hashlib.sha256(ORDER).hexdigest()}.pdf"
    with zipfile.ZipFile(io.BytesIO(made.content)) as archive:
        assert archive.read(name) == ORDER
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    with app.state.services.store.transaction() as session:
        recorded = session.execute(select(AuditEventRow.details).where(
            AuditEventRow.action == "evidence.bundle_made")).scalars().all()
    assert [d["sha256"] for d in recorded] == [sha]

    checked = analyst.client.post("/api/v1/evidence/verify", headers=analyst.headers,
                                  files={"file": ("bundle.zip", made.content)})
    assert checked.status_code == 200, checked.text
    assert checked.json()["intact"] is True
    assert checked.json()["case"] == f"case {case}"
    members[name] = ORDER.replace(b"order", b"Order")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    broken = analyst.client.post("/api/v1/evidence/verify", headers=analyst.headers,
                                 files={"file": ("bundle.zip", buffer.getvalue())})
    assert broken.json()["intact"] is False
    assert [(f["path"], f["code"]) for f in broken.json()["findings"]] == [
        (name.removeprefix(f"{BAG_ROOT}/"), "bundle.altered")]

    short = analyst.client.post(f"/api/v1/cases/{case}/bundle", headers=analyst.headers,
                                json={"password": "short"})
    assert short.status_code == 422
    assert "at least 16 characters" in short.text
    stranger = sign_in(UserRole.SUPERVISOR, second_agency)
    hidden = stranger.client.post(f"/api/v1/cases/{case}/bundle", headers=stranger.headers)
    assert hidden.status_code == 404
    with app.state.services.store.transaction() as session:
        assert len(session.execute(select(AuditEventRow.id).where(
            AuditEventRow.action == "evidence.bundle_made")).all()) == 1


def test_the_configured_authority_stamps_api_bundles_and_one_unreachable_is_said(
        app: FastAPI, sign_in: SignIn, seed: Seed) -> None:
    case = _case(app, seed)
    analyst = sign_in(UserRole.ANALYST)
    services = app.state.services
    configured = services.evidence
    with serving(FakeAuthority()) as url:
        services.evidence = dataclasses.replace(configured, tsa_url=url)
        made = analyst.client.post(f"/api/v1/cases/{case}/bundle", headers=analyst.headers)
    assert made.status_code == 200, made.text
    assert made.headers["kinlink-timestamp"] == "stamped"
    assert "kinlink-timestamp-problem" not in made.headers
    assert made.headers["content-disposition"].endswith('-evidence-bundle.zip"')
    with zipfile.ZipFile(io.BytesIO(made.content)) as archive:
        assert f"{BAG_ROOT}/timestamp.tsr" in archive.namelist()

    services.evidence = dataclasses.replace(configured, tsa_url=unreachable_url())
    made = analyst.client.post(f"/api/v1/cases/{case}/bundle", headers=analyst.headers)
    assert made.status_code == 200, made.text
    assert made.headers["kinlink-timestamp"] == "failed"
    assert made.headers["kinlink-timestamp-problem"] == "bundle.timestamp_unreachable"
    assert "without a time stamp" in made.headers["kinlink-timestamp-message"]
    assert made.headers["content-disposition"].endswith('-not-time-stamped.zip"')
    checked = analyst.client.post("/api/v1/evidence/verify", headers=analyst.headers,
                                  files={"file": ("bundle.zip", made.content)})
    assert checked.json()["intact"] is True
    assert checked.json()["timestamp"] is None

    services.evidence = configured
    made = analyst.client.post(f"/api/v1/cases/{case}/bundle", headers=analyst.headers)
    assert made.headers["kinlink-timestamp"] == "none"


def test_the_verify_answer_is_in_the_callers_language(
        app: FastAPI, sign_in: SignIn, seed: Seed) -> None:
    case = _case(app, seed)
    analyst = sign_in(UserRole.ANALYST)
    made = analyst.client.post(f"/api/v1/cases/{case}/bundle", headers=analyst.headers)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(made.content)) as archive, \
            zipfile.ZipFile(buffer, "w") as changed:
        for info in archive.infolist():
            if not info.filename.endswith("case-history.jsonl"):
                changed.writestr(info.filename, archive.read(info))
    broken = buffer.getvalue()

    def check(**headers: str) -> dict[str, object]:
        answer = analyst.client.post("/api/v1/evidence/verify",
                                     headers={**analyst.headers, **headers},
                                     files={"file": ("bundle.zip", broken)})
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-language"] == answer.json()["language"]
        found: dict[str, object] = answer.json()
        return found

    path = "data/case-history.jsonl"
    english = check(**{"Accept-Language": "en-GB,en;q=0.8"})
    assert english["language"] == "en"
    assert english["findings"] == [{
        "path": path, "code": "bundle.missing", "params": {"path": path},
        "message": f"{path} is missing: it was removed after the bundle was made"}]
    ukrainian = check(**{"Accept-Language": "uk-UA,uk;q=0.9"})
    assert ukrainian["language"] == "uk"
    [finding] = ukrainian["findings"]  # type: ignore[misc]
    assert finding["code"] == "bundle.missing"
    assert finding["message"].startswith(path)
    assert finding["message"] == f"{path} бракує: його видалено після створення пакета"
    # none of ours asked: the person's own language
    for own in ("uk", "en"):
        chose = analyst.client.put("/api/v1/me/language", headers=analyst.headers,
                                   json={"language": own})
        assert chose.status_code == 204, chose.text
        assert check(**{"Accept-Language": "de"})["language"] == own
        assert check()["language"] == own
