"""Public statistics: the releases an agency prepares and publishes, the switch of its
public page, and what the store says of each of its cases for the tables.

Revision 0019. A ``statistics_releases`` row is one release of one agency: the day its
figures stand at (``as_of``), its status (``draft`` until someone publishes it, then
``published``, or ``withdrawn``), the release itself as JSON (the tables as published,
with what disclosure control changed), beside it the raw counts and why each cell was
suppressed (``raw``: shown only to the people who prepare releases, never public), the
release it was protected against (``previous_id``), and who prepared, published and
withdrew it, when. A
``statistics_public`` row is an agency's public page switch (no row: off until a release
is published).

:meth:`StatisticsRepository.case_rows` reads, for every case whose reported record is on
one of the agency's own finished lists, what the statistics need and nothing more: the
case's status and history (statuses and moments), the reported child's birth date, sex,
places and the date they were taken or moved, and the kind of the newest mediation
channel a list carrying the case was sent through. Ids stay in this module and the use
case that turns the rows into facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from kinlink.domain.dates import PartialDate
from kinlink.storage.mediation_tables import ChannelRow, ListChildRow, MediationListRow
from kinlink.storage.review_tables import CaseEventRow, CaseRow
from kinlink.storage.tables import Base, RecordRow, SourceRow
from kinlink.storage.types import UtcDateTime
from kinlink.storage.visibility import source_is_ready

__all__ = ["CaseSummary", "PublicSwitch", "PublicSwitchRow", "StatisticsReleaseRow",
           "StatisticsRepository", "StoredRelease"]


class StatisticsReleaseRow(Base):
    """One release of an agency's public statistics (see the module's text)."""

    __tablename__ = "statistics_releases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    as_of: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), index=True)
    body: Mapped[str] = mapped_column(Text)
    raw: Mapped[str] = mapped_column(Text)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("statistics_releases.id"))
    prepared_by: Mapped[str] = mapped_column(String(200))
    prepared_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    published_by: Mapped[str | None] = mapped_column(String(200))
    published_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    withdrawn_by: Mapped[str | None] = mapped_column(String(200))
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class PublicSwitchRow(Base):
    """Whether an agency's published statistics are shown on the public page."""

    __tablename__ = "statistics_public"

    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
    changed_by: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


@dataclass(frozen=True)
class StoredRelease:
    """A release as stored: the release's JSON is kept as text, read by the use case."""

    id: int
    agency_id: int
    as_of: dt.date
    status: str
    body: str
    raw: str
    """The counts before disclosure control and why each suppressed cell is (JSON): for
    the preparer's page only, never public."""
    previous_id: int | None
    prepared_by: str
    prepared_at: dt.datetime
    published_by: str | None
    published_at: dt.datetime | None
    withdrawn_by: str | None
    withdrawn_at: dt.datetime | None


@dataclass(frozen=True)
class PublicSwitch:
    """An agency's public page switch: on or off, who set it and when."""

    agency_id: int
    enabled: bool
    changed_by: str
    changed_at: dt.datetime


@dataclass(frozen=True)
class CaseSummary:
    """What the statistics read of one case (the ids never leave the use case)."""

    status: str
    history: tuple[tuple[str, dt.datetime], ...]
    """Each step's status and moment, oldest first."""
    birth: PartialDate | None
    sex: str | None
    birth_place: str | None
    last_known_place: str | None
    taken: PartialDate | None
    """When the child was moved (or, failing that, the record's event date)."""
    channel_kind: str | None
    """The kind of the newest channel a list carrying the case was sent through."""


def _stored(row: StatisticsReleaseRow) -> StoredRelease:
    return StoredRelease(row.id, row.agency_id, row.as_of, row.status, row.body, row.raw,
                         row.previous_id, row.prepared_by, row.prepared_at, row.published_by,
                         row.published_at, row.withdrawn_by, row.withdrawn_at)


