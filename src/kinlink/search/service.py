"""Find records by a name typed in any script, ranked by the name engine's comparison.

Steps: read the typed text (:func:`~kinlink.search.query.readings`); ask the
``search_keys`` index for records with the same surname key and given-name tokens,
within the sources the person's agency sees (its own and those shared with it) and the
filters; when that finds nothing, ask again forgiving a misspelt given name or surname
(see :class:`~kinlink.search.query.Reading`); compare every candidate's name with what was typed
(:func:`kinlink.names.compare_names`) and rank by that score. Each hit carries the
comparison in words. Records found only by the forgiving lookups are shown when their
name compares well, or reads as the typed one with a letter or two mistyped.

At most :data:`CANDIDATES` records are compared per exact lookup and
:data:`FORGIVING_CANDIDATES` per forgiving one, which bounds the time a search takes
whatever the size of the store. Every search is audited (counts and which
filters were used — never the typed name).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Principal
from kinlink.domain.dates import PartialDate
from kinlink.names import (
    NameComparison,
    NameParts,
    PartComparison,
    Verdict,
    compare_names,
    latin_skeleton,
    name_features,
)
from kinlink.search.query import MAX_QUERY_LENGTH, Reading, birth_year_in, readings
from kinlink.storage import Session, Store
from kinlink.storage.accounts import AccountRepository, begin_write
from kinlink.storage.search_keys import (
    FoundRecord,
    RecordFilters,
    fetch_found,
    find_candidates,
    source_titles,
)

__all__ = ["CANDIDATES", "FORGIVING_CANDIDATES", "RecordSearch", "SearchHit", "SearchQuery",
           "SearchResult"]

CANDIDATES = 300
FORGIVING_CANDIDATES = 200
_FUZZY_MIN_SCORE = 0.6
_TYPO_SIMILARITY = 0.75


@dataclass(frozen=True)
class SearchQuery:
    """What to look for: the typed text and optional filters; a page of results."""

    text: str
    birth_year: int | None = None
    role: str | None = None
    sex: str | None = None
    offset: int = 0
    limit: int = 25


@dataclass(frozen=True)
class Reason:
    """One name part compared: as typed, as found, how similar (0 to 1) and why, in
    words."""

    part: str
    typed: str
    found: str
    similarity: float
    reason: str


@dataclass(frozen=True)
class SearchHit:
    """One record found, with its score and why."""

    record_pk: int
    score: float
    verdict: str
    reasons: tuple[Reason, ...]
    given_name: str | None
    surname: str | None
    patronymic: str | None
    full_name: str | None
    sex: str | None
    birth: PartialDate | None
    birth_place: str | None
    role: str
    source_id: int
    source_title: str
    source_kind: str


@dataclass(frozen=True)
class SearchResult:
    """A page of ranked hits; ``total`` counts all found (``capped``: there are more)."""

    hits: list[SearchHit]
    total: int
    capped: bool
    birth_year: int | None
    understood: list[str] = field(default_factory=list)


class RecordSearch:
    """Search over the store, scoped to the person's agency, audited."""

    def __init__(self, store: Store) -> None:
        self._store = store

    @staticmethod
    def warm_up() -> None:
        """Load the name engine's tables (Wikidata name groups take seconds to load) so
        the first search does not wait for them; the server calls this at start."""
        compare_names("Олександр Петренко", "Aleksandr Petrenko")
        compare_names(NameParts(given="Warmup"), NameParts(given="Preload"))  # unknown names

    def search(self, principal: Principal, query: SearchQuery) -> SearchResult:
        """Ranked records for ``query`` that ``principal`` may see."""
        text = query.text[:MAX_QUERY_LENGTH]
        year = query.birth_year or birth_year_in(text)
        with self._store.transaction() as session:
            begin_write(session)
            visible = AccountRepository(session).visible_source_ids(principal.agency_id)
            filters = RecordFilters(visible, year, query.role, query.sex)
            ranked, capped = _rank(session, readings(text), filters)
            shown = ranked[query.offset:query.offset + query.limit]
            sources = source_titles(session, (record.source_id for _, record in shown))
            page = [_hit(record, sources[record.source_id], comparison)
                    for comparison, record in shown]
            append_event(session, AuditEvent(principal.actor, AuditAction.RECORDS_SEARCH,
                                             "record", None, {
                "found": len(ranked), "shown": len(page), "capped": capped,
                "filters": sorted(k for k, v in (("birth_year", year), ("role", query.role),
                                                 ("sex", query.sex)) if v is not None)}))
        return SearchResult(page, len(ranked), capped, year,
                            [r.parts.display() for r in readings(text)])


