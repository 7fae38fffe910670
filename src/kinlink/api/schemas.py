"""The JSON API's bodies: strict inputs (unknown fields refused), explicit outputs.

Inputs forbid extra fields (no mass assignment) and bound every string. Outputs carry
only what the caller's role may see: a record's reporter is ``null`` unless the role may
see contacts. Partial dates are ISO strings of their own precision: ``2014``,
``2014-03`` or ``2014-03-12``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from kinlink.domain.users import UserRole

__all__ = [
    "AgencyIn", "AgencyOut", "CodeIn", "DashboardOut", "EnrolmentOut", "ErrorOut", "HitOut",
    "IssueOut", "JobOut", "LanguageIn", "LoginIn", "LoginOut", "MeOut", "PasswordIn",
    "RawCellOut", "RecordOut", "ReporterOut", "RunDetailOut", "RunOut", "SearchOut",
    "ShareIn", "SourceInfoOut", "SourceOut", "UserCreateIn", "UserCreatedOut", "UserOut",
    "UserPatchIn",
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


class SourceOut(BaseModel):
    """A list the agency sees."""

    id: int
    title: str
    kind: str
    role: str
    producer: str | None
    received_on: dt.date | None
    original_filename: str
    imported_by: str
    imported_at: dt.datetime
    records: int
    agency_id: int
    agency: str
    own: bool
    shared_with: list[int]


class ShareIn(_In):
    """The agency to share a list with."""

    agency_id: Annotated[int, Field(ge=1, le=2**31 - 1)]


class RunOut(BaseModel):
    """An import run."""

    id: int
    source_id: int | None
    file: str
    status: str
    started_by: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    rows: int
    imported: int
    rejected: int
    field_errors: int
    blank_lines: int
    message: str | None


class RunDetailOut(BaseModel):
    """A run with its first issues; ``issues_total`` counts them all."""

    run: RunOut
    issues: list[IssueOut]
    issues_total: int
    errors_csv: str
    rejected_csv: str


class JobOut(BaseModel):
    """An upload being imported: progress, then the outcome."""

    id: str
    file: str
    status: Literal["running", "completed", "refused", "failed"]
    rows_done: int
    rows_estimate: int
    run_id: int | None
    source_id: int | None
    imported: int
    rejected: int
    field_errors: int
    message: str | None


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


class UserOut(BaseModel):
    """A user as administrators see them."""

    id: int
    username: str
    role: UserRole
    agency_id: int
    agency: str
    language: str
    disabled: bool
    second_factor: bool
    locked_until: dt.datetime | None
    created_at: dt.datetime


class UserCreateIn(_In):
    """A new user: name, role, agency, interface language."""

    username: Annotated[str, StringConstraints(min_length=2, max_length=64,
                                               pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    role: UserRole
    agency_id: Annotated[int, Field(ge=1, le=2**31 - 1)]
    language: Language = "uk"


class UserCreatedOut(BaseModel):
    """A created or reset account with its generated password, shown once."""

    user: UserOut
    password: str


class UserPatchIn(_In):
    """Changes to a user; fields left out stay as they are."""

    role: UserRole | None = None
    agency_id: Annotated[int | None, Field(ge=1, le=2**31 - 1)] = None
    disabled: bool | None = None
    language: Language | None = None


class AgencyOut(BaseModel):
    """An agency."""

    id: int
    name: str
    users: int


class AgencyIn(_In):
    """An agency's name."""

    name: Annotated[str, StringConstraints(min_length=2, max_length=200, pattern=PRINTABLE)]
