"""The JSON API's bodies: strict inputs (unknown fields refused), explicit outputs.

Inputs forbid extra fields (no mass assignment) and bound every string. Outputs carry
only what the caller's role may see: a record's reporter is ``null`` unless the role may
see contacts. Partial dates are ISO strings of their own precision: ``2014``,
``2014-03`` or ``2014-03-12``.

A read model (a frozen dataclass of a service or use case) whose shape is the wire's is
answered as it is, its docstring documenting it (``RunView``, ``IssueView``,
``SourceInfo``, ``PairKey`` …); a model is defined here only where the wire differs from
the read model, and its docstring says how.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from kinlink.api.children import Explanation
from kinlink.domain.cases import CaseStatus, EvidenceKind
from kinlink.domain.decisions import DecisionVerdict, PairKey
from kinlink.domain.imports import ImportStatus, IssueView, RunView
from kinlink.domain.progress import Stage
from kinlink.domain.records import Reporter, Role, Sex
from kinlink.domain.users import UserRole, UserView
from kinlink.search.records import RawCell, SourceInfo
from kinlink.search.service import Finding, Reason

__all__ = [
    "AgencyIn", "CaseEventOut", "CaseFileOut", "CaseOut", "ChildOut", "CodeIn", "DashboardOut",
    "DecisionIn", "DecisionOut", "EnrolmentOut", "ErrorOut", "HitOut", "JobOut", "LanguageIn",
    "LoginIn", "LoginOut", "MeOut", "PairRecordOut", "PasswordIn", "QueueItemOut", "RecordOut",
    "RunDetailOut", "SearchOut", "ShareIn", "StepOut", "TransitionIn", "UndoIn", "UserCreateIn",
    "UserCreatedOut", "UserPatchIn",
]

PRINTABLE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
Text = Annotated[str, StringConstraints(max_length=200, pattern=PRINTABLE)]
Language = Literal["uk", "en"]
Id = Annotated[int, Field(strict=True, ge=1, le=2**31 - 1)]
"""An id (or a version) in a request body: a JSON integer only. Lax parsing took
``true`` for 1 and ``"7"`` for 7, so ``{"agency_id": true}`` moved a user to agency 1."""
Flag = Annotated[bool, Field(strict=True)]
"""A yes/no in a request body: JSON ``true`` or ``false`` only (not 1, "yes", "on")."""


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorDetail(BaseModel):
    """What went wrong, for people (``message``) and programs (``code``); an unexpected
    failure (500) also has the ``reference`` under which its details were kept, a value
    refused by a rule the ``field`` it was given in. A refusal a service words has its
    wording's stable ``message_code`` and the ``params`` filled into it (statuses and
    other codes as codes), so a client can say it in its reader's language."""

    code: str
    message: str
    message_code: str | None = None
    params: dict[str, object] | None = None
    reference: str | None = None
    field: str | None = None


class ErrorOut(BaseModel):
    """Every error answer: ``{"error": {"code": ..., "message": ...}}``."""

    error: ErrorDetail


class LoginIn(_In):
    """User name and password."""

    username: Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=PRINTABLE)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=128)]


class LoginOut(BaseModel):
    """The next step: ``second_factor`` (enter a code), ``enrol`` (set one up),
    ``change_password`` (signed in with a password kinlink generated: only ``POST
    /api/v1/me/password`` and sign-out are open until it is changed) or ``signed_in``;
    the session's CSRF token for the next request."""

    stage: Literal["second_factor", "enrol", "change_password", "signed_in"]
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


class VarianceOut(BaseModel):
    """How one name part found differs from the part typed: ``kinds`` (codes of
    :class:`kinlink.names.variance.Kind`) and the transliteration ``system`` of a Latin
    form when one writes it exactly so."""

    part: str
    typed: str
    found: str
    kinds: list[str]
    system: str | None


class HitChildOut(BaseModel):
    """The child a record found belongs to, as the agency sees it: ``linked`` to other
    records (``records`` counted with this one; the child page is
    ``/children/{record}``), and the case's id and status when there is one."""

    linked: bool
    records: int
    case: int | None
    case_status: str | None


