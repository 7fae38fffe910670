"""The services a request works with, built once by ``create_app`` and kept on the app.

Routes get them with ``Depends(services)``; nothing here is a module global, so two apps
(two tests, two stores) never share state.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from kinlink.accounts import AccountAdmin, Accounts, Clock, utcnow
from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.config import Settings
from kinlink.reports import DashboardReport
from kinlink.search import RecordSearch
from kinlink.storage import Store
from kinlink.storage.accounts import begin_write
from kinlink.usecases.documents import Evidence
from kinlink.usecases.jobs import ImportJobs

__all__ = ["Services", "services"]


@dataclass
class Services:
    """Everything routes call: settings, the store and one object per service."""

    settings: Settings
    store: Store
    accounts: Accounts
    admin: AccountAdmin
    search: RecordSearch
    jobs: ImportJobs
    dashboard: DashboardReport
    evidence: Evidence

    @classmethod
    def build(cls, settings: Settings, store: Store, clock: Clock = utcnow) -> Services:
        """Wire every service to ``store``."""
        return cls(
            settings=settings, store=store, accounts=Accounts(store, clock),
            admin=AccountAdmin(store, clock), search=RecordSearch(store),
            jobs=ImportJobs(store, settings),
            dashboard=DashboardReport(store), evidence=Evidence.of(settings, store))

    @property
    def session_cookie(self) -> str:
        """The session cookie's name: ``__Host-`` prefixed when it is Secure."""
        return "__Host-kinlink" if self.settings.cookie_secure else "kinlink"

    @property
    def pre_cookie(self) -> str:
        """The cookie of the CSRF token of forms shown before sign-in (double submit)."""
        return "__Host-kinlink-pre" if self.settings.cookie_secure else "kinlink-pre"

    def audit(self, actor: str, action: AuditAction, entity_type: str, entity_id: str | None,
              details: dict[str, object]) -> None:
        """Write one audit event in a transaction of its own (refusals, failed checks)."""
        with self.store.transaction() as session:
            begin_write(session)
            append_event(session, AuditEvent(actor, action, entity_type, entity_id, details))


def services(request: Request) -> Services:
    """The app's services (a FastAPI dependency)."""
    found = request.app.state.services
    assert isinstance(found, Services)
    return found
