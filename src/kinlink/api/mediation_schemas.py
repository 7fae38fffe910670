"""The JSON bodies of mediation: channels, lists, exports, answers (strict inputs, explicit
outputs, in the style of :mod:`kinlink.api.schemas`).

A read model whose shape is the wire's is answered as it is (the routes name the
dataclass of :mod:`kinlink.mediation` as their ``response_model``, its docstring
documents it); a model is defined here only where the wire differs from the read model:
a list's children are shown as the channel receives them, the reference and only the
fields the channel may receive (``values``, keyed by :class:`ListField` names), never the
entry's own id; a channel's track carries the channel with its totals; an answer row
keeps its list's ids in kinlink. The passphrase of an export is in the one answer that
made it, never again. The vocabularies are the domain's enums.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from kinlink.api.schemas import PRINTABLE, Id
from kinlink.domain.mediation import (
    DEFAULT_FORMATS,
    AnswerAction,
    AnswerHow,
    AnswerOutcome,
    AnswerState,
    AnswerStatus,
    ChannelKind,
    ExportFormat,
    ListField,
    ListStatus,
)
from kinlink.mediation import ChannelSummary, ListTrack, Missing, Stayed, Waiting

__all__ = [
    "AnswerLineOut", "ChannelIn", "ChannelTrackOut", "ChildrenIn", "ExportIn", "ExportOut",
    "ListChildOut", "ListIn", "ListOut", "ReconciliationOut", "ResolveIn", "SendIn",
    "SendOut",
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


class ChannelTrackOut(BaseModel):
    """A channel's lists and the children waiting longest for an answer (first).

    Not the read model ``ChannelTrack``: ``channel`` carries the totals of its lists."""

    channel: ChannelSummary
    lists: list[ListTrack]
    waiting: list[Waiting]


class ListIn(_In):
    """A new draft list for a channel."""

    channel: Id
    note: Note | None = None


class ListChildOut(_Out):
    """A child on a list as the channel receives it: the reference and the channel's
    fields only (the channel never gets ``case_id``).

    Not the read model ``ListedChild``: the id of the list entry stays in kinlink."""

    reference: str
    case_id: int
    values: dict[ListField, str]


class ListOut(BaseModel):
    """A list: status, version (send it back to send the list), its channel, the table
    columns it carries and its children.

    Not the read model ``ListView``: the list flat, with its channel's id and name."""

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


class ChildrenIn(_In):
    """Cases to put on a draft list."""

    cases: Annotated[list[Id], Field(min_length=1, max_length=500)]


class ExportIn(_In):
    """The files to put in the encrypted ZIP."""

    formats: Annotated[list[ExportFormat], Field(min_length=1, max_length=4)] = list(
        DEFAULT_FORMATS)


class ExportOut(BaseModel):
    """An encrypted export. ``passphrase`` is shown here only, never stored; ``download``
    gives the ZIP once, to the same person, until ``expires_at``.

    Not the read model ``ExportResult``: the ZIP's bytes come from ``download`` only."""

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


class SendOut(_Out):
    """A list sent: the cases moved to ``return_requested`` and the ones that stayed.

    Not the read model ``SendResult``: the moves are given as the ids of the cases."""

    list_number: str
    moved: list[int]
    stayed: list[Stayed]


class AnswerLineOut(_Out):
    """One answer row: where reconciliation put it, how it was tied to a child, the
    status the other side gave (``null`` when not understood, with the words as
    written), what is wrong with it (``problem``) and its state.

    Not the read model ``AnswerLine``: the ids of the list and its entry stay in kinlink."""

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


class ReconciliationOut(_Out):
    """A sent list against every answer that came back for it: rows matched to a child,
    contradictions, rows about children not on the list, rows that could not be read
    (``rejected``: no usable reference and no name), and the children no answer
    mentions.

    Not the read model ``ListAnswers``: the rows are grouped by outcome."""

    list_number: str
    channel: str
    children: int
    matched: list[AnswerLineOut]
    contradictions: list[AnswerLineOut]
    unknown: list[AnswerLineOut]
    rejected: list[AnswerLineOut]
    missing: list[Missing]


class ResolveIn(_In):
    """Settle one answer: ``confirm`` a match, ``assign`` it to the child with
    ``reference``, or ``dismiss`` it (a note saying why is required)."""

    action: AnswerAction
    reference: Annotated[str, StringConstraints(pattern=REFERENCE)] | None = None
    note: Note | None = None


