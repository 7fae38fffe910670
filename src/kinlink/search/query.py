"""Read what a person typed into the search box: name parts and a birth date.

``Aleksandr Petrenko``, ``ПЕТРЕНКО Олександр``, ``Петренко 2014``, ``12.03.2014``: words
are a name (parsed by :func:`kinlink.names.parse_full_name`), a date in any form the
lists accept (``12.03.2014``, ``2014-03-12``, ``03.2014``, ``2014-03``, ``2014``:
:func:`kinlink.domain.dates.parse_partial_date`) is a birth date (:func:`birth_in`); the
date fields of the page are read by :func:`birth_window`.
Because two words can be read either way round (and one word can be a given name or a
surname), the text gives one or more :class:`Reading`\\ s; search looks each up and keeps
the best comparison per record.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kinlink.domain.dates import DateError, PartialDate, Precision, parse_partial_date
from kinlink.errors import InputRefusedError
from kinlink.i18n import N_, Wording
from kinlink.names import NameParts, name_features, parse_full_name
from kinlink.storage.search_keys import BirthWindow, KeyQuery, tokens_for

_BIRTH_DATE_CANNOT_READ = Wording("search.query.birth_date_cannot_read", N_(
    "the birth date cannot be read: {refused}"))
_BIRTH_DATE_RANGE_ENDS = Wording("search.query.birth_date_range_ends", N_(
    "the birth date range ends before it begins"))

__all__ = ["MAX_QUERY_LENGTH", "BirthWindow", "Reading", "birth_in", "birth_window",
           "readings"]

MAX_QUERY_LENGTH = 200
_DATE = re.compile(r"(?<![\w.\-/])(\d{1,2}[./]\d{1,2}[./]\d{4}|\d{4}-\d{1,2}-\d{1,2}"
                   r"|\d{1,2}\.\d{4}|\d{4}-\d{1,2}|(?:19|20)\d\d)(?![\w.\-/])")
_WORD = re.compile(r"[^\W\d_][\w'’ʼ-]*", re.UNICODE)


@dataclass(frozen=True)
class Reading:
    """One reading of the typed name: its parts and the index lookups it makes.

    ``exact`` asks for the same surname key and given-name tokens. ``fuzzy`` lookups,
    tried when the exact one finds little, forgive a misspelling: the same surname with
    any given name (a misspelt given name), and the same given name with a surname
    beginning with the same two letters (a misspelt surname).
    """

    parts: NameParts
    exact: KeyQuery
    fuzzy: tuple[KeyQuery, ...]


def _date(text: str, field: str, today: dt.date | None) -> PartialDate:
    try:
        return parse_partial_date(text, today=today)
    except DateError as refused:
        raise InputRefusedError(_BIRTH_DATE_CANNOT_READ(refused=str(refused)), "invalid_date",
                                field=field) from refused


def birth_in(text: str, *, today: dt.date | None = None) -> PartialDate | None:
    """The birth date typed with the name (the first date in any accepted form), if any;
    :class:`~kinlink.errors.InputRefusedError` (field ``q``) for an impossible one
    (``31.02.2014``, a date in the future)."""
    match = _DATE.search(text[:MAX_QUERY_LENGTH])
    return _date(match.group(1), "q", today) if match else None


def birth_window(born: PartialDate | None = None, born_from: str | PartialDate | None = None,
                 born_to: str | PartialDate | None = None, *,
                 today: dt.date | None = None) -> BirthWindow | None:
    """The births a search keeps: one date at its precision (a year alone: within a year
    of it, as lists often round ages), or a range ``born_from``–``born_to`` (either may
    be open; each in any accepted form), or ``None`` for no condition. A range that ends
    before it begins is refused, as is an impossible date (the field named)."""
    start = _date(born_from, "born_from", today) if isinstance(born_from, str) else born_from
    end = _date(born_to, "born_to", today) if isinstance(born_to, str) else born_to
    if start is not None or end is not None:
        first = start.earliest() if start else dt.date(1900, 1, 1)
        last = end.latest() if end else dt.date(2099, 12, 31)
        if first > last:
            raise InputRefusedError(_BIRTH_DATE_RANGE_ENDS(),
                                    "invalid_date_range", field="born_to")
        return BirthWindow(first, last)
    if born is None:
        return None
    if born.precision is Precision.YEAR:
        return BirthWindow(dt.date(born.year - 1, 1, 1), dt.date(born.year + 1, 12, 31))
    return BirthWindow(born.earliest(), born.latest())


def _lookups(parts: NameParts) -> tuple[KeyQuery, tuple[KeyQuery, ...]] | None:
    features = name_features(parts.given, parts.surname, parts.patronymic, None)
    tokens = frozenset(tokens_for(features.given_ids, features.given_key))
    surname = features.surname_key
    if not surname and not tokens:
        return None
    fuzzy: list[KeyQuery] = []
    if surname and tokens:
        fuzzy.append(KeyQuery(surname, frozenset()))
        if len(surname) >= 4:
            fuzzy.append(KeyQuery(surname[:2], tokens, prefix=True))
    return KeyQuery(surname or None, tokens), tuple(fuzzy)


def readings(text: str) -> list[Reading]:
    """Every reading of ``text`` worth looking up (none when it holds no name)."""
    words = _WORD.findall(text[:MAX_QUERY_LENGTH])
    if not words:
        return []
    if len(words) == 1:
        candidates = [NameParts(surname=words[0]), NameParts(given=words[0])]
    else:
        parsed = parse_full_name(" ".join(words))
        candidates = [parsed]
        if parsed.given and parsed.surname:
            candidates.append(NameParts(parsed.surname, parsed.given, parsed.patronymic))
    found = []
    for parts in candidates:
        lookups = _lookups(parts)
        if lookups is not None:
            found.append(Reading(parts, *lookups))
    return found
