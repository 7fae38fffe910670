"""Read-only queries for finding records and reading one (of finished imports only:
:mod:`kinlink.storage.visibility`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from kinlink.domain.imports import SourceState
from kinlink.domain.records import RecordView
from kinlink.storage.review import record_view
from kinlink.storage.tables import ImportIssueRow, RecordRow, ReporterRow, SourceRow
from kinlink.storage.visibility import record_is_visible

__all__ = ["RecordFilter", "find_records", "get_record", "record_issues"]


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


def find_records(session: Session, where: RecordFilter, limit: int,
                 sources: set[int] | None = None) -> list[RecordView]:
    """Records matching ``where`` in import order, at most ``limit`` (only of
    ``sources`` when given).

    The name condition is a case-insensitive substring test done in Python, because
    SQLite folds the case of Latin letters only; cross-script name search comes with the
    name engine.
    """
    query = _conditions(select(RecordRow).where(record_is_visible()).order_by(RecordRow.id),
                        where)
    if sources is not None:
        query = query.where(RecordRow.source_id.in_(sorted(sources)))
    if where.name is None:
        return [record_view(r) for r in session.execute(query.limit(limit)).scalars()]
    needle = where.name.casefold()
    found: list[RecordView] = []
    for record in session.execute(query.execution_options(yield_per=2000)).scalars():
        if _name_matches(record, needle):
            found.append(record_view(record))
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
