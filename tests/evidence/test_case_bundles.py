"""The evidence bundle of a case (``bundle_case``): the originals of the case's and its
child's documents byte for byte, with texts, collection records, custody, history and the
audit events of this child only; it verifies, and fails once a byte is changed; its hash
is in the audit chain; another agency, or a role that may not, cannot make it. On SQLite
and PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from fake_tsa import GEN_TIME, FakeAuthority, RefusingAuthority, serving, unreachable_url
from kinlink.accounts.admin import AccountAdmin
from kinlink.config import Settings
from kinlink.domain.access import Actor
from kinlink.domain.documents import Attachment, AttachmentKind, DerivedKind
from kinlink.domain.users import UserRole
from kinlink.errors import AccessDeniedError, NotFoundError
from kinlink.evidence import ContentStore
from kinlink.evidence.bundle import BAG_ROOT, UNSTAMPED_LABEL, TimestampAuthority, verify_bundle
from kinlink.storage import Store
from kinlink.storage.documents import DocumentRepository
from kinlink.storage.tables import AuditEventRow
from kinlink.usecases.documents import Evidence, restrict_document, upload_document
from kinlink.usecases.evidence_bundles import bundle_case
from scopeworld import COLLECTION, AgencyWorld, build
from storecopies import WorldBuilder

ORDER = b"%PDF-1.4\n% an order of the occupation authority\n%%EOF\n"
SECRET = b"%PDF-1.4\n% a witness statement, for supervisors only\n%%EOF\n"
TEXT = "вивезли Олександра Петренка".encode()


@pytest.fixture
def evidence(store: Store, tmp_path: Path) -> Evidence:
    return Evidence(store, ContentStore(tmp_path / "evidence"), 2**20)


def _world(store: Store, settings: Settings, folder: Path) -> dict[str, AgencyWorld]:
    """Both agencies (:mod:`scopeworld`); A's case also has an order on the child's
    found record (with its extracted text) and a statement restricted to supervisors."""
    evidence = Evidence(store, ContentStore(folder / "evidence"), 2**20)
    other = AccountAdmin(store).create_agency("test", "NGO hotline").id
    made = build(store, folder, other, evidence)
    a = made["A"]
    order = upload_document(evidence, a.worker, ORDER, "order.pdf",
                            Attachment(AttachmentKind.RECORD, a.records["F1"]),
                            dict(COLLECTION))
    with store.transaction() as session:
        DocumentRepository(session).add_derived(
            document_id=order.id, kind=DerivedKind.TEXT, tool="pdf", tool_version="1",
            sha256=evidence.content.put(TEXT), media_type="text/plain",
            created_at=dt.datetime.now(dt.UTC))
    secret = upload_document(evidence, a.worker, SECRET, "statement.pdf",
                             Attachment(AttachmentKind.CASE, a.ids["case"]), dict(COLLECTION))
    restrict_document(evidence, a.boss, secret.id, ["supervisor"])
    a.ids |= {"order": order.id, "secret": secret.id}
    return made


@pytest.fixture
def store_world() -> WorldBuilder:
    """Each test starts from a copy of :func:`_world`, built once per session
    (:mod:`storecopies`): its store, and its content store in ``tmp_path / "evidence"``."""
    return _world


@pytest.fixture
def world(built_world: dict[str, AgencyWorld]) -> dict[str, AgencyWorld]:
    """The ids of :func:`_world` in this test's copy of it."""
    return built_world


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {i.filename.removeprefix(f"{BAG_ROOT}/"): archive.read(i)
                for i in archive.infolist()}


def _events(store: Store, action: str) -> list[AuditEventRow]:
    with store.transaction() as session:
        rows = session.execute(select(AuditEventRow).where(AuditEventRow.action == action)
                               .order_by(AuditEventRow.id)).scalars()
        return [r for r in rows if session.expunge(r) is None]


