"""Dates written in a document, found once per text, in any of the common formats.

``12.03.2014``, ``12/03/2014``, ``2014-03-12``, ``12 березня 2014``, ``12 марта 2014 г.``,
``12 March 2014``, ``March 12, 2014``. Each comes with its span and whether a birth cue
(«народився», «р.н.», «дата рождения», «born»…) stands right before or after it, so the
screening can tell a birth date beside a name from the date of a transfer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

__all__ = ["FoundDate", "FoundYear", "find_birth_years", "find_dates"]

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate((
    "січня січень января январь january jan",
    "лютого лютий февраля февраль february feb",
    "березня березень марта март march mar",
    "квітня квітень апреля апрель april apr",
    "травня травень мая май may",
    "червня червень июня июнь june jun",
    "липня липень июля июль july jul",
    "серпня серпень августа август august aug",
    "вересня вересень сентября сентябрь september sep sept",
    "жовтня жовтень октября октябрь october oct",
    "листопада листопад ноября ноябрь november nov",
    "грудня грудень декабря декабрь december dec",
), start=1):
    for _name in _names.split():
        _MONTHS[_name] = _number

_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_PATTERNS = (
    re.compile(r"\b(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4})\b"),
    re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b"),
    re.compile(rf"\b(?P<d>\d{{1,2}})\s+(?P<mn>{_MONTH})\.?\s+(?P<y>\d{{4}})\b", re.IGNORECASE),
    re.compile(rf"\b(?P<mn>{_MONTH})\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})\b",
               re.IGNORECASE),
)
_CUE_BEFORE = re.compile(
    r"(?:народив|народж|родил|рожден|рождения|born|birth|д\.\s?н\.|р\.\s?н\.|г\.\s?р\.)"
    r"[^.\n]{0,25}$", re.IGNORECASE)
_CUE_AFTER = re.compile(r"^\s*(?:г\.|р\.)?\s*(?:р\.\s?н\.|г\.\s?р\.|року народження|года рождения)",
                        re.IGNORECASE)


@dataclass(frozen=True)
class FoundDate:
    """A date written in the text, its span, and whether a birth cue is beside it."""

    value: date
    start: int
    end: int
    birth_cue: bool


def find_dates(text: str) -> list[FoundDate]:
    """Every date in ``text`` (an impossible one, 31.02.2014, is not a date), in order."""
    found: dict[int, FoundDate] = {}
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            value = _value(match)
            if value is None or match.start() in found:
                continue
            cue = bool(_CUE_BEFORE.search(text, max(0, match.start() - 40), match.start())
                       or _CUE_AFTER.match(text[match.end(): match.end() + 30]))
            found[match.start()] = FoundDate(value, match.start(), match.end(), cue)
    return [found[start] for start in sorted(found)]


@dataclass(frozen=True)
class FoundYear:
    """A birth year written without the day and month («2009 р.н.», «born in 2009»)."""

    value: int
    start: int
    end: int


_YEAR_CUED = (
    # 2009 р.н., 2009 г.р., 2009 р. н., 2009 року народження, 2009 года рождения
    re.compile(r"\b(?P<y>(?:19|20)\d{2})\s*(?:р\.|г\.|року|года|рік|год)?\s*"
               r"(?:р\.\s?н\.|г\.\s?р\.|н\.|народження|рождения)", re.IGNORECASE),
    # 2009 року народження is above; народився у 2009, born in 2009, родилась в 2009 году
    re.compile(r"(?:народив\w*|народжен\w*|родил\w*|рожден\w*|born)\s+(?:in\s+|у\s+|в\s+)?"
               r"(?P<y>(?:19|20)\d{2})\b(?![./-]\d)", re.IGNORECASE),
    # (2009 р.н.) is above; "b. 2009"
    re.compile(r"\bb\.\s?(?P<y>(?:19|20)\d{2})\b"),
)


def find_birth_years(text: str, dates: list[FoundDate] | None = None) -> list[FoundYear]:
    """Every birth year stated on its own beside a birth cue, in order; a year that is
    part of a full date (``dates``, found by :func:`find_dates` when not given) is not
    one: the date says more."""
    dates = find_dates(text) if dates is None else dates
    found: dict[int, FoundYear] = {}
    for pattern in _YEAR_CUED:
        for match in pattern.finditer(text):
            start, end = match.span("y")
            if any(d.start <= start < d.end for d in dates) or start in found:
                continue
            found[start] = FoundYear(int(match.group("y")), start, end)
    return [found[start] for start in sorted(found)]


def _value(match: re.Match[str]) -> date | None:
    parts = match.groupdict()
    month = _MONTHS[parts["mn"].lower()] if parts.get("mn") else int(parts["m"])
    try:
        return date(int(parts["y"]), month, int(parts["d"]))
    except ValueError:
        return None
