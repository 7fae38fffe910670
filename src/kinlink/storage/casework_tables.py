"""Tables of a case worker's day: how a report came in (intake), the reporter's consent,
earlier versions of a corrected record, and a case's contact log and tasks.

Revision 0013. Contact notes and task titles are personal data: they are kept with the
case and read only through the case's own checks (:mod:`kinlink.usecases.scope`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kinlink.storage.tables import Base
from kinlink.storage.types import UtcDateTime

__all__ = ["CaseContactRow", "CaseTaskRow", "ConsentRow", "IntakeRow", "RecordVersionRow"]


class IntakeRow(Base):
    """How a source of kind ``form`` came in: a report taken on the hotline, at a visit
    or online, or a found child typed in by hand; who took it, when, in which language."""

    __tablename__ = "intakes"

    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    taken_by: Mapped[str] = mapped_column(String(200))
    taken_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    language: Mapped[str | None] = mapped_column(String(8))


class ConsentRow(Base):
    """What the person reporting a child agreed to: tracing (matching), sharing with the
    named mediation channels, being contacted. A withdrawal keeps the row and dates it;
    a withdrawn report is left out of matching, review and lists."""

    __tablename__ = "consents"

    record_pk: Mapped[int] = mapped_column(ForeignKey("records.id"), primary_key=True)
    tracing: Mapped[bool] = mapped_column(Boolean)
    sharing: Mapped[bool] = mapped_column(Boolean)
    channels: Mapped[list[Any]] = mapped_column(JSON)
    contact: Mapped[bool] = mapped_column(Boolean)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), index=True)
    withdrawn_by: Mapped[str | None] = mapped_column(String(200))
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)


class RecordVersionRow(Base):
    """One earlier version of a record's parsed fields, kept when a person corrected it:
    ``fields`` as they were in ``version``; ``reason``, who and when of the correction
    that replaced them. The raw imported row is never changed."""

    __tablename__ = "record_versions"
    __table_args__ = (UniqueConstraint("record_pk", "version",
                                       name="uq_record_versions_record_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_pk: Mapped[int] = mapped_column(ForeignKey("records.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    changed_by: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class CaseContactRow(Base):
    """One entry of a case's contact log: who talked with whom, when, by which channel,
    and what was said."""

    __tablename__ = "case_contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))
    with_whom: Mapped[str] = mapped_column(String(300))
    channel: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text)
    logged_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class CaseTaskRow(Base):
    """A task on a case, with a due date and the person who should do it."""

    __tablename__ = "case_tasks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[dt.date] = mapped_column(Date, index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    done_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    done_by: Mapped[str | None] = mapped_column(String(200))
