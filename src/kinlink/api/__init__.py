"""The JSON API (``/api/v1``): the same services the pages use, documented by OpenAPI.

Authentication is the session cookie set by ``POST /api/v1/auth/login`` and completed by
the second factor; state-changing calls send the session's CSRF token in
``X-CSRF-Token``. Errors are ``{"error": {"code", "message"}}`` with the status from the
one table in :mod:`kinlink.server`.
"""

from fastapi import APIRouter

from kinlink.api import (
    admin,
    auth,
    caseload,
    casework,
    dashboard,
    documents,
    evidence,
    imports,
    keeping,
    mediation,
    mentions,
    model,
    photographs,
    pprl,
    records,
    registration,
    review,
    statistics,
)
from kinlink.api.schemas import ErrorOut

__all__ = ["ERROR_RESPONSES", "api_router"]

ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorOut, "description": text} for code, text in (
        (400, "The request cannot be carried out"),
        (401, "Not signed in, or the second factor is missing"),
        (403, "The role does not allow this, or the CSRF token is missing or wrong"),
        (404, "No such thing, or not visible to your agency"),
        (409, "Conflicts with the current state"),
        (413, "The upload is too large"),
        (415, "The upload is not of a type kinlink keeps"),
        (422, "The input is not valid"),
        (503, "The store is busy or not ready; try again"),
    )
}


def api_router() -> APIRouter:
    """Every JSON route under ``/api/v1``."""
    router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)
    for module in (auth, records, registration, imports, dashboard, admin, caseload, review,
                   casework, mediation, documents, evidence, mentions,
                   model, photographs, statistics, keeping, pprl):
        router.include_router(module.router)
    return router
