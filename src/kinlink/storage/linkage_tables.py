"""Tables of record linkage: trained models, runs, candidate pairs, linked sources, and
each record's blocking keys.

A candidate pair is kept once per pair of records (smaller record id first, as in the
review tables), with the score, decision and explanation of the model run that last
scored it. People's decisions about pairs live in the review tables and are never
touched by a linkage run.

A record's blocking keys (``linkage_keys``: one row per rule whose columns the record
has, and its term-frequency values) let one registered or corrected record find its
candidates through an index instead of a run over the whole store
(:mod:`kinlink.linkage.blocking`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from kinlink.storage.tables import Base
from kinlink.storage.types import UtcDateTime

__all__ = ["CandidatePairRow", "LinkageKeyRow", "LinkageModelRow", "LinkageRunRow",
           "LinkedSourceRow"]


class LinkageModelRow(Base):
    """A trained linkage model: its version, the spec it belongs to, its parameters."""

    __tablename__ = "linkage_models"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(100), unique=True)
    spec_version: Mapped[str] = mapped_column(String(100))
    spec_digest: Mapped[str] = mapped_column(String(64))
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    records_used: Mapped[int] = mapped_column(Integer)
    engine: Mapped[str] = mapped_column(String(200))
    trained_by: Mapped[str] = mapped_column(String(200))
    trained_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class LinkageRunRow(Base):
    """One ``kinlink match``: which model, how many records were new, what it found."""

    __tablename__ = "linkage_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("linkage_models.id"), index=True)
    spec_digest: Mapped[str] = mapped_column(String(64))
    started_by: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    new_records: Mapped[int] = mapped_column(Integer, default=0)
    existing_records: Mapped[int] = mapped_column(Integer, default=0)
    pairs: Mapped[int] = mapped_column(Integer, default=0)
    matches: Mapped[int] = mapped_column(Integer, default=0)
    reviews: Mapped[int] = mapped_column(Integer, default=0)
    skipped_rules: Mapped[list[Any]] = mapped_column(JSON)
    keys_written: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Records whose blocking keys the run wrote (0: none, as before revision 0014)."""


class CandidatePairRow(Base):
    """Two records that may be the same child, as the latest run that scored them saw it."""

    __tablename__ = "candidate_pairs"
    __table_args__ = (
        UniqueConstraint("record_low", "record_high", name="uq_candidate_pairs_pair"),
        Index("ix_candidate_pairs_decision", "decision", "match_probability"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_low: Mapped[int] = mapped_column(ForeignKey("records.id"))
    record_high: Mapped[int] = mapped_column(ForeignKey("records.id"), index=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("linkage_models.id"))
    run_id: Mapped[int] = mapped_column(ForeignKey("linkage_runs.id"), index=True)
    match_weight: Mapped[float] = mapped_column(Float)
    match_probability: Mapped[float] = mapped_column(Float)
    decision: Mapped[str] = mapped_column(String(8))
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON)
    scored_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class LinkedSourceRow(Base):
    """A source whose records a model has linked (against everything before them)."""

    __tablename__ = "linked_sources"

    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("linkage_models.id"), primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("linkage_runs.id"))


class LinkageKeyRow(Base):
    """One blocking key of a record: the rule's name (``rule`` or ``rule:l``/``rule:r``
    for a rule across two columns, ``tf:column`` for a term-frequency value) and the
    record's value of its columns, looked up by (name, value)."""

    __tablename__ = "linkage_keys"
    __table_args__ = (Index("ix_linkage_keys_name_value", "name", "value"),)

    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), primary_key=True)
