"""Partial dates: a date known to the year, to the month or to the day.

Lists of children often carry only a birth year (``2014``) or a month (``03.2014``).
Such a value must keep its precision: padding it to ``2014-01-01`` would invent a fact
and mislead linkage. :func:`parse_partial_date` accepts exactly the forms of the record
list format (``shared/spec/list-format.md``) and raises :class:`DateError` for anything
else, including impossible dates such as ``31.02.2015``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from kinlink.i18n import N_, Wording

__all__ = ["DateError", "PartialDate", "Precision", "parse_partial_date"]

MIN_YEAR = 1900


class Precision(StrEnum):
    """How much of a date is known."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"


class DateError(ValueError):
    """A value is not a date in any accepted form, or names a day that does not exist
    (raised with one of the wordings below, so a page can say it in Ukrainian)."""


DAY_WITHOUT_MONTH = Wording("date.day_without_month", N_("a day without a month is not a date"))
NO_SUCH_MONTH = Wording("date.no_such_month", N_("month {month} does not exist"))
NO_SUCH_DAY = Wording("date.no_such_day", N_("day {day} does not exist in month {month}"))
NOT_A_DATE = Wording("date.unreadable", N_(
    "not a date in an accepted form (YYYY-MM-DD, DD.MM.YYYY, DD/MM/YYYY, MM.YYYY, YYYY-MM "
    "or YYYY)"))
TOO_EARLY = Wording("date.too_early", N_("year {year} is before {first}"))
IN_FUTURE = Wording("date.in_future", N_("date is in the future"))


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date known to the year, month or day; unknown parts are ``None``."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise DateError(DAY_WITHOUT_MONTH())
        if self.month is not None and not 1 <= self.month <= 12:
            raise DateError(NO_SUCH_MONTH(month=self.month))
        if self.day is not None and self.month is not None:
            try:
                dt.date(self.year, self.month, self.day)
            except ValueError as exc:
                raise DateError(NO_SUCH_DAY(day=self.day, month=self.month)) from exc

    @property
    def precision(self) -> Precision:
        """The finest part of the date that is known."""
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    def earliest(self) -> dt.date:
        """The first calendar day this partial date can mean."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        """The last calendar day this partial date can mean."""
        if self.day is not None and self.month is not None:
            return dt.date(self.year, self.month, self.day)
        if self.month is not None:
            following = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date(self.year, 12, 31)

    def swapped(self) -> PartialDate | None:
        """The date with day and month exchanged (12.03 ↔ 03.12), the commonest slip in
        lists typed across conventions; ``None`` when that is no other valid date."""
        day, month = self.day, self.month
        if day is None or month is None or day > 12 or day == month:
            return None
        try:
            dt.date(self.year, day, month)
        except ValueError:
            return None
        return PartialDate(self.year, day, month)

    def isoformat(self) -> str:
        """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``: the value with its precision."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @classmethod
    def from_iso(cls, text: str) -> PartialDate:
        """Read back what :meth:`isoformat` wrote."""
        parts = [int(p) for p in text.split("-")]
        return cls(*parts)

    @classmethod
    def from_parts(cls, year: int | None, month: int | None, day: int | None
                   ) -> PartialDate | None:
        """The date stored as three nullable columns, or ``None`` when no year is known.
        The same parts give the same (immutable) object: records are read by the
        thousand and share a few thousand dates (a child's window at 100k records built
        ten dates per record read, issue 15)."""
        if year is None:
            return None
        if cls is PartialDate:
            return _stored(year, month, day)
        return cls(year, month, day)

    @classmethod
    def from_date(cls, value: dt.date) -> PartialDate:
        """An exact date (for example a date cell read from a spreadsheet)."""
        return cls(value.year, value.month, value.day)

    def __str__(self) -> str:
        return self.isoformat()


@lru_cache(maxsize=65_536)
def _stored(year: int, month: int | None, day: int | None) -> PartialDate:
    """:meth:`PartialDate.from_parts`, remembered (an invalid date is raised each time)."""
    return PartialDate(year, month, day)


_FORMS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), ("year", "month", "day")),
    (re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})"), ("day", "month", "year")),
    (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})"), ("day", "month", "year")),
    (re.compile(r"(\d{4})-(\d{1,2})"), ("year", "month")),
    (re.compile(r"(\d{1,2})\.(\d{4})"), ("month", "year")),
    (re.compile(r"(\d{4})"), ("year",)),
)


def parse_partial_date(text: str, *, today: dt.date | None = None) -> PartialDate:
    """Parse one of the record list format's date forms, keeping its precision.

    Accepted: ``YYYY-MM-DD``, ``DD.MM.YYYY``, ``DD/MM/YYYY``, ``YYYY-MM``, ``MM.YYYY``
    and ``YYYY`` (day and month may have one digit). A date before 1900 or after
    ``today`` is refused: in a list about children it is a typing error.
    """
    return _parse(text.strip(), today or dt.date.today())


@lru_cache(maxsize=65_536)
def _parse(value: str, today: dt.date) -> PartialDate:
    """The parse itself, cached: lists repeat the same few thousand dates."""
    for pattern, fields in _FORMS:
        match = pattern.fullmatch(value)
        if match is None:
            continue
        parts = dict(zip(fields, (int(g) for g in match.groups()), strict=True))
        date = PartialDate(parts["year"], parts.get("month"), parts.get("day"))
        _check_range(date, today)
        return date
    raise DateError(NOT_A_DATE())


def _check_range(date: PartialDate, today: dt.date) -> None:
    if date.year < MIN_YEAR:
        raise DateError(TOO_EARLY(year=date.year, first=MIN_YEAR))
    if date.earliest() > today:
        raise DateError(IN_FUTURE())