class StatisticsRepository:
    """Releases, the public switch and the case rows, in the caller's session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def case_rows(self, agency_id: int) -> list[CaseSummary]:
        """One row per case whose reported record is on one of ``agency_id``'s own
        finished lists (a list shared with it is counted by the agency that owns it)."""
        own = select(SourceRow.id).where(SourceRow.agency_id == agency_id, source_is_ready())
        found = self._session.execute(
            select(CaseRow.id, CaseRow.status, RecordRow.birth_year, RecordRow.birth_month,
                   RecordRow.birth_day, RecordRow.sex, RecordRow.birth_place,
                   RecordRow.last_known_place, RecordRow.moved_year, RecordRow.moved_month,
                   RecordRow.moved_day, RecordRow.event_year, RecordRow.event_month,
                   RecordRow.event_day)
            .join(RecordRow, RecordRow.id == CaseRow.sought_record_pk)
            .where(RecordRow.source_id.in_(own)).order_by(CaseRow.id)).all()
        ids = [row[0] for row in found]
        histories: dict[int, list[tuple[str, dt.datetime]]] = {}
        channels: dict[int, str] = {}
        for start in range(0, len(ids), 5000):
            part = ids[start:start + 5000]
            for case_id, status, at in self._session.execute(
                    select(CaseEventRow.case_id, CaseEventRow.to_status, CaseEventRow.at)
                    .where(CaseEventRow.case_id.in_(part)).order_by(CaseEventRow.id)).all():
                histories.setdefault(case_id, []).append((status, _aware(at)))
            for case_id, kind in self._session.execute(
                    select(ListChildRow.case_id, ChannelRow.kind)
                    .join(MediationListRow, MediationListRow.id == ListChildRow.list_id)
                    .join(ChannelRow, ChannelRow.id == MediationListRow.channel_id)
                    .where(ListChildRow.case_id.in_(part),
                           MediationListRow.sent_at.is_not(None))
                    .order_by(MediationListRow.sent_at, MediationListRow.id)).all():
                channels[case_id] = kind  # the newest sent list is the last one read
        rows = []
        for (case_id, status, by, bm, bd, sex, birth_place, last_place, my, mm, md, ey, em,
             ed) in found:
            taken = PartialDate.from_parts(my, mm, md) or PartialDate.from_parts(ey, em, ed)
            rows.append(CaseSummary(status, tuple(histories.get(case_id, ())),
                                 PartialDate.from_parts(by, bm, bd), sex, birth_place,
                                 last_place, taken, channels.get(case_id)))
        return rows

    def add(self, *, agency_id: int, as_of: dt.date, body: str, raw: str,
            previous_id: int | None, by: str, at: dt.datetime) -> StoredRelease:
        """Keep a new draft release."""
        row = StatisticsReleaseRow(agency_id=agency_id, as_of=as_of, status="draft", body=body,
                                   raw=raw, previous_id=previous_id, prepared_by=by,
                                   prepared_at=at)
        self._session.add(row)
        self._session.flush()
        return _stored(row)

    def get(self, release_id: int) -> StoredRelease | None:
        """The release, or ``None``."""
        row = self._session.get(StatisticsReleaseRow, release_id, populate_existing=True)
        return _stored(row) if row is not None else None

    def listing(self, agency_id: int) -> list[StoredRelease]:
        """The agency's releases, newest first."""
        return [_stored(r) for r in self._session.execute(
            select(StatisticsReleaseRow).where(StatisticsReleaseRow.agency_id == agency_id)
            .order_by(StatisticsReleaseRow.id.desc())).scalars()]

    def newest_published(self, agency_id: int) -> StoredRelease | None:
        """The agency's newest published release (the one the public sees), or ``None``."""
        row = self._session.execute(
            select(StatisticsReleaseRow).where(StatisticsReleaseRow.agency_id == agency_id,
                                               StatisticsReleaseRow.status == "published")
            .order_by(StatisticsReleaseRow.published_at.desc(),
                      StatisticsReleaseRow.id.desc()).limit(1)).scalar_one_or_none()
        return _stored(row) if row is not None else None

    def newest_release(self, agency_id: int, statuses: Sequence[str]) -> StoredRelease | None:
        """The agency's newest release in one of ``statuses``, or ``None``."""
        row = self._session.execute(
            select(StatisticsReleaseRow).where(StatisticsReleaseRow.agency_id == agency_id,
                                               StatisticsReleaseRow.status.in_(statuses))
            .order_by(StatisticsReleaseRow.id.desc()).limit(1)).scalar_one_or_none()
        return _stored(row) if row is not None else None

    def publish(self, release_id: int, by: str, at: dt.datetime) -> None:
        """Mark a draft published."""
        self._session.execute(
            update(StatisticsReleaseRow).where(StatisticsReleaseRow.id == release_id)
            .values(status="published", published_by=by, published_at=at)
            .execution_options(synchronize_session=False))

    def withdraw(self, release_id: int, by: str, at: dt.datetime) -> None:
        """Mark a release withdrawn (it stays, for the record)."""
        self._session.execute(
            update(StatisticsReleaseRow).where(StatisticsReleaseRow.id == release_id)
            .values(status="withdrawn", withdrawn_by=by, withdrawn_at=at)
            .execution_options(synchronize_session=False))

    def switch(self, agency_id: int) -> PublicSwitch | None:
        """The agency's public page switch (``None``: never set)."""
        row = self._session.get(PublicSwitchRow, agency_id, populate_existing=True)
        return (PublicSwitch(row.agency_id, row.enabled, row.changed_by, row.changed_at)
                if row is not None else None)

    def set_switch(self, agency_id: int, enabled: bool, by: str, at: dt.datetime) -> None:
        """Switch the agency's public page on or off."""
        row = self._session.get(PublicSwitchRow, agency_id)
        if row is None:
            self._session.add(PublicSwitchRow(agency_id=agency_id, enabled=enabled,
                                              changed_by=by, changed_at=at))
        else:
            row.enabled, row.changed_by, row.changed_at = enabled, by, at
        self._session.flush()

    def public_agencies(self) -> list[int]:
        """The agencies whose public page is switched on, in id order."""
        return list(self._session.execute(
            select(PublicSwitchRow.agency_id).where(PublicSwitchRow.enabled.is_(True))
            .order_by(PublicSwitchRow.agency_id)).scalars())


def _aware(value: dt.datetime) -> dt.datetime:
    """A stored moment as aware UTC (SQLite gives them back naive)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
