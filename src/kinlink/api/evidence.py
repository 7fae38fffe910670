"""``/api/v1/cases/{id}/bundle`` and ``/api/v1/evidence/verify``: the evidence bundle of a
case, and checking a bundle.

Making a bundle calls :func:`kinlink.usecases.evidence_bundles.bundle_case` as the
signed-in person; the bundle (a BagIt bag in one ZIP, optionally AES-encrypted) is sent as
an attachment with its SHA-256 in ``Digest``, the hash the audit log records, and whether
it is time-stamped in ``Kinlink-Timestamp`` (``stamped``, ``none``: no authority is
configured, ``failed``: the configured one could not be reached or granted none, with the
message's code in ``Kinlink-Timestamp-Problem`` and its English words in
``Kinlink-Timestamp-Message``; the file's name then ends ``-not-time-stamped``). Checking
one calls :func:`kinlink.usecases.evidence.verify_evidence_bundle`: every file missing,
added or altered, each finding's ``message`` in the caller's language (the first of ours
``Accept-Language`` names, else the person's own language; said in ``language`` and
``Content-Language``), with its stable ``code`` and ``params`` for a program.
"""

from __future__ import annotations

import tempfile
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Path, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from kinlink.accounts import SessionView
from kinlink.api.children import actor_of
from kinlink.api.context import Services, Speaker, services
from kinlink.api.deps import allow, csrf_header
from kinlink.domain.limits import MIB
from kinlink.domain.permissions import Action
from kinlink.errors import InputRefusedError
from kinlink.evidence.bundle import UNSTAMPED_LABEL, BundleReceipt, Verification
from kinlink.i18n import N_, Message, Wording, recognised
from kinlink.usecases.documents import Evidence
from kinlink.usecases.evidence import verify_evidence_bundle
from kinlink.usecases.evidence_bundles import bundle_case

__all__ = ["BundleIn", "VerificationOut", "make_bundle", "router", "verification_of"]

_TOO_LARGE = Wording("api.evidence.too_large", N_(
    "file: the bundle is larger than {limit} MB (KINLINK_LIMITS__UPLOAD_MB): check it with "
    "kinlink evidence verify"))

router = APIRouter(tags=["evidence"])
Svc = Annotated[Services, Depends(services)]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


class BundleIn(BaseModel):
    """An optional password: the bundle is then AES-encrypted (send it another way)."""

    model_config = ConfigDict(extra="forbid")
    password: str | None = Field(default=None, max_length=200)


class FindingOut(BaseModel):
    """One file missing, added or altered, and what: the message in the answer's
    language, its stable code and parameters."""

    path: str
    code: str
    message: str
    params: dict[str, object]


class VerificationOut(BaseModel):
    """Whether the bundle is intact, and every finding."""

    intact: bool
    payload_files: int
    case: str | None
    made_at: str | None
    made_by: str | None
    timestamp: str | None
    not_time_stamped: str | None = Field(
        default=None, description="Why a bundle made with a time-stamp authority configured "
                                  "has no stamp (its bag-info says so), in the answer's "
                                  "language")
    language: str
    findings: list[FindingOut]


def make_bundle(ev: Evidence, view: SessionView, case_id: int,
                password: str | None) -> tuple[bytes, BundleReceipt]:
    """The bundle's bytes and receipt (written in a private temporary folder, then read
    and removed); stamped by the configured time-stamp authority, if any."""
    with tempfile.TemporaryDirectory(prefix="kinlink-bundle-") as folder:
        out = FilePath(folder) / "bundle.zip"
        receipt = bundle_case(ev, actor_of(view), case_id, out, password or None)
        return out.read_bytes(), receipt


