"""Nominative forms a name inflected in running text may stand for, by rule.

A document says «вивезли Олександра Петренка», «передан Александру Петренко»,
«опікуном Ганни Ковальської», «Ивановой Марии»: the names are in the genitive, dative,
instrumental… :func:`rule_forms` undoes the common Ukrainian and Russian endings of
given names and surnames (masculine consonant and -о stems, -ій/-ий/-ей, feminine -а/-я,
adjectival -ський/-ский/-ська/-ская, Russian -ов/-ин) and gives every nominative the
word *may* be, each with the case it was read as. It over-generates on purpose: the
screening only keeps a form whose key belongs to a sought person, so a wrong guess
costs a dictionary look-up, never a mention.

:func:`dictionary_forms` asks the optional ``morphology`` extra (pymorphy3, GPL
dictionaries) for the same thing, when it is installed; it is never imported here at
module import time.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache, lru_cache

__all__ = ["Case", "dictionary_forms", "morphology_available", "rule_forms"]


class Case(StrEnum):
    """The grammatical case a rule read an inflected word as."""

    GENITIVE = "genitive"
    DATIVE = "dative"
    ACCUSATIVE = "accusative"
    INSTRUMENTAL = "instrumental"
    LOCATIVE = "locative"


_G, _D, _A, _I, _L = Case.GENITIVE, Case.DATIVE, Case.ACCUSATIVE, Case.INSTRUMENTAL, Case.LOCATIVE

_RULES: tuple[tuple[str, str, Case], ...] = (
    # adjectival surnames, masculine: Ковальського, Ковальському, Ковальським, Згурского
    ("ого", "ий", _G), ("ому", "ий", _D), ("им", "ий", _I), ("ім", "ий", _L),
    ("ым", "ый", _I), ("ом", "ий", _L),
    # adjectival surnames, feminine: Ковальської, Ковальській, Ковальську, Ковальською;
    # Russian Ковальской, Ковальскую
    ("ої", "а", _G), ("ій", "а", _D), ("ою", "а", _I), ("ой", "ая", _G), ("ую", "ая", _A),
    # -ій/-ий/-ей given names: Сергія, Сергію, Сергієм, Сергієві; Дмитрия; Сергея
    ("ія", "ій", _G), ("ію", "ій", _D), ("ієм", "ій", _I), ("ієві", "ій", _D),
    ("ії", "ій", _L), ("ия", "ий", _G), ("ию", "ий", _D), ("ием", "ий", _I),
    ("ии", "ий", _L), ("ея", "ей", _G), ("ею", "ей", _D), ("еем", "ей", _I),
    ("ее", "ей", _L),
    # feminine -я: Марії, Марію, Марією; Марии, Марию, Марией
    ("ії", "ія", _G), ("ію", "ія", _A), ("ією", "ія", _I), ("ии", "ия", _G),
    ("ию", "ия", _A), ("ией", "ия", _I), ("і", "я", _D), ("ю", "я", _A), ("ею", "я", _I),
    ("ей", "я", _I), ("и", "я", _G), ("е", "я", _D),
    # feminine -а: Олени, Олені, Олену, Оленою; Анны, Анне, Анной; Ивановой
    ("и", "а", _G), ("ы", "а", _G), ("і", "а", _D), ("е", "а", _D), ("у", "а", _A),
    ("ою", "а", _I), ("ой", "а", _G),
    # masculine -о: Петра, Петру, Петром, Петрові; Петренка, Петренку, Петренкові
    ("ові", "о", _D), ("а", "о", _G), ("у", "о", _D), ("ом", "о", _I), ("і", "о", _L),
    # masculine consonant stems: Олександра, Олександру, Олександрові, Олександром;
    # Ковальчука; Петровым; Василя, Василю, Василем; Ігоря, Ігореві
    ("ові", "", _D), ("еві", "", _D), ("єві", "й", _D), ("а", "", _G), ("у", "", _D),
    ("ом", "", _I), ("ем", "", _I), ("ым", "", _I), ("е", "", _L), ("і", "", _L),
    ("я", "ь", _G), ("ю", "ь", _D), ("ем", "ь", _I), ("я", "й", _G), ("ю", "й", _D),
    ("єм", "й", _I),
)
_MIN_STEM = 2


@lru_cache(maxsize=200_000)
def rule_forms(word: str) -> tuple[tuple[str, Case], ...]:
    """Every nominative the Cyrillic ``word`` may be an inflected form of, with the
    case read; empty for a Latin word (documents in Latin letters do not inflect
    names). The case of the letters is kept as the word has it."""
    lower = word.lower()
    if not any("\u0400" <= c <= "\u04ff" for c in lower):
        return ()
    found: dict[str, Case] = {}
    for ending, nominative, case in _RULES:
        if lower.endswith(ending) and len(lower) - len(ending) >= _MIN_STEM:
            form = _keep_case(word, word[: len(word) - len(ending)] + nominative)
            found.setdefault(form, case)
    found.pop(word, None)
    return tuple(found.items())


def _keep_case(original: str, word: str) -> str:
    return word.upper() if original.isupper() else word


@cache
def morphology_available() -> bool:
    """Whether the optional ``morphology`` extra is installed."""
    try:
        import pymorphy3  # noqa: F401 - optional extra, probed on first use only
    except ImportError:
        return False
    return True


_UKRAINIAN_ONLY = frozenset("іїєґ'")
_RUSSIAN_ONLY = frozenset("ыэъё")


@lru_cache(maxsize=200_000)
def dictionary_forms(word: str) -> tuple[str, ...]:
    """The nominatives the dictionary reads ``word`` as (given names, patronymics,
    surnames), Ukrainian and Russian unless the letters tell the language; empty
    when the extra is not installed or the word is not Cyrillic."""
    lower = word.lower()
    if not morphology_available() or not any("\u0400" <= c <= "\u04ff" for c in lower):
        return ()
    from kinlink.names.morphology import nominative_readings  # needs the extra

    letters = set(lower)
    languages: tuple[str, ...] = ("uk", "ru")
    if letters & _UKRAINIAN_ONLY:
        languages = ("uk",)
    elif letters & _RUSSIAN_ONLY:
        languages = ("ru",)
    forms: dict[str, None] = {}
    for language in languages:
        for reading in nominative_readings(word, "uk" if language == "uk" else "ru"):
            forms.setdefault(reading, None)
    forms.pop(word, None)
    return tuple(forms)
