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
- ``exact``: every part typed is written so in the record (case aside); exact hits come
  first, in the script typed by construction, then the variants;
- ``score``: 1 for an exact hit; else that weight as a share of what the typed name
  gives compared with itself, at most 0.99 (a variant never reads as 100%);
- the levels in words, the name engine's finer reason beside them
  (:func:`kinlink.names.compare_names`) and the kind of each part's difference
  (:func:`kinlink.names.variance.part_variance`: "Russian form", "Latin, passport
  2007", "one letter differs"), computed for the page shown only.

A birth date typed with the name or a range of the page keeps the records born inside
it at their own precision (:class:`~kinlink.storage.search_keys.BirthWindow`), and those
without a birth date below them; a date typed alone lists the records born inside it.

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
from kinlink.domain.access import Actor
from kinlink.domain.dates import PartialDate
from kinlink.linkage import NameEvidence, NameField, NameScorer
from kinlink.linkage.name_evidence import NameRow
from kinlink.names import NameParts, latin_skeleton
from kinlink.names.variance import Variance, part_variance, same_spelling
from kinlink.search.query import (
    MAX_QUERY_LENGTH,
    Reading,
    birth_in,
    birth_window,
    readings,
)
from kinlink.storage import Session, Store
from kinlink.storage.accounts import AccountRepository, begin_write
from kinlink.storage.search_keys import (
    FORGIVEN,
    BirthWindow,
    FoundLookup,
    FoundRecord,
    Lookups,
    RecordFilters,
    fetch_found,
    find_born,
    find_records,
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
    """What to look for: the typed text and optional filters; a page of results.
    ``born_from`` and ``born_to`` are dates in any accepted form (a range); a
    ``birth_year`` or a date typed in ``text`` is used when there is no range."""

    text: str
    birth_year: int | None = None
    role: str | None = None
    sex: str | None = None
    offset: int = 0
    limit: int = 25
    born_from: str | None = None
    born_to: str | None = None


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
    score: float | None
    """``None`` for a search by birth date alone (no name compared)."""
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
    exact: bool = False
    """Every part typed is written so in the record."""
    variances: tuple[Variance, ...] = ()
    """How each part differs from the one typed (none for an exact hit)."""


@dataclass(frozen=True)
class SearchResult:
    """A page of ranked hits; ``total`` counts all found (``capped``: there are more);
    ``born``: the birth date typed, ``window``: the births kept."""

    hits: list[SearchHit]
    total: int
    capped: bool
    born: PartialDate | None
    understood: list[str] = field(default_factory=list)
    window: BirthWindow | None = None
    offset: int = 0
    limit: int = 25

    @property
    def birth_year(self) -> int | None:
        """The year of the birth date typed."""
        return self.born.year if self.born else None


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
    exact: bool = False


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

    def search(self, actor: Actor, query: SearchQuery) -> SearchResult:
        """Ranked records for ``query`` among the lists ``actor``'s agency sees (every
        list for the operator at the command line, who has no agency)."""
        text = query.text[:MAX_QUERY_LENGTH]
        born = birth_in(text) or (PartialDate(query.birth_year) if query.birth_year else None)
        window = birth_window(born, query.born_from or None, query.born_to or None)
        found_readings = readings(text)
        with self._store.transaction() as session:
            begin_write(session)
            visible = AccountRepository(session).visible_source_ids(actor.agency_id)
            filters = RecordFilters(visible, window, query.role, query.sex)
            if found_readings:
                ranked, capped, sources = self._rank(session, found_readings, filters, born)
                shown = ranked[query.offset:query.offset + query.limit]
                page = [self._hit(r, sources[r.record.source_id]) for r in shown]
                total = len(ranked)
            else:
                page, total, capped = self._born(session, filters, born, query)
            append_event(session, AuditEvent(actor.name, AuditAction.RECORDS_SEARCH,
                                             "record", None, {
                "found": total, "shown": len(page), "capped": capped,
                "filters": sorted(k for k, v in (
                    ("birth_date", born), ("birth_range", query.born_from or query.born_to),
                    ("role", query.role), ("sex", query.sex)) if v)}))
        understood = list(dict.fromkeys(r.parts.display() for r in found_readings))
        return SearchResult(page, total, capped, born, understood, window, query.offset,
                            query.limit)

    def _born(self, session: Session, filters: RecordFilters, born: PartialDate | None,
              query: SearchQuery) -> tuple[list[SearchHit], int, bool]:
        """A search by birth date alone: the records born inside the window, by date."""
        found = find_born(session, filters, CANDIDATES + 1)
        capped = len(found) > CANDIDATES
        found = found[:CANDIDATES]
        records = fetch_found(session, found[query.offset:query.offset + query.limit])
        sources = source_titles(session, (r.source_id for r in records))
        by_id = {r.id: r for r in records}
        page = [_dated_hit(by_id[pk], sources[by_id[pk].source_id], born)
                for pk in found[query.offset:query.offset + query.limit]]
        return page, len(found), capped

    def _rank(self, session: Session, found_readings: list[Reading],
              filters: RecordFilters, born: PartialDate | None
              ) -> tuple[list[_Ranked], bool, dict[int, tuple[str, str]]]:
        """Candidates of every reading, compared and sorted best first, whether a lookup
        had more than :data:`CANDIDATES`, and the title and kind of their sources.

        Every lookup, the records' shown fields and their sources come in one statement
        (:func:`~kinlink.storage.search_keys.find_records`): on PostgreSQL each round
        trip to the server costs milliseconds, and a forgiving search made up to nine.

        A record found by a reading's exact lookup is compared with the readings that
        found it only; one found only by a forgiving lookup with every reading, and kept
        only when no name comparison weighs against it.
        """
        found = find_records(session, Lookups(
            [r.exact for r in found_readings],
            [lookup for r in found_readings for lookup in r.fuzzy],
            CANDIDATES + 1, FORGIVING_CANDIDATES, FEW), filters)
        per_reading: dict[int, list[int]] = {}
        by_id: dict[int, FoundLookup] = {}
        forgiven: set[int] = set()
        for hit in found:
            by_id.setdefault(hit.record.id, hit)
            if hit.reading == FORGIVEN:
                forgiven.add(hit.record.id)
            else:
                per_reading.setdefault(hit.reading, []).append(hit.record.id)
        capped = any(len(pks) > CANDIDATES for pks in per_reading.values())
        found_by: dict[int, list[int]] = {}
        for index in sorted(per_reading):
            for pk in per_reading[index][:CANDIDATES]:
                found_by.setdefault(pk, []).append(index)
        kept = found_by.keys() | forgiven
        records = [by_id[pk].record for pk in sorted(kept)]
        sources = {hit.record.source_id: (hit.source_title, hit.source_kind)
                   for hit in by_id.values()}
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
        ranked.sort(key=lambda r: (not r.exact, -r.share, -r.weight,
                                   _date_distance(r.record, born), r.record.id))
        return ranked, capped, sources

    def _ranked(self, record: FoundRecord, name: NameRow, reading: NameRow,
                itself: tuple[NameField, ...]) -> _Ranked:
        best = sum(f.weight for f in itself)
        fields = self._scorer.fields(reading, name)
        weight = sum(f.weight for f in fields)
        share = max(0.0, min(weight / best, 1.0)) if best > 0 else 0.0
        exact = _exact(reading.parts, name.parts)
        share = 1.0 if exact else min(share, _NOT_THE_SAME)
        return _Ranked(record, name, reading, fields, weight, share, best, exact)

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
            source_title=source[0], source_kind=source[1], exact=ranked.exact,
            variances=() if ranked.exact else _variances(ranked))


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


_PARTS = (("given name", "given"), ("surname", "surname"), ("patronymic", "patronymic"))


def _exact(typed: NameParts, found: NameParts) -> bool:
    """Whether every part typed is written so in the found name."""
    pairs = [(getattr(typed, a), getattr(found, a)) for _, a in _PARTS if getattr(typed, a)]
    return bool(pairs) and all(b and same_spelling(a, b) for a, b in pairs)


def _variances(ranked: _Ranked) -> tuple[Variance, ...]:
    """How each part typed differs in the found name (a part the record lacks: none)."""
    typed, found = ranked.reading.parts, ranked.name.parts
    against = {_TYPO_PARTS.get(f.comparison) for f in ranked.fields if f.weight < 0}
    return tuple(part_variance(part, a, b, similar=attribute not in against)
                 for part, attribute in _PARTS
                 if (a := getattr(typed, attribute)) and (b := getattr(found, attribute)))


def _date_distance(record: FoundRecord, born: PartialDate | None) -> int:
    """How far the record's birth is from the date typed: 0 the same at the typed
    precision, 1 a year off (a year typed keeps ±1), 3 unknown."""
    if born is None:
        return 0
    if record.birth_year is None:
        return 3
    return min(abs(record.birth_year - born.year), 2)


def _dated_hit(record: FoundRecord, source: tuple[str, str], born: PartialDate | None
               ) -> SearchHit:
    """A record found by its birth date alone: exact when its date is the one typed."""
    birth = PartialDate.from_parts(record.birth_year, record.birth_month, record.birth_day)
    return SearchHit(
        record_pk=record.id, score=None, verdict="born", reasons=(), weight=0.0, findings=(),
        given_name=record.given_name, surname=record.surname, patronymic=record.patronymic,
        full_name=record.full_name, sex=record.sex, birth=birth,
        birth_place=record.birth_place, role=record.role, source_id=record.source_id,
        source_title=source[0], source_kind=source[1], exact=birth is not None and birth == born)
