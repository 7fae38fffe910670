"""Tables of remote candidates: a record held by another party that privacy-preserving
linkage says may be the same child as one of ours (revision 0023f).

Only the other party's name and its opaque record id are kept, never anything about the
child it holds: kinlink never receives more (:mod:`kinlink.pprl`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kinlink.storage.tables import Base
from kinlink.storage.types import UtcDateTime

__all__ = ["RemoteCandidateRow", "RemoteDecisionRow"]


class RemoteCandidateRow(Base):
    """One of our records and a record of another party the linkage unit paired with it.
    ``agency_id`` is the agency that owns our record's list: it alone sees the row.
    Importing the same pair again updates its score and probability."""

    __tablename__ = "remote_candidates"
    __table_args__ = (UniqueConstraint("record_pk", "party", "remote_ref",
                                       name="uq_remote_candidates_pair"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    record_pk: Mapped[int] = mapped_column(ForeignKey("records.id"), index=True)
    party: Mapped[str] = mapped_column(String(100))
    remote_ref: Mapped[str] = mapped_column(String(200))
    score: Mapped[float] = mapped_column(Float)
    probability: Mapped[float] = mapped_column(Float)
    imported_by: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class RemoteDecisionRow(Base):
    """A person's decision on a remote candidate. Append-only: the newest counts (a
    table parallel to ``decisions``, whose two columns are both our records)."""

    __tablename__ = "remote_decisions"
    __table_args__ = (Index("ix_remote_decisions_candidate", "candidate_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("remote_candidates.id"))
    verdict: Mapped[str] = mapped_column(String(12))
    actor: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    note: Mapped[str | None] = mapped_column(Text)
