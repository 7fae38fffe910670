"""Channels: who receives lists of children, and the only fields each of them may receive.

A supervisor defines a channel once, with its fields (data minimisation: a field not named
here never leaves kinlink through it). Functions work in the caller's session and audit
each change there; who may call them is the use case's business.
"""

from __future__ import annotations

from collections.abc import Iterable

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.mediation import Channel, ChannelKind, ChannelPolicy, ListField
from kinlink.errors import NOT_THERE, ConflictError, InputRefusedError, NotFoundError
from kinlink.i18n import N_, Wording
from kinlink.storage import Session
from kinlink.storage.mediation import MediationRepository

_CHANNEL_NEEDS_NAME = Wording("mediation.channels.channel_needs_name", N_("a channel needs a name"))
_THERE_ALREADY_CHANNEL_CALLED = Wording("mediation.channels.there_already_channel_called", N_(
    "there is already a channel called {name}"))

__all__ = ["all_channels", "create_channel", "get_channel"]


def create_channel(session: Session, actor: Actor, name: str, kind: ChannelKind,
                   fields: Iterable[ListField], description: str | None = None, *,
                   agency_id: int) -> Channel:
    """A new channel of ``agency_id`` receiving exactly ``fields`` (at least one form of
    the name); its name is unique within the agency."""
    name = name.strip()
    if not name:
        raise InputRefusedError(_CHANNEL_NEEDS_NAME())
    try:
        policy = ChannelPolicy(frozenset(fields))
    except ValueError as error:
        raise InputRefusedError(str(error)) from None
    repo = MediationRepository(session)
    if repo.channel_named(name, agency_id) is not None:
        raise ConflictError(_THERE_ALREADY_CHANNEL_CALLED(name=f'{name!r}'))
    channel = repo.add_channel(name=name, kind=kind,
                               fields=[f for f in ListField if policy.allows(f)],
                               description=description, actor=actor.name,
                               agency_id=agency_id)
    append_event(session, AuditEvent(actor.name, AuditAction.CHANNEL_CREATED, "channel",
                                     str(channel.id), {
                                         "fields": [f.value for f in channel.fields],
                                         "kind": kind.value, "agency_id": agency_id}))
    return channel


def all_channels(session: Session, agency_id: int | None = None) -> list[Channel]:
    """The channels of ``agency_id`` (of every agency for ``None``), by name."""
    return MediationRepository(session).channels(agency_id)


def get_channel(session: Session, channel_id: int) -> Channel:
    """The channel ``channel_id`` (:class:`NotFoundError` when there is none)."""
    channel = MediationRepository(session).channel(channel_id)
    if channel is None:
        raise NotFoundError(NOT_THERE["channel"](id=str(channel_id)))
    return channel