class HitOut(BaseModel):
    """One record found, with what linkage makes of its name and the typed one.

    ``findings``: per name comparison, the level, its words and its weight in bits;
    ``weight``: their sum; ``score``: that weight as a share of the typed name's own
    (1 only for the levels the typed name finds with itself); ``verdict``: ``same``,
    ``different`` (a comparison weighs against) or ``unsure``; ``reasons``: the name
    engine's finer detail per name part; ``exact``: every part typed is written so (its
    ``score`` is 1, a variant's at most 0.99; ``null`` for a search by birth date
    alone); ``variances``: the kind of each part's difference; ``child``: whether the
    record is linked and its case (``null`` for roles that may not read children). Not
    the read model ``SearchHit``: the ids are named ``record`` and ``source``, the birth
    date is an ISO string."""

    record: int
    score: float | None
    exact: bool
    weight: float
    verdict: str
    variances: list[VarianceOut]
    child: HitChildOut | None
    findings: list[Finding]
    reasons: list[Reason]
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
    born: str | None
    born_from: str | None
    born_to: str | None
    understood_as: list[str]
    hits: list[HitOut]


class RecordOut(BaseModel):
    """One record: parsed fields, the raw row, its source and its import issues;
    ``reporter`` is ``null`` unless the caller's role may see contacts
    (``contact_shown``).

    Not the read model ``RecordDetail``: its dates are ISO strings of their precision."""

    id: int
    record_id: str
    line: int
    role: Role
    given_name: str | None
    surname: str | None
    patronymic: str | None
    full_name: str | None
    sex: Sex | None
    birth_date: str | None
    birth_place: str | None
    last_known_place: str | None
    event_date: str | None
    notes: str | None
    source_text: str | None
    extra: dict[str, str]
    raw: list[RawCell]
    source: SourceInfo
    issues: list[IssueView]
    reporter: Reporter | None
    contact_shown: bool
    institution: str | None = None
    moved_on: str | None = None
    group: str | None = None
    siblings_count: int | None = None


class ShareIn(_In):
    """The agency to share a list with."""

    agency_id: Id


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
    The pairs of the list wait for review at ``/review?source={source_id}``.

    Not the read model ``JobState``: without the agency and the start and end times."""

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
    duplicate: bool = Field(description="Refused because the same file was imported before "
                                        "(as source_id); upload it with force=true to "
                                        "import it again anyway")
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
    agency_id: Id
    language: Language = "uk"


class UserCreatedOut(BaseModel):
    """A created or reset account with its generated password, shown once."""

    user: UserView
    password: str


class UserPatchIn(_In):
    """Changes to a user; fields left out stay as they are."""

    role: UserRole | None = None
    agency_id: Id | None = None
    disabled: Flag | None = None
    language: Language | None = None


class AgencyIn(_In):
    """An agency's name."""

    name: Annotated[str, StringConstraints(min_length=2, max_length=200, pattern=PRINTABLE)]


class CaseEventOut(BaseModel):
    """One step of a case's history: from, to, who (in which role), when, why, and with
    what evidence.

    Not the read model ``CaseEvent``: without the step's and the case's ids."""

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
    owner_id: int | None = None
    owner_since: dt.datetime | None = None
    last_activity_at: dt.datetime | None = None


class CaseloadItemOut(BaseModel):
    """One case of the caseload: the child's name as reported, birth date (ISO, its own
    precision), oblast and place, status, days in it, owner, last activity, pairs
    waiting for review, whether it waits for a mediator's answer."""

    id: int
    status: CaseStatus
    version: int
    sought_record: int
    name: str
    birth_date: str | None
    oblast: str | None
    place: str | None
    in_status_since: dt.datetime
    days_in_status: int
    owner_id: int | None
    owner: str | None
    last_activity_at: dt.datetime
    candidates_waiting: int
    waiting_for_answer: bool


class TeamLoadOut(BaseModel):
    """One person of the agency who may work cases: open cases by status, overdue tasks."""

    user_id: int
    username: str
    role: UserRole
    by_status: dict[str, int]
    open_cases: int
    overdue_tasks: int


