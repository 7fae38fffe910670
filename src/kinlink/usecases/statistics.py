"""Public statistics (issue 18): releases, not live queries.

An administrator or supervisor prepares a release of their agency's statistics
(:func:`prepare_release`): one :class:`~kinlink.statistics.facts.CaseFact` per case of
the agency (:func:`case_facts`: milestone dates, oblast of origin, age band at removal,
sex, return channel — no name, no id), built into tables under disclosure control by
:func:`kinlink.statistics.release.build_release`, protected against the release the
public saw last. They preview it with the raw counts (:func:`preview_release`), publish
it (:func:`publish_release`) or withdraw it (:func:`withdraw_release`). The public page
(:func:`public_releases`) shows only each agency's newest published release, and only
while the agency's switch is on: off until the agency's first release is published, and
an administrator can switch it off (:func:`switch_public`). Every action but the public
read is audited; the public read touches no child's data (a release holds counts only)
and is not, or anyone could fill the audit log.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.cases import CaseStatus
from kinlink.domain.cells import SafeCsvWriter
from kinlink.domain.dates import PartialDate
from kinlink.domain.permissions import Action, require
from kinlink.errors import ConflictError, InputRefusedError, OutOfReachError
from kinlink.i18n import N_, Wording
from kinlink.reports import oblast_of
from kinlink.statistics.facts import RETURN_CHANNELS, CaseFact
from kinlink.statistics.release import Release
from kinlink.statistics.release import prepare_release as protect
from kinlink.storage import Session, Store
from kinlink.storage.accounts import AccountRepository
from kinlink.storage.statistics import CaseSummary, StatisticsRepository, StoredRelease
from kinlink.usecases.scope import owning_agency, within_reach

__all__ = ["MILESTONES", "PublicRelease", "ReleaseView", "age_band", "case_facts",
           "list_releases", "milestones_of", "prepare_release", "preview_release",
           "public_csv", "public_releases", "public_switch", "publish_release",
           "switch_public", "withdraw_release"]

EARLIEST_AS_OF = dt.date(2014, 1, 1)
"""The earliest day a release may be as of: the war began in 2014 (a release's month rows
run from February 2022, with one row for everything before)."""

_AS_OF_OUT = Wording("usecases.statistics.as_of_out", N_(
    "a release is as of a day from {earliest} to today ({today}), not {day}"))
_NOT_DRAFT = Wording("usecases.statistics.not_draft", N_(
    "only a draft release can be published: this one is {status}"))
_STALE = Wording("usecases.statistics.stale", N_(
    "another release was published after this one was prepared, so this one is not "
    "protected against it: prepare a new release"))
_WITHDRAWN = Wording("usecases.statistics.withdrawn", N_(
    "this release was withdrawn already"))

MILESTONES = ("reported", "located", "identity_verified", "return_requested", "returned",
              "reunited")
"""The milestones a case is counted at, in the workflow's order."""
_RANK = {CaseStatus.REPORTED: 0, CaseStatus.LOCATED: 1, CaseStatus.IDENTITY_VERIFIED: 2,
         CaseStatus.RETURN_REQUESTED: 3, CaseStatus.IN_RETURN: 4, CaseStatus.RETURNED: 5,
         CaseStatus.REUNITED: 6}
_MILESTONE_RANK = {"reported": 0, "located": 1, "identity_verified": 2,
                   "return_requested": 3, "returned": 5, "reunited": 6}
