"""The permission matrix: which roles may take which action. The only place it lives.

Every route of the API and of the web pages declares one :class:`Action` (through
``kinlink.api.deps.allow``); a test walks every route and every role against this table.
Deny by default: an action not listed for a role is refused with 403 and audited.
What a person sees *within* an allowed action is scoped by agency in the services (their
agency's lists and those shared with it); an object outside that scope answers 404.

Least privilege: the administrator manages people and agencies and may search and read
records (to help and check imports) but never sees who reported a child or how to reach
them; only supervisors and case workers, who contact families, do. Analysts and
mediator liaisons import lists but see no contacts. Viewers read only.

The child page, review and cases agree with :mod:`kinlink.review.service`: a child's
file and cases are read by every role but viewers (a child's records gathered in one
place are more than a viewer needs; the administrator sees children, to check links, but
not the case work), pairs are decided by reviewers, case workers and supervisors, and a
case is moved by case workers, supervisors and mediator liaisons, each step then checked
against the workflow's table (:data:`kinlink.domain.cases.TRANSITIONS`).

Mediation's use cases (:mod:`kinlink.usecases.channels`, :mod:`~kinlink.usecases.lists`,
:mod:`~kinlink.usecases.answers`) require these actions and hold no role set of their
own: only supervisors define channels (what may leave kinlink through each); mediator
liaison officers and supervisors read channels, build, export and send lists and import,
settle and apply answers; case workers, who gather a child's documents, may also attach
a photograph for the dossier.

The linkage model's page (what each finding weighs, and its scores against people's
decisions: counts, no child) is for those who link records or check the linking:
administrators, supervisors, case workers, reviewers and analysts.

A case worker's day (issue 15): supervisors and case workers, who talk with families,
register reports and found children, correct records, record or withdraw consent, take a
case, log contacts and set tasks; only supervisors assign a case to someone else.

Evidence documents (issue 17) are read by those who read cases, added and attached by
those who gather them (supervisors, case workers, analysts, mediator liaisons); only
supervisors restrict a document to named roles (then only those roles reach it). The
evidence bundle of a case (its documents with their custody, history and audit events, for
a prosecutor) is made by investigators (analysts) and supervisors; checking a bundle is
open to everyone who reads documents.

Public statistics (issue 18): releases are prepared, published and withdrawn by
administrators and supervisors, who alone see a release's raw counts before disclosure
control; only an administrator switches the agency's public page on or off.

Checking the audit log (``kinlink audit verify``) and writing its checkpoint are the
supervisors' and administrators' work; backing up and restoring the whole store
(``kinlink backup``, ``kinlink restore``) is the administrators'.

Keeping and letting go (issue 19): supervisors and administrators see the legal holds and
the retention rules, erase personal data on request and set and apply the rules; only
supervisors place and lift a legal hold (a hold answers a prosecutor or a court, which
the people doing casework deal with).
"""

from __future__ import annotations

from enum import StrEnum

from kinlink.domain.access import Actor
from kinlink.domain.users import UserRole
from kinlink.errors import AccessDeniedError
from kinlink.i18n import N_, Wording

__all__ = ["MATRIX", "Action", "allowed", "require", "roles_for"]

A = UserRole.ADMIN
S = UserRole.SUPERVISOR
C = UserRole.CASE_WORKER
R = UserRole.REVIEWER
N = UserRole.ANALYST
M = UserRole.MEDIATOR_LIAISON
V = UserRole.VIEWER
EVERYONE = frozenset(UserRole)


