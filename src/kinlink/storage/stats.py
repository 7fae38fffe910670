"""Counts for the dashboard, over the sources one agency sees."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kinlink.storage.accounts import as_utc
from kinlink.storage.tables import RecordRow, SourceRow
from kinlink.storage.visibility import source_is_ready

__all__ = ["by_birth_place", "by_event_month", "by_kind", "by_role", "newest_record",
           "sources_imported"]


def newest_record(session: Session) -> int:
    """The highest record id of the newest finished source (0 for an empty store):
    changes with every import that finishes, not with the chunks of one under way."""
    newest = select(func.max(SourceRow.id)).where(source_is_ready()).scalar_subquery()
    return int(session.execute(select(func.max(RecordRow.id))
                               .where(RecordRow.source_id == newest)).scalar() or 0)


def by_role(session: Session, source_ids: Sequence[int]) -> dict[str, int]:
    """Records per role (sought, found)."""
    rows = session.execute(select(RecordRow.role, func.count())
                           .where(RecordRow.source_id.in_(source_ids))
                           .group_by(RecordRow.role)).all()
    return {str(role): int(n) for role, n in rows}


def by_kind(session: Session, source_ids: Sequence[int]) -> dict[str, int]:
    """Records per kind of source (family reports, adoption registry, …)."""
    rows = session.execute(select(SourceRow.kind, func.count(RecordRow.id))
                           .join(RecordRow, RecordRow.source_id == SourceRow.id)
                           .where(SourceRow.id.in_(source_ids))
                           .group_by(SourceRow.kind)).all()
    return {str(kind): int(n) for kind, n in rows}


def by_birth_place(session: Session, source_ids: Sequence[int]) -> dict[str | None, int]:
    """Records per birth place as written (``None``: not known)."""
    rows = session.execute(select(RecordRow.birth_place, func.count())
                           .where(RecordRow.source_id.in_(source_ids))
                           .group_by(RecordRow.birth_place)).all()
    return {place: int(n) for place, n in rows}


def by_event_month(session: Session, source_ids: Sequence[int]) -> dict[tuple[int, int], int]:
    """Records per (year, month) of their event date, where the month is known."""
    rows = session.execute(select(RecordRow.event_year, RecordRow.event_month, func.count())
                           .where(RecordRow.source_id.in_(source_ids),
                                  RecordRow.event_year.is_not(None),
                                  RecordRow.event_month.is_not(None))
                           .group_by(RecordRow.event_year, RecordRow.event_month)).all()
    return {(y, m): int(n) for y, m, n in rows if y is not None and m is not None}


def sources_imported(session: Session, source_ids: Sequence[int]) -> list[dt.datetime]:
    """When each visible source was imported."""
    return [as_utc(t) for t in session.execute(
        select(SourceRow.imported_at).where(SourceRow.id.in_(source_ids))).scalars()]
