"""Tables of keeping and letting go (revision 0020): legal holds, retention rules, and
the tombstones erasures leave (:mod:`kinlink.domain.retention`).

A tombstone names what was erased and which fields were there, never a value; a hold's
reference and reason are a court's or a prosecutor's, not a child's data.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kinlink.storage.tables import Base
from kinlink.storage.types import UtcDateTime

__all__ = ["ErasureRow", "LegalHoldRow", "RetentionRuleRow"]


class LegalHoldRow(Base):
    """A legal hold on a case, record, list or document; lifted when ``lifted_at`` is set."""

    __tablename__ = "legal_holds"
    __table_args__ = (Index("ix_legal_holds_target", "target", "target_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    target: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str] = mapped_column(String(300))
    reason: Mapped[str] = mapped_column(Text)
    placed_by: Mapped[str] = mapped_column(String(200))
    placed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    lifted_by: Mapped[str | None] = mapped_column(String(200))
    lifted_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    lift_reason: Mapped[str | None] = mapped_column(Text)


class RetentionRuleRow(Base):
    """One retention rule: keep ``field_group`` for ``keep_days`` after ``anchor``; of
    one agency's data (``agency_id``, revision 0021) or of every agency's (NULL)."""

    __tablename__ = "retention_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    field_group: Mapped[str] = mapped_column(String(24))
    anchor: Mapped[str] = mapped_column(String(24))
    keep_days: Mapped[int] = mapped_column(Integer)
    source_kind: Mapped[str | None] = mapped_column(String(32))
    case_status: Mapped[str | None] = mapped_column(String(24))
    note: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean)
    set_by: Mapped[str] = mapped_column(String(200))
    set_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class ErasureRow(Base):
    """A tombstone: what was erased (kind, id), the fields that were there, when, by
    whom, on which basis and rule, and the reason given."""

    __tablename__ = "erasures"
    __table_args__ = (Index("ix_erasures_target", "kind", "target_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(Integer)
    fields: Mapped[list[Any]] = mapped_column(JSON)
    basis: Mapped[str] = mapped_column(String(24))
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("retention_rules.id"))
    reason: Mapped[str] = mapped_column(Text)
    erased_by: Mapped[str] = mapped_column(String(200))
    erased_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