class Action(StrEnum):
    """Something a signed-in person can ask kinlink to do."""

    ACCOUNT_SELF = "account.self"
    DASHBOARD_VIEW = "dashboard.view"
    RECORDS_SEARCH = "records.search"
    RECORDS_READ = "records.read"
    RECORDS_CONTACT = "records.contact"
    RECORDS_REGISTER = "records.register"
    RECORDS_CORRECT = "records.correct"
    RECORDS_CONSENT = "records.consent"
    SOURCES_VIEW = "sources.view"
    SOURCES_SHARE = "sources.share"
    IMPORTS_VIEW = "imports.view"
    IMPORTS_CREATE = "imports.create"
    ADMIN_USERS = "admin.users"
    ADMIN_AGENCIES = "admin.agencies"
    CHILD_VIEW = "child.view"
    REVIEW_VIEW = "review.view"
    REVIEW_DECIDE = "review.decide"
    CASES_VIEW = "cases.view"
    CASES_TRANSITION = "cases.transition"
    CASES_ASSIGN = "cases.assign"
    CASES_WORK = "cases.work"
    MEDIATION_VIEW = "mediation.view"
    MEDIATION_CHANNELS = "mediation.channels"
    MEDIATION_LISTS = "mediation.lists"
    MEDIATION_ANSWERS = "mediation.answers"
    MEDIATION_PHOTOS = "mediation.photos"
    DOCUMENTS_VIEW = "documents.view"
    DOCUMENTS_ADD = "documents.add"
    DOCUMENTS_RESTRICT = "documents.restrict"
    EVIDENCE_BUNDLE = "evidence.bundle"
    MODEL_VIEW = "model.view"
    AUDIT_VERIFY = "audit.verify"
    AUDIT_KEYS = "audit.keys"
    STATISTICS_PUBLISH = "statistics.publish"
    STATISTICS_SWITCH = "statistics.switch"
    HOLDS_VIEW = "holds.view"
    HOLDS_MANAGE = "holds.manage"
    DATA_ERASE = "data.erase"
    RETENTION_VIEW = "retention.view"
    RETENTION_MANAGE = "retention.manage"
    STORE_BACKUP = "store.backup"

    @property
    def words(self) -> str:
        """What the action does, to finish "… may not": ``decide whether …``."""
        return _WORDS[self].removeprefix("{role} may not ")


_WORDS: dict[Action, str] = {
    Action.ACCOUNT_SELF: N_("{role} may not manage their own account"),
    Action.DASHBOARD_VIEW: N_("{role} may not see the dashboard"),
    Action.RECORDS_SEARCH: N_("{role} may not search records"),
    Action.RECORDS_READ: N_("{role} may not read records"),
    Action.RECORDS_CONTACT: N_("{role} may not see who reported a child and how to reach them"),
    Action.RECORDS_REGISTER: N_("{role} may not register a report or a found child"),
    Action.RECORDS_CORRECT: N_("{role} may not correct a record"),
    Action.RECORDS_CONSENT: N_("{role} may not record or withdraw a reporter's consent"),
    Action.SOURCES_VIEW: N_("{role} may not see the lists"),
    Action.SOURCES_SHARE: N_("{role} may not share lists with other agencies"),
    Action.IMPORTS_VIEW: N_("{role} may not see imports"),
    Action.IMPORTS_CREATE: N_("{role} may not import lists"),
    Action.ADMIN_USERS: N_("{role} may not manage users"),
    Action.ADMIN_AGENCIES: N_("{role} may not manage agencies"),
    Action.CHILD_VIEW: N_("{role} may not read a child's file"),
    Action.REVIEW_VIEW: N_("{role} may not see the review queue"),
    Action.REVIEW_DECIDE: N_("{role} may not decide whether two records are the same child"),
    Action.CASES_VIEW: N_("{role} may not read cases"),
    Action.CASES_TRANSITION: N_("{role} may not move a case"),
    Action.CASES_ASSIGN: N_("{role} may not assign a case to a person"),
    Action.CASES_WORK: N_("{role} may not take a case, log contacts and set tasks"),
    Action.MEDIATION_VIEW: N_("{role} may not see mediation channels and lists"),
    Action.MEDIATION_CHANNELS: N_("{role} may not define mediation channels"),
    Action.MEDIATION_LISTS: N_("{role} may not build, export and send lists for mediation"),
    Action.MEDIATION_ANSWERS: N_("{role} may not import, settle and apply answers to lists"),
    Action.MEDIATION_PHOTOS: N_("{role} may not attach photographs to cases"),
    Action.DOCUMENTS_VIEW: N_("{role} may not read evidence documents"),
    Action.DOCUMENTS_ADD: N_("{role} may not add evidence documents or attach them"),
    Action.DOCUMENTS_RESTRICT: N_("{role} may not restrict evidence documents to named roles"),
    Action.EVIDENCE_BUNDLE: N_("{role} may not make the evidence bundle of a case"),
    Action.MODEL_VIEW: N_("{role} may not see the linkage model"),
    Action.AUDIT_VERIFY: N_("{role} may not verify the audit log or write its checkpoint"),
    Action.AUDIT_KEYS: N_("{role} may not replace the audit log's key"),
    Action.STATISTICS_PUBLISH: N_("{role} may not prepare, publish or withdraw public "
                                  "statistics"),
    Action.STATISTICS_SWITCH: N_("{role} may not switch the public statistics page on or off"),
    Action.HOLDS_VIEW: N_("{role} may not see legal holds"),
    Action.HOLDS_MANAGE: N_("{role} may not place or lift legal holds"),
    Action.DATA_ERASE: N_("{role} may not erase personal data"),
    Action.RETENTION_VIEW: N_("{role} may not see the retention rules"),
    Action.RETENTION_MANAGE: N_("{role} may not set or apply the retention rules"),
    Action.STORE_BACKUP: N_("{role} may not back up or restore the store"),
}

