"""What the search for a child's possible identities reads from the store.

Records of the other role are found three ways (:mod:`kinlink.usecases.children` says
when each is used): by birth year (:meth:`ReviewQueries.born_between
<kinlink.storage.review.ReviewQueries.born_between>`), by the given name through the
search index (the tokens :mod:`kinlink.storage.search_keys` writes for every record:
``i:<canonical name>`` in any language and diminutive, ``k:<skeleton>``), and — for
records whose given name the index cannot read (missing, or not in kinlink's name
table) — all of them. Their families (records of the same list with the same surname
key, whose features give the sibling signature) come from the same index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select
from sqlalchemy.orm import Session

from kinlink.domain.records import RecordView, Role, Sex
from kinlink.storage.review import record_view_columns, record_view_of
from kinlink.storage.tables import RecordRow
from kinlink.storage.visibility import ready_source_ids, record_is_visible
from kinlink.storage.web_tables import SearchKeyRow

__all__ = ["FAMILY_SCAN", "MOVED_SCAN", "IdentityQueries"]

FAMILY_SCAN = 30
"""Records of one surname key in one list read as a possible family at most; more are
a common surname, not a family (linkage takes at most six records for one)."""

MOVED_SCAN = 20_000
"""Records naming an institution or a group read from the lists of one child's group
mates at most (:meth:`IdentityQueries.moved`)."""

_CHUNK = 500
"""Record ids per ``IN (…)``: well under every database's limit on parameters."""


