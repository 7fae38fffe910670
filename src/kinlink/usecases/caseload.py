"""The caseload: the cases a person works from, who owns each, and their work first.

:func:`caseload` is one page of the cases the actor's agency sees, each with the child's
name as reported (the reported record's), birth date, oblast, status, days in the
status, owner, last activity and the pairs waiting for review, filtered, sorted and
paged in the store (:mod:`kinlink.storage.caseload`). A name typed in any script is read
as the record search reads it (:func:`kinlink.search.query.readings`) and looked up in
the same name keys, so ``Oleksandr Petrenko`` or ``Александр`` finds Олександр Петренко.
:func:`export_caseload` writes every page of the same view as CSV (cells neutralised
against formulas). Both are audited with counts and the names of the filters used —
never what was typed.

An owner is a person of the case's agency whose role may work cases: a supervisor
assigns (:func:`assign_case`), a case worker or supervisor takes an unowned case
(:func:`claim_case`). :func:`my_work` is what a person sees first after signing in.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from dataclasses import dataclass, fields
from typing import Literal

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.cases import Case, CaseStatus
from kinlink.domain.cells import SafeCsvWriter
from kinlink.domain.dates import PartialDate
from kinlink.domain.permissions import Action, allowed, require, roles_for
from kinlink.domain.users import UserRole
from kinlink.errors import ConflictError, InputRefusedError
from kinlink.i18n import N_, Wording
from kinlink.reports import oblast_of
from kinlink.search.query import MAX_QUERY_LENGTH, readings
from kinlink.storage import Session, Store
from kinlink.storage.accounts import AccountRepository
from kinlink.storage.caseload import SORTS, CaseloadQueries, CaseloadRow, CaseloadWhere
from kinlink.storage.cases import CaseRepository
from kinlink.usecases.scope import Reach, case_in_reach, within_reach

_USER_ID_PERSON_CANNOT = Wording("usecases.caseload.user_id_person_cannot", N_(
    "user_id: this person cannot be given the case (only a supervisor or case worker of the"
    " case's agency can)"))
_TAKING_CASE_NEEDS_KINLINK = Wording("usecases.caseload.taking_case_needs_kinlink", N_(
    "taking a case needs a kinlink account (set KINLINK_USER to your user name)"))
_SOMEONE_ALREADY_WORKS_CASE = Wording("usecases.caseload.someone_already_works_case", N_(
    "someone already works this case; a supervisor can give it to you"))

_YEAR_RANGE = Wording("usecases.caseload.year_range", N_("a year between 1900 and 2100"))
_LAST_YEAR_FIRST = Wording("usecases.caseload.last_year_first",
                           N_("the last birth year comes after the first"))
_SORT_BY = Wording("usecases.caseload.sort_by", N_("sort by {sorts}"))
_PAGES_FROM_ONE = Wording("usecases.caseload.pages_from_one", N_("pages are counted from 1"))
_PER_PAGE_RANGE = Wording("usecases.caseload.per_page_range",
                          N_("between 1 and {most} cases a page"))
_AT_MOST_CHARACTERS = Wording("usecases.caseload.at_most_characters",
                              N_("at most {most} characters"))
_OWNER_FORMS = Wording("usecases.caseload.owner_forms", N_("me, nobody or a person's id"))
_FIELD_REFUSED = Wording("caseload.field_refused", N_("{field}: {problem}"))
"""A filter that cannot be used, and why (the reasons are not translated yet)."""

__all__ = ["EXPORT_LIMIT", "MAX_PER_PAGE", "SORTS", "Caseload", "CaseloadItem",
           "CaseloadQuery", "MyWork", "OverdueTask", "Person", "TeamLoad", "assign_case",
           "caseload", "caseload_problems", "claim_case", "export_caseload", "my_work",
           "team_people"]

MAX_PER_PAGE = 200
EXPORT_LIMIT = 200_000
"""The most cases one CSV export holds (far more than an agency's caseload)."""
_WAITING_SHOWN = 10

Owner = int | Literal["me", "nobody"] | None


@dataclass(frozen=True)
class CaseloadQuery:
    """What the person asks of the caseload: filters (``None``/``False``: unused), the
    name typed (any script), the sort (one of :data:`SORTS`, ``descending``) and the
    page (from 1)."""

    status: CaseStatus | None = None
    owner: Owner = None
    place: str | None = None
    born_from: int | None = None
    born_to: int | None = None
    has_candidates: bool = False
    waiting: bool = False
    text: str | None = None
    sort: str = "name"
    descending: bool = False
    page: int = 1
    per_page: int = 25

    def used(self) -> list[str]:
        """The names of the filters in use (for the audit log: never their values)."""
        unused = CaseloadQuery()
        return sorted(f.name for f in fields(self)
                      if f.name not in {"sort", "descending", "page", "per_page"}
                      and getattr(self, f.name) not in (getattr(unused, f.name), ""))


@dataclass(frozen=True)
class CaseloadItem:
    """One case of the caseload as a person reads it."""

    case_id: int
    status: CaseStatus
    version: int
    record_pk: int
    name: str
    birth: PartialDate | None
    oblast: str | None
    place: str | None
    in_status_since: dt.datetime
    days_in_status: int
    last_activity_at: dt.datetime
    owner_id: int | None
    owner: str | None
    candidates: int

    @property
    def waiting(self) -> bool:
        """Whether the case waits for a mediator's answer (its return is requested)."""
        return self.status is CaseStatus.RETURN_REQUESTED


@dataclass(frozen=True)
class TeamLoad:
    """One person of the agency who may work cases: open cases by status, overdue tasks."""

    user_id: int
    username: str
    role: UserRole
    by_status: list[tuple[CaseStatus, int]]
    open_cases: int
    overdue: int


@dataclass(frozen=True)
class Caseload:
    """One page of the caseload: the rows, how many cases in all, the page, the pages;
    for a supervisor the team's load (else ``None``)."""

    items: list[CaseloadItem]
    total: int
    page: int
    per_page: int
    pages: int
    team: list[TeamLoad] | None


@dataclass(frozen=True)
class Person:
    """Someone of the agency a case may be given to."""

    user_id: int
    username: str


@dataclass(frozen=True)
class OverdueTask:
    """A task past its due date on a case the person's agency sees."""

    task_id: int
    case_id: int
    title: str
    due_on: dt.date
    assignee_id: int | None


PAIRS_COUNTED = 1000
"""Pairs waiting are counted up to this many; more reads as ``PAIRS_COUNTED + 1``
("1,000+"): a person needs to know there is work, and counting every waiting pair of a
large store costs the dashboard a fifth of a second."""


@dataclass(frozen=True)
class MyWork:
    """What a person sees first: pairs waiting in the lists they see (``None`` when
    their role does not review; at most :data:`PAIRS_COUNTED` + 1, meaning more), their
    own open cases by status, their overdue tasks, the children waiting longest for a
    mediator's answer, and, for a supervisor, the team's load (else ``None``)."""

    pairs_waiting: int | None
    my_cases: list[tuple[CaseStatus, int]]
    overdue: list[OverdueTask]
    waiting_longest: list[CaseloadItem]
    team: list[TeamLoad] | None
    user_id: int | None


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


MAX_ID = 2**31 - 1
"""The largest id a person can have (the databases' integer)."""


def caseload_problems(query: CaseloadQuery) -> dict[str, str]:
    """What is wrong with ``query``, per field (empty: nothing); the doors show each
    message beside its field."""
    problems: dict[str, str] = {}
    for name in ("born_from", "born_to"):
        year = getattr(query, name)
        if year is not None and not 1900 <= year <= 2100:
            problems[name] = _YEAR_RANGE()
    if (query.born_from is not None and query.born_to is not None
            and query.born_from > query.born_to and not problems):
        problems["born_to"] = _LAST_YEAR_FIRST()
    if query.sort not in SORTS:
        problems["sort"] = _SORT_BY(sorts=tuple(SORTS))
    if query.page < 1:
        problems["page"] = _PAGES_FROM_ONE()
    if not 1 <= query.per_page <= MAX_PER_PAGE:
        problems["per_page"] = _PER_PAGE_RANGE(most=MAX_PER_PAGE)
    if query.text is not None and len(query.text) > MAX_QUERY_LENGTH:
        problems["text"] = _AT_MOST_CHARACTERS(most=MAX_QUERY_LENGTH)
    if query.place is not None and len(query.place) > 100:
        problems["place"] = _AT_MOST_CHARACTERS(most=100)
    if isinstance(query.owner, int) and not 1 <= query.owner <= MAX_ID:
        problems["owner"] = _OWNER_FORMS()
    return problems


def _refuse_bad(query: CaseloadQuery) -> None:
    problems = caseload_problems(query)
    if problems:
        field, message = next(iter(problems.items()))
        raise InputRefusedError(_FIELD_REFUSED(field=field, problem=message), code="invalid")


def _sources(session: Session, reach: Reach) -> list[int]:
    if reach.sources is not None:
        return sorted(reach.sources)
    return CaseloadQueries(session).ready_sources()


def _user_id(session: Session, actor: Actor) -> int | None:
    """The account of the person acting (``None``: a command run by someone without
    one)."""
    user = AccountRepository(session).user_named(actor.name)
    return int(user.id) if user is not None else None


def _where(session: Session, actor: Actor, sources: list[int],
           query: CaseloadQuery) -> CaseloadWhere:
    owner_id: int | None = None
    unowned = query.owner == "nobody"
    if query.owner == "me":
        owner_id = _user_id(session, actor) or -1
    elif isinstance(query.owner, int):
        owner_id = query.owner
    names = None
    text = (query.text or "").strip()
    if text:
        names = [reading.exact for reading in readings(text)]
    return CaseloadWhere(sources, status=query.status.value if query.status else None,
                         owner_id=owner_id, unowned=unowned, place=(query.place or None),
                         born_from=query.born_from, born_to=query.born_to,
                         has_candidates=query.has_candidates, waiting=query.waiting,
                         names=names)


def _item(row: CaseloadRow, today: dt.date) -> CaseloadItem:
    name = (" ".join(p for p in (row.surname, row.given_name, row.patronymic) if p)
            or row.full_name or "")
    birth = (PartialDate(row.birth_year, row.birth_month, row.birth_day)
             if row.birth_year else None)
    place = row.last_known_place or row.birth_place
    oblast = oblast_of(row.birth_place) or oblast_of(row.last_known_place)
    return CaseloadItem(row.case_id, CaseStatus(row.status), row.version, row.record_pk, name,
                        birth, oblast, place, row.in_status_since,
                        max(0, (today - row.in_status_since.date()).days),
                        row.last_activity_at, row.owner_id, row.owner, row.candidates)


def _team(session: Session, actor: Actor, sources: list[int]) -> list[TeamLoad]:
    rows = CaseloadQueries(session).team(sources, actor.agency_id, _workers(), _today())
    order = {status: index for index, status in enumerate(CaseStatus)}
    return [TeamLoad(r.user_id, r.username, UserRole(r.role),
                     sorted(((CaseStatus(s), n) for s, n in r.by_status.items()),
                            key=lambda item: order[item[0]]),
                     sum(r.by_status.values()), r.overdue) for r in rows]


def _workers() -> list[str]:
    return sorted(role.value for role in roles_for(Action.CASES_WORK))


def caseload(store: Store, actor: Actor, query: CaseloadQuery) -> Caseload:
    """One page of the cases the actor's agency sees (a page past the last shows the
    last), with the team's load for a person who may assign cases (audited
    ``cases.listed``: counts and the names of the filters used)."""
    require(actor, Action.CASES_VIEW)
    _refuse_bad(query)
    today = _today()
    with within_reach(store, actor) as (session, reach):
        sources = _sources(session, reach)
        where = _where(session, actor, sources, query)
        found = CaseloadQueries(session)
        rows, total = found.page_and_total(where, query.sort, query.descending,
                                           (query.page - 1) * query.per_page, query.per_page)
        pages = max(1, math.ceil(total / query.per_page))
        page = min(query.page, pages)
        if page != query.page:  # past the last page: the last one
            rows = found.page(where, query.sort, query.descending,
                              (page - 1) * query.per_page, query.per_page)
        team = (_team(session, actor, sources)
                if allowed(actor.role, Action.CASES_ASSIGN) else None)
        append_event(session, AuditEvent(actor.name, AuditAction.CASES_LISTED, "case", None, {
            "total": total, "shown": len(rows), "page": page, "filters": query.used()}))
    return Caseload([_item(r, today) for r in rows], total, page, query.per_page, pages, team)


_CSV_HEADER = ("case", "status", "name", "birth_date", "oblast", "place", "days_in_status",
               "owner", "last_activity", "candidates_waiting", "waiting_for_answer")


def export_caseload(store: Store, actor: Actor, query: CaseloadQuery) -> str:
    """Every case of the view ``query`` describes (all pages, sorted as asked, at most
    :data:`EXPORT_LIMIT`) as CSV text, every text cell neutralised against formulas
    (audited ``cases.exported`` with the count)."""
    require(actor, Action.CASES_VIEW)
    _refuse_bad(query)
    today = _today()
    with within_reach(store, actor) as (session, reach):
        where = _where(session, actor, _sources(session, reach), query)
        rows = CaseloadQueries(session).page(where, query.sort, query.descending, 0,
                                             EXPORT_LIMIT)
        append_event(session, AuditEvent(actor.name, AuditAction.CASES_EXPORTED, "case", None,
                                         {"count": len(rows), "filters": query.used()}))
    handle = io.StringIO()
    writer = SafeCsvWriter(handle, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(_CSV_HEADER)
    for row in rows:
        item = _item(row, today)
        writer.writerow((item.case_id, item.status.value, item.name,
                         str(item.birth) if item.birth else "", item.oblast or "",
                         item.place or "", item.days_in_status, item.owner or "",
                         item.last_activity_at.isoformat(timespec="seconds"),
                         item.candidates, "yes" if item.waiting else "no"))
    return handle.getvalue()


def team_people(store: Store, actor: Actor) -> list[Person]:
    """The people of the actor's agency a case may be given to (roles that may work
    cases), by name: the choices of the assign form (names of colleagues only)."""
    require(actor, Action.CASES_VIEW)
    with store.transaction() as session:
        found = CaseloadQueries(session).colleagues(actor.agency_id, _workers())
    return [Person(user_id, name) for user_id, name in found]


def _may_own(session: Session, actor: Actor, case: Case, user_id: int) -> None:
    """Refuse a person who may not own the case: missing, disabled, of a role that may
    not work cases, or of another agency (for the operator: an agency that does not see
    the case)."""
    accounts = AccountRepository(session)
    user = accounts.user(user_id)
    refused = InputRefusedError(_USER_ID_PERSON_CANNOT(),
                                code="invalid")
    if user is None or user.disabled or not allowed(UserRole(user.role), Action.CASES_WORK):
        raise refused
    if actor.agency_id is not None:
        if user.agency_id != actor.agency_id:
            raise refused
        return
    source = CaseloadQueries(session).record_source(case.sought_record_pk)
    if source is None or source not in accounts.visible_source_ids(user.agency_id):
        raise refused


def assign_case(store: Store, actor: Actor, case_id: int, user_id: int | None) -> Case:
    """Give a case to a person of its agency who may work cases, or to nobody (``None``);
    a supervisor's act (audited ``case.assigned``: the case, the new and former owner's
    ids)."""
    require(actor, Action.CASES_ASSIGN)
    now = dt.datetime.now(dt.UTC)
    with within_reach(store, actor) as (session, reach):
        case = case_in_reach(session, reach, case_id)
        if user_id is not None:
            _may_own(session, actor, case, user_id)
        cases = CaseRepository(session)
        cases.set_owner(case_id, user_id, now)
        append_event(session, AuditEvent(actor.name, AuditAction.CASE_ASSIGNED, "case",
                                         str(case_id), {"owner_id": user_id,
                                                        "former_owner_id": case.owner_id}))
        moved = cases.get(case_id)
    assert moved is not None
    return moved


def claim_case(store: Store, actor: Actor, case_id: int) -> Case:
    """Take a case nobody owns for oneself (audited ``case.claimed``); a case someone
    owns is refused (a supervisor reassigns it), one's own case is left as it is."""
    require(actor, Action.CASES_WORK)
    now = dt.datetime.now(dt.UTC)
    with within_reach(store, actor) as (session, reach):
        case = case_in_reach(session, reach, case_id)
        me = _user_id(session, actor)
        if me is None:
            raise InputRefusedError(_TAKING_CASE_NEEDS_KINLINK(), code="invalid")
        if case.owner_id == me:
            return case
        if case.owner_id is not None:
            raise ConflictError(_SOMEONE_ALREADY_WORKS_CASE())
        cases = CaseRepository(session)
        cases.set_owner(case_id, me, now)
        append_event(session, AuditEvent(actor.name, AuditAction.CASE_CLAIMED, "case",
                                         str(case_id), {"owner_id": me}))
        claimed = cases.get(case_id)
    assert claimed is not None
    return claimed


def my_work(store: Store, actor: Actor) -> MyWork:
    """What the person should see first: pairs waiting in their lists, their cases by
    status, their overdue tasks, the children waiting longest for a mediator's answer,
    and for a supervisor the team's (audited ``work.read`` with counts)."""
    require(actor, Action.CASES_VIEW)
    today = _today()
    order = {status: index for index, status in enumerate(CaseStatus)}
    with within_reach(store, actor) as (session, reach):
        sources = _sources(session, reach)
        found = CaseloadQueries(session)
        me = _user_id(session, actor)
        pairs = (found.pairs_waiting(sources, PAIRS_COUNTED + 1)
                 if allowed(actor.role, Action.REVIEW_VIEW) else None)
        mine = (sorted(((CaseStatus(s), n) for s, n in found.by_status(sources, me).items()),
                       key=lambda item: order[item[0]]) if me is not None else [])
        overdue = [OverdueTask(r.task_id, r.case_id, r.title, r.due_on, r.assignee_id)
                   for r in found.overdue(sources, [me] if me is not None else [], today)]
        waiting = [_item(r, today) for r in found.oldest_waiting(sources, _WAITING_SHOWN)]
        team = (_team(session, actor, sources)
                if allowed(actor.role, Action.CASES_ASSIGN) else None)
        append_event(session, AuditEvent(actor.name, AuditAction.WORK_READ, "case", None, {
            "pairs": pairs, "cases": sum(n for _, n in mine), "overdue": len(overdue),
            "waiting": len(waiting), "team": len(team) if team is not None else None}))
    return MyWork(pairs, mine, overdue, waiting, team, me)