_REFUSALS = {action: Wording(f"permissions.may_not.{action.value}", template,
                             terms={"role": UserRole}) for action, template in _WORDS.items()}
"""The refusal of each action, said of a role (the role shown by its label on a page)."""


MATRIX: dict[Action, frozenset[UserRole]] = {
    Action.ACCOUNT_SELF: EVERYONE,
    Action.DASHBOARD_VIEW: EVERYONE,
    Action.RECORDS_SEARCH: EVERYONE,
    Action.RECORDS_READ: EVERYONE,
    Action.RECORDS_CONTACT: frozenset({S, C}),
    Action.RECORDS_REGISTER: frozenset({S, C}),
    Action.RECORDS_CORRECT: frozenset({S, C}),
    Action.RECORDS_CONSENT: frozenset({S, C}),
    Action.SOURCES_VIEW: EVERYONE,
    Action.SOURCES_SHARE: frozenset({A, S}),
    Action.IMPORTS_VIEW: frozenset({A, S, C, N, M}),
    Action.IMPORTS_CREATE: frozenset({S, C, N, M}),
    Action.ADMIN_USERS: frozenset({A}),
    Action.ADMIN_AGENCIES: frozenset({A}),
    Action.CHILD_VIEW: frozenset({A, S, C, R, N, M}),
    Action.REVIEW_VIEW: frozenset({S, C, R}),
    Action.REVIEW_DECIDE: frozenset({S, C, R}),
    Action.CASES_VIEW: frozenset({S, C, R, N, M}),
    Action.CASES_TRANSITION: frozenset({S, C, M}),
    Action.CASES_ASSIGN: frozenset({S}),
    Action.CASES_WORK: frozenset({S, C}),
    Action.MEDIATION_VIEW: frozenset({S, M}),
    Action.MEDIATION_CHANNELS: frozenset({S}),
    Action.MEDIATION_LISTS: frozenset({S, M}),
    Action.MEDIATION_ANSWERS: frozenset({S, M}),
    Action.MEDIATION_PHOTOS: frozenset({S, C, M}),
    Action.DOCUMENTS_VIEW: frozenset({S, C, R, N, M}),
    Action.DOCUMENTS_ADD: frozenset({S, C, N, M}),
    Action.DOCUMENTS_RESTRICT: frozenset({S}),
    Action.EVIDENCE_BUNDLE: frozenset({S, N}),
    Action.MODEL_VIEW: frozenset({A, S, C, R, N}),
    Action.AUDIT_VERIFY: frozenset({A, S}),
    Action.AUDIT_KEYS: frozenset({A}),
    Action.STATISTICS_PUBLISH: frozenset({A, S}),
    Action.STATISTICS_SWITCH: frozenset({A}),
    Action.HOLDS_VIEW: frozenset({A, S}),
    Action.HOLDS_MANAGE: frozenset({S}),
    Action.DATA_ERASE: frozenset({A, S}),
    Action.RETENTION_VIEW: frozenset({A, S}),
    Action.RETENTION_MANAGE: frozenset({A, S}),
    Action.STORE_BACKUP: frozenset({A}),
}


def allowed(role: UserRole, action: Action) -> bool:
    """Whether ``role`` may take ``action`` (False for an action missing from the table)."""
    return role in MATRIX.get(action, frozenset())


def roles_for(action: Action) -> frozenset[UserRole]:
    """The roles allowed ``action``."""
    return MATRIX.get(action, frozenset())


def require(actor: Actor, action: Action) -> None:
    """Refuse, in words, an action the actor's role may not take
    (:class:`AccessDeniedError`)."""
    if not allowed(actor.role, action):
        raise AccessDeniedError(_REFUSALS[action](role=actor.role))
