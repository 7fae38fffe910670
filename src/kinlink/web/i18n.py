"""Languages of the pages: Ukrainian and English, through gettext catalogues (Babel).

Messages are written in English in the templates and the code; ``locale/uk`` holds their
Ukrainian translations as a ``.po`` file and its compiled ``.mo`` (both committed, so a
fresh clone works without a build step; ``scripts/translations`` extracts, updates and
compiles them). Dates follow the reader's convention and keep their precision: a birth
date known to the month reads ``03.2014`` in Ukrainian and ``Mar 2014`` in English,
never an invented first of March.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations

from kinlink.domain.dates import PartialDate
from kinlink.i18n import N_, placed, recognised

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "LOCALE_DIR", "N_", "best_language", "number",
           "partial_date", "percent", "placed", "recognised", "timestamp",
           "translations"]

LANGUAGES = ("uk", "en")
DEFAULT_LANGUAGE = "uk"
LOCALE_DIR = Path(__file__).parent / "locale"


@cache
def translations(language: str) -> NullTranslations:
    """The catalogue of ``language`` (English is the source language: no catalogue)."""
    if language == "en":
        return NullTranslations()
    return Translations.load(str(LOCALE_DIR), [language], domain="messages")


def best_language(accept_language: str | None) -> str:
    """The first of our languages a browser's ``Accept-Language`` asks for."""
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().casefold()[:2]
        if code in LANGUAGES:
            return code
        if code == "ru":
            return "uk"
    return DEFAULT_LANGUAGE


def partial_date(value: PartialDate | None, language: str) -> str:
    """A date in the reader's convention, at its own precision (``—`` if unknown)."""
    if value is None:
        return "—"
    if value.month is None:
        return f"{value.year}"
    if language == "uk":
        if value.day is None:
            return f"{value.month:02d}.{value.year}"
        return f"{value.day:02d}.{value.month:02d}.{value.year}"
    first = dt.date(value.year, value.month, value.day or 1)
    pattern = "MMM y" if value.day is None else "d MMM y"
    return str(format_date(first, pattern, locale="en"))


def calendar_date(value: dt.date | None, language: str) -> str:
    """A full calendar date (``dd.mm.yyyy`` or ``d MMM yyyy``)."""
    if value is None:
        return "—"
    return partial_date(PartialDate.from_date(value), language)


def timestamp(value: dt.datetime | None, language: str, zone: str, *,
              zone_shown: bool = False) -> str:
    """A moment in the configured time zone, to the minute, in the language's format;
    with ``zone_shown`` followed by its offset (``02.12.2026 02:37 UTC+02:00``) where a
    reader may compare it with a time from elsewhere (a model trained on a server, an
    audit entry). A naive moment is taken to be UTC, as kinlink stores them."""
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    pattern = "dd.MM.y HH:mm" if language == "uk" else "d MMM y HH:mm"
    if zone_shown:
        pattern += " 'UTC'xxx"
    return str(format_datetime(value, pattern, tzinfo=ZoneInfo(zone), locale=language))


def number(value: int, language: str) -> str:
    """A count with the reader's digit grouping."""
    return str(format_decimal(value, locale=language))


def percent(probability: float, marks: Iterable[float], language: str, least: int = 1) -> str:
    """:func:`placed` written in the reader's convention (``99,89%``, ``99.89%``); a
    threshold itself with ``least=0`` (``20%``, ``99.9%``)."""
    shown = placed(probability, marks, least)
    decimals = max(0, -int(shown.as_tuple().exponent))
    return str(format_percent(shown / 100, format="0." + "0" * decimals + "%",
                              locale=language, decimal_quantization=False))
