"""One row of precomputed keys per record: what blocking and comparison work on.

Linkage runs as SQL on a backend (DuckDB now, Spark later) that cannot call Python, so
everything that needs the name engine or the place table is computed here, once per
record, into plain columns:

- names (from :func:`kinlink.names.name_features`): canonical given-name ids (an array:
  a diminutive can stand for several names), the first of them, the given-name
  skeleton, its loose key (Гліб ~ Глеб), a blocking key every given name has (the
  consonants of its canonical name, or of the name itself when no table knows it),
  whether the name is a diminutive, the gender-stripped surname key, the
  surname skeleton (for fuzzy comparison of what the key leaves), the given-name and
  surname skeletons in alphabetical order (equal when a list swapped the two), the
  surname key with the vowels Ukrainian and Russian spell differently merged
  (Біленко ~ Беленко), the first letters of the surname skeleton (blocking only), the
  father's-name key of the patronymic;
- sex as written, or as the given name or patronymic implies when the list is silent;
- the birth date in parts that keep its precision: the exact date, its day/month swap,
  ``MM-DD``, a day number, a month number and the year — a partial date fills only the
  parts it knows, so ``2014`` never compares as 1 January 2014 — and whether the date
  is 1 January, which registers write when the real date is unknown;
- the birth place key and the last known place key (:func:`kinlink.names.places.place_key`);
- a day number for the event date (mid-month for a month-precision date);
- a sibling signature: for each other child of the same family in the same list (same
  surname, and the same father's name, last known place or event date), the two sexes
  and the difference of the birth dates in days. Siblings adopted together get one new
  surname and one date shift, so the age gap between them survives the adoption;
- the move, which survives renaming too: the institution's key
  (:func:`kinlink.names.institutions.institution_key`), the day the child was moved
  (``moved_on``; for a record that names an institution but no ``moved_on``, its event
  date: the day the list saw the child there; day precision only, as moves are compared
  within days) and the group key (the source's group identifier, scoped to its list:
  two lists' "group 7" are not one group).

Display values (the name parts as parsed, dates, places) are kept beside the columns for
explanations when asked for; they never go to the backend. A finished
:class:`FeatureTable` holds its columns as an Arrow table: compact, cheap to hand to
another process, and readable by DuckDB and Spark without copying.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any, Protocol

import pyarrow as pa

from kinlink.domain.dates import PartialDate
from kinlink.names import name_features
from kinlink.names.institutions import institution_key
from kinlink.names.keys import loosen
from kinlink.names.places import place_key

__all__ = ["COLUMNS", "FAMILY_MAX", "SCHEMA", "SURNAME_START", "Display", "FamilyKey",
           "FeatureBuilder", "FeatureTable", "closest_sibling", "family_keys"]

_EPOCH = dt.date(1970, 1, 1)
FAMILY_MAX = 6
SURNAME_START = 3
"""Letters of the surname's skeleton in ``surname_start``: a typo later in the surname
(Калинюк ~ Калиюк) keeps them, and with the given name they block a record that has no
birth date to meet its other spelling on."""
"""More records than this with one surname in one list are not taken for one family."""

COLUMNS: dict[str, str] = {
    "uid": "int64",
    "given_ids": "list<string>",
    "given_id": "string",
    "given_key": "string",
    "given_loose": "string",
    "given_block": "string",
    "given_dim": "bool",
    "surname_key": "string",
    "surname_skel": "string",
    "surname_loose": "string",
    "surname_start": "string",
    "name_pair": "string",
    "father_key": "string",
    "sex": "string",
    "birth_date": "string",
    "birth_swap": "string",
    "birth_md": "string",
    "birth_days": "int32",
    "birth_month": "int32",
    "birth_year": "int32",
    "birth_default": "bool",
    "place_key": "string",
    "last_place_key": "string",
    "event_days": "int32",
    "siblings": "list<string>",
    "sibling_key": "string",
    "institution_key": "string",
    "moved_days": "int32",
    "group_key": "string",
}
"""Every feature column and its logical type (the backend maps these to its own)."""

_ARROW_TYPES: dict[str, pa.DataType] = {
    "int64": pa.int64(), "int32": pa.int32(), "string": pa.string(), "bool": pa.bool_(),
    "list<string>": pa.list_(pa.string()),
}
SCHEMA = pa.schema([(name, _ARROW_TYPES[kind]) for name, kind in COLUMNS.items()])
"""The Arrow schema of a feature table."""


@dataclass(frozen=True)
class Display:
    """What a case worker sees of one record in an explanation."""

    given: str | None
    surname: str | None
    patronymic: str | None
    sex: str | None
    birth: str | None
    place: str | None
    last_place: str | None
    event: str | None
    siblings: str | None = None
    """Not shown: the sibling signature is evidence about other records."""
    sex_from_name: bool = False
    """The list gives no sex: ``sex`` is the one the given name or patronymic implies."""
    moved: str | None = None
    """The institution and the day moved, as the record gives them."""

    def value(self, name: str) -> str | None:
        """The display value called ``name`` (a :attr:`Comparison.display`)."""
        return getattr(self, name)  # type: ignore[no-any-return]


class StoredFields(Protocol):
    """The parsed fields of a record in the store, as linkage reads them (a stored
    record row, or the lighter tuple the store streams for ``kinlink match``)."""

    @property
    def source_id(self) -> int: ...
    @property
    def given_name(self) -> str | None: ...
    @property
    def surname(self) -> str | None: ...
    @property
    def patronymic(self) -> str | None: ...
    @property
    def full_name(self) -> str | None: ...
    @property
    def sex(self) -> str | None: ...
    @property
    def birth(self) -> PartialDate | None: ...
    @property
    def birth_place(self) -> str | None: ...
    @property
    def last_known_place(self) -> str | None: ...
    @property
    def event(self) -> PartialDate | None: ...
    @property
    def institution(self) -> str | None: ...
    @property
    def moved(self) -> PartialDate | None: ...
    @property
    def group(self) -> str | None: ...


@dataclass(frozen=True)
class FeatureTable:
    """Feature columns of some records, and their display values if they were kept."""

    arrow: pa.Table
    display: tuple[Display, ...] | None = None

    def __len__(self) -> int:
        return int(self.arrow.num_rows)

    @classmethod
    def empty(cls) -> FeatureTable:
        """A table without records."""
        return cls(SCHEMA.empty_table(), ())

    @classmethod
    def concat(cls, tables: list[FeatureTable]) -> FeatureTable:
        """The records of several tables in one (display kept only if all have it)."""
        displays = [t.display for t in tables]
        display = None if any(d is None for d in displays) else tuple(
            item for d in displays for item in d or ())
        return cls(pa.concat_tables([t.arrow for t in tables]), display)


def _days(day: dt.date) -> int:
    return (day - _EPOCH).days


def _event_days(date: PartialDate | None) -> int | None:
    """Day number of an event; a month-precision date counts as the 15th."""
    if date is None or date.month is None:
        return None
    return _days(dt.date(date.year, date.month, date.day or 15))


def _moved_days(moved: PartialDate | None, institution: str | None,
                event: PartialDate | None) -> int | None:
    """Day number of the move: ``moved_on``, else the event date of a record that names
    an institution; only a date known to the day (moves are compared within days)."""
    date = moved if moved is not None else event if institution else None
    if date is None or date.day is None or date.month is None:
        return None
    return _days(dt.date(date.year, date.month, date.day))


def _group_key(group: str | None, list_id: int | str | None) -> str | None:
    """The group identifier, spacing folded, scoped to its list."""
    text = " ".join(group.split()) if group else ""
    return f"{'' if list_id is None else list_id}|{text}" if text else None


def _moved_words(institution: str | None, moved: PartialDate | None) -> str | None:
    parts = [institution, moved.isoformat() if moved else None]
    return ", ".join(p for p in parts if p) or None


def _swap(date: PartialDate) -> str | None:
    """The date with day and month exchanged, when that is another valid date."""
    swapped = date.swapped()
    return swapped.isoformat() if swapped else None


_FAMILY_TIES = ("father_key", "last_place_key", "event_days")
"""What siblings of one surname share in a list, besides the surname."""

FamilyKey = tuple[str, int | str | None, str, object]
"""One family a record may be a child of: (the tie, the list, the surname key, the value
of the tie) — records sharing one are siblings if their given names differ."""


def _families(list_id: int | str | None, surname: str | None, birth_days: int | None,
              ties: tuple[object, ...]) -> list[FamilyKey]:
    """The families of a record with this surname key, birth day number and values of
    :data:`_FAMILY_TIES` (in that order): none without a surname key or a birth date
    known to the day (siblings are told by their age gap in days)."""
    if not surname or birth_days is None:
        return []
    return [(tie, list_id, surname, value) for tie, value in zip(_FAMILY_TIES, ties,
                                                                  strict=True)
            if value is not None]


def family_keys(record: StoredFields) -> list[FamilyKey]:
    """The families a stored record may be a child of, as :class:`FeatureBuilder` groups
    siblings (its list is its source), without computing its other features: to tell
    which records of a list can give a record its sibling signature before building
    them (a child's possible identities, issue 15)."""
    birth = record.birth
    if birth is None or birth.day is None:
        return []
    names = name_features(record.given_name, record.surname, record.patronymic,
                          record.full_name)
    return _families(record.source_id, names.surname_key, _days(birth.earliest()),
                     (names.patronymic_key, place_key(record.last_known_place),
                      _event_days(record.event)))


def _sibling(cols: dict[str, list[Any]], own: int, other: int) -> str:
    """``mf+731``: own sex, the sibling's sex, the sibling's birth minus own, in days."""
    return (f"{cols['sex'][own] or 'u'}{cols['sex'][other] or 'u'}"
            f"{cols['birth_days'][other] - cols['birth_days'][own]:+d}")


def _different_children(cols: dict[str, list[Any]], a: int, b: int) -> bool:
    """Two records of one surname whose given names say they are two children (the same
    child listed twice is not its own sibling)."""
    ids_a, ids_b = cols["given_ids"][a], cols["given_ids"][b]
    if ids_a and ids_b:
        return set(ids_a).isdisjoint(ids_b)
    key_a, key_b = cols["given_key"][a], cols["given_key"][b]
    return bool(key_a and key_b and key_a != key_b)


_COMPUTED = tuple(name for name in COLUMNS if name not in ("uid", "siblings", "sibling_key"))
"""The columns of one record computed from its own fields (the uid is given, the
sibling signature is read from its list), in the order :func:`_record_features` gives
them."""

_Computed = tuple[tuple[Any, ...], Display | None]


def _record_features(given: str | None, surname: str | None, patronymic: str | None,
                     full_name: str | None, sex: str | None, birth: PartialDate | None,
                     birth_place: str | None, last_known_place: str | None,
                     event: PartialDate | None, list_id: int | str | None,
                     institution: str | None, moved: PartialDate | None,
                     group: str | None, display: bool) -> _Computed:
    """The :data:`_COMPUTED` columns of one record (``given_ids`` as a tuple) and, when
    ``display``, what a person sees of it: a function of these fields alone."""
    names = name_features(given, surname, patronymic, full_name)
    known_sex = sex or names.sex_hint
    exact = birth is not None and birth.day is not None
    day = birth.earliest() if birth is not None and exact else None
    values = (
        names.given_ids,
        names.given_ids[0] if names.given_ids else None,
        names.given_key,
        names.given_loose,
        names.given_block,
        names.given_is_diminutive,
        names.surname_key,
        names.surname_skeleton,
        loosen(names.surname_key) if names.surname_key else None,
        names.surname_skeleton[:SURNAME_START] if names.surname_skeleton else None,
        " ".join(sorted((names.given_key, names.surname_skeleton)))
        if names.given_key and names.surname_skeleton else None,
        names.patronymic_key,
        known_sex,
        day.isoformat() if day else None,
        _swap(birth) if birth is not None and day else None,
        day.isoformat()[5:] if day else None,
        _days(day) if day else None,
        birth.year * 12 + birth.month - 1 if birth is not None and birth.month is not None
        else None,
        birth.year if birth else None,
        exact and birth is not None and birth.month == 1 and birth.day == 1,
        place_key(birth_place),
        place_key(last_known_place),
        _event_days(event),
        institution_key(institution),
        _moved_days(moved, institution, event),
        _group_key(group, list_id),
    )
    shown = Display(
        names.given, names.surname, names.patronymic, known_sex,
        birth.isoformat() if birth else None, birth_place, last_known_place,
        event.isoformat() if event else None,
        sex_from_name=sex is None and known_sex is not None,
        moved=_moved_words(institution, moved)) if display else None
    return values, shown


REMEMBERED = 80_000
"""Records whose features a builder that remembers keeps (process-wide, the oldest
first out): every found record of a 100k store (58,820, which the server builds at
start: :func:`kinlink.usecases.children.remember_features`) with room for the children
and families ranked after; about 2 kB each (160 MB full)."""

_Parts = tuple[int, int | None, int | None] | None
_REMEMBERED: dict[tuple[Any, ...], tuple[tuple[Any, ...], tuple[Any, ...] | None]] = {}
"""Remembered features by the record's fields: a record changed (a correction) is
another key, so nothing is ever stale. Keys and values hold only strings, numbers and
tuples of them, which the garbage collector stops tracking: a memo of objects (dates,
display values) made every full collection walk it (a second per collection at 100k
records, several per minute of ranking)."""


def _parts(date: PartialDate | None) -> _Parts:
    return None if date is None else (date.year, date.month, date.day)


def _remembered(given: str | None, surname: str | None, patronymic: str | None,
                full_name: str | None, sex: str | None, birth: PartialDate | None,
                birth_place: str | None, last_known_place: str | None,
                event: PartialDate | None, list_id: int | str | None,
                institution: str | None, moved: PartialDate | None,
                group: str | None, display: bool) -> _Computed:
    """:func:`_record_features`, remembered in :data:`_REMEMBERED`."""
    key = (given, surname, patronymic, full_name, sex, _parts(birth), birth_place,
           last_known_place, _parts(event), list_id, institution, _parts(moved), group,
           display)
    found = _REMEMBERED.get(key)
    if found is None:
        values, shown = _record_features(given, surname, patronymic, full_name, sex, birth,
                                         birth_place, last_known_place, event, list_id,
                                         institution, moved, group, display)
        if len(_REMEMBERED) >= REMEMBERED:
            for old in list(itertools.islice(_REMEMBERED, REMEMBERED // 10)):
                del _REMEMBERED[old]
        _REMEMBERED[key] = values, None if shown is None else tuple(
            getattr(shown, f.name) for f in fields(Display))
        return values, shown
    values, shown_fields = found
    return values, None if shown_fields is None else Display(*shown_fields)


class FeatureBuilder:
    """Collects records one by one into a :class:`FeatureTable`.

    ``display=False`` skips the display values (a large run that explains nothing).
    ``remember=True`` keeps each record's own features in a process-wide memo keyed by
    its fields (:data:`REMEMBERED` records): for the records one child after another is
    ranked against (a child's possible identities), which are mostly the same.
    """

    def __init__(self, *, display: bool = True, remember: bool = False) -> None:
        self._columns: dict[str, list[Any]] = {name: [] for name in COLUMNS}
        self._append = {name: values.append for name, values in self._columns.items()}
        self._computed = [self._append[name] for name in _COMPUTED]
        self._given_ids = self._columns["given_ids"]
        self._display: list[Display] | None = [] if display else None
        self._lists: list[int | str | None] = []
        self._remember = remember

    def __len__(self) -> int:
        return len(self._columns["uid"])

    def finish(self) -> FeatureTable:
        """The table of every record added so far."""
        self._columns["siblings"], self._columns["sibling_key"] = self._siblings()
        arrow = pa.Table.from_pydict(self._columns, schema=SCHEMA)
        return FeatureTable(arrow, None if self._display is None else tuple(self._display))

    def finish_rows(self, *, siblings: bool = True
                    ) -> tuple[list[dict[str, Any]], tuple[Display, ...] | None]:
        """What :meth:`finish` holds, as one dict per record and without Arrow (whose
        first table loads pandas): for a few records scored in Python. ``siblings=False``
        leaves every sibling signature empty, for a caller whose scores cannot read them
        (:func:`kinlink.linkage.ranking.siblings_matter`)."""
        if siblings:
            self._columns["siblings"], self._columns["sibling_key"] = self._siblings()
        else:
            size = len(self._columns["uid"])
            self._columns["siblings"], self._columns["sibling_key"] = [None] * size, [None] * size
        rows = [dict(zip(self._columns, values, strict=True))
                for values in zip(*self._columns.values(), strict=True)]
        return rows, None if self._display is None else tuple(self._display)

    def add(self, uid: int, *, given: str | None, surname: str | None,
            patronymic: str | None, full_name: str | None, sex: str | None,
            birth: PartialDate | None, birth_place: str | None,
            last_known_place: str | None, event: PartialDate | None,
            list_id: int | str | None = None, institution: str | None = None,
            moved: PartialDate | None = None, group: str | None = None) -> None:
        """Compute and append the features of one record. ``list_id`` names the list it
        comes from, when one builder holds several (siblings are looked for within a
        list, groups are a list's own)."""
        compute = _remembered if self._remember else _record_features
        values, display = compute(given, surname, patronymic, full_name, sex, birth,
                                  birth_place, last_known_place, event, list_id,
                                  institution, moved, group, self._display is not None)
        self._lists.append(list_id)
        self._append["uid"](uid)
        for put, value in zip(self._computed, values, strict=True):
            put(value)
        self._given_ids[-1] = list(values[0]) if values[0] else None
        if self._display is not None and display is not None:
            self._display.append(display)

    def add_stored(self, uid: int, record: StoredFields) -> None:
        """Append a record as the store keeps it (parsed fields; its list is its source)."""
        self.add(uid, given=record.given_name, surname=record.surname,
                 patronymic=record.patronymic, full_name=record.full_name, sex=record.sex,
                 birth=record.birth, birth_place=record.birth_place,
                 last_known_place=record.last_known_place, event=record.event,
                 list_id=record.source_id, institution=record.institution,
                 moved=record.moved, group=record.group)

    def _siblings(self) -> tuple[list[list[str] | None], list[str | None]]:
        """Each record's sibling signature (sorted) and its closest sibling's element.

        Siblings are records of the same list with the same surname key that also share
        the father's name, the last known place or the event date (families are
        reported, removed and adopted together); a group larger than
        :data:`FAMILY_MAX` is not one family and gives no signature.
        """
        cols = self._columns
        size = len(cols["uid"])
        families: dict[FamilyKey, list[int]] = {}
        surnames, days = cols["surname_key"], cols["birth_days"]
        ties = [cols[shared] for shared in _FAMILY_TIES]
        for i in range(size):
            if not surnames[i] or days[i] is None:
                continue
            for family in _families(self._lists[i], surnames[i], days[i],
                                    tuple(tie[i] for tie in ties)):
                families.setdefault(family, []).append(i)
        found: dict[int, set[str]] = {}
        for members in families.values():
            if not 2 <= len(members) <= FAMILY_MAX:
                continue
            for at, i in enumerate(members):
                for j in members[at + 1:]:  # each pair once: being two children is mutual
                    if _different_children(cols, i, j):
                        found.setdefault(i, set()).add(_sibling(cols, i, j))
                        found.setdefault(j, set()).add(_sibling(cols, j, i))
        signatures: list[list[str] | None] = [None] * size
        keys: list[str | None] = [None] * size
        for i, elements in found.items():
            signatures[i] = sorted(elements)
            keys[i] = closest_sibling(elements)
        return signatures, keys


def closest_sibling(elements: Iterable[str]) -> str:
    """The element of a sibling signature that is a record's ``sibling_key``: the
    sibling closest in age (ties: the first in order)."""
    return min(elements, key=lambda e: (abs(int(e[2:])), e))
