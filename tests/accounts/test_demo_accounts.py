"""The demo accounts of ``make run`` (issue 15): a supervisor and a case worker of the demo
agency, each with a generated password to change at first sign-in and a second factor,
made once and audited without secrets."""

from __future__ import annotations

import pyotp
from sqlalchemy import select

from kinlink.accounts import AccountAdmin
from kinlink.domain.access import HOME_AGENCY_ID, Actor
from kinlink.domain.users import UserRole
from kinlink.storage import Store
from kinlink.storage.tables import AuditEventRow
from kinlink.usecases.demo_accounts import create_demo_accounts

OPERATOR = Actor("operator", UserRole.CASE_WORKER)


def test_the_demo_accounts_are_made_once_with_their_secrets(store: Store) -> None:
    made = create_demo_accounts(store, OPERATOR)
    assert [(a.user.username, a.user.role) for a in made.created] == [
        ("demo-supervisor", UserRole.SUPERVISOR), ("demo-caseworker", UserRole.CASE_WORKER)]
    assert made.existing == []
    for account in made.created:
        assert account.user.agency_id == HOME_AGENCY_ID
        assert account.user.must_change_password
        assert account.user.second_factor
        assert account.password is not None
        assert len(account.password) >= 20
        assert account.totp_secret is not None
        assert account.totp_uri is not None
        assert account.totp_uri.startswith(
            f"otpauth://totp/kinlink:{account.user.username}?secret={account.totp_secret}")
        assert pyotp.TOTP(account.totp_secret).now().isdigit()
    again = create_demo_accounts(store, OPERATOR)
    assert again.created == []
    assert again.existing == ["demo-supervisor", "demo-caseworker"]
    users = AccountAdmin(store).users()
    assert sorted(u.username for u in users) == ["demo-caseworker", "demo-supervisor"]
    with store.transaction() as session:
        events = session.execute(select(AuditEventRow.actor, AuditEventRow.action,
                                        AuditEventRow.details)
                                 .where(AuditEventRow.action == "user.created")).all()
    assert [(e.actor, e.details) for e in events] == [
        ("operator", {"role": "supervisor", "agency_id": HOME_AGENCY_ID}),
        ("operator", {"role": "case_worker", "agency_id": HOME_AGENCY_ID})]


def test_only_the_missing_demo_account_is_made(store: Store) -> None:
    """A name taken already (here an operator made the account by hand): only the other
    account is made; the existing one is left as it is."""
    admin = AccountAdmin(store)
    own = admin.create_user("operator", "demo-caseworker", UserRole.CASE_WORKER,
                            HOME_AGENCY_ID)
    made = create_demo_accounts(store, OPERATOR)
    assert [a.user.username for a in made.created] == ["demo-supervisor"]
    assert made.existing == ["demo-caseworker"]
    kept = admin.user(own.user.id)
    assert kept.second_factor is False  # untouched: still to be set up at sign-in