def test_the_bundle_holds_every_original_byte_for_byte_and_verifies(
        store: Store, evidence: Evidence, world: dict[str, AgencyWorld],
        tmp_path: Path) -> None:
    a = world["A"]
    out = tmp_path / "case.zip"
    receipt = bundle_case(evidence, a.boss, a.ids["case"], out)
    assert verify_bundle(out).intact
    members = _members(out)
    originals = {p: c for p, c in members.items() if p.startswith("data/originals/")}
    for content in (ORDER, SECRET):
        name = f"data/originals/{hashlib.sha256(content).hexdigest()}.pdf"
        assert originals[name] == content
    # one original per distinct content among the bundled documents (originals are
    # content-addressed): scopeworld's scan, its family photograph and the profile PDF
    # holding it, the order, the statement
    shas = {json.loads(c)["sha256"] for p, c in members.items()
            if p.startswith("data/collection/document-")}
    assert len(shas) == 5
    assert {p.split("/")[-1].split(".")[0] for p in originals} == shas
    assert all(hashlib.sha256(c).hexdigest() in p for p, c in originals.items())
    assert f"data/text/{hashlib.sha256(TEXT).hexdigest()}.txt" in members
    assert any(p.startswith("data/working/") for p in members)  # the scan's working copy
    order = json.loads(members[f"data/collection/document-{a.ids['order']}.json"])
    assert order["sha256"] == hashlib.sha256(ORDER).hexdigest()
    assert order["attached_to"] == {"kind": "record", "id": a.records["F1"]}
    history = [json.loads(line) for line in members["data/case-history.jsonl"].splitlines()]
    assert {"located", "identity_verified"} <= {h["to"] for h in history}
    custody = [json.loads(line) for line in members["data/custody.jsonl"].splitlines()]
    assert {c["action"] for c in custody} >= {"document.uploaded", "document.restricted"}
    # the audit events are about this case, its documents and its child's records only
    audit = [json.loads(line) for line in members["data/audit.jsonl"].splitlines()]
    bundled = {p.removeprefix("data/collection/document-").removesuffix(".json")
               for p in members if p.startswith("data/collection/document-")}
    assert {str(a.ids[d]) for d in ("document", "order", "secret")} <= bundled
    allowed = {("case", str(a.ids["case"]))} | {("document", d) for d in bundled}
    bundled_ids = bundled
    records = {("record", str(a.records[r])) for r in ("R1", "F1")}
    assert {(e["entity_type"], e["entity_id"]) for e in audit} - allowed - records == set()
    assert ("case", str(a.ids["other_case"])) not in {
        (e["entity_type"], e["entity_id"]) for e in audit}
    # the bundle's own hash is in the audit chain, with no name in it
    made = _events(store, "evidence.bundle_made")
    assert [(e.entity_id, e.details["sha256"]) for e in made] == [
        (str(a.ids["case"]), receipt.sha256)]
    assert receipt.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    assert "Петренк" not in json.dumps(made[0].details)
    bundled = _events(store, "document.bundled")
    assert {e.details["bundle_sha256"] for e in bundled} == {receipt.sha256}
    assert {e.entity_id for e in bundled} == bundled_ids  # one custody step each


def test_a_flipped_byte_fails_verification(evidence: Evidence, world: dict[str, AgencyWorld],
                                           tmp_path: Path) -> None:
    a = world["A"]
    out = tmp_path / "case.zip"
    bundle_case(evidence, a.boss, a.ids["case"], out)
    members = _members(out)
    name = f"data/originals/{hashlib.sha256(ORDER).hexdigest()}.pdf"
    changed = bytearray(members[name])
    changed[10] ^= 0x01
    members[name] = bytes(changed)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, content in members.items():
            archive.writestr(f"{BAG_ROOT}/{path}", content)
    out.write_bytes(buffer.getvalue())
    result = verify_bundle(out)
    assert not result.intact
    assert [f.path for f in result.findings] == [name]


def test_an_encrypted_bundle_verifies_with_its_password(
        evidence: Evidence, world: dict[str, AgencyWorld], tmp_path: Path) -> None:
    a = world["A"]
    out = tmp_path / "case.zip"
    receipt = bundle_case(evidence, a.boss, a.ids["case"], out, "long enough password 1")
    assert receipt.encrypted
    assert verify_bundle(out, password="long enough password 1").intact
    assert b"originals" not in out.read_bytes()


