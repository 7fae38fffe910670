"""Name keys for search across scripts: written per record, looked up by index.

A record typed as ``Олександр Петренко``, ``Александр Петренко`` or ``Oleksandr
Petrenko`` gets the same surname key (``petrenko``) and the given-name token
``i:Олександр``; a diminutive (``Саша``) gets a token for every name it can stand for.
Search then asks the ``(surname_key, token)`` index for a handful of records and ranks
only those, so it stays fast with a million records.

Keys are written by every import for its own records, chunk by chunk in the
transaction that writes the records (computed beforehand by :func:`name_keys`, so the
transaction stays short), and, for records imported before keys existed, by
:func:`index_missing`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Table,
    and_,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import Session

from kinlink.names import name_features
from kinlink.storage.tables import RecordRow, SourceRow
from kinlink.storage.web_tables import SearchKeyRow

__all__ = [
    "FORGIVEN",
    "SEARCH_KEY_LENGTH",
    "BirthWindow",
    "FoundLookup",
    "FoundRecord",
    "KeyQuery",
    "Lookups",
    "RecordFilters",
    "born_within",
    "fetch_found",
    "find_born",
    "find_records",
    "index_missing",
    "key_condition",
    "key_rows",
    "name_keys",
    "refresh_statistics",
    "source_titles",
    "tokens_for",
    "write_keys",
]

SEARCH_KEY_LENGTH = 120
_KEYS = cast(Table, SearchKeyRow.__table__)
_BATCH = 5000
_NAME_COLUMNS = (RecordRow.id, RecordRow.given_name, RecordRow.surname,
                 RecordRow.patronymic, RecordRow.full_name)


def tokens_for(given_ids: Iterable[str], given_key: str | None) -> set[str]:
    """The given-name tokens of a name: ``i:<id>`` per canonical id, ``k:<skeleton>``."""
    tokens = {f"i:{name_id}"[:SEARCH_KEY_LENGTH] for name_id in given_ids}
    if given_key:
        tokens.add(f"k:{given_key}"[:SEARCH_KEY_LENGTH])
    return tokens


def name_keys(given: str | None, surname: str | None, patronymic: str | None,
              full_name: str | None) -> list[tuple[str, str]]:
    """The (given-name token, surname key) pairs of one name (at least one, so surname
    search finds it): the costly part of indexing, done before any transaction."""
    features = name_features(given, surname, patronymic, full_name)
    surname_key = (features.surname_key or "")[:SEARCH_KEY_LENGTH]
    tokens = tokens_for(features.given_ids, features.given_key) or {""}
    return [(token, surname_key) for token in sorted(tokens)]


def key_rows(record_pk: int, given: str | None, surname: str | None,
             patronymic: str | None, full_name: str | None) -> list[dict[str, Any]]:
    """The ``search_keys`` rows of one record."""
    return [{"record_pk": record_pk, "token": token, "surname_key": surname_key}
            for token, surname_key in name_keys(given, surname, patronymic, full_name)]


def write_keys(session: Session, keys: Mapping[int, Sequence[tuple[str, str]]]) -> int:
    """Insert keys computed by :func:`name_keys`, by record primary key; returns how many
    records."""
    rows = [{"record_pk": pk, "token": token, "surname_key": surname_key}
            for pk, pairs in keys.items() for token, surname_key in pairs]
    if rows:
        session.connection().execute(insert(_KEYS), rows)
    return len(keys)


def _write(session: Session, records: Sequence[Any]) -> int:
    rows = [key for pk, given, surname, patronymic, full in records
            for key in key_rows(pk, given, surname, patronymic, full)]
    if rows:
        session.connection().execute(insert(_KEYS), rows)
    return len(records)


def refresh_statistics(session: Session) -> None:
    """PostgreSQL plans search from table statistics; a large import makes them stale (a
    plan that scans every record where an index finds a few), and autovacuum may be off
    or late: analyse the tables search reads, at the end of an import (``ANALYZE``
    blocks neither reads nor writes).

    ``sources`` too: every read of records keeps those of finished lists (``source_id IN
    (ready sources)``), and a table of a few rows never reaches autovacuum's threshold.
    Without its statistics PostgreSQL guessed one ready list of few records and walked
    all records of every list by the list index for a child's birth-date window — 113 ms
    instead of 24 ms through the birth index at 100k records (EXPLAIN ANALYZE, issue 15)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ANALYZE sources"))
        session.execute(text("ANALYZE records"))
        session.execute(text("ANALYZE search_keys"))


def index_missing(session: Session) -> int:
    """Write keys for records that have none (imported before keys existed)."""
    has_keys = select(SearchKeyRow.record_pk).where(SearchKeyRow.record_pk == RecordRow.id)
    query = select(*_NAME_COLUMNS).where(~has_keys.exists()).order_by(RecordRow.id)
    rows = list(session.execute(query).all())
    done = 0
    for start in range(0, len(rows), _BATCH):
        done += _write(session, rows[start:start + _BATCH])
    return done


