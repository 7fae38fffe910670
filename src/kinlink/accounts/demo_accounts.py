"""The demo accounts a newcomer signs in with after ``make run``: a case worker and a
supervisor of the demo agency, beside the administrator.

The administrator may not do casework (people and agencies only), so without these a
newcomer would first have to learn that a case-worker account is needed and create it.
They are ordinary accounts: a generated password that must be replaced at the first
sign-in and a second factor made now, both shown once. Made once: a second run finds
the names taken and leaves those accounts as they are (a changed password stays).
"""

from __future__ import annotations

from dataclasses import dataclass

from kinlink.accounts.admin import AccountAdmin, NewUser
from kinlink.domain.access import HOME_AGENCY_ID
from kinlink.domain.users import UserRole

__all__ = ["DEMO_ACCOUNTS", "DEMO_AGENCY_ID", "DemoAccounts", "make_demo_accounts"]

DEMO_ACCOUNTS: tuple[tuple[str, UserRole], ...] = (
    ("demo-supervisor", UserRole.SUPERVISOR),
    ("demo-caseworker", UserRole.CASE_WORKER),
)
"""User name and role of each demo account, in the order they are printed."""

DEMO_AGENCY_ID = HOME_AGENCY_ID
"""The demo agency: ``kinlink demo run`` imports its lists at the command line, so they
belong to the home agency, and so do the demo accounts that work on them."""


@dataclass(frozen=True)
class DemoAccounts:
    """What a run made (with the secrets to show once) and which names existed."""

    created: list[NewUser]
    existing: list[str]


def make_demo_accounts(admin: AccountAdmin, actor: str, language: str = "uk") -> DemoAccounts:
    """Create the demo accounts not made yet, in one transaction."""
    created, existing = admin.create_missing_users(actor, DEMO_ACCOUNTS, DEMO_AGENCY_ID,
                                                   language)
    return DemoAccounts(created, existing)