def test_a_restricted_document_stays_out_of_an_analysts_bundle(
        evidence: Evidence, world: dict[str, AgencyWorld], tmp_path: Path) -> None:
    a = world["A"]
    analyst = Actor("A-analyst", UserRole.ANALYST, a.agency_id)
    out = tmp_path / "case.zip"
    bundle_case(evidence, analyst, a.ids["case"], out)
    members = _members(out)
    assert f"data/originals/{hashlib.sha256(SECRET).hexdigest()}.pdf" not in members
    assert f"data/collection/document-{a.ids['secret']}.json" not in members
    assert f"data/originals/{hashlib.sha256(ORDER).hexdigest()}.pdf" in members


def test_another_agency_and_a_case_worker_cannot_bundle_the_case(
        store: Store, evidence: Evidence, world: dict[str, AgencyWorld],
        tmp_path: Path) -> None:
    a, b = world["A"], world["B"]
    out = tmp_path / "case.zip"
    refused = len(_events(store, "scope.refused"))
    with pytest.raises(NotFoundError):
        bundle_case(evidence, b.boss, a.ids["case"], out)
    assert not out.exists()
    assert len(_events(store, "scope.refused")) == refused + 1
    with pytest.raises(AccessDeniedError):
        bundle_case(evidence, a.worker, a.ids["case"], out)
    assert not out.exists()
    assert _events(store, "evidence.bundle_made") == []


def test_the_configured_time_stamp_authority_stamps_the_bundle(
        store: Store, evidence: Evidence, world: dict[str, AgencyWorld],
        tmp_path: Path) -> None:
    out = tmp_path / "case.zip"
    with serving(FakeAuthority()) as url:
        stamping = dataclasses.replace(evidence, tsa_url=url)
        receipt = bundle_case(stamping, world["A"].boss, world["A"].ids["case"], out)
    assert receipt.timestamped
    assert receipt.timestamp_problem is None
    checked = verify_bundle(out)
    assert checked.intact, checked.findings
    assert checked.timestamp == GEN_TIME
    assert checked.bag_info["Kinlink-Timestamp-Authority"] == url
    made = _events(store, "evidence.bundle_made")[-1].details
    assert (made["timestamped"], made["timestamp_problem"]) == (True, None)


@pytest.mark.parametrize(("authority", "code"), [
    (None, "bundle.timestamp_unreachable"),
    (RefusingAuthority, "bundle.timestamp_not_granted")])
def test_an_authority_that_cannot_stamp_leaves_the_bundle_made_unstamped_and_saying_so(
        store: Store, evidence: Evidence, world: dict[str, AgencyWorld], tmp_path: Path,
        authority: type[FakeAuthority] | None, code: str) -> None:
    out = tmp_path / "case.zip"
    a = world["A"]
    if authority is None:
        url = unreachable_url()
        receipt = bundle_case(dataclasses.replace(evidence, tsa_url=url), a.boss,
                              a.ids["case"], out)
    else:
        with serving(authority()) as url:
            receipt = bundle_case(dataclasses.replace(evidence, tsa_url=url), a.boss,
                                  a.ids["case"], out)
    assert not receipt.timestamped
    assert receipt.timestamp_problem is not None
    assert receipt.timestamp_problem.code == code
    assert url in receipt.timestamp_problem
    assert "without" in receipt.timestamp_problem
    checked = verify_bundle(out)
    assert checked.intact, checked.findings  # no token asked of the verifier
    assert checked.timestamp is None
    assert "Kinlink-Timestamp-Authority" not in checked.bag_info
    assert checked.bag_info[UNSTAMPED_LABEL] == str(receipt.timestamp_problem)
    assert f"data/originals/{hashlib.sha256(ORDER).hexdigest()}.pdf" in _members(out)
    made = _events(store, "evidence.bundle_made")[-1].details
    assert (made["timestamped"], made["timestamp_problem"]) == (False, code)
    assert made["sha256"] == receipt.sha256


def test_an_explicit_authority_overrides_the_configured_one(
        evidence: Evidence, world: dict[str, AgencyWorld], tmp_path: Path) -> None:
    out = tmp_path / "case.zip"
    with serving(FakeAuthority()) as url:
        receipt = bundle_case(dataclasses.replace(evidence, tsa_url=unreachable_url()),
                              world["A"].boss, world["A"].ids["case"], out,
                              timestamp=TimestampAuthority(url))
    assert receipt.timestamped
    assert verify_bundle(out).bag_info["Kinlink-Timestamp-Authority"] == url
