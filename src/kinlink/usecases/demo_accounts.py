"""Create the demo case worker and demo supervisor (``kinlink users create-demo``, called
by ``make run`` after the first administrator).

Like ``kinlink users create-admin`` this is the operator's act on the server, before
anyone can sign in, so it asks for no permission; it is audited (``user.created`` for
each account made, with role and agency, never a secret).
"""

from __future__ import annotations

from kinlink.accounts import AccountAdmin, Clock, utcnow
from kinlink.accounts.demo_accounts import DemoAccounts, make_demo_accounts
from kinlink.domain.access import Actor
from kinlink.storage import Store

__all__ = ["DemoAccounts", "create_demo_accounts"]


def create_demo_accounts(store: Store, actor: Actor, language: str = "uk",
                         clock: Clock = utcnow) -> DemoAccounts:
    """The demo accounts not made yet, each with a generated password (to be changed at
    first sign-in) and a second factor, to show once; the names that existed already."""
    return make_demo_accounts(AccountAdmin(store, clock), actor.name, language)
