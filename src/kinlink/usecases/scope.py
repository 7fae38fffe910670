"""What an actor's agency sees: its own lists and those shared with it.

An actor without an agency (a command run on the server by its operator) sees every
list. A record or a run outside the scope is answered like a missing one, so that the
existence of another agency's data does not leak.
"""

from __future__ import annotations

from kinlink.domain.access import Actor
from kinlink.storage import Session
from kinlink.storage.accounts import AccountRepository

__all__ = ["visible_sources"]


def visible_sources(session: Session, actor: Actor) -> set[int] | None:
    """The ids of the lists the actor's agency sees (``None``: every list)."""
    if actor.agency_id is None:
        return None
    return set(AccountRepository(session).visible_source_ids(actor.agency_id))
