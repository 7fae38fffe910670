"""Tables of human review: decisions about pairs, and children's cases with history."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, PrimaryKeyConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kinlink.storage.tables import Base
from kinlink.storage.types import UtcDateTime

__all__ = ["CandidateReachRow", "CaseEventRow", "CaseRow", "DecisionRow"]


class DecisionRow(Base):
    """A person's decision about two records. Append-only: the newest per pair counts."""

    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_pair", "record_low", "record_high", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_low: Mapped[int] = mapped_column(ForeignKey("records.id"))
    record_high: Mapped[int] = mapped_column(ForeignKey("records.id"), index=True)
    verdict: Mapped[str] = mapped_column(String(12))
    actor: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    note: Mapped[str | None] = mapped_column(Text)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    # Revision 0013: the versions of the two records the person saw (None: before it).
    low_version: Mapped[int | None] = mapped_column(Integer)
    high_version: Mapped[int | None] = mapped_column(Integer)


class CaseRow(Base):
    """One reported child's case. ``version`` guards against lost updates."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sought_record_pk: Mapped[int] = mapped_column(ForeignKey("records.id"), unique=True)
    status: Mapped[str] = mapped_column(String(24), index=True)
    version: Mapped[int] = mapped_column(Integer)
    opened_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    # Revision 0013: who works the case (a user of the case's agency), since when, and
    # when anything last happened on it (a step, a call logged, a task).
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    owner_since: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    last_activity_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), index=True)


class CaseEventRow(Base):
    """One step in a case's history: from, to, who, when, why, with what evidence."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(24))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    reason: Mapped[str] = mapped_column(Text)
    evidence_kind: Mapped[str | None] = mapped_column(String(32))
    evidence_ref: Mapped[str | None] = mapped_column(Text)


class CandidateReachRow(Base):
    """Revision 0022c: a record whose child (every record reachable from it through the
    links in force) touches a pair waiting for review, with the lists of that pair's two
    records (one row per record and pair of lists). Kept by
    :mod:`kinlink.storage.candidate_reach` wherever pairs, decisions, links or consents
    change, so the caseload's *has candidates* filter is an index read, not a walk."""

    __tablename__ = "candidate_reach"
    __table_args__ = (PrimaryKeyConstraint("record_pk", "low_source", "high_source"),)

    record_pk: Mapped[int] = mapped_column(ForeignKey("records.id"))
    low_source: Mapped[int] = mapped_column(Integer)
    high_source: Mapped[int] = mapped_column(Integer)
