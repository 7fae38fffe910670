"""Accounts: people, agencies, passwords, the second factor and sessions.

:class:`Accounts` signs people in and keeps their sessions; :class:`AccountAdmin`
manages users and agencies. Both work over the store and audit every change.
"""

from kinlink.accounts.admin import LANGUAGES, AccountAdmin, AgencyView, NewUser, UserView
from kinlink.accounts.sessions import Accounts, Clock, Enrolment, SessionView, utcnow

__all__ = [
    "LANGUAGES",
    "AccountAdmin",
    "Accounts",
    "AgencyView",
    "Clock",
    "Enrolment",
    "NewUser",
    "SessionView",
    "UserView",
    "utcnow",
]
