"""Queries and writes of mediation: channels, lists, their children, exports and photos.

Every query answers with read models of :mod:`kinlink.domain.mediation` (never rows), with
the stored codes as the domain's enums and every moment as an aware UTC datetime; every
write names what it changes by id. Answers are in :mod:`kinlink.storage.mediation_answers`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kinlink.domain.cases import CaseStatus
from kinlink.domain.mediation import (
    Channel,
    ChannelKind,
    ExportFormat,
    ListChild,
    ListField,
    ListStatus,
    MediationList,
)
from kinlink.storage.accounts import as_utc
from kinlink.storage.mediation_tables import (
    CasePhotoRow,
    ChannelRow,
    ListChildRow,
    ListExportRow,
    MediationListRow,
)
from kinlink.storage.review_tables import CaseRow
from kinlink.storage.tables import RecordRow
from kinlink.storage.visibility import record_in_reach, record_may_be_traced

__all__ = ["MediationRepository", "now"]


def now() -> dt.datetime:
    """The current time, timezone-aware (UTC)."""
    return dt.datetime.now(dt.UTC)


def _channel(row: ChannelRow) -> Channel:
    return Channel(row.id, row.name, ChannelKind(row.kind), tuple(ListField(f) for f in row.fields),
                   row.description, row.active, row.created_by, as_utc(row.created_at),
                   row.agency_id)


def _list(row: MediationListRow) -> MediationList:
    return MediationList(
        row.id, row.channel_id, ListStatus(row.status), row.note,
        tuple(ListField(f) for f in row.fields), row.created_by, as_utc(row.created_at),
        row.sent_by, as_utc(row.sent_at) if row.sent_at else None, row.version)


def _child(row: ListChildRow) -> ListChild:
    sent = ({ListField(k): str(v) for k, v in row.sent_values.items()}
            if row.sent_values is not None else None)
    return ListChild(row.id, row.list_id, row.case_id, row.reference, row.added_by,
                     as_utc(row.added_at), sent)


class MediationRepository:
    """Channels, lists, their children, exports and photographs, for one transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # -- channels ---------------------------------------------------------------------

    def add_channel(self, *, name: str, kind: ChannelKind, fields: Sequence[ListField],
                    description: str | None, actor: str, agency_id: int) -> Channel:
        """A new active channel of ``agency_id``."""
        row = ChannelRow(name=name, kind=kind.value, fields=[f.value for f in fields],
                         description=description, active=True, created_by=actor,
                         created_at=now(), agency_id=agency_id)
        self._session.add(row)
        self._session.flush()
        return _channel(row)

    def channel(self, channel_id: int) -> Channel | None:
        """The channel, or ``None``."""
        row = self._session.get(ChannelRow, channel_id)
        return _channel(row) if row is not None else None

    def channel_named(self, name: str, agency_id: int) -> Channel | None:
        """``agency_id``'s channel called ``name`` (exactly), or ``None``."""
        row = self._session.execute(
            select(ChannelRow).where(ChannelRow.name == name,
                                     ChannelRow.agency_id == agency_id)).scalar_one_or_none()
        return _channel(row) if row is not None else None

    def channels(self, agency_id: int | None = None) -> list[Channel]:
        """The channels of ``agency_id`` (every agency's for ``None``), by name."""
        query = select(ChannelRow).order_by(ChannelRow.name, ChannelRow.id)
        if agency_id is not None:
            query = query.where(ChannelRow.agency_id == agency_id)
        return [_channel(row) for row in self._session.execute(query).scalars()]

    def list_agency(self, list_id: int) -> int | None:
        """The agency a list belongs to (its channel's), or ``None`` when there is no
        such list."""
        return self._session.execute(
            select(ChannelRow.agency_id).join(MediationListRow,
                                              MediationListRow.channel_id == ChannelRow.id)
            .where(MediationListRow.id == list_id)).scalar_one_or_none()

    # -- lists ------------------------------------------------------------------------

    def add_list(self, *, channel: Channel, note: str | None, actor: str) -> MediationList:
        """A new draft list for ``channel``, with the channel's fields as they are now."""
        row = MediationListRow(channel_id=channel.id, status=ListStatus.DRAFT.value, note=note,
                               fields=[f.value for f in channel.fields], created_by=actor,
                               created_at=now(), version=1)
        self._session.add(row)
        self._session.flush()
        return _list(row)

    def get_list(self, list_id: int) -> MediationList | None:
        """The list, or ``None``."""
        row = self._session.get(MediationListRow, list_id)
        return _list(row) if row is not None else None

    def lists(self, channel_id: int | None = None) -> list[MediationList]:
        """Lists, newest first, optionally of one channel."""
        query = select(MediationListRow).order_by(MediationListRow.id.desc())
        if channel_id is not None:
            query = query.where(MediationListRow.channel_id == channel_id)
        return [_list(row) for row in self._session.execute(query).scalars()]

    def changed(self, list_id: int) -> None:
        """A draft list's children changed: its version goes up."""
        self._session.execute(update(MediationListRow).where(MediationListRow.id == list_id)
                              .values(version=MediationListRow.version + 1))

    def mark_sent(self, list_id: int, expected_version: int, actor: str) -> bool:
        """Mark a draft list sent by ``actor`` now, if nobody changed it since
        ``expected_version`` was read; False (and nothing written) when someone did."""
        done = self._session.execute(
            update(MediationListRow)
            .where(MediationListRow.id == list_id,
                   MediationListRow.version == expected_version,
                   MediationListRow.status == ListStatus.DRAFT.value)
            .values(status=ListStatus.SENT.value, sent_by=actor, sent_at=now(),
                    version=expected_version + 1))
        return bool(getattr(done, "rowcount", 0) == 1)

    # -- children of lists --------------------------------------------------------------

    def add_child(self, list_id: int, case_id: int, reference: str, actor: str) -> ListChild:
        """Put a case on a list under ``reference``."""
        row = ListChildRow(list_id=list_id, case_id=case_id, reference=reference,
                           added_by=actor, added_at=now(), sent_values=None)
        self._session.add(row)
        self._session.flush()
        return _child(row)

    def remove_child(self, list_child_id: int) -> None:
        """Take a child off a draft list."""
        row = self._session.get(ListChildRow, list_child_id)
        if row is not None:
            self._session.delete(row)
            self._session.flush()

    def freeze(self, list_child_id: int, values: dict[ListField, str]) -> None:
        """Keep what a list said of a child as it was sent."""
        row = self._session.get(ListChildRow, list_child_id)
        assert row is not None
        row.sent_values = {k.value: v for k, v in values.items()}
        self._session.flush()

    def children(self, list_id: int) -> list[ListChild]:
        """The children of a list, in the order they were added."""
        rows = self._session.execute(
            select(ListChildRow).where(ListChildRow.list_id == list_id)
            .order_by(ListChildRow.id)).scalars()
        return [_child(row) for row in rows]

    def child_on_list(self, list_id: int, case_id: int) -> ListChild | None:
        """The entry of ``case_id`` on the list, or ``None``."""
        row = self._session.execute(
            select(ListChildRow).where(ListChildRow.list_id == list_id,
                                       ListChildRow.case_id == case_id)).scalar_one_or_none()
        return _child(row) if row is not None else None

    def reference_taken(self, reference: str) -> bool:
        """Whether a list child already has ``reference``."""
        return self._session.execute(
            select(ListChildRow.id).where(ListChildRow.reference == reference)
        ).first() is not None

    def lists_of_cases(self, case_ids: Iterable[int], *,
                       agency_id: int | None = None) -> dict[int, list[int]]:
        """For each of ``case_ids`` on some list of ``agency_id`` (of any agency for
        ``None``), the ids of those lists (oldest first)."""
        wanted = list(set(case_ids))
        found: dict[int, list[int]] = {}
        query = select(ListChildRow.case_id, ListChildRow.list_id)
        if agency_id is not None:
            query = (query.join(MediationListRow, MediationListRow.id == ListChildRow.list_id)
                     .join(ChannelRow, ChannelRow.id == MediationListRow.channel_id)
                     .where(ChannelRow.agency_id == agency_id))
        for start in range(0, len(wanted), 500):
            pairs = self._session.execute(
                query.where(ListChildRow.case_id.in_(wanted[start:start + 500]))
                .order_by(ListChildRow.list_id))
            for case_id, list_id in pairs:
                found.setdefault(case_id, []).append(list_id)
        return found

    def case_ids(self, status: CaseStatus, limit: int, *,
                 agency_id: int | None = None) -> list[int]:
        """Ids of up to ``limit`` cases in ``status`` that ``agency_id`` sees (every one
        for ``None``), oldest first: the cases a list may be built from (what each says
        is read through the case service)."""
        query = select(CaseRow.id).where(CaseRow.status == status.value).where(
            CaseRow.sought_record_pk.in_(select(RecordRow.id).where(record_may_be_traced())))
        if agency_id is not None:
            query = query.where(CaseRow.sought_record_pk.in_(
                select(RecordRow.id).where(record_in_reach(agency_id))))
        return list(self._session.execute(query.order_by(CaseRow.id).limit(limit)).scalars())

    # -- exports and photos -------------------------------------------------------------

    def add_export(self, *, list_id: int, formats: Sequence[ExportFormat], file_name: str,
                   sha256: str, children: int, actor: str) -> None:
        """Record that an encrypted file of a list was made."""
        self._session.add(ListExportRow(list_id=list_id, formats=[f.value for f in formats],
                                        file_name=file_name, sha256=sha256,
                                        children=children, created_by=actor,
                                        created_at=now()))
        self._session.flush()

    def count_exports(self, list_id: int) -> int:
        """How many encrypted files were made of a list."""
        return int(self._session.execute(
            select(func.count()).select_from(ListExportRow)
            .where(ListExportRow.list_id == list_id)).scalar_one())

    def photo(self, case_id: int) -> bytes | None:
        """The photograph of a case (PNG or JPEG bytes), or ``None``."""
        return self._session.execute(
            select(CasePhotoRow.content).where(CasePhotoRow.case_id == case_id)
        ).scalar_one_or_none()

    def set_photo(self, *, case_id: int, media_type: str, content: bytes, sha256: str,
                  actor: str) -> None:
        """Attach (or replace) the photograph of a case."""
        row = self._session.execute(
            select(CasePhotoRow).where(CasePhotoRow.case_id == case_id)).scalar_one_or_none()
        if row is None:
            row = CasePhotoRow(case_id=case_id)
            self._session.add(row)
        row.media_type, row.content, row.sha256 = media_type, content, sha256
        row.added_by, row.added_at = actor, now()
        self._session.flush()
