"""The web pages: server-rendered HTML over the same services as the JSON API.

Plain forms that work without JavaScript (a small script adds keyboard shortcuts), one
stylesheet, charts drawn as SVG on the server, Ukrainian and English. Each page names
its JSON twin under ``/api/v1``.
"""

from fastapi import APIRouter

from kinlink.web.pages import (
    account,
    admin,
    auth,
    caseload,
    cases,
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
    records,
    registration,
    review,
    statistics,
)

__all__ = ["web_router"]


def web_router() -> APIRouter:
    """Every page route (none of them in the OpenAPI schema)."""
    router = APIRouter(include_in_schema=False)
    for module in (auth, registration, records, mentions, review, caseload, cases, casework,
                   imports, dashboard, admin, account, mediation, documents, evidence, model,
                   photographs, statistics, keeping):
        router.include_router(module.router)
    return router
