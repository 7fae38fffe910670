"""Which sources and records anyone sees: those whose import has finished.

An import writes its records in many short transactions, so that other people's reads
and small writes go on meanwhile, into a source in state ``importing``; its last short
transaction makes the source ``ready``. Until then nothing of the import may show:
not in search, a record's page, browsing, linkage, review, cases, the dashboard, the
list of sources or a duplicate check. Every query of the store that lists sources or
records takes its condition from here, so the rule lives in one place.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, select

from kinlink.domain.imports import SourceState
from kinlink.storage.tables import RecordRow, SourceRow

__all__ = ["ready_source_ids", "record_is_visible", "source_is_ready"]


def source_is_ready() -> ColumnElement[bool]:
    """A condition on ``sources``: the source's import has finished."""
    return SourceRow.state == SourceState.READY.value


def ready_source_ids() -> Select[int]:
    """The ids of every finished source (a subquery to filter on)."""
    return select(SourceRow.id).where(source_is_ready())


def record_is_visible() -> ColumnElement[bool]:
    """A condition on ``records``: the record's source has finished importing."""
    return RecordRow.source_id.in_(ready_source_ids())
