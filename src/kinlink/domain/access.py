"""Who is acting: the signed-in person as the services see them.

A :class:`Principal` is built fresh from the database for every request, so a changed
role, agency or a disabled account applies at the next request (no stale grants).
Services take a principal to scope what they read (the principal's agency) and to name
the actor in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass

from kinlink.domain.users import UserRole

__all__ = ["Principal"]


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
