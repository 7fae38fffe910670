"""The JSON bodies of mediation: channels, lists, exports, answers (strict inputs, explicit
outputs, in the style of :mod:`kinlink.api.schemas`).

Outputs whose shape is the read model's are read from it directly
(``from_attributes``); the vocabularies are the domain's enums. A list's children are
shown as the channel receives them: the reference and only the fields the channel may
receive (``values``, keyed by :class:`ListField` names). The passphrase of an export is
in the one answer that made it, never again.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from kinlink.api.schemas import PRINTABLE, Id
from kinlink.domain.cases import CaseStatus
from kinlink.domain.mediation import (
    DEFAULT_FORMATS,
    AnswerAction,
    AnswerHow,
    AnswerOutcome,
    AnswerState,
    AnswerStatus,
    ApplyResult,
    ChannelKind,
    ExportFormat,
    ListField,
    ListStatus,
)

__all__ = [
    "AddedOut", "AnswerCountsOut", "AnswerLineOut", "AnswerSummaryOut", "CandidateOut",
    "ChannelIn", "ChannelOut", "ChannelTrackOut", "ChildrenIn", "ExportIn", "ExportOut",
    "ListChildOut", "ListIn", "ListOut", "ListTrackOut", "MissingOut", "OutcomeOut",
    "PhotoOut", "ReconciliationOut", "ResolveIn", "SendIn", "SendOut", "StayedOut",
    "WaitingOut",
]

Note = Annotated[str, StringConstraints(max_length=2000, pattern=PRINTABLE)]
REFERENCE = r"^[A-Za-z0-9 -]{1,20}$"


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Out(BaseModel):
    """Read from a read model's attributes."""

    model_config = ConfigDict(from_attributes=True)


class ChannelIn(_In):
    """A new channel: its name, kind, the fields its lists may carry (at least one form
    of the child's name) and, optionally, who it is and how lists travel."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=PRINTABLE)]
    kind: ChannelKind = ChannelKind.STATE_MEDIATOR
    fields: Annotated[list[ListField], Field(min_length=1, max_length=12)]
    description: Note | None = None


class ChannelOut(_Out):
    """A channel, what it may receive, and how far its lists have come back."""

    id: int
    name: str
    kind: ChannelKind
    fields: list[ListField]
    description: str | None
    active: bool
    created_by: str
    created_at: dt.datetime
    lists: int
    children_sent: int
    answered: int
    waiting: int
    longest_wait_days: int | None


class ListTrackOut(_Out):
    """One list of a channel: when sent and by whom, how much came back."""

    id: int
    number: str
    status: ListStatus
    created_at: dt.datetime
    sent_at: dt.datetime | None
    sent_by: str | None
    children: int
    answered: int
    answer_files: int
    exports: int


class WaitingOut(_Out):
    """A child on a sent list with no answer yet, and for how many days."""

    reference: str
    case_id: int
    list_number: str
    sent_at: dt.datetime
    days: int


class ChannelTrackOut(BaseModel):
    """A channel's lists and the children waiting longest for an answer (first)."""

    channel: ChannelOut
    lists: list[ListTrackOut]
    waiting: list[WaitingOut]


class ListIn(_In):
    """A new draft list for a channel."""

    channel: Id
    note: Note | None = None


class ListChildOut(_Out):
    """A child on a list as the channel receives it: the reference and the channel's
    fields only (``case_id`` stays in kinlink)."""

    reference: str
    case_id: int
    values: dict[ListField, str]


class ListOut(BaseModel):
    """A list: status, version (send it back to send the list), its channel, the table
    columns it carries and its children."""

    id: int
    number: str
    status: ListStatus
    version: int
    note: str | None
    channel_id: int
    channel: str
    created_by: str
    created_at: dt.datetime
    sent_by: str | None
    sent_at: dt.datetime | None
    fields: list[ListField]
    columns: list[ListField]
    exports: int
    children: list[ListChildOut]


class CandidateOut(_Out):
    """A case that may go on a list, and the lists it is already on."""

    case_id: int
    status: CaseStatus
    name: str
    birth_date: str | None
    birth_place: str | None
    on_lists: list[str]


class ChildrenIn(_In):
    """Cases to put on a draft list."""

    cases: Annotated[list[Id], Field(min_length=1, max_length=500)]


class AddedOut(_Out):
    """A case put on a list, with its new reference."""

    case_id: int
    reference: str


class ExportIn(_In):
    """The files to put in the encrypted ZIP."""

    formats: Annotated[list[ExportFormat], Field(min_length=1, max_length=4)] = list(
        DEFAULT_FORMATS)


class ExportOut(BaseModel):
    """An encrypted export. ``passphrase`` is shown here only, never stored; ``download``
    gives the ZIP once, to the same person, until ``expires_at``."""

    file_name: str
    passphrase: str
    sha256: str
    children: int
    contents: list[str]
    download: str
    expires_at: dt.datetime


class SendIn(_In):
    """The version of the list that was read (a newer one answers 409)."""

    version: Id


class StayedOut(_Out):
    """A case on a sent list that did not move, and why."""

    case_id: int
    reason: str


class SendOut(_Out):
    """A list sent: the cases moved to ``return_requested`` and the ones that stayed."""

    list_number: str
    moved: list[int]
    stayed: list[StayedOut]


class AnswerCountsOut(_Out):
    """How many rows of an answer file went where, and how many children of the list no
    answer mentions yet."""

    matched: int
    contradiction: int
    unknown: int
    rejected: int
    missing: int


class AnswerSummaryOut(_Out):
    """An answer file read and reconciled: counts per outcome, the file's problems, the
    references nobody answered about yet."""

    import_id: int
    list_number: str
    file_name: str
    rows: int
    counts: AnswerCountsOut
    issues: list[str]
    missing: list[str]


class AnswerLineOut(_Out):
    """One answer row: where reconciliation put it, how it was tied to a child, the
    status the other side gave (``null`` when not understood, with the words as
    written), what is wrong with it (``problem``) and its state."""

    id: int
    import_id: int
    line: int
    outcome: AnswerOutcome
    how: AnswerHow | None
    probability: float | None
    sure: bool
    status: AnswerStatus | None
    status_text: str
    values: dict[str, str]
    problem: str | None
    state: AnswerState
    state_note: str | None
    reference: str | None
    case_id: int | None


class MissingOut(_Out):
    """A child on the list that no answer mentions yet."""

    reference: str
    case_id: int


class ReconciliationOut(_Out):
    """A sent list against every answer that came back for it: rows matched to a child,
    contradictions, rows about children not on the list, rows that could not be read
    (``rejected``: no usable reference and no name), and the children no answer
    mentions."""

    list_number: str
    channel: str
    children: int
    matched: list[AnswerLineOut]
    contradictions: list[AnswerLineOut]
    unknown: list[AnswerLineOut]
    rejected: list[AnswerLineOut]
    missing: list[MissingOut]


class ResolveIn(_In):
    """Settle one answer: ``confirm`` a match, ``assign`` it to the child with
    ``reference``, or ``dismiss`` it (a note saying why is required)."""

    action: AnswerAction
    reference: Annotated[str, StringConstraints(pattern=REFERENCE)] | None = None
    note: Note | None = None


class OutcomeOut(_Out):
    """What applying one answer did to its case, in words."""

    answer_id: int
    line: int
    reference: str
    case_id: int
    result: ApplyResult
    words: str


class PhotoOut(_Out):
    """A photograph attached to a case for its dossier."""

    case_id: int
    sha256: str
