"""Public statistics: ``/public`` for anyone (no sign-in), and the preparers' pages
``/statistics/releases`` (prepare a release, see each table beside its raw counts and
what disclosure control changed, publish, withdraw; the administrator's switch of the
public page).

The public page shows each agency's newest published release: every table with its
definition, its as-of date and "counts cases, not records", suppressed cells as "fewer
than 10", charts drawn on the server. Raw counts are rendered only by the preparers'
page. JSON twins: ``/api/v1/public/statistics`` and ``/api/v1/statistics/releases``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, Response

from kinlink.accounts import SessionView
from kinlink.api.children import actor_of
from kinlink.api.deps import allow, csrf_form
from kinlink.domain.permissions import Action
from kinlink.statistics.facts import MILESTONE_LABELS, OBLASTS
from kinlink.statistics.release import TOTAL, PublishedTable
from kinlink.usecases import statistics
from kinlink.web import charts, i18n, labels
from kinlink.web.forms import Svc, see_other
from kinlink.web.pages.common import pages
from kinlink.web.templating import request_language

__all__ = ["Row", "Shown", "router", "shown_table"]

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]

_AGE_BANDS = {"0-4": "0–4", "5-9": "5–9", "10-13": "10–13", "14-17": "14–17",
              "adult_now": i18n.N_("adult now")}
_OTHER = {TOTAL: i18n.N_("total"), "unknown": i18n.N_("not known"),
          "children": i18n.N_("children"), "female": i18n.N_("girls"),
          "male": i18n.N_("boys"), "family": i18n.N_("by the family"),
          "other": i18n.N_("other"), "earlier": i18n.N_("before February 2022")}


def code_label(code: str, language: str, gettext: Callable[[str], str]) -> str:
    """A row's or column's code in the reader's words: a milestone, an oblast (its
    Ukrainian name in Ukrainian), an age band, a sex, a channel's kind, a month as is."""
    if code in OBLASTS:
        uk, en = OBLASTS[code]
        return uk if language == "uk" else gettext(en)
    for table in (MILESTONE_LABELS, _AGE_BANDS, labels.CHANNEL_KINDS, _OTHER):
        if code in table:
            return gettext(table[code])
    return code


@dataclass(frozen=True)
class Row:
    """One row of a shown table: its label and each column's figure (``None``:
    suppressed), and for preparers the raw counts."""

    label: str
    values: tuple[int | None, ...]
    raw: tuple[int | None, ...] = ()
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Shown:
    """A table as the page draws it."""

    code: str
    title: str
    definition: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    chart: object | None


def shown_table(table: PublishedTable, language: str,
                raw: dict[tuple[str, str], int] | None = None,
                reasons: dict[tuple[str, str], str] | None = None) -> Shown:
    """``table`` in the reader's language, with a chart of its first column's published
    figures (suppressed ones are left out of the chart, never drawn as a number; no
    chart when every row is suppressed)."""
    gettext = i18n.translations(language).gettext
    rows = list(table.rows) + ([TOTAL] if table.column_totals else [])
    columns = list(table.columns) + ([TOTAL] if table.row_totals else [])
    shown_rows = []
    for row in rows:
        values = tuple(table.cells[(row, c)].value if (row, c) in table.cells else None
                       for c in columns)
        shown_rows.append(Row(
            code_label(row, language, gettext), values,
            tuple((raw or {}).get((row, c)) for c in columns) if raw is not None else (),
            tuple((reasons or {}).get((row, c), "") for c in columns)
            if reasons is not None else ()))
    title = gettext(table.title)
    first = [(r.label, r.values[0]) for r in shown_rows[:len(table.rows)]]
    plotted = [(label, value) for label, value in first if value is not None]
    chart = None
    if plotted:  # nothing to draw when every row is suppressed
        chart = (charts.columns(plotted, title) if table.row_dimension == "month"
                 else charts.bars(plotted, title))
    return Shown(table.code, title, gettext(table.definition),
                 tuple(code_label(c, language, gettext) for c in columns), tuple(shown_rows),
                 chart)


@router.get("/public", response_class=HTMLResponse)
def public_page(request: Request, svc: Svc) -> HTMLResponse:
    """Each agency's newest published statistics, for anyone (404 while nothing is
    published or the page is switched off)."""
    found = statistics.public_releases(svc.store)
    language = request_language(request)
    shown = [(p, [shown_table(t, language) for t in p.release.tables]) for p in found]
    return pages(request).render(request, "public.html", {
        "releases": shown, "json_twin": "/api/v1/public/statistics"},
        status_code=200 if found else 404)


@router.get("/statistics/releases", response_class=HTMLResponse)
def releases_page(request: Request, svc: Svc,
                  view: Annotated[SessionView, Depends(allow(Action.STATISTICS_PUBLISH))]
                  ) -> HTMLResponse:
    """The agency's releases and the form that prepares one."""
    actor = actor_of(view)
    return pages(request).render(request, "statistics_releases.html", {
        "releases": statistics.list_releases(svc.store, actor),
        "public_on": statistics.public_switch(svc.store, actor),
        "json_twin": "/api/v1/statistics/releases"})


@router.post("/statistics/releases", dependencies=[Depends(csrf_form)])
def prepare_form(svc: Svc,
                 view: Annotated[SessionView, Depends(allow(Action.STATISTICS_PUBLISH))]
                 ) -> Response:
    """Prepare a release as of today, and show it."""
    made = statistics.prepare_release(svc.store, actor_of(view))
    return see_other(f"/statistics/releases/{made.id}")


@router.get("/statistics/releases/{release_id}", response_class=HTMLResponse)
def release_page(request: Request, release_id: Id, svc: Svc,
                 view: Annotated[SessionView, Depends(allow(Action.STATISTICS_PUBLISH))]
                 ) -> HTMLResponse:
    """A release's tables beside their raw counts and what disclosure control did."""
    found = statistics.preview_release(svc.store, actor_of(view), release_id)
    language = request_language(request)
    tables = [shown_table(t, language, dict(found.raw.get(t.code, {})),
                          dict(found.reasons.get(t.code, {})))
              for t in found.release.tables]
    return pages(request).render(request, "statistics_release.html", {
        "found": found, "tables": tables,
        "changes": list(zip(tables, found.release.changes, strict=False)),
        "json_twin": f"/api/v1/statistics/releases/{release_id}"})


@router.post("/statistics/releases/{release_id}/publish", dependencies=[Depends(csrf_form)])
def publish_form(release_id: Id, svc: Svc,
                 view: Annotated[SessionView, Depends(allow(Action.STATISTICS_PUBLISH))]
                 ) -> Response:
    """Publish a draft."""
    statistics.publish_release(svc.store, actor_of(view), release_id)
    return see_other(f"/statistics/releases/{release_id}")


@router.post("/statistics/releases/{release_id}/withdraw", dependencies=[Depends(csrf_form)])
def withdraw_form(release_id: Id, svc: Svc,
                  view: Annotated[SessionView, Depends(allow(Action.STATISTICS_PUBLISH))]
                  ) -> Response:
    """Withdraw a release."""
    statistics.withdraw_release(svc.store, actor_of(view), release_id)
    return see_other(f"/statistics/releases/{release_id}")


@router.post("/statistics/public", dependencies=[Depends(csrf_form)])
def switch_form(svc: Svc,
                view: Annotated[SessionView, Depends(allow(Action.STATISTICS_SWITCH))],
                enabled: Annotated[str, Form(pattern="^(on|off)$")]) -> Response:
    """Switch the agency's public page on or off."""
    statistics.switch_public(svc.store, actor_of(view), enabled == "on")
    return see_other("/statistics/releases")
