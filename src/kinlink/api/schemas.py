"""The JSON API's bodies: strict inputs (unknown fields refused), explicit outputs.

Inputs forbid extra fields (no mass assignment) and bound every string. Outputs carry
only what the caller's role may see: a record's reporter is ``null`` unless the role may
see contacts. Partial dates are ISO strings of their own precision: ``2014``,
``2014-03`` or ``2014-03-12``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from kinlink.domain.cases import CaseStatus, EvidenceKind
from kinlink.domain.decisions import DecisionVerdict
from kinlink.domain.imports import ImportStatus, IssueView, RunView
from kinlink.domain.progress import Stage
from kinlink.domain.records import Role, Sex
from kinlink.domain.users import UserRole, UserView

__all__ = [
    "AgencyIn", "CaseEventOut", "CaseFileOut", "CaseOut", "ChildOut",
    "CodeIn", "DashboardOut", "DecisionIn", "DecisionOut", "EnrolmentOut", "ErrorOut",
    "ExplanationOut", "FieldReasonOut", "HitOut", "IssueOut", "JobOut", "LanguageIn",
    "LoginIn", "LoginOut", "MeOut", "PairOut", "PairRecordOut", "PasswordIn",
    "QueueItemOut", "RawCellOut", "RecordOut", "ReporterOut", "RunDetailOut",
    "SearchOut", "ShareIn", "SourceInfoOut", "StepOut", "TransitionIn",
    "UndoIn", "UserCreateIn", "UserCreatedOut", "UserPatchIn",
]

PRINTABLE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
Text = Annotated[str, StringConstraints(max_length=200, pattern=PRINTABLE)]
Language = Literal["uk", "en"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorDetail(BaseModel):
    """What went wrong, for people (``message``) and programs (``code``)."""

    code: str
    message: str


class ErrorOut(BaseModel):
    """Every error answer: ``{"error": {"code": ..., "message": ...}}``."""

    error: ErrorDetail


class LoginIn(_In):
    """User name and password."""

    username: Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=PRINTABLE)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=128)]


class LoginOut(BaseModel):
    """The next step: ``second_factor`` (enter a code), ``enrol`` (set one up) or
    ``signed_in``; the session's CSRF token for the next request."""

    stage: Literal["second_factor", "enrol", "signed_in"]
    csrf_token: str


class CodeIn(_In):
    """A six-digit code from the authenticator app."""

    code: Annotated[str, StringConstraints(pattern=r"^\s*\d{3}\s?\d{3}\s*$")]


class EnrolmentOut(BaseModel):
    """The second factor to set up, shown once: secret and ``otpauth://`` URI."""

    secret: str
    otpauth_uri: str


class MeOut(BaseModel):
    """The signed-in person and what their role allows."""

    username: str
    role: UserRole
    agency_id: int
    language: Language
    csrf_token: str
    actions: list[str]


class LanguageIn(_In):
    """The interface language."""

    language: Language


class PasswordIn(_In):
    """A new password, with the current one."""

    current: Annotated[str, StringConstraints(min_length=1, max_length=128)]
    new: Annotated[str, StringConstraints(min_length=1, max_length=128)]


class ReasonOut(BaseModel):
    """One name part compared, in words."""

    part: str
    typed: str
    found: str
    similarity: float
    reason: str


class HitOut(BaseModel):
    """One record found."""

    record: int
    score: float
    verdict: str
    reasons: list[ReasonOut]
    given_name: str | None
    surname: str | None
    patronymic: str | None
    full_name: str | None
    sex: str | None
    birth_date: str | None
    birth_place: str | None
    role: str
    source: int
    source_title: str
    source_kind: str


class SearchOut(BaseModel):
    """A page of ranked records."""

    total: int
    capped: bool
    offset: int
    limit: int
    birth_year: int | None
    understood_as: list[str]
    hits: list[HitOut]


class RawCellOut(BaseModel):
    """A cell of the row as imported; ``withheld`` cells are empty."""

    column: str
    value: str
    withheld: bool