class CaseloadOut(BaseModel):
    """A page of the caseload, the total and the pages; ``team`` for supervisors."""

    items: list[CaseloadItemOut]
    total: int
    page: int
    per_page: int
    pages: int
    team: list[TeamLoadOut] | None


class OverdueTaskOut(BaseModel):
    """A task past its due date."""

    id: int
    case_id: int
    title: str
    due_on: dt.date


class WorkOut(BaseModel):
    """What a person sees first: pairs waiting (``null``: the role does not review;
    counted up to 1,001, which means more than 1,000), their open cases by status,
    overdue tasks, the children waiting longest for a mediator's answer, the team's load
    for supervisors."""

    pairs_waiting: int | None
    my_cases: dict[str, int]
    overdue_tasks: list[OverdueTaskOut]
    waiting_longest: list[CaseloadItemOut]
    team: list[TeamLoadOut] | None


class OwnerIn(_In):
    """Who works the case from now: a user's id, or ``null`` for nobody."""

    user_id: Id | None


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
    conflicts: list[PairKey]
    steps: list[StepOut]


class ChildOut(BaseModel):
    """A child: every record linked to ``record`` that the agency sees, side by side
    (``hidden`` counts the others), pairs in conflict, and its cases (histories for
    roles that may read cases)."""

    record: int
    records: list[RecordOut]
    hidden: int
    conflicts: list[PairKey]
    cases: list[CaseOut]
    histories: dict[int, list[CaseEventOut]]


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


class ListedFor(BaseModel):
    """One reason a record is listed among a child's possible identities."""

    reason: str = Field(description="born_near, no_date, no_child_date, given_name, "
                                    "birth_place, last_place, sibling_gap")
    words: str = Field(description="The reason in English words.")


class IdentityOut(BaseModel):
    """A record the child may be under another identity, with the model's view."""

    record: PairRecordOut
    probability: float
    match_weight: float
    explanation: Explanation
    listed_for: list[ListedFor] = Field(
        default_factory=list,
        description="Why the record is listed: born within three months of the child, or "
                    "(a birth date missing) what else ties it to the child.")


class IdentitiesOut(BaseModel):
    """The records a child may be under another identity: those listed by their birth
    date strongest first, then those listed without one strongest first."""

    record: int
    in_window: int = Field(description="Records listed (born within three months of the "
                                       "child, or tied to it without a birth date).")
    considered: int = Field(description="Records of the other role compared with the child.")
    cut: bool = Field(False, description="More records could have been compared than the "
                                         "command compares for one child.")
    model_version: str
    candidates: list[IdentityOut]


class ModelOut(BaseModel):
    """The linkage model in use: where it comes from, its card (every level's m, u and
    weight, prior, thresholds, vetoes, blocking rules) and its scores against people's
    decisions per band of match probability (the shapes of ``kinlink model show
    --json`` and ``kinlink model check --json``)."""

    origin: str
    trained_by: str | None = None
    trained_at: dt.datetime | None = None
    """When the model kept in the store was trained (with its offset; ``None``: the
    packaged model)."""
    card: dict[str, Any]
    check: dict[str, Any]


class WaitingOut(BaseModel):
    """How many pairs wait for a person (overall, with the filters asked, per list) and
    the thresholds they are placed against (``match``: automatic link at or above;
    ``review``: shown to a person from)."""

    total: int
    filtered: int
    by_list: dict[int, int]
    match_threshold: float
    review_threshold: float


class QueueItemOut(BaseModel):
    """A pair waiting for a person: both records and the model's view."""

    low: PairRecordOut
    high: PairRecordOut
    probability: float
    match_weight: float
    unsure: bool
    explanation: Explanation


DecisionText = Annotated[str, StringConstraints(max_length=1000, pattern=PRINTABLE)]
RecordId = Id


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

    version: Id
    target: CaseStatus
    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000,
                                             pattern=PRINTABLE)]
    evidence_kind: EvidenceKind | None = None
    evidence_ref: DecisionText | None = None
