"""Typed wrapper over the official transliteration tables in translitua and iuliia.

Records of one child arrive in Latin under many systems: Ukrainian passports
(KMU 2010, the 2007 passport table), German registrations, and Russian passports of
several eras (MVD 310 of 1997, GOST R 52535.1-2006, ICAO Doc 9303 since 2013/14).
This module names those systems and applies them, so that the rest of kinlink never
imports translitua or iuliia directly.

A Ukrainian system must be given Ukrainian-form text (``Олександр``) and a Russian
system Russian-form text (``Александр``). Applying a system to the other language's
spelling is not an error but gives what a clerk who used the wrong table would
write; letters the table does not know (``і``, ``ї``, ``є``, ``ґ`` in a Russian table,
``ы``, ``э``, ``ё`` in a Ukrainian one) pass through unchanged. Turning a Ukrainian
name into its Russian form (Олександр → Александр) is a separate, dictionary step.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from functools import partial
from typing import Any, Literal

import iuliia
import translitua

__all__ = ["System", "transliterate"]

Language = Literal["uk", "ru"]


class System(enum.Enum):
    """A transliteration system met on identity documents and in lists."""

    KMU_2010 = "kmu_2010"
    """Ukraine, Cabinet of Ministers Resolution No. 55 (2010): passports since 2010."""
    UA_PASSPORT_2007 = "ua_passport_2007"
    """Ukrainian passport table of 2007 (г→g, є→ie): older Ukrainian passports."""
    UA_GERMAN = "ua_german"
    """German (Duden-style) transcription of Ukrainian: German and Austrian authorities."""
    UA_NATIONAL_1996 = "ua_national_1996"
    """Ukrainian Legal Terminology Commission 1996: late 1990s and 2000s documents."""
    UA_BGN_1965 = "ua_bgn_1965"
    """BGN/PCGN 1965 for Ukrainian (y-endings: Andriy, Zhurs'kyy): older English sources."""
    UA_FRENCH = "ua_french"
    """French transcription of Ukrainian (ou, tch): French and Belgian authorities."""
    RU_ICAO_9303 = "ru_icao_9303"
    """Russia, FMS Order No. 320 (2012) after ICAO Doc 9303: passports since 2013/14."""
    RU_GOST_52535 = "ru_gost_52535"
    """Russia, GOST R 52535.1-2006 (ц→tc): passports 2010-2013."""
    RU_MVD_310 = "ru_mvd_310"
    """Russia, MVD Order No. 310 (1997): passports 1997-2010 (Yuliya, Dmitriy)."""
    RU_MVD_310_FR = "ru_mvd_310_fr"
    """French-based variant of MVD 310, as in Soviet passports (Iouri, Alexandr)."""
    RU_BGN_PCGN = "ru_bgn_pcgn"
    """BGN/PCGN 1947: US and UK government usage, older NGO lists."""
    RU_WIKIPEDIA = "ru_wikipedia"
    """English-Wikipedia / newspaper habit (Dmitry, Natalya, -y endings)."""
    RU_ENGLISH = "ru_english"
    """Common English habit on top of Wikipedia style: x for кс (Alexandr, Maxim)."""

    @property
    def language(self) -> Language:
        """The language whose spelling this system expects: ``"uk"`` or ``"ru"``."""
        return "ru" if self.value.startswith("ru_") else "uk"


_UKRAINIAN_TABLES: dict[System, Any] = {
    System.KMU_2010: translitua.UkrainianKMU,
    System.UA_PASSPORT_2007: translitua.UkrainianPassport2007,
    System.UA_GERMAN: translitua.UkrainianGerman,
    System.UA_NATIONAL_1996: translitua.UkrainianNational1996,
    System.UA_BGN_1965: translitua.UkrainianBGN,
    System.UA_FRENCH: translitua.UkrainianFrench,
}

_RUSSIAN_SCHEMAS: dict[System, Any] = {
    System.RU_ICAO_9303: iuliia.ICAO_DOC_9303,
    System.RU_GOST_52535: iuliia.GOST_52535,
    System.RU_MVD_310: iuliia.MVD_310,
    System.RU_MVD_310_FR: iuliia.MVD_310_FR,
    System.RU_BGN_PCGN: iuliia.BGN_PCGN,
    System.RU_WIKIPEDIA: iuliia.WIKIPEDIA,
    System.RU_ENGLISH: iuliia.WIKIPEDIA,
}

# A word, with the apostrophes Ukrainian writes inside words (Дар'я, Дарʼя, Дар’я).
_WORD = re.compile(r"\w+(?:['’ʼ`]\w+)*")


def transliterate(text: str, system: System) -> str:
    """Return ``text`` written in Latin letters under ``system``.

    Case is kept per word: ``ПЕТРЕНКО`` gives ``PETRENKO`` and ``Юлия`` gives
    ``Iuliia``. Punctuation, spaces and digits are kept as they are.
    """
    if system in _UKRAINIAN_TABLES:
        table = _UKRAINIAN_TABLES[system]
        convert: Callable[[str], Any] = partial(translitua.translit, table=table)
    else:
        convert = _RUSSIAN_SCHEMAS[system].translate
    latin = _WORD.sub(lambda match: _per_word(match.group(0), convert), text)
    if system is System.RU_ENGLISH:
        latin = latin.replace("ks", "x").replace("KS", "X")
    return latin


def _per_word(word: str, convert: Callable[[str], Any]) -> str:
    """Transliterate one word, keeping a word typed in capitals in capitals.

    Both libraries write multi-letter values in title case inside a capitalised word
    (``ЮЛИЯ`` → ``IuLIIa``). Such a word goes through in title case and is upper-cased
    afterwards, so ``ПЕТРЕНКО ЮЛИЯ`` stays recognisably a surname in capitals.
    """
    if len(word) > 1 and word.isupper():
        return str(convert(word.capitalize())).upper()
    return str(convert(word))
