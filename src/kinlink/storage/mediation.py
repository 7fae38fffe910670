"""Queries and writes of mediation: channels, lists, their children, exports, answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kinlink.storage.mediation_tables import (
    AnswerImportRow,
    AnswerRowRecord,
    CasePhotoRow,
    ChannelRow,
    ListChildRow,
    ListExportRow,
    MediationListRow,
)

__all__ = ["MediationRepository", "now"]


def now() -> dt.datetime:
    """The current time, timezone-aware (UTC)."""
    return dt.datetime.now(dt.UTC)


class MediationRepository:
    """Everything mediation keeps, for one transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # -- channels ---------------------------------------------------------------------

    def add_channel(self, *, name: str, kind: str, fields: list[str],
                    description: str | None, actor: str) -> ChannelRow:
        """A new active channel."""
        row = ChannelRow(name=name, kind=kind, fields=fields, description=description,
                         active=True, created_by=actor, created_at=now())
        self._session.add(row)
        self._session.flush()
        return row

    def channel(self, channel_id: int) -> ChannelRow | None:
        """The channel, or ``None``."""
        return self._session.get(ChannelRow, channel_id)

    def channel_named(self, name: str) -> ChannelRow | None:
        """The channel called ``name`` (exactly), or ``None``."""
        return self._session.execute(
            select(ChannelRow).where(ChannelRow.name == name)).scalar_one_or_none()

    def channels(self) -> Sequence[ChannelRow]:
        """Every channel, by name."""
        return self._session.execute(select(ChannelRow).order_by(ChannelRow.name)
                                     ).scalars().all()

    # -- lists ------------------------------------------------------------------------

    def add_list(self, *, channel: ChannelRow, note: str | None, actor: str
                 ) -> MediationListRow:
        """A new draft list for ``channel``, with the channel's fields as they are now."""
        row = MediationListRow(channel_id=channel.id, status="draft", note=note,
                               fields=list(channel.fields), created_by=actor,
                               created_at=now(), version=1)
        self._session.add(row)
        self._session.flush()
        return row

    def get_list(self, list_id: int) -> MediationListRow | None:
        """The list, or ``None``."""
        return self._session.get(MediationListRow, list_id)

    def lists(self, channel_id: int | None = None) -> Sequence[MediationListRow]:
        """Lists, newest first, optionally of one channel."""
        query = select(MediationListRow).order_by(MediationListRow.id.desc())
        if channel_id is not None:
            query = query.where(MediationListRow.channel_id == channel_id)
        return self._session.execute(query).scalars().all()

    def add_child(self, list_id: int, case_id: int, reference: str, actor: str
                  ) -> ListChildRow:
        """Put a case on a list under ``reference``."""
        row = ListChildRow(list_id=list_id, case_id=case_id, reference=reference,
                           added_by=actor, added_at=now(), sent_values=None)
        self._session.add(row)
        self._session.flush()
        return row

    def remove_child(self, row: ListChildRow) -> None:
        """Take a child off a draft list."""
        self._session.delete(row)
        self._session.flush()

    def children(self, list_id: int) -> Sequence[ListChildRow]:
        """The children of a list, in the order they were added."""
        return self._session.execute(
            select(ListChildRow).where(ListChildRow.list_id == list_id)
            .order_by(ListChildRow.id)).scalars().all()

    def child_on_list(self, list_id: int, case_id: int) -> ListChildRow | None:
        """The entry of ``case_id`` on the list, or ``None``."""
        return self._session.execute(
            select(ListChildRow).where(ListChildRow.list_id == list_id,
                                       ListChildRow.case_id == case_id)).scalar_one_or_none()

    def reference_taken(self, reference: str) -> bool:
        """Whether a list child already has ``reference``."""
        return self._session.execute(
            select(ListChildRow.id).where(ListChildRow.reference == reference)
        ).first() is not None

    def list_child(self, list_child_id: int) -> ListChildRow | None:
        """One list entry, or ``None``."""
        return self._session.get(ListChildRow, list_child_id)

    # -- exports and photos -------------------------------------------------------------

    def add_export(self, *, list_id: int, formats: list[str], file_name: str, sha256: str,
                   children: int, actor: str) -> ListExportRow:
        """Record that an encrypted file of a list was made."""
        row = ListExportRow(list_id=list_id, formats=formats, file_name=file_name,
                            sha256=sha256, children=children, created_by=actor,
                            created_at=now())
        self._session.add(row)
        self._session.flush()
        return row

    def exports(self, list_id: int) -> Sequence[ListExportRow]:
        """Exports of a list, oldest first."""
        return self._session.execute(
            select(ListExportRow).where(ListExportRow.list_id == list_id)
            .order_by(ListExportRow.id)).scalars().all()

    def photo(self, case_id: int) -> CasePhotoRow | None:
        """The photograph of a case, or ``None``."""
        return self._session.execute(
            select(CasePhotoRow).where(CasePhotoRow.case_id == case_id)).scalar_one_or_none()

    def set_photo(self, *, case_id: int, media_type: str, content: bytes, sha256: str,
                  actor: str) -> CasePhotoRow:
        """Attach (or replace) the photograph of a case."""
        row = self.photo(case_id)
        if row is None:
            row = CasePhotoRow(case_id=case_id)
            self._session.add(row)
        row.media_type, row.content, row.sha256 = media_type, content, sha256
        row.added_by, row.added_at = actor, now()
        self._session.flush()
        return row

    # -- answers ------------------------------------------------------------------------

    def answer_file_seen(self, list_id: int, sha256: str) -> AnswerImportRow | None:
        """An earlier import of the same answer file for this list, or ``None``."""
        return self._session.execute(
            select(AnswerImportRow).where(AnswerImportRow.list_id == list_id,
                                          AnswerImportRow.sha256 == sha256)
        ).scalars().first()

    def add_answer_import(self, *, list_id: int, file_name: str, sha256: str, rows: int,
                          counts: dict[str, int], actor: str) -> AnswerImportRow:
        """Record one answer file."""
        row = AnswerImportRow(list_id=list_id, file_name=file_name, sha256=sha256,
                              rows=rows, counts=counts, imported_by=actor, imported_at=now())
        self._session.add(row)
        self._session.flush()
        return row

    def add_answer_row(self, **values: Any) -> AnswerRowRecord:
        """Keep one answer row with where reconciliation put it."""
        row = AnswerRowRecord(**values)
        self._session.add(row)
        self._session.flush()
        return row

    def answer_imports(self, list_id: int) -> Sequence[AnswerImportRow]:
        """Answer files of a list, oldest first."""
        return self._session.execute(
            select(AnswerImportRow).where(AnswerImportRow.list_id == list_id)
            .order_by(AnswerImportRow.id)).scalars().all()

    def answer_rows(self, list_id: int) -> Sequence[AnswerRowRecord]:
        """Every answer row of every answer file of a list, in file then line order."""
        return self._session.execute(
            select(AnswerRowRecord).join(AnswerImportRow,
                                         AnswerImportRow.id == AnswerRowRecord.import_id)
            .where(AnswerImportRow.list_id == list_id)
            .order_by(AnswerRowRecord.import_id, AnswerRowRecord.line)).scalars().all()

    def answer_row(self, answer_id: int) -> AnswerRowRecord | None:
        """One answer row, or ``None``."""
        return self._session.get(AnswerRowRecord, answer_id)

    def list_of_answer(self, row: AnswerRowRecord) -> int:
        """The list an answer row belongs to."""
        return int(self._session.execute(
            select(AnswerImportRow.list_id).where(AnswerImportRow.id == row.import_id)
        ).scalar_one())

    def answered_children(self, list_id: int) -> set[int]:
        """List-child ids some answer row of this list speaks of."""
        return {child for child in self._session.execute(
            select(AnswerRowRecord.list_child_id)
            .join(AnswerImportRow, AnswerImportRow.id == AnswerRowRecord.import_id)
            .where(AnswerImportRow.list_id == list_id,
                   AnswerRowRecord.list_child_id.is_not(None),
                   AnswerRowRecord.state != "dismissed")).scalars() if child is not None}

    def count_children(self, list_id: int) -> int:
        """How many children are on a list."""
        return int(self._session.execute(
            select(func.count()).select_from(ListChildRow)
            .where(ListChildRow.list_id == list_id)).scalar_one())