class IdentityQueries:
    """Read-only queries of one session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def given_tokens(self, record_pk: int) -> set[str]:
        """The record's given-name tokens in the search index (``i:…``, ``k:…``)."""
        return {t for t in self._session.execute(
            select(SearchKeyRow.token).where(SearchKeyRow.record_pk == record_pk)).scalars()
            if t.startswith(("i:", "k:"))}

    def _of_role(self, role: Role, sex: Sex | None, sources: Sequence[int] | None, *,
                 undated: bool) -> Select[Any]:
        query = select(*record_view_columns()).where(RecordRow.role == role.value,
                                                     record_is_visible())
        if undated:
            query = query.where(RecordRow.birth_year.is_(None))
        if sex is not None:
            query = query.where(or_(RecordRow.sex == sex.value, RecordRow.sex.is_(None)))
        if sources is not None:
            query = query.where(RecordRow.source_id.in_(list(sources)))
        return query

    def born_in_months(self, role: Role, sex: Sex | None, sources: Sequence[int] | None,
                       months: tuple[int, int]) -> list[RecordView]:
        """Records of ``role`` (sex ``sex`` or unknown, only from ``sources`` when given)
        born in the months ``months`` (first, last; a month counted as ``year * 12 +
        month - 1``), or known to a year of them only, in id order: what
        :meth:`ReviewQueries.born_between <kinlink.storage.review.ReviewQueries.
        born_between>` gives for those years and months.

        Asked year by year (each year's months, and its records without a month), so
        that the birth index reads the window's months only: asked for whole years and
        the months checked on each row, it read every record of the role born in those
        years — seven or eight times the window at 100k records, each row fetched from
        the table (issue 15)."""
        first, last = months
        born: list[ColumnElement[bool]] = []
        for year in range(first // 12, last // 12 + 1):
            low, high = max(first - year * 12, 0) + 1, min(last - year * 12, 11) + 1
            born += [and_(RecordRow.birth_year == year, RecordRow.birth_month.is_(None)),
                     and_(RecordRow.birth_year == year,
                          RecordRow.birth_month.between(low, high))]
        query = (self._of_role(role, sex, sources, undated=False)
                 .with_hint(RecordRow, "INDEXED BY ix_records_birth", "sqlite")
                 .where(or_(*born)))
        return [record_view_of(r) for r in
                self._session.execute(query.order_by(RecordRow.id)).all()]

    def sharing_given_name(self, role: Role, sex: Sex | None, sources: Sequence[int] | None,
                           tokens: set[str], *, undated: bool, limit: int) -> list[RecordView]:
        """Records of ``role`` (sex ``sex`` or unknown; only undated ones if ``undated``)
        with one of the given-name ``tokens``, in id order, at most ``limit``."""
        if not tokens:
            return []
        named = exists().where(SearchKeyRow.record_pk == RecordRow.id,
                               SearchKeyRow.token.in_(sorted(tokens)))
        query = self._of_role(role, sex, sources, undated=undated).where(named)
        return [record_view_of(r) for r in self._session.execute(
            query.order_by(RecordRow.id).limit(limit)).all()]

    def unreadable_given_name(self, role: Role, sex: Sex | None,
                              sources: Sequence[int] | None, *, undated: bool,
                              every: bool, limit: int) -> list[RecordView]:
        """Records of ``role`` (as above) whose given name is not in the name table or
        missing — every one of them when ``every`` — in id order, at most ``limit``."""
        query = self._of_role(role, sex, sources, undated=undated)
        if not every:
            known = exists().where(SearchKeyRow.record_pk == RecordRow.id,
                                   SearchKeyRow.token.startswith("i:"))
            query = query.where(~known)
        return [record_view_of(r) for r in self._session.execute(
            query.order_by(RecordRow.id).limit(limit)).all()]

    def newest(self, role: Role, limit: int, *, below: int | None = None
               ) -> list[RecordView]:
        """The newest ``limit`` records of ``role`` (with an id under ``below`` when
        given, to read on from there) in the lists that are ready — every agency's: for
        work done before anyone asks, never shown as it is — newest first."""
        query = select(*record_view_columns()).where(RecordRow.role == role.value,
                                                     record_is_visible())
        if below is not None:
            query = query.where(RecordRow.id < below)
        return [record_view_of(r) for r in self._session.execute(
            query.order_by(RecordRow.id.desc()).limit(limit)).all()]

    def moved(self, sources: Sequence[int]) -> list[RecordView]:
        """The records of the lists ``sources`` that name an institution or a group —
        those that may be children moved together (:mod:`kinlink.linkage.cohorts`) — at
        most :data:`MOVED_SCAN`, lowest id first."""
        if not sources:
            return []
        query = select(*record_view_columns()).where(
            RecordRow.source_id.in_(sorted(set(sources))), record_is_visible(),
            or_(RecordRow.institution.is_not(None), RecordRow.group.is_not(None)))
        return [record_view_of(r) for r in self._session.execute(
            query.order_by(RecordRow.id).limit(MOVED_SCAN)).all()]

    def families(self, records: Sequence[RecordView]) -> list[RecordView]:
        """The records that give ``records`` their sibling signatures: for each record
        with a birth date known to the day, the other records of its list with the same
        surname key and a birth date known to the day (none for a surname key held by
        more than :data:`FAMILY_SCAN` records of the list, dated or not).

        Only those count: a sibling signature is the age gap in days, so a record
        without a full birth date is nobody's sibling (:class:`FeatureBuilder
        <kinlink.linkage.features.FeatureBuilder>` passes it over) and reading it, or a
        family for it, changes nothing (a child's window at 100k records read three
        times as many records for its families as it holds, issue 15).

        Read in two steps, each linear in what it reads: the records' own (list, surname
        key) pairs, then the members of those keys. Joining the records' keys to every
        record of the same key at once multiplied them (each record's rows by every row
        of its key: minutes for a child's window at 100k records, issue 15)."""
        own = sorted({r.id for r in records if r.birth_day is not None})
        pairs: set[tuple[int, str]] = set()
        for start in range(0, len(own), _CHUNK):
            pairs.update((source, key) for source, key in self._session.execute(
                select(RecordRow.source_id, SearchKeyRow.surname_key)
                .join(SearchKeyRow, SearchKeyRow.record_pk == RecordRow.id)
                .where(RecordRow.id.in_(own[start:start + _CHUNK]),
                       SearchKeyRow.surname_key != "").distinct()).all())
        keys = sorted({key for _source, key in pairs})
        lists = sorted({source for source, _key in pairs})
        groups: dict[tuple[int, str], set[int]] = defaultdict(set)
        dated: set[int] = set()
        for start in range(0, len(keys), _CHUNK):
            for pk, source, key, day in self._session.execute(
                    select(RecordRow.id, RecordRow.source_id, SearchKeyRow.surname_key,
                           RecordRow.birth_day)
                    .join(SearchKeyRow, SearchKeyRow.record_pk == RecordRow.id)
                    .where(SearchKeyRow.surname_key.in_(keys[start:start + _CHUNK]),
                           RecordRow.source_id.in_(lists),
                           RecordRow.source_id.in_(ready_source_ids())).distinct()).all():
                if (source, key) in pairs:
                    groups[(source, key)].add(pk)
                    if day is not None:
                        dated.add(pk)
        given = {r.id for r in records}
        kin = sorted({pk for members in groups.values() if len(members) <= FAMILY_SCAN
                      for pk in members} & dated - given)
        found: list[RecordView] = []
        for start in range(0, len(kin), _CHUNK):
            found += [record_view_of(r) for r in self._session.execute(
                select(*record_view_columns()).where(RecordRow.id.in_(kin[start:start + _CHUNK]))
                .order_by(RecordRow.id)).all()]
        return found
