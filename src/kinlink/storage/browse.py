"""Read-only queries for listing sources, import runs and records (of finished imports
only: :mod:`kinlink.storage.visibility`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from kinlink.domain.imports import SourceState
from kinlink.storage.tables import ImportIssueRow, ImportRunRow, RecordRow, ReporterRow, SourceRow
from kinlink.storage.visibility import record_is_visible, source_is_ready

__all__ = ["RecordFilter", "find_records", "get_record", "list_runs", "list_sources",
           "record_issues"]


def list_sources(session: Session) -> list[tuple[SourceRow, int]]:
    """Every source with its number of records, oldest first."""
    counts = (select(RecordRow.source_id, func.count().label("n"))
              .group_by(RecordRow.source_id).subquery())
    rows = session.execute(
        select(SourceRow, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.source_id == SourceRow.id).where(source_is_ready())
        .order_by(SourceRow.id)
    ).all()
    return [(source, int(n)) for source, n in rows]


def list_runs(session: Session, limit: int) -> Sequence[ImportRunRow]:
    """The newest import runs first."""
    return session.execute(
        select(ImportRunRow).order_by(ImportRunRow.id.desc()).limit(limit)
    ).scalars().all()


@dataclass(frozen=True)
class RecordFilter:
    """Conditions on records; ``None`` means no condition."""

    source_id: int | None = None
    role: str | None = None
    sex: str | None = None
    birth_year: int | None = None
    name: str | None = None


def _conditions(query: Select[RecordRow], where: RecordFilter) -> Select[RecordRow]:
    if where.source_id is not None:
        query = query.where(RecordRow.source_id == where.source_id)
    if where.role is not None:
        query = query.where(RecordRow.role == where.role)
    if where.sex is not None:
        query = query.where(RecordRow.sex == where.sex)
    if where.birth_year is not None:
        query = query.where(RecordRow.birth_year == where.birth_year)
    return query


def _name_matches(record: RecordRow, needle: str) -> bool:
    parts = (record.given_name, record.surname, record.patronymic, record.full_name)
    return any(needle in part.casefold() for part in parts if part)


def find_records(session: Session, where: RecordFilter, limit: int) -> list[RecordRow]:
    """Records matching ``where`` in import order, at most ``limit``.

    The name condition is a case-insensitive substring test done in Python, because
    SQLite folds the case of Latin letters only; cross-script name search comes with the
    name engine.
    """
    query = _conditions(select(RecordRow).where(record_is_visible()).order_by(RecordRow.id),
                        where)
    if where.name is None:
        return list(session.execute(query.limit(limit)).scalars())
    needle = where.name.casefold()
    found: list[RecordRow] = []
    for record in session.execute(query.execution_options(yield_per=2000)).scalars():
        if _name_matches(record, needle):
            found.append(record)
            if len(found) >= limit:
                break
    return found


def get_record(session: Session, pk: int) -> tuple[RecordRow, SourceRow, ReporterRow | None]:
    """A record with its source and reporter; raises ``LookupError`` if there is none (or
    its import has not finished)."""
    record = session.get(RecordRow, pk)
    source = session.get(SourceRow, record.source_id) if record is not None else None
    if record is None or source is None or source.state != SourceState.READY:
        raise LookupError(pk)
    reporter = session.execute(
        select(ReporterRow).where(ReporterRow.record_pk == pk)
    ).scalar_one_or_none()
    return record, source, reporter


def record_issues(session: Session, pk: int) -> list[ImportIssueRow]:
    """The fields of a record that could not be read at import, in the order found."""
    return list(session.execute(
        select(ImportIssueRow).where(ImportIssueRow.record_pk == pk)
        .order_by(ImportIssueRow.id)).scalars())