class SourceInfoOut(BaseModel):
    """Where a record came from."""

    id: int
    title: str
    kind: str
    role: str
    producer: str | None
    received_on: dt.date | None
    original_filename: str
    sha256: str
    imported_by: str
    imported_at: dt.datetime
    agency_id: int


class IssueOut(BaseModel):
    """A problem found at import."""

    line: int
    column: str | None
    severity: str = "field"
    code: str
    message: str
    value: str | None


class ReporterOut(BaseModel):
    """Who reported the child (roles allowed to see contacts only)."""

    name: str | None
    relationship: str | None
    contact: str | None


class RecordOut(BaseModel):
    """One record: parsed fields, the raw row, its source and its import issues."""

    id: int
    record_id: str
    line: int
    role: str
    given_name: str | None
    surname: str | None
    patronymic: str | None
    full_name: str | None
    sex: str | None
    birth_date: str | None
    birth_place: str | None
    last_known_place: str | None
    event_date: str | None
    notes: str | None
    source_text: str | None
    extra: dict[str, str]
    raw: list[RawCellOut]
    source: SourceInfoOut
    issues: list[IssueOut]
    reporter: ReporterOut | None
    contact_shown: bool


class ShareIn(_In):
    """The agency to share a list with."""

    agency_id: Annotated[int, Field(ge=1, le=2**31 - 1)]


class RunDetailOut(BaseModel):
    """A run with its first issues; ``issues_total`` counts them all."""

    run: RunView
    issues: list[IssueView]
    issues_total: int
    errors_csv: str
    rejected_csv: str


class JobOut(BaseModel):
    """An upload being imported, then linked and its cases opened (unless ``link`` is
    false): the stage with ``done`` of ``total`` (0: not known yet), then the counts.
    The pairs of the list wait for review at ``/review?source={source_id}``."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    file: str
    link: bool
    status: ImportStatus
    stage: Stage
    done: int
    total: int
    run_id: int | None
    source_id: int | None
    imported: int
    rejected: int
    field_errors: int
    pairs: int
    matches: int
    reviews: int
    cases_opened: int
    message: str | None
    cancel_requested: bool


class CountOut(BaseModel):
    """One bar of a chart."""

    label: str | None
    count: int


class DashboardOut(BaseModel):
    """The dashboard's counts (``label: null`` in regions: other or unknown)."""

    records: int
    sources: int
    by_role: list[CountOut]
    by_kind: list[CountOut]
    by_region: list[CountOut]
    by_month: list[CountOut]
    imports_by_month: list[CountOut]