def bundle_response(case_id: int, data: bytes, receipt: BundleReceipt) -> Response:
    """The bundle as a download that no browser renders, saying whether it is stamped
    (see the module's text): a person downloading it from the page sees it in the file's
    name, a program in the headers."""
    problem = receipt.timestamp_problem
    suffix = "-not-time-stamped" if problem is not None else ""
    headers = {
        "Content-Disposition":
            f'attachment; filename="case-{case_id}-evidence-bundle{suffix}.zip"',
        "Content-Security-Policy": "sandbox; default-src 'none'",
        "Cache-Control": "no-store",
        "Digest": f"sha-256={receipt.sha256}",
        "Kinlink-Timestamp": "stamped" if receipt.timestamped
        else "failed" if problem is not None else "none",
    }
    if problem is not None:
        headers["Kinlink-Timestamp-Problem"] = problem.code
        headers["Kinlink-Timestamp-Message"] = str(problem).encode(
            "ascii", "replace").decode("ascii")
    return Response(data, media_type="application/zip", headers=headers)


def verification_of(result: Verification, speaker: Speaker | None = None,
                    language: str = "en") -> VerificationOut:
    """The result as the API answers it, its words said by ``speaker`` in ``language``
    (English without one)."""
    speaker = speaker or Speaker()
    info = result.bag_info
    unstamped = info.get(UNSTAMPED_LABEL)
    said = recognised(unstamped) if unstamped else None
    return VerificationOut(
        intact=result.intact, payload_files=result.payload_files,
        case=info.get("External-Identifier"), made_at=info.get("Kinlink-Made-At"),
        made_by=info.get("Kinlink-Made-By"),
        timestamp=result.timestamp.isoformat() if result.timestamp else None,
        not_time_stamped=speaker.say(said, language) if isinstance(said, Message) else said,
        language=language,
        findings=[FindingOut(path=f.path, code=f.message.code or "",
                             message=speaker.say(f.message, language),
                             params=f.message.api_params())
                  for f in result.findings])


def verify_upload(data: bytes, password: str | None, limit_mb: int) -> Verification:
    """Check uploaded bundle bytes (in a private temporary file), at most ``limit_mb``."""
    if len(data) > limit_mb * MIB:
        raise InputRefusedError(_TOO_LARGE(limit=f"{limit_mb:,}"), "too_large",
                                field="file")
    with tempfile.TemporaryDirectory(prefix="kinlink-verify-") as folder:
        path = FilePath(folder) / "bundle.zip"
        path.write_bytes(data)
        return verify_evidence_bundle(path, password=password or None)


@router.post("/cases/{case_id}/bundle", dependencies=[Depends(csrf_header)],
             responses={200: {"content": {"application/zip": {}}}})
def bundle(case_id: Id, svc: Svc,
           view: Annotated[SessionView, Depends(allow(Action.EVIDENCE_BUNDLE))],
           body: BundleIn | None = None) -> Response:
    """The evidence bundle of the case (its documents, custody, history and audit events)
    as a ZIP attachment; its SHA-256, in ``Digest``, is recorded in the audit log."""
    data, receipt = make_bundle(svc.evidence, view, case_id,
                                body.password if body else None)
    return bundle_response(case_id, data, receipt)


@router.post("/evidence/verify", response_model=VerificationOut,
             dependencies=[Depends(csrf_header)])
async def verify(file: Annotated[UploadFile, File(description="The bundle (.zip)")],
                 svc: Svc, view: Annotated[SessionView, Depends(allow(Action.DOCUMENTS_VIEW))],
                 request: Request, response: Response,
                 password: Annotated[str, Form(max_length=200)] = "") -> VerificationOut:
    """Check a bundle: every file missing, added or altered (none: intact), said in the
    first of our languages ``Accept-Language`` names, else the person's own."""
    limit = svc.settings.limits.upload_mb
    data = await file.read(limit * MIB + 1)
    result = await run_in_threadpool(verify_upload, data, password, limit)
    language = svc.speaker.language(request.headers.get("accept-language"), view.language)
    response.headers["Content-Language"] = language
    return verification_of(result, svc.speaker, language)