@dataclass(frozen=True)
class KeyQuery:
    """One way of reading what was typed: a surname key and/or given-name tokens.

    ``prefix`` looks surname keys up by their beginning (for misspelt surnames).
    """

    surname_key: str | None
    tokens: frozenset[str]
    prefix: bool = False


@dataclass(frozen=True)
class BirthWindow:
    """The births a search keeps: from ``first`` to ``last`` (both days included). A
    record's partial date is kept when any day it can mean lies inside (``2014`` is kept
    for a window of 12.03.2014, ``03.2014`` for one of 2014)."""

    first: dt.date
    last: dt.date


@dataclass(frozen=True)
class RecordFilters:
    """Conditions beside the name: visible sources, the birth window (records without a
    birth date kept too when ``unknown_births``), role, sex."""

    source_ids: Sequence[int]
    born: BirthWindow | None = None
    role: str | None = None
    sex: str | None = None
    unknown_births: bool = True


def _as_number(year: Any, month: Any, day: Any) -> Any:
    return year * 10000 + month * 100 + day


def born_within(window: BirthWindow) -> ColumnElement[bool]:
    """Records whose birth date, at its precision, can fall inside ``window`` (a
    condition on the year first, which the birth index answers)."""
    first, last = window.first, window.last
    return and_(
        RecordRow.birth_year.between(first.year, last.year),
        _as_number(RecordRow.birth_year, func.coalesce(RecordRow.birth_month, 12),
                   func.coalesce(RecordRow.birth_day, 31))
        >= _as_number(first.year, first.month, first.day),
        _as_number(RecordRow.birth_year, func.coalesce(RecordRow.birth_month, 1),
                   func.coalesce(RecordRow.birth_day, 1))
        <= _as_number(last.year, last.month, last.day))


def _filtered(statement: Any, filters: RecordFilters) -> Any:
    statement = statement.where(RecordRow.source_id.in_(filters.source_ids))
    if filters.born is not None:
        condition = born_within(filters.born)
        if filters.unknown_births:
            condition = or_(condition, RecordRow.birth_year.is_(None))
        statement = statement.where(condition)
    if filters.role is not None:
        statement = statement.where(RecordRow.role == filters.role)
    if filters.sex is not None:
        statement = statement.where(RecordRow.sex == filters.sex)
    return statement


def key_condition(query: KeyQuery) -> ColumnElement[bool]:
    """The condition on ``search_keys`` of one lookup (the record search's and the
    caseload's name search share it)."""
    conditions: list[ColumnElement[bool]] = []
    if query.surname_key is not None and query.prefix:
        upper = query.surname_key[:-1] + chr(ord(query.surname_key[-1]) + 1)
        conditions += [SearchKeyRow.surname_key >= query.surname_key,
                       SearchKeyRow.surname_key < upper]
    elif query.surname_key is not None:
        conditions.append(SearchKeyRow.surname_key == query.surname_key)
    if query.tokens:
        conditions.append(SearchKeyRow.token.in_(sorted(query.tokens)))
    return and_(*conditions)


def find_born(session: Session, filters: RecordFilters, limit: int) -> list[int]:
    """Ids of records born inside ``filters.born`` (a search by birth date alone, no
    name: records without a birth date are not kept), at most ``limit``: those whose date
    is known to the day first, then to the month, then the year only (``2014`` can mean
    12.03.2014 but is not it), each by birth date — on every database, whichever end it
    sorts a missing month or day to."""
    if not filters.source_ids or filters.born is None:
        return []
    statement = _filtered(select(RecordRow.id),
                          RecordFilters(filters.source_ids, filters.born, filters.role,
                                        filters.sex, unknown_births=False))
    statement = statement.order_by(RecordRow.birth_month.is_(None),
                                   RecordRow.birth_day.is_(None), RecordRow.birth_year,
                                   RecordRow.birth_month, RecordRow.birth_day, RecordRow.id)
    return list(session.execute(statement.limit(limit)).scalars())


_FOUND_COLUMNS = (RecordRow.id, RecordRow.given_name, RecordRow.surname, RecordRow.patronymic,
                  RecordRow.full_name, RecordRow.sex, RecordRow.birth_year, RecordRow.birth_month,
                  RecordRow.birth_day, RecordRow.birth_place, RecordRow.role,
                  RecordRow.source_id)


