"""Search for a child: the ranked records (:class:`kinlink.search.RecordSearch`, which
scopes and audits the search itself), each with whether it is linked to a child and the
state of the child's case.

What a hit says about its child stays inside what the agency sees, as on the child page
(:func:`kinlink.usecases.children.read_child`): the child's records are counted where
the agency sees them, the case shown only when its reported record is in a list the
agency sees, and only to roles that may read children and cases. The child is named by
the record its page is opened with: the hit's own record (the child page of any of a
child's records is the same page).
"""

from __future__ import annotations

from dataclasses import dataclass

from kinlink.domain.access import Actor
from kinlink.domain.permissions import Action, allowed, require
from kinlink.search import RecordSearch, SearchQuery, SearchResult
from kinlink.storage import Store
from kinlink.storage.review import ReviewQueries, clusters_of
from kinlink.usecases.children import cases_in_reach
from kinlink.usecases.scope import reach_of

__all__ = ["HitChild", "SearchPage", "search_records"]


@dataclass(frozen=True)
class HitChild:
    """The child a record found belongs to: ``linked`` when other records the agency sees
    are joined to it (``records`` counts them with the hit's own), and the child's case
    (``case_id``, ``case_status``) when there is one the agency sees."""

    record_pk: int
    records: int
    case_id: int | None = None
    case_status: str | None = None

    @property
    def linked(self) -> bool:
        """Whether the record is linked to other records of the same child."""
        return self.records > 1


@dataclass(frozen=True)
class SearchPage:
    """A page of search results and, by record, its child (empty for roles that may not
    read children)."""

    result: SearchResult
    children: dict[int, HitChild]


def search_records(store: Store, search: RecordSearch, actor: Actor,
                   query: SearchQuery) -> SearchPage:
    """Records matching ``query`` that ``actor``'s agency sees, ranked and paged, each
    with its child and the child's case (audited by the search). The page, the API and
    ``kinlink search`` call it; at the command line the actor may have no agency (the
    operator on the server, who sees every list)."""
    require(actor, Action.RECORDS_SEARCH)
    result = search.search(actor, query)
    if not result.hits or not allowed(actor.role, Action.CHILD_VIEW):
        return SearchPage(result, {})
    return SearchPage(result, _children(store, actor, [h.record_pk for h in result.hits]))


def _children(store: Store, actor: Actor, records: list[int]) -> dict[int, HitChild]:
    """Each record's child as the agency sees it: one walk for the page's records, one
    query for their cases."""
    with store.transaction() as session:
        reach = reach_of(session, actor)
        clusters = clusters_of(session, records)
        everyone = sorted({pk for c in clusters.values() for pk in c.records})
        views = ReviewQueries(session).records(everyone)
        seen = {pk: {r for r in clusters[pk].records
                     if r in views and reach.sees(views[r].source_id)} for pk in records}
        opened = (cases_in_reach(session, reach, sorted(set().union(*seen.values())))
                  if allowed(actor.role, Action.CASES_VIEW) else [])
    children = {}
    for pk in records:
        case = next((c for c in sorted(opened, key=lambda c: c.id)
                     if c.sought_record_pk in seen[pk]), None)
        children[pk] = HitChild(pk, len(seen[pk]), case.id if case else None,
                                case.status.value if case else None)
    return children
