"""Who is acting: the signed-in person as the services see them.

A :class:`Principal` is built fresh from the database for every request, so a changed
role, agency or a disabled account applies at the next request (no stale grants).
Services take a principal to scope what they read (the principal's agency) and to name
the actor in the audit log. An :class:`Actor` is what every use case takes: a person
signed in to the web (``principal.acting``) or at the command line (``KINLINK_USER``,
``KINLINK_ROLE``), the same rules for both.
"""

from __future__ import annotations

from dataclasses import dataclass

from kinlink.domain.users import UserRole

__all__ = ["HOME_AGENCY_ID", "Actor", "Principal"]

HOME_AGENCY_ID = 1
"""The agency created with the schema; owner of lists imported at the command line."""


@dataclass(frozen=True)
class Actor:
    """Who acts: the name the audit log records, the role they act in and the agency
    whose data they work on (``None``: the home agency, for commands run on the server)."""

    name: str
    role: UserRole
    agency_id: int | None = None


@dataclass(frozen=True)
class Principal:
    """A signed-in person: user id and name, role, and the agency whose data they see."""

    user_id: int
    username: str
    role: UserRole
    agency_id: int

    @property
    def actor(self) -> str:
        """The name written to the audit log for this person's actions."""
        return self.username

    @property
    def acting(self) -> Actor:
        """This person as the use cases see them."""
        return Actor(self.username, self.role, self.agency_id)
