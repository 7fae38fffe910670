"""Mediation channels: define one, follow them all or one.

A channel belongs to the agency of the person who defines it (the operator's: the home
agency); only that agency's people see it, its lists and their answers
(:mod:`kinlink.usecases.scope`). Channels are not shared between agencies.
"""

from __future__ import annotations

from collections.abc import Iterable

from kinlink import mediation
from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.mediation import Channel, ChannelKind, ListField
from kinlink.domain.permissions import Action, require
from kinlink.mediation import ChannelTrack
from kinlink.storage import Session, Store
from kinlink.usecases.scope import channel_in_reach, owning_agency, within_reach

__all__ = ["create_channel", "track_channel", "track_channels"]


def create_channel(store: Store, actor: Actor, name: str, kind: ChannelKind,
                   fields: Iterable[ListField], description: str | None = None) -> Channel:
    """Define a channel of the actor's agency and the only fields its lists and dossiers
    may carry (a supervisor decides what may leave kinlink through it)."""
    require(actor, Action.MEDIATION_CHANNELS)
    with store.transaction() as session:
        return mediation.create_channel(session, actor, name, kind, fields, description,
                                        agency_id=owning_agency(actor))


def _audited(session: Session, actor: Actor, channel_id: int | None) -> None:
    append_event(session, AuditEvent(actor.name, AuditAction.CHANNELS_TRACKED, "channel",
                                     str(channel_id) if channel_id is not None else "*"))


def track_channels(store: Store, actor: Actor) -> list[ChannelTrack]:
    """Every channel of the actor's agency: what it may receive, what was sent through
    it, what came back and who waits longest (audited: it names children's
    references)."""
    require(actor, Action.MEDIATION_VIEW)
    with store.transaction() as session:
        found = mediation.track(session, agency_id=actor.agency_id)
        _audited(session, actor, None)
    return found


def track_channel(store: Store, actor: Actor, channel_id: int) -> ChannelTrack:
    """One channel: each list (sent when, by whom, answered how far) and the children who
    have waited longest for an answer (audited)."""
    require(actor, Action.MEDIATION_VIEW)
    with within_reach(store, actor) as (session, reach):
        channel_in_reach(session, reach, channel_id)
        (found,) = mediation.track(session, channel_id)
        _audited(session, actor, channel_id)
    return found
