"""The owner part of a case page's header: who works the case, the Claim button and, for
a supervisor, the assign form (:mod:`kinlink.web.pages.caseload` answers both forms)."""

from __future__ import annotations

from typing import Any

from kinlink.accounts import SessionView
from kinlink.api.children import actor_of
from kinlink.api.context import Services
from kinlink.domain.cases import Case
from kinlink.domain.permissions import Action, allowed
from kinlink.usecases.caseload import team_people

__all__ = ["owner_context"]


def owner_context(svc: Services, view: SessionView, case: Case) -> dict[str, Any]:
    """The template values of the case's owner: ``owner`` (a name or ``None``),
    ``people`` (whom a supervisor may give it to; empty for others), ``owner_error``."""
    people = team_people(svc.store, actor_of(view))
    names = {p.user_id: p.username for p in people}
    owner = names.get(case.owner_id) if case.owner_id is not None else None
    if case.owner_id is not None and owner is None:
        owner = f"#{case.owner_id}"
    return {"owner": owner, "owner_since": case.owner_since,
            "people": people if allowed(view.role, Action.CASES_ASSIGN) else [],
            "owner_error": None, "claimed": False, "assigned": False}
