"""Mentions: where an evidence document may name a sought (or found) child.

Screening (:mod:`kinlink.evidence.screening`) finds a span of a document's text that may
name the child of a record; the mention waits for a person, who confirms it (the document
is then attached to the child's case, or to the record when it has none) or rejects it.
A mention is a suggestion, never a link.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = ["MentionItem", "MentionStatus", "TextWarning"]


class MentionStatus(StrEnum):
    """Where a mention stands."""

    WAITING = "waiting"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


@dataclass(frozen=True)
class MentionItem:
    """A mention as kept: the document, the page and span of its text, the record it
    may name, the score, the evidence (coded messages: ``{"code", "params"}``), where it
    stands and who decided when."""

    id: int
    agency_id: int
    document_id: int
    page: int
    start: int
    end: int
    record_pk: int
    score: float
    evidence: tuple[dict[str, Any], ...]
    status: MentionStatus
    decided_by: str | None
    decided_at: dt.datetime | None
    created_at: dt.datetime


@dataclass(frozen=True)
class TextWarning:
    """A warning of the text extraction of a document (a coded message)."""

    document_id: int
    code: str
    params: dict[str, Any]
    created_at: dt.datetime
