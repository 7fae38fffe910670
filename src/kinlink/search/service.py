"""Find records by a name typed in any script, ranked by what linkage makes of the names.

Steps: read the typed text (:func:`~kinlink.search.query.readings`); ask the
``search_keys`` index for records with the same surname key and given-name tokens,
within the sources the person's agency sees (its own and those shared with it) and the
filters; when that finds few (fewer than :data:`FEW`), ask again forgiving a misspelt
given name or surname (see :class:`~kinlink.search.query.Reading`); compare every
candidate's name with each reading of the typed one as linkage compares two records
(:class:`~kinlink.linkage.NameScorer`: the level of the given name and of the surname
with the patronymic, each weighed by the model) and rank by that evidence. What a hit
shows is what a pair of the two names would score:

- ``weight``: the names' weight in bits, the sum of the two comparisons' weights;
- ``score``: that weight as a share of what the typed name gives compared with itself
  (0 to 1; 1 only when both comparisons find the levels the typed name finds with
  itself — the same name and surname, in any script or spelling linkage counts as the
  same — and at most 0.99 otherwise);
- the levels in words, and the name engine's finer reason beside them
  (:func:`kinlink.names.compare_names`), computed for the page shown only.

Records found only by the forgiving lookups are shown when no name comparison weighs
against them (a typo the model reads as a similar spelling), or when the parts it
weighs against differ from the typed ones by a letter or two (a misspelling the model,
strict about short surnames, reads as another name: shown, with the model's weight
against it). A record misspelt in its list is thus found by the name spelt right,
below the records that have it right.

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
from kinlink.linkage import NameEvidence, NameField, NameScorer
from kinlink.linkage.name_evidence import NameRow
from kinlink.names import NameParts, latin_skeleton
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

__all__ = ["CANDIDATES", "FEW", "FORGIVING_CANDIDATES", "Finding", "Reason", "RecordSearch",
           "SearchHit", "SearchQuery", "SearchResult"]

CANDIDATES = 300
FORGIVING_CANDIDATES = 200
FEW = 25
"""Exact lookups that find fewer records than this are followed by the forgiving ones."""
_NOT_THE_SAME = 0.99
"""The highest share a hit gets whose levels are not those of the typed name itself."""
_TYPO_SIMILARITY = 0.75
_TYPO_PARTS = {"given_name": "given", "family_name": "surname"}
"""The name part a misspelling of which a comparison's weight against may come from."""


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
class Finding:
    """One name comparison of linkage with something to compare: the field (its
    title), the level found, the level's words and its weight in bits (what it adds to
    a pair's score)."""

    comparison: str
    field: str
    level: str
    words: str
    weight: float


@dataclass(frozen=True)
class Reason:
    """The name engine's detail for one name part: as typed, as found, its own
    similarity (0 to 1) and why, in words."""

    part: str
    typed: str
    found: str
    similarity: float
    reason: str


@dataclass(frozen=True)
class SearchHit:
    """One record found: its score (the names' weight as a share of the typed name's
    own, 0 to 1), the weight in bits, the verdict (``same``: as strong as the typed name
    itself; ``different``: a comparison weighs against; ``unsure``), the findings of
    linkage and the name engine's reasons."""

    record_pk: int
    score: float
    verdict: str
    reasons: tuple[Reason, ...]
    weight: float
    findings: tuple[Finding, ...]
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


@dataclass(frozen=True)
class _Ranked:
    """A record's best comparison with a reading of the typed name."""

    record: FoundRecord
    name: NameRow
    reading: NameRow
    fields: tuple[NameField, ...]
    weight: float
    share: float
    best: float
    """The weight of the reading compared with itself."""