def _rank(session: Session, found_readings: list[Reading],
          filters: RecordFilters) -> tuple[list[tuple[NameComparison, FoundRecord]], bool]:
    """Candidates of every reading, compared and sorted best first.

    A record found by a reading's exact lookup is compared with the readings that found
    it only; one found by a forgiving lookup with every reading, forgivingly.
    """
    found_by: dict[int, list[Reading]] = {}
    capped = False
    for reading in found_readings:
        found = find_candidates(session, reading.exact, filters, CANDIDATES + 1)
        capped |= len(found) > CANDIDATES
        for pk in found[:CANDIDATES]:
            found_by.setdefault(pk, []).append(reading)
    fuzzy: set[int] = set()
    if not found_by:
        for reading in found_readings:
            for lookup in reading.fuzzy:
                fuzzy.update(find_candidates(session, lookup, filters, FORGIVING_CANDIDATES))
    ranked = []
    for record in fetch_found(session, sorted(found_by.keys() | fuzzy)):
        exact = found_by.get(record.id)
        comparison = _best(record, exact or found_readings, forgiving=exact is None)
        if comparison is not None:
            ranked.append((comparison, record))
    ranked.sort(key=lambda item: (-item[0].score, _year_distance(item[1], filters.birth_year),
                                  item[1].id))
    return ranked, capped


def _best(record: FoundRecord, found_readings: list[Reading], *,
          forgiving: bool) -> NameComparison | None:
    """The best comparison of the record's name with a reading of the typed one.

    A record found only by a forgiving lookup is kept when its name compares well, or
    when every part differs from what was typed by a letter or two (a typo the strict
    comparison of linkage rightly calls a different name).
    """
    features = name_features(record.given_name, record.surname, record.patronymic,
                             record.full_name)
    parts = NameParts(features.given, features.surname, features.patronymic)
    best: NameComparison | None = None
    for reading in found_readings:
        comparison = compare_names(reading.parts, parts)
        if forgiving and comparison.score < _FUZZY_MIN_SCORE:
            comparison = _as_typo(comparison)
        if comparison.parts and (best is None or comparison.score > best.score):
            best = comparison
    if forgiving and best is not None and best.score < _FUZZY_MIN_SCORE:
        return None
    return best


def _as_typo(comparison: NameComparison) -> NameComparison:
    """The comparison read as a typing error, when each part is within a letter or two."""
    parts = []
    for part in comparison.parts:
        if part.similarity >= _TYPO_SIMILARITY or part.part == "patronymic":
            parts.append(part)
            continue
        similarity = Levenshtein.normalized_similarity(latin_skeleton(part.a),
                                                       latin_skeleton(part.b))
        if similarity < _TYPO_SIMILARITY:
            return comparison
        parts.append(PartComparison(part.part, part.a, part.b, round(0.8 * similarity, 3),
                                    "similar spelling (possibly a typing error)"))
    score = round(0.9 * sum(p.similarity for p in parts) / len(parts), 3) if parts else 0.0
    return NameComparison(tuple(parts), Verdict.UNSURE, score)


def _year_distance(record: FoundRecord, year: int | None) -> int:
    if year is None:
        return 0
    if record.birth_year is None:
        return 2
    return min(abs(record.birth_year - year), 3)


def _hit(record: FoundRecord, source: tuple[str, str], comparison: NameComparison) -> SearchHit:
    birth = (PartialDate(record.birth_year, record.birth_month, record.birth_day)
             if record.birth_year else None)
    return SearchHit(
        record_pk=record.id, score=comparison.score, verdict=Verdict(comparison.verdict).value,
        reasons=tuple(Reason(p.part, p.a, p.b, p.similarity, p.reason)
                      for p in comparison.parts),
        given_name=record.given_name, surname=record.surname, patronymic=record.patronymic,
        full_name=record.full_name, sex=record.sex, birth=birth,
        birth_place=record.birth_place, role=record.role, source_id=record.source_id,
        source_title=source[0], source_kind=source[1])