@dataclass(frozen=True)
class FoundRecord:
    """What a search shows of a record (no raw row, no extra fields: cheap to load)."""

    id: int
    given_name: str | None
    surname: str | None
    patronymic: str | None
    full_name: str | None
    sex: str | None
    birth_year: int | None
    birth_month: int | None
    birth_day: int | None
    birth_place: str | None
    role: str
    source_id: int


def fetch_found(session: Session, pks: Sequence[int]) -> list[FoundRecord]:
    """The shown fields of the records ``pks``."""
    if not pks:
        return []
    rows = session.execute(select(*_FOUND_COLUMNS).where(RecordRow.id.in_(list(pks)))).all()
    return [FoundRecord(*tuple(row)) for row in rows]


def source_titles(session: Session, source_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """Title and kind of each source."""
    rows = session.execute(select(SourceRow.id, SourceRow.title, SourceRow.kind)
                           .where(SourceRow.id.in_(sorted(set(source_ids))))).all()
    return {row.id: (row.title, row.kind) for row in rows}


FORGIVEN = -1
"""The ``reading`` of a record found by a forgiving lookup only (:func:`find_records`)."""


@dataclass(frozen=True)
class Lookups:
    """Every index lookup of one search, asked in one statement (:func:`find_records`).

    ``exact[i]`` is reading ``i``'s lookup, at most ``exact_limit`` records each;
    ``forgiving`` are asked only when the exact ones together find fewer than ``few``
    records, at most ``forgiving_limit`` each."""

    exact: Sequence[KeyQuery]
    forgiving: Sequence[KeyQuery]
    exact_limit: int
    forgiving_limit: int
    few: int


@dataclass(frozen=True)
class FoundLookup:
    """A record found by :func:`find_records`: the reading whose exact lookup found it
    (:data:`FORGIVEN` for a forgiving lookup), what a search shows of it, and its
    source's title and kind."""

    reading: int
    record: FoundRecord
    source_title: str
    source_kind: str


def _lookup(query: KeyQuery, filters: RecordFilters, limit: int,
            guard: ColumnElement[bool] | None = None) -> Any:
    """One lookup as a subquery: the distinct record ids of ``query`` within ``filters``,
    at most ``limit``, the lowest first (``guard``: asked only when it holds).

    The keys' record ids are made distinct before the records are read (a record has a
    key row per name token), and the records are read in id order until ``limit`` pass
    the filters: a common surname's lookup with a birth window read every record of the
    surname before (6,268 key rows, 40 ms at 1M records for Петренко), now only as many
    as it takes."""
    keys = (select(SearchKeyRow.record_pk).where(key_condition(query)).distinct()
            .subquery())
    statement = _filtered(select(keys.c.record_pk.label("record_pk"))
                          .join(RecordRow, RecordRow.id == keys.c.record_pk), filters)
    if guard is not None:
        statement = statement.where(guard)
    return statement.order_by(keys.c.record_pk).limit(limit).subquery()


def find_records(session: Session, lookups: Lookups, filters: RecordFilters
                 ) -> list[FoundLookup]:
    """The records of every lookup of a search, with their shown fields and source, in
    one statement (one round trip to the server, whatever the number of readings).

    The exact lookups are a common table expression; the forgiving ones are guarded by
    the count of distinct records it found (an uncorrelated condition the database
    answers once, before it reads anything for them: PostgreSQL's one-time filter), so a
    search that finds enough exactly reads nothing more. A record found by several
    lookups comes once per lookup (the caller merges them); each exact reading's rows
    are at most ``exact_limit``."""
    usable = [(i, q) for i, q in enumerate(lookups.exact)
              if q.surname_key is not None or q.tokens]
    if not filters.source_ids or not usable:
        return []
    exact_parts = []
    for index, query in usable:
        found = _lookup(query, filters, lookups.exact_limit)
        exact_parts.append(select(literal(index).label("reading"), found.c.record_pk))
    exact = union_all(*exact_parts).cte("exact_found")
    parts: list[Any] = [select(exact.c.reading, exact.c.record_pk)]
    forgiving = [q for q in lookups.forgiving if q.surname_key is not None or q.tokens]
    if forgiving:
        few = select(func.count(func.distinct(exact.c.record_pk))).scalar_subquery() \
            < lookups.few
        for query in forgiving:
            found = _lookup(query, filters, lookups.forgiving_limit, few)
            parts.append(select(literal(FORGIVEN).label("reading"), found.c.record_pk))
    every = union_all(*parts).subquery("found")
    statement = (select(every.c.reading, *_FOUND_COLUMNS, SourceRow.title, SourceRow.kind)
                 .join(RecordRow, RecordRow.id == every.c.record_pk)
                 .join(SourceRow, SourceRow.id == RecordRow.source_id))
    return [FoundLookup(int(row[0]), FoundRecord(*tuple(row[1:-2])), row[-2], row[-1])
            for row in session.execute(statement).all()]