class RecordSearch:
    """Search over the store, scoped to the person's agency, audited."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._scorer = NameScorer()

    def warm_up(self) -> None:
        """Load the name engine's tables (Wikidata name groups take seconds to load) and
        the linkage model, so the first search does not wait for them; the server
        calls this at start."""
        known, unknown = self._scorer.rows(("Олександр Петренко", NameParts(given="Warmup")))
        self._scorer.evidence(known, self._scorer.rows(("Aleksandr Petrenko",))[0])
        self._scorer.evidence(unknown, self._scorer.rows((NameParts(given="Preload"),))[0])

    def search(self, principal: Principal, query: SearchQuery) -> SearchResult:
        """Ranked records for ``query`` that ``principal`` may see."""
        text = query.text[:MAX_QUERY_LENGTH]
        year = query.birth_year or birth_year_in(text)
        with self._store.transaction() as session:
            begin_write(session)
            visible = AccountRepository(session).visible_source_ids(principal.agency_id)
            filters = RecordFilters(visible, year, query.role, query.sex)
            ranked, capped = self._rank(session, readings(text), filters)
            shown = ranked[query.offset:query.offset + query.limit]
            sources = source_titles(session, (r.record.source_id for r in shown))
            page = [self._hit(r, sources[r.record.source_id]) for r in shown]
            append_event(session, AuditEvent(principal.actor, AuditAction.RECORDS_SEARCH,
                                             "record", None, {
                "found": len(ranked), "shown": len(page), "capped": capped,
                "filters": sorted(k for k, v in (("birth_year", year), ("role", query.role),
                                                 ("sex", query.sex)) if v is not None)}))
        return SearchResult(page, len(ranked), capped, year,
                            [r.parts.display() for r in readings(text)])

    def _rank(self, session: Session, found_readings: list[Reading],
              filters: RecordFilters) -> tuple[list[_Ranked], bool]:
        """Candidates of every reading, compared and sorted best first.

        A record found by a reading's exact lookup is compared with the readings that
        found it only; one found only by a forgiving lookup with every reading, and kept
        only when no name comparison weighs against it.
        """
        found_by: dict[int, list[int]] = {}
        capped = False
        for index, reading in enumerate(found_readings):
            found = find_candidates(session, reading.exact, filters, CANDIDATES + 1)
            capped |= len(found) > CANDIDATES
            for pk in found[:CANDIDATES]:
                found_by.setdefault(pk, []).append(index)
        fuzzy: set[int] = set()
        if len(found_by) < FEW:
            for reading in found_readings:
                for lookup in reading.fuzzy:
                    fuzzy.update(find_candidates(session, lookup, filters,
                                                 FORGIVING_CANDIDATES))
        records = fetch_found(session, sorted(found_by.keys() | fuzzy))
        rows = self._scorer.rows([r.parts for r in found_readings]
                                 + [_name(record) for record in records])
        typed, names = rows[:len(found_readings)], rows[len(found_readings):]
        selves = [self._scorer.fields(row, row) for row in typed]
        ranked = []
        for record, name in zip(records, names, strict=True):
            exact = found_by.get(record.id)
            indices = exact or range(len(found_readings))
            chosen = max((self._ranked(record, name, typed[i], selves[i]) for i in indices),
                         key=lambda r: (r.share, r.weight))
            if exact is None and not _forgiven(chosen):
                continue
            ranked.append(chosen)
        ranked.sort(key=lambda r: (-r.share, -r.weight,
                                   _year_distance(r.record, filters.birth_year), r.record.id))
        return ranked, capped

    def _ranked(self, record: FoundRecord, name: NameRow, reading: NameRow,
                itself: tuple[NameField, ...]) -> _Ranked:
        best = sum(f.weight for f in itself)
        fields = self._scorer.fields(reading, name)
        weight = sum(f.weight for f in fields)
        share = max(0.0, min(weight / best, 1.0)) if best > 0 else 0.0
        if [f.level for f in fields] != [f.level for f in itself]:
            share = min(share, _NOT_THE_SAME)
        return _Ranked(record, name, reading, fields, weight, share, best)

    def _hit(self, ranked: _Ranked, source: tuple[str, str]) -> SearchHit:
        record = ranked.record
        evidence = self._scorer.evidence(ranked.reading, ranked.name)
        birth = (PartialDate(record.birth_year, record.birth_month, record.birth_day)
                 if record.birth_year else None)
        return SearchHit(
            record_pk=record.id, score=round(ranked.share, 3), verdict=_verdict(ranked),
            reasons=_reasons(evidence), weight=round(ranked.weight, 2),
            findings=tuple(Finding(f.comparison, f.title, f.level, f.words, round(f.weight, 2))
                           for f in evidence.fields if not f.null),
            given_name=record.given_name, surname=record.surname, patronymic=record.patronymic,
            full_name=record.full_name, sex=record.sex, birth=birth,
            birth_place=record.birth_place, role=record.role, source_id=record.source_id,
            source_title=source[0], source_kind=source[1])


def _name(record: FoundRecord) -> NameParts | str:
    """The record's name as linkage reads it: the parts, or the full name to parse."""
    if record.given_name or record.surname or not record.full_name:
        return NameParts(record.given_name, record.surname, record.patronymic)
    return record.full_name


def _forgiven(ranked: _Ranked) -> bool:
    """Whether a record found by a forgiving lookup is shown: when no name comparison
    weighs against it, or when each part of those that do differs from the typed one by
    a letter or two (a misspelling the model, rightly strict, reads as another name)."""
    against = [f for f in ranked.fields if f.weight < 0]
    if not against:
        return ranked.weight > 0
    typed, found = ranked.reading.parts, ranked.name.parts
    for f in against:
        attribute = _TYPO_PARTS.get(f.comparison)
        a, b = getattr(typed, attribute or "", None), getattr(found, attribute or "", None)
        if not a or not b or Levenshtein.normalized_similarity(
                latin_skeleton(a), latin_skeleton(b)) < _TYPO_SIMILARITY:
            return False
    return True


def _verdict(ranked: _Ranked) -> str:
    if any(f.weight < 0 for f in ranked.fields):
        return "different"
    return "same" if ranked.best > 0 and ranked.weight >= ranked.best else "unsure"


def _reasons(evidence: NameEvidence) -> tuple[Reason, ...]:
    engine = evidence.engine
    return tuple(Reason(p.part, p.a, p.b, p.similarity, p.reason)
                 for p in (engine.parts if engine else ()))


def _year_distance(record: FoundRecord, year: int | None) -> int:
    if year is None:
        return 0
    if record.birth_year is None:
        return 2
    return min(abs(record.birth_year - year), 3)
