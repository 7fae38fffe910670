"""Following channels: what was sent through each, when and by whom, what came back, and
the children who have waited longest for an answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kinlink.domain.mediation import Channel, ChannelKind, ListField, ListStatus, MediationList
from kinlink.mediation.channels import all_channels, get_channel
from kinlink.storage import Session
from kinlink.storage.mediation import MediationRepository, now
from kinlink.storage.mediation_answers import AnswerRepository

__all__ = ["ChannelSummary", "ChannelTrack", "ListTrack", "Waiting", "track"]


@dataclass(frozen=True)
class ListTrack:
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


@dataclass(frozen=True)
class Waiting:
    """A child on a sent list with no answer yet, and for how many days."""

    reference: str
    case_id: int
    list_number: str
    sent_at: dt.datetime
    days: int


@dataclass(frozen=True)
class ChannelSummary:
    """A channel, what it may receive, and the totals of its lists: how many lists,
    children sent and answered, how many wait for an answer and the longest wait in
    days."""

    id: int
    name: str
    kind: ChannelKind
    fields: tuple[ListField, ...]
    description: str | None
    active: bool
    created_by: str
    created_at: dt.datetime
    lists: int
    children_sent: int
    answered: int
    waiting: int
    longest_wait_days: int | None


@dataclass(frozen=True)
class ChannelTrack:
    """A channel's lists and the children who have waited longest for an answer (first)."""

    channel: Channel
    lists: tuple[ListTrack, ...]
    waiting: tuple[Waiting, ...]

    @property
    def summary(self) -> ChannelSummary:
        """The channel with the totals of its lists."""
        c = self.channel
        return ChannelSummary(
            c.id, c.name, c.kind, c.fields, c.description, c.active, c.created_by,
            c.created_at, len(self.lists),
            sum(x.children for x in self.lists if x.sent_at is not None),
            sum(x.answered for x in self.lists), len(self.waiting),
            self.waiting[0].days if self.waiting else None)

    def longest_waits(self) -> list[tuple[str, int]]:
        """Each sent list's number and the days its longest-waiting child has waited."""
        longest: dict[str, int] = {}
        for waiting in self.waiting:
            longest[waiting.list_number] = max(longest.get(waiting.list_number, 0),
                                               waiting.days)
        return [(x.number, longest.get(x.number, 0)) for x in self.lists
                if x.sent_at is not None]


def _list_track(session: Session, listed: MediationList, today: dt.datetime
                ) -> tuple[ListTrack, list[Waiting]]:
    repo, answers = MediationRepository(session), AnswerRepository(session)
    children = repo.children(listed.id)
    answered = answers.answered_children(listed.id)
    tracked = ListTrack(listed.id, listed.number, listed.status, listed.created_at,
                        listed.sent_at, listed.sent_by, len(children),
                        sum(c.id in answered for c in children),
                        answers.count_imports(listed.id), repo.count_exports(listed.id))
    sent = listed.sent_at
    waiting = ([] if sent is None else
               [Waiting(c.reference, c.case_id, listed.number, sent, (today - sent).days)
                for c in children if c.id not in answered])
    return tracked, waiting


def track(session: Session, channel_id: int | None = None, *,
          agency_id: int | None = None) -> list[ChannelTrack]:
    """Per channel (every one of ``agency_id`` — of every agency for ``None`` — or
    ``channel_id`` only): its lists and who waits longest (not audited: the caller
    audits the read)."""
    today = now()
    chosen = ([get_channel(session, channel_id)] if channel_id is not None
              else all_channels(session, agency_id))
    result = []
    for channel in chosen:
        lists: list[ListTrack] = []
        waiting: list[Waiting] = []
        for listed in MediationRepository(session).lists(channel.id):
            tracked, waits = _list_track(session, listed, today)
            lists.append(tracked)
            waiting += waits
        waiting.sort(key=lambda w: w.sent_at)
        result.append(ChannelTrack(channel, tuple(lists), tuple(waiting)))
    return result