class UserCreateIn(_In):
    """A new user: name, role, agency, interface language."""

    username: Annotated[str, StringConstraints(min_length=2, max_length=64,
                                               pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    role: UserRole
    agency_id: Annotated[int, Field(ge=1, le=2**31 - 1)]
    language: Language = "uk"


class UserCreatedOut(BaseModel):
    """A created or reset account with its generated password, shown once."""

    user: UserView
    password: str


class UserPatchIn(_In):
    """Changes to a user; fields left out stay as they are."""

    role: UserRole | None = None
    agency_id: Annotated[int | None, Field(ge=1, le=2**31 - 1)] = None
    disabled: bool | None = None
    language: Language | None = None


class AgencyIn(_In):
    """An agency's name."""

    name: Annotated[str, StringConstraints(min_length=2, max_length=200, pattern=PRINTABLE)]


class PairOut(BaseModel):
    """Two records, smaller id first."""

    low: int
    high: int


class CaseEventOut(BaseModel):
    """One step of a case's history."""

    model_config = ConfigDict(from_attributes=True)

    at: dt.datetime
    from_status: CaseStatus | None
    to_status: CaseStatus
    actor: str
    role: UserRole
    reason: str
    evidence_kind: EvidenceKind | None
    evidence_ref: str | None


class CaseOut(BaseModel):
    """A reported child's case; send ``version`` back to move it."""

    id: int
    sought_record: int
    status: CaseStatus
    version: int
    opened_at: dt.datetime
    updated_at: dt.datetime


class StepOut(BaseModel):
    """A step a case may take next, in the caller's role, and what it needs."""

    target: CaseStatus
    evidence: list[EvidenceKind]
    needs_found_record: bool
    rule: str


class CaseFileOut(BaseModel):
    """A case with its history, the child's records the agency sees (``hidden``: how
    many it does not), conflicts, and the steps the caller may take."""

    case: CaseOut
    history: list[CaseEventOut]
    records: list[RecordOut]
    hidden: int
    conflicts: list[PairOut]
    steps: list[StepOut]


class ChildOut(BaseModel):
    """A child: every record linked to ``record`` that the agency sees, side by side
    (``hidden`` counts the others), pairs in conflict, and its cases (histories for
    roles that may read cases)."""

    record: int
    records: list[RecordOut]
    hidden: int
    conflicts: list[PairOut]
    cases: list[CaseOut]
    histories: dict[int, list[CaseEventOut]]


class FieldReasonOut(BaseModel):
    """One field compared by the model: the values, in words, with its weight
    (positive for the same child, negative against)."""

    field: str
    level: str | None
    left: str | None
    right: str | None
    words: str
    weight: float


class ExplanationOut(BaseModel):
    """Why the model scored a pair as it did."""

    fields: list[FieldReasonOut]
    prior_weight: float | None
    match_weight: float | None
    probability: float | None
    decision: str | None
    veto: str | None


class PairRecordOut(BaseModel):
    """A record of a pair to review, as compared."""

    id: int
    record_id: str
    role: Role
    source: int
    given_name: str | None
    surname: str | None
    patronymic: str | None
    full_name: str | None
    sex: Sex | None
    birth_date: str | None
    birth_place: str | None
    last_known_place: str | None
    event_date: str | None


class IdentityOut(BaseModel):
    """A record the child may be under another identity, with the model's view."""

    record: PairRecordOut
    probability: float
    match_weight: float
    explanation: ExplanationOut


class IdentitiesOut(BaseModel):
    """The records a child may be under another identity, strongest first."""

    record: int
    in_window: int
    considered: int
    model_version: str
    candidates: list[IdentityOut]


class ModelOut(BaseModel):
    """The linkage model in use: where it comes from, its card (every level's m, u and
    weight, prior, thresholds, vetoes, blocking rules) and its scores against people's
    decisions per band of match probability (the shapes of ``kinlink model show
    --json`` and ``kinlink model check --json``)."""

    origin: str
    card: dict[str, Any]
    check: dict[str, Any]


class QueueItemOut(BaseModel):
    """A pair waiting for a person: both records and the model's view."""

    low: PairRecordOut
    high: PairRecordOut
    probability: float
    match_weight: float
    unsure: bool
    explanation: ExplanationOut


DecisionText = Annotated[str, StringConstraints(max_length=1000, pattern=PRINTABLE)]
RecordId = Annotated[int, Field(ge=1, le=2**31 - 1)]


class DecisionIn(_In):
    """Two records, the verdict (``same``, ``different`` or ``unsure``) and why."""

    a: RecordId
    b: RecordId
    verdict: DecisionVerdict
    note: DecisionText | None = None

    @field_validator("verdict")
    @classmethod
    def _not_none(cls, verdict: DecisionVerdict) -> DecisionVerdict:
        if verdict is DecisionVerdict.NONE:
            raise ValueError("decide same, different or unsure; to take a decision back, "
                             "undo it")
        return verdict


class UndoIn(_In):
    """Two records whose decision in force is taken back, and why."""

    a: RecordId
    b: RecordId
    note: DecisionText | None = None


class DecisionOut(BaseModel):
    """A decision now in force; ``cases_opened`` by a ``same`` decision."""

    id: int
    low: int
    high: int
    verdict: DecisionVerdict
    actor: str
    decided_at: dt.datetime
    note: str | None
    supersedes: int | None
    cases_opened: int = 0


class TransitionIn(_In):
    """Move a case: the version read (a newer one answers 409), the target, why, and
    the evidence the step needs."""

    version: Annotated[int, Field(ge=1, le=2**31 - 1)]
    target: CaseStatus
    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000,
                                             pattern=PRINTABLE)]
    evidence_kind: EvidenceKind | None = None
    evidence_ref: DecisionText | None = None
