"""``kinlink search``: find a child's records by a name in any script or a birth date.

The same use case as the search page and ``GET /api/v1/search``
(:func:`kinlink.usecases.search.search_records`), with the same answer: exact hits
first, then variants with the kind of each difference in words ("Russian form",
"Latin, passport 2007", "one letter differs"), birth dates in any accepted form and a
range, each hit's child and case, and pages with totals ("21–40 of 137"). It runs as
``KINLINK_USER`` in the role ``KINLINK_ROLE`` within what ``KINLINK_AGENCY`` sees (unset:
the operator on the server, every list). The words are the pages' English labels
(:mod:`kinlink.web.labels`), so that the command and the page say the same thing.
"""

from __future__ import annotations

import math
from typing import Annotated

import typer
from rich.table import Table

from kinlink.cli.context import acting, fail, friendly_errors, out, said, settings, store, term, tr
from kinlink.domain.records import Role, Sex
from kinlink.errors import InputRefusedError
from kinlink.i18n import N_
from kinlink.names.variance import Variance
from kinlink.search import RecordSearch, SearchHit, SearchQuery, SearchResult
from kinlink.usecases.search import HitChild, SearchPage, search_records
from kinlink.web.labels import CASE_STATUS, RECORD_ROLES, SEXES, SYSTEMS, VARIANCES, VERDICTS

__all__ = ["MAX_PER_PAGE", "search_command"]

MAX_PER_PAGE = 100
"""The most hits one page shows (the API's limit too)."""

_OPTIONS = {"q": "the text", "born_from": "--born-from", "born_to": "--born-to"}
"""Where a refused value was given, by the use case's name of the field."""


@friendly_errors
def search_command(
    text: Annotated[str, typer.Argument(
        help="A name in any script or spelling, surname first or last, optionally with a "
             "birth date (12.03.2014, 2014-03-12, 03.2014 or a year); or a date alone.",
        show_default=False)] = "",
    born_from: Annotated[str | None, typer.Option(
        help="Born on or after this date, in any accepted form (12.03.2014, 2014-03, "
             "2014).", show_default=False)] = None,
    born_to: Annotated[str | None, typer.Option(
        help="Born on or before this date (same forms).", show_default=False)] = None,
    role: Annotated[Role | None, typer.Option(help="Only sought or only found records.",
                                              show_default=False)] = None,
    sex: Annotated[Sex | None, typer.Option(help="Only M or only F.", show_default=False)]
        = None,
    page: Annotated[int, typer.Option(min=1, help="Which page of results to show.")] = 1,
    per_page: Annotated[int, typer.Option(min=1, max=MAX_PER_PAGE,
                                          help="Hits on a page.")] = 20,
) -> None:
    """Search for a child: records whose name matches across scripts and spellings, exact
    matches first, then variants with how each differs; or the records born on a date or
    in a range. Each hit shows its child (linked or not) and the case's status.
    """
    if not text.strip() and not born_from and not born_to:
        raise fail(tr("give a name or a birth date to search for, or --born-from/--born-to"))
    config = settings()
    query = SearchQuery(text, None, role.value if role else None, sex.value if sex else None,
                        (page - 1) * per_page, per_page, born_from or None, born_to or None)
    with store(config) as opened:
        try:
            found = search_records(opened, RecordSearch(opened), acting(config), query)
        except InputRefusedError as refused:
            where = _OPTIONS.get(refused.field or "", "")
            raise fail(f"{where}: {said(refused.text)}" if where else refused.text) from None
    _print(found, page, per_page, ranged=bool(born_from or born_to))


_HEADINGS = (N_("record"), N_("name as written"), N_("match"), N_("how it differs"),
             N_("born"), N_("birth place"), N_("sex"), N_("kind"), N_("child"), N_("case"),
             N_("list"))
"""The columns of the search results (translated where they are printed)."""


def _print(found: SearchPage, page: int, per_page: int, *, ranged: bool) -> None:
    """The reading of the query, the totals line, then the page's hits as a table."""
    result = found.result
    understood = _understood(result, ranged=ranged)
    if understood:
        out.print(tr("Read as:") + f" {understood}")
    pages = math.ceil(result.total / per_page)
    if not result.hits:
        if result.total:
            raise fail(tr("page {page} is past the last page ({pages} of {per_page} hits)"
                          ).format(page=page, pages=pages, per_page=per_page))
        out.print(tr("No record matches. Try fewer words, another spelling, or without the "
                     "year."))
        return
    order = (tr("exact matches first, then variants") if result.understood
             else tr("by birth date"))
    first, last = result.offset + 1, result.offset + len(result.hits)
    out.print(tr("{first}–{last} of {total} · {order} · page {page} of {pages}").format(
                  first=first, last=last, total=result.total, order=order, page=page,
                  pages=pages)
              + (" · " + tr("There are more: add a given name or a birth year.")
                 if result.capped else ""))
    table = Table(*(tr(h) for h in _HEADINGS))
    for hit in result.hits:
        child = found.children.get(hit.record_pk)
        table.add_row(str(hit.record_pk), _name(hit), _match(hit),
                      "\n".join(_variance(v) for v in hit.variances),
                      str(hit.birth or "—"), hit.birth_place or "—",
                      term(SEXES, hit.sex) if hit.sex else "—", term(RECORD_ROLES, hit.role),
                      _child(child), _case(child), f"{hit.source_title} ({hit.source_kind})")
    out.print(table)
    if page < pages:
        out.print(tr("Next page:") + f" --page {page + 1}")


def _understood(result: SearchResult, *, ranged: bool) -> str:
    """What the text was read as: the name's readings and the births kept (a year typed
    without a range keeps a year either side)."""
    parts = list(result.understood)
    if result.born is not None:
        parts.append(tr("born {date}").format(date=result.born)
                     + (" ± 1" if result.born.month is None and not ranged else ""))
    elif result.window is not None:
        parts.append(tr("born {date}").format(date=f"{result.window.first.isoformat()} – "
                                                    f"{result.window.last.isoformat()}"))
    return " · ".join(parts)


def _name(hit: SearchHit) -> str:
    parts = [p for p in (hit.surname, hit.given_name, hit.patronymic) if p]
    return " ".join(parts) or hit.full_name or "—"


def _match(hit: SearchHit) -> str:
    """Exact, or the share of the typed name's own weight and the verdict; for a search
    by date alone, whether the date is the one typed."""
    if hit.score is None:
        return tr("exact date") if hit.exact else tr("born in the range")
    if hit.exact:
        return tr("exact")
    return f"{math.floor(hit.score * 100)}% {term(VERDICTS, hit.verdict)}"


def _variance(variance: Variance) -> str:
    """``Олександр → Александр: Russian form``, with the Latin system when one wrote it."""
    kinds = []
    for kind in variance.kinds:
        words = term(VARIANCES, kind.value)
        if kind.value == "latin" and variance.system is not None:
            words += ", " + term(SYSTEMS, variance.system.value)
        kinds.append(words)
    return f"{variance.typed} → {variance.found}: {'; '.join(kinds)}"


def _child(child: HitChild | None) -> str:
    if child is None:
        return "—"
    return (tr("linked ({count} records)").format(count=child.records) if child.linked
            else tr("not linked"))


def _case(child: HitChild | None) -> str:
    if child is None:
        return "—"
    if child.case_id is None or child.case_status is None:
        return tr("no case")
    return f"{child.case_id}: {term(CASE_STATUS, child.case_status)}"
