"""The services a request works with, built once by ``create_app`` and kept on the app.

Routes get them with ``Depends(services)``; nothing here is a module global, so two apps
(two tests, two stores) never share state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from fastapi import Request

from kinlink.accounts import AccountAdmin, Accounts, Clock, utcnow
from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.config import Settings
from kinlink.i18n import Message
from kinlink.reports import DashboardReport
from kinlink.search import RecordSearch
from kinlink.storage import Store
from kinlink.storage.accounts import begin_write
from kinlink.usecases.documents import Evidence
from kinlink.usecases.jobs import ImportJobs

__all__ = ["Services", "Speaker", "services"]


def _english(message: Message, _language: str) -> str:
    return str(message)


@dataclass(frozen=True)
class Speaker:
    """Says a service's :class:`~kinlink.i18n.Message` in one of ``languages``, for the
    few API answers whose words are the answer itself (a bundle's findings). The
    catalogues live with the pages, above this layer: ``create_app`` gives the speaker
    that uses them; without it (a bare ``Services``) everything is said in English."""

    languages: tuple[str, ...] = ("en",)
    say: Callable[[Message, str], str] = _english

    def language(self, accept_language: str | None, preferred: str | None) -> str:
        """The language to answer in: the first of ours that ``Accept-Language`` names
        (a program asks explicitly), else the person's own (``preferred``), else the
        first of ours."""
        for part in (accept_language or "").split(","):
            code = part.split(";")[0].strip().casefold()[:2]
            if code in self.languages:
                return code
        return preferred if preferred in self.languages else self.languages[0]


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
    speaker: Speaker = field(default_factory=Speaker)

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