SEEN = ("published", "withdrawn")
"""Statuses of a release the public may have seen (a withdrawn one was public before)."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def milestones_of(history: tuple[tuple[str, dt.datetime], ...], as_of: dt.date
                  ) -> dict[str, dt.date]:
    """The day a case reached each milestone, from its history up to ``as_of``: a step
    to a later status reaches every milestone before it that day (a case opened as
    located was reported that day); a step back (a supervisor undoing a link) loses the
    milestones beyond it; closing a case keeps what it had reached."""
    reached: dict[str, dt.date] = {}
    for status, at in history:
        day = at.date()
        if day > as_of:
            break
        rank = _RANK.get(CaseStatus(status))
        if rank is None:
            continue
        for milestone, needed in _MILESTONE_RANK.items():
            if needed <= rank:
                reached.setdefault(milestone, day)
            else:
                reached.pop(milestone, None)
    return reached


def _years_between(born: PartialDate, on: dt.date) -> int | None:
    """Whole years from a (partial) birth date to ``on``: ``None`` when the birth's
    precision leaves the band in doubt is not tried — a missing month or day is taken at
    its middle, which puts a child at most half a year off."""
    month = born.month or 7
    day = born.day or 1
    years = on.year - born.year - ((on.month, on.day) < (month, day))
    return years if years >= 0 else None


def age_band(birth: PartialDate | None, taken: dt.date | None, as_of: dt.date) -> str:
    """The age band at removal: ``adult_now`` for someone 18 or older on ``as_of``
    (whatever their age when taken), else the band of their age on the day they were
    taken (``unknown`` without a birth year or any date)."""
    if birth is None:
        return "unknown"
    now = _years_between(birth, as_of)
    if now is not None and now >= 18:
        return "adult_now"
    if taken is None:
        return "unknown"
    age = _years_between(birth, taken)
    if age is None:
        return "unknown"
    for top, band in ((4, "0-4"), (9, "5-9"), (13, "10-13"), (17, "14-17")):
        if age <= top:
            return band
    return "adult_now"


def _taken_day(taken: PartialDate | None) -> dt.date | None:
    if taken is None:
        return None
    return dt.date(taken.year, taken.month or 7, taken.day or 1)


def _fact(row: CaseSummary, as_of: dt.date) -> CaseFact | None:
    milestones = milestones_of(row.history, as_of)
    if "reported" not in milestones:
        return None  # not yet reported on the as-of day
    taken = _taken_day(row.taken) or milestones["reported"]
    sex = {"F": "female", "M": "male"}.get((row.sex or "").upper())
    channel = None
    if "returned" in milestones:
        channel = row.channel_kind if row.channel_kind in RETURN_CHANNELS else "unknown"
    return CaseFact(milestones=milestones,
                    oblast=oblast_of(row.birth_place) or oblast_of(row.last_known_place),
                    age_band=age_band(row.birth, taken, as_of), sex=sex,
                    return_channel=channel)


def case_facts(session: Session, agency_id: int, as_of: dt.date) -> list[CaseFact]:
    """One fact per case of the agency reported by ``as_of``: cases, not records (a
    child's found records are counted once, in their case). No name and no id leaves."""
    facts = (_fact(row, as_of) for row in StatisticsRepository(session).case_rows(agency_id))
    return [f for f in facts if f is not None]


Cell = tuple[str, str]


@dataclass(frozen=True)
class ReleaseView:
    """A release with its place in the store (who prepared and published it, when) and,
    for its preparers only, each table's raw counts and why each suppressed cell is."""

    stored: StoredRelease
    release: Release
    raw: Mapping[str, Mapping[Cell, int]] = field(default_factory=dict)
    reasons: Mapping[str, Mapping[Cell, str]] = field(default_factory=dict)

    @property
    def id(self) -> int:
        """The release's id."""
        return self.stored.id

    @property
    def status(self) -> str:
        """draft, published or withdrawn."""
        return self.stored.status


def _raw_json(raw: Mapping[str, Mapping[Cell, int]], reasons: Mapping[str, Mapping[Cell, str]]
              ) -> str:
    return json.dumps({
        "raw": {t: [[r, c, n] for (r, c), n in cells.items()] for t, cells in raw.items()},
        "reasons": {t: [[r, c, str(why)] for (r, c), why in cells.items()]
                    for t, cells in reasons.items()}}, ensure_ascii=False)


def _view(stored: StoredRelease) -> ReleaseView:
    data = json.loads(stored.raw or "{}")
    raw = {t: {(r, c): int(n) for r, c, n in cells} for t, cells in data.get("raw", {}).items()}
    reasons = {t: {(r, c): str(why) for r, c, why in cells}
               for t, cells in data.get("reasons", {}).items()}
    return ReleaseView(stored, _release(stored), raw, reasons)


def _release(stored: StoredRelease) -> Release:
    return Release.from_json(json.loads(stored.body))


def _own(session: Session, actor: Actor, release_id: int) -> StoredRelease:
    found = StatisticsRepository(session).get(release_id)
    if found is None or found.agency_id != owning_agency(actor):
        raise OutOfReachError("statistics_release", release_id)
    return found


def _last_seen(repo: StatisticsRepository, agency_id: int) -> StoredRelease | None:
    """The newest release the public may have seen (published, or withdrawn after)."""
    seen = [r for r in repo.listing(agency_id)
            if r.status in SEEN and r.published_at is not None]
    return seen[0] if seen else None


def prepare_release(store: Store, actor: Actor, as_of: dt.date | None = None) -> ReleaseView:
    """Build a draft release of the agency's statistics as of ``as_of`` (today), protected
    against the release the public saw last. Audited ``statistics.prepared``."""
    require(actor, Action.STATISTICS_PUBLISH)
    today = _now().date()
    day = as_of or today
    if not EARLIEST_AS_OF <= day <= today:  # a later day would also grow the month rows
        raise InputRefusedError(_AS_OF_OUT(earliest=EARLIEST_AS_OF.isoformat(),
                                           today=today.isoformat(), day=day.isoformat()),
                                "as_of_out_of_range", field="as_of")
    agency = owning_agency(actor)
    with within_reach(store, actor) as (session, _reach):
        repo = StatisticsRepository(session)
        facts = case_facts(session, agency, day)
        before = _last_seen(repo, agency)
        previous = _release(before) if before is not None else None
        preview = protect(facts, day, previous)
        release = preview.release
        stored = repo.add(agency_id=agency, as_of=day,
                          body=json.dumps(release.to_json(), ensure_ascii=False),
                          raw=_raw_json(preview.raw, preview.reasons),
                          previous_id=before.id if before is not None else None,
                          by=actor.name, at=_now())
        append_event(session, AuditEvent(
            actor.name, AuditAction.STATISTICS_PREPARED, "statistics_release", str(stored.id),
            {"as_of": day.isoformat(), "cases": len(facts), "tables": len(release.tables),
             "suppressed": sum(c.suppressed for c in release.changes),
             "previous": stored.previous_id}))
    return _view(stored)


def list_releases(store: Store, actor: Actor) -> list[StoredRelease]:
    """The agency's releases, newest first (no counts: nothing to audit)."""
    require(actor, Action.STATISTICS_PUBLISH)
    with store.transaction() as session:
        return StatisticsRepository(session).listing(owning_agency(actor))


def preview_release(store: Store, actor: Actor, release_id: int) -> ReleaseView:
    """A release of the actor's agency with its raw counts. Audited
    ``statistics.previewed``."""
    require(actor, Action.STATISTICS_PUBLISH)
    with within_reach(store, actor) as (session, _reach):
        found = _own(session, actor, release_id)
        append_event(session, AuditEvent(actor.name, AuditAction.STATISTICS_PREVIEWED,
                                         "statistics_release", str(release_id), {}))
    return _view(found)


def publish_release(store: Store, actor: Actor, release_id: int) -> ReleaseView:
    """Publish a draft: the public page shows it from now on (and is switched on, the
    first time). Refused if another release was published since this one was prepared
    (it is not protected against that one). Audited ``statistics.published``."""
    require(actor, Action.STATISTICS_PUBLISH)
    with within_reach(store, actor) as (session, _reach):
        found = _own(session, actor, release_id)
        if found.status != "draft":
            raise ConflictError(_NOT_DRAFT(status=found.status))
        repo = StatisticsRepository(session)
        last = _last_seen(repo, found.agency_id)
        if (last.id if last is not None else None) != found.previous_id:
            raise ConflictError(_STALE())
        now = _now()
        repo.publish(release_id, actor.name, now)
        if repo.switch(found.agency_id) is None:
            repo.set_switch(found.agency_id, True, actor.name, now)
        append_event(session, AuditEvent(actor.name, AuditAction.STATISTICS_PUBLISHED,
                                         "statistics_release", str(release_id),
                                         {"replaces": found.previous_id}))
        published = repo.get(release_id)
    assert published is not None
    return _view(published)


def withdraw_release(store: Store, actor: Actor, release_id: int) -> ReleaseView:
    """Withdraw a release (draft or published): the public page falls back to the
    agency's newest release still published. Audited ``statistics.withdrawn``."""
    require(actor, Action.STATISTICS_PUBLISH)
    with within_reach(store, actor) as (session, _reach):
        found = _own(session, actor, release_id)
        if found.status == "withdrawn":
            raise ConflictError(_WITHDRAWN())
        repo = StatisticsRepository(session)
        repo.withdraw(release_id, actor.name, _now())
        append_event(session, AuditEvent(actor.name, AuditAction.STATISTICS_WITHDRAWN,
                                         "statistics_release", str(release_id),
                                         {"was": found.status}))
        withdrawn = repo.get(release_id)
    assert withdrawn is not None
    return _view(withdrawn)


def public_switch(store: Store, actor: Actor) -> bool:
    """Whether the actor's agency's public page is on."""
    require(actor, Action.STATISTICS_PUBLISH)
    with store.transaction() as session:
        found = StatisticsRepository(session).switch(owning_agency(actor))
    return found is not None and found.enabled


def switch_public(store: Store, actor: Actor, enabled: bool) -> None:
    """Switch the agency's public page on or off. Audited ``statistics.switched``."""
    require(actor, Action.STATISTICS_SWITCH)
    agency = owning_agency(actor)
    with store.transaction() as session:
        StatisticsRepository(session).set_switch(agency, enabled, actor.name, _now())
        append_event(session, AuditEvent(actor.name, AuditAction.STATISTICS_SWITCHED,
                                         "agency", str(agency), {"enabled": enabled}))


@dataclass(frozen=True)
class PublicRelease:
    """What the public sees of one agency: its name and its newest published release."""

    agency: str
    published_at: dt.datetime
    release: Release


def public_releases(store: Store) -> list[PublicRelease]:
    """The newest published release of every agency whose public page is on (none: the
    page is off). Anyone may read it, without signing in."""
    shown = []
    with store.transaction() as session:
        repo = StatisticsRepository(session)
        accounts = AccountRepository(session)
        for agency_id in repo.public_agencies():
            found = repo.newest_published(agency_id)
            agency = accounts.agency(agency_id)
            if found is None or agency is None or found.published_at is None:
                continue
            shown.append(PublicRelease(agency.name, found.published_at, _release(found)))
    return shown


def public_csv(releases: list[PublicRelease], suppressed: str = "fewer than 10") -> str:
    """The public releases as one CSV: agency, as-of day, table, row, column, value
    (``suppressed`` where the cell is suppressed), every cell neutralised against
    formulas."""
    out = io.StringIO()
    writer = SafeCsvWriter(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(("agency", "as_of", "table", "row", "column", "value", "counts"))
    for shown in releases:
        for table in shown.release.tables:
            for (row, column), cell in table.cells.items():
                writer.writerow((shown.agency, shown.release.as_of.isoformat(), table.code,
                                 row, column, suppressed if cell.value is None else cell.value,
                                 "cases"))
    return out.getvalue()
