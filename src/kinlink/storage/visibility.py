"""Which sources and records anyone sees: those whose import has finished.

An import writes its records in many short transactions, so that other people's reads
and small writes go on meanwhile, into a source in state ``importing``; its last short
transaction makes the source ``ready``. Until then nothing of the import may show:
not in search, a record's page, browsing, linkage, review, cases, the dashboard, the
list of sources or a duplicate check. Every query of the store that lists sources or
records takes its condition from here, so the rule lives in one place.

Need to know: an agency sees its own finished lists and those shared with it
(:func:`agency_source_ids`); everything that stands on records (a pair, a review item, a
case, a list's child) is in its reach only when every record involved is
(:func:`record_in_reach`). ``agency_id=None`` is the operator on the server: every list.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, exists, or_, select, true

from kinlink.domain.imports import SourceState
from kinlink.storage.casework_tables import ConsentRow
from kinlink.storage.tables import RecordRow, SourceRow
from kinlink.storage.web_tables import SourceShareRow

__all__ = ["agency_source_ids", "ready_source_ids", "record_in_reach", "record_is_visible",
           "record_may_be_traced", "source_is_ready"]


def source_is_ready() -> ColumnElement[bool]:
    """A condition on ``sources``: the source's import has finished."""
    return SourceRow.state == SourceState.READY.value


def ready_source_ids() -> Select[int]:
    """The ids of every finished source (a subquery to filter on)."""
    return select(SourceRow.id).where(source_is_ready())


def record_is_visible() -> ColumnElement[bool]:
    """A condition on ``records``: the record's source has finished importing."""
    return RecordRow.source_id.in_(ready_source_ids())


def agency_source_ids(agency_id: int) -> Select[Any]:
    """The ids of the finished sources ``agency_id`` sees: its own and those shared with
    it (a subquery to filter on)."""
    own = select(SourceRow.id).where(SourceRow.agency_id == agency_id, source_is_ready())
    shared = select(SourceShareRow.source_id).where(
        SourceShareRow.agency_id == agency_id,
        SourceShareRow.source_id.in_(ready_source_ids()))
    return select(own.union(shared).subquery().c[0])


def record_in_reach(agency_id: int | None, record: Any = RecordRow) -> ColumnElement[bool]:
    """A condition on ``records`` (or an alias of it): ``agency_id`` sees the record
    (always true for ``None``, the operator on the server, beyond the import being
    finished)."""
    if agency_id is None:
        return true()
    condition: ColumnElement[bool] = record.source_id.in_(agency_source_ids(agency_id))
    return condition


def record_may_be_traced(record: Any = RecordRow) -> ColumnElement[bool]:
    """A condition on ``records`` (or an alias): the record may be matched, reviewed and
    put on a mediation list — no consent kept with it says otherwise (a report whose
    reporter refused tracing, or withdrew consent, is kept but left out of all three)."""
    refused = select(ConsentRow.record_pk).where(
        ConsentRow.record_pk == record.id,
        or_(ConsentRow.tracing.is_(False), ConsentRow.withdrawn_at.is_not(None)))
    return ~exists(refused)
