"""The script-independent tokens of one record, from kinlink's own name engine.

Олександр, Александр and Oleksandr give the same canonical given-name id, Олійник and
Олейник the same surname key, so their tokens are equal and their encodings agree —
which n-grams of names as written (clkhash, anonlink) cannot do. Only keys go into
tokens, never the text as written; each token is ``kind`` and a value, and the kind
decides how many bits it sets (:data:`kinlink.pprl.params.HASHES`). The same keys make
the blocking values (:func:`blocking_values`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kinlink.domain.records import ParsedRecord
from kinlink.names import name_features
from kinlink.names.institutions import institution_key
from kinlink.names.keys import loosen
from kinlink.names.places import place_key

__all__ = ["Features", "all_blocking_values", "blocking_values", "features_of", "tokens"]

_EPOCH = dt.date(1970, 1, 1)
WINDOW_DAYS = 60
"""Width of the two overlapping date windows: dates up to a month apart share one."""
MOVE_DAYS = 14
"""Width of the two overlapping windows of the day a child was moved."""
DAY_OF_YEAR_DAYS = 30
"""Width of the two overlapping windows of the day of the year of birth (without the
year: a date moved by a few days and written in another year still shares one)."""


@dataclass(frozen=True)
class Features:
    """The keys of one record that PPRL encodes (``None``: not known)."""

    given: tuple[str, ...]
    given_block: str | None
    surname: str | None
    surname_loose: str | None
    father: str | None
    sex: str | None
    year: int | None
    month: str | None
    date: str | None
    swap: str | None
    days: int | None
    place: str | None
    last_place: str | None
    institution: str | None = None
    moved: int | None = None


def features_of(record: ParsedRecord) -> Features:
    """The keys of a record read from a list."""
    names = name_features(record.given_name, record.surname, record.patronymic,
                          record.full_name)
    birth = record.birth_date
    exact = birth is not None and birth.day is not None and birth.month is not None
    day = birth.earliest() if birth is not None and exact else None
    swapped = birth.swapped() if birth is not None and exact else None
    sex = str(record.sex.value) if record.sex is not None else names.sex_hint
    return Features(
        given=names.given_ids,
        given_block=names.given_block,
        surname=names.surname_key,
        surname_loose=loosen(names.surname_key) if names.surname_key else None,
        father=names.patronymic_key,
        sex=sex.lower()[:1] if sex else None,
        year=birth.year if birth is not None else None,
        month=f"{birth.year}-{birth.month:02d}" if birth is not None and birth.month
        else None,
        date=day.isoformat() if day else None,
        swap=swapped.isoformat() if swapped else None,
        days=(day - _EPOCH).days if day else None,
        place=place_key(record.birth_place),
        last_place=place_key(record.last_known_place),
        institution=institution_key(record.institution),
        moved=_moved_days(record),
    )


def _moved_days(record: ParsedRecord) -> int | None:
    """Day number of the move (``moved_on``, else the event date of a record naming an
    institution), known to the day — as kinlink's own linkage reads it."""
    date = record.moved_on if record.moved_on is not None else (
        record.event_date if record.institution else None)
    if date is None or date.day is None or date.month is None:
        return None
    return (dt.date(date.year, date.month, date.day) - _EPOCH).days


def tokens(f: Features) -> list[tuple[str, str]]:
    """``(kind, value)`` of every token of a record."""
    found: list[tuple[str, str]] = [("given", g) for g in f.given]
    plain = (("given_block", f.given_block), ("surname", f.surname),
             ("surname_loose", f.surname_loose), ("father", f.father), ("sex", f.sex),
             ("year", None if f.year is None else str(f.year)), ("month", f.month),
             ("date", f.date), ("swap", f.swap), ("place", f.place),
             ("last_place", f.last_place), ("institution", f.institution))
    found += [(kind, value) for kind, value in plain if value]
    if f.year is not None:
        found += [("year_window", f"a{f.year // 2}"), ("year_window", f"b{(f.year + 1) // 2}")]
    if f.date is not None:
        found.append(("day_month", f.date[5:]))
        found += _day_tokens(int(f.date[5:7]), int(f.date[8:10]))
    if f.days is not None:
        found += [("window", f"a{f.days // WINDOW_DAYS}"),
                  ("window", f"b{(f.days + WINDOW_DAYS // 2) // WINDOW_DAYS}")]
    if f.moved is not None:
        found += [("moved", f"a{f.moved // MOVE_DAYS}"),
                  ("moved", f"b{(f.moved + MOVE_DAYS // 2) // MOVE_DAYS}")]
    return found


def _day_tokens(month: int, day: int) -> list[tuple[str, str]]:
    """The tokens of a birth date that carry no year: the two numbers as an unordered
    pair (a day and month written the other way round agree) and 30-day windows of the
    day of the year (counted in a common year; 29 February as the 28th)."""
    doy = dt.date(2001, month, min(day, 28) if month == 2 else day).timetuple().tm_yday
    low, high = sorted((month, day))
    return [("day_pair", f"{low}-{high}"),
            ("doy_window", f"a{doy // DAY_OF_YEAR_DAYS}"),
            ("doy_window", f"b{(doy + DAY_OF_YEAR_DAYS // 2) // DAY_OF_YEAR_DAYS}")]


def _given(f: Features) -> str | None:
    return f.given_block


def _parts(f: Features) -> dict[str, str | None]:
    return {
        "given": _given(f), "surname": f.surname_loose,
        "year": None if f.year is None else str(f.year), "date": f.date,
        "month": f.month, "day_month": None if f.date is None else f.date[5:],
        "sex": f.sex, "place": f.place, "institution": f.institution,
        "moved": None if f.moved is None else str(f.moved // MOVE_DAYS),
    }


def _joined(parts: dict[str, str | None], rule: str) -> str | None:
    values = [parts[name] for name in rule.split("+")]
    if any(v is None for v in values):
        return None
    return "|".join(v for v in values if v is not None)


def blocking_values(f: Features, rule: str) -> str | None:
    """The value of a record under a blocking rule (``None``: a part is unknown)."""
    return _joined(_parts(f), rule)


def all_blocking_values(f: Features, rules: tuple[str, ...]) -> list[str | None]:
    """The values of a record under each rule (its parts computed once)."""
    parts = _parts(f)
    return [_joined(parts, rule) for rule in rules]
