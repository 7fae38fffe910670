"""Names inflected in running text back to the nominative (Олександра Петренка →
Олександр Петренко), for reading documents.

This needs the optional extra ``kinlink[morphology]`` (pymorphy3 with its Ukrainian and
Russian dictionaries; the Ukrainian dictionary is GPL, so it stays out of the core).
Without a sex hint an ambiguous form keeps both readings: Олександра is the genitive of
Олександр *and* the nominative of Олександра, so both come back, most likely first.
"""

from __future__ import annotations

import itertools
from functools import cache
from typing import Any, Literal

from kinlink.errors import ConfigurationError
from kinlink.i18n import N_, Wording
from kinlink.names.equivalence import lookup_given
from kinlink.names.normalise import tokens

_READING_NAMES_IN_RUNNING = Wording("names.morphology.reading_names_in_running", N_(
    "reading names in running text needs the optional extra: pip install "
    "'kinlink[morphology]'"))

__all__ = ["nominative_readings"]

Language = Literal["uk", "ru"]
_NAME_TAGS = ("Name", "Patr", "Surn")
_DATIVE_ENDINGS = ("ові", "еві", "єві")
_MAX_READINGS = 6


@cache
def _analyzer(language: Language) -> Any:
    try:
        import pymorphy3  # optional extra, imported on first use
    except ImportError as exc:
        raise ConfigurationError(
            _READING_NAMES_IN_RUNNING()) from exc
    return pymorphy3.MorphAnalyzer(lang=language)


def _keep_case(original: str, word: str) -> str:
    if original.isupper():
        return word.upper()
    return word[:1].upper() + word[1:] if original[:1].isupper() else word


def _word_readings(word: str, language: Language, sex: str | None) -> list[str]:
    """Nominative forms of one word, given names first; the word itself if none."""
    gender = {"M": "masc", "F": "femn"}.get(sex or "")
    ranked: list[tuple[int, str]] = []
    if word.casefold().endswith(_DATIVE_ENDINGS) and lookup_given(word[:-3]):
        ranked.append((0, word[:-3]))  # Олександрові: pymorphy3 reads an adjective
    for parse in _analyzer(language).parse(word):
        tag = parse.tag
        rank = next((i for i, t in enumerate(_NAME_TAGS) if t in tag), None)
        if rank is None or "plur" in tag or (gender and tag.gender and tag.gender != gender):
            continue
        nominative = parse.inflect({"nomn"})
        ranked.append((rank, nominative.word if nominative else parse.normal_form))
    forms = list(dict.fromkeys(form for _rank, form in sorted(ranked, key=lambda r: r[0])))
    return [_keep_case(word, f) for f in forms] or [word]


def nominative_readings(text: str, language: Language = "uk",
                        sex: str | None = None) -> list[str]:
    """The name in ``text`` put back into the nominative; several readings if ambiguous.

    ``sex`` ("M" or "F") removes the readings of the other gender.
    """
    per_word = [_word_readings(word, language, sex) for word in tokens(text)]
    readings = dict.fromkeys(" ".join(combo) for combo in itertools.product(*per_word))
    return list(itertools.islice(readings, _MAX_READINGS))
