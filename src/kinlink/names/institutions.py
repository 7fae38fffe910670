"""One key per institution, whatever language or script names it.

Children were moved in groups, a whole institution's children on one day, and an
adoption renames a child but not the move: "came from institution X, moved on day D"
survives. For that to be evidence, a Ukrainian report's ``Херсонський обласний дитячий
будинок``, a Russian list's ``Херсонский областной детский дом`` and an English
``Kherson Regional Children's Home`` must give one key.

:func:`institution_key` keeps what tells institutions apart and drops what every
institution says:

- generic words are dropped in Ukrainian, Russian and English: kinds of institution
  (children's home, baby home, boarding school, centre, shelter, hospital), levels and
  owners (regional, city, municipal, state), legal forms (КЗ, ГБУ …) and small words;
- a settlement, named or as an adjective (``Херсонський``, ``Khersonskyi``), becomes
  its place key (:func:`kinlink.names.places.known_place`), so Ukrainian, Russian and
  Latin spellings meet; an unknown one keeps its skeleton without the adjective ending;
- numbers (``№ 5``) and proper names (``«Сонечко»``) stay, as skeletons
  (:func:`kinlink.names.keys.latin_skeleton`);
- the key is the sorted set of what is left, so word order does not matter.

Dropping the kind of institution is a choice: ``Херсонський обласний будинок дитини``
(a baby home) and ``Херсонський обласний дитячий будинок`` get one key. Kinds are
named differently in every list, and the key is never evidence alone: linkage pairs it
with the date the child was moved. A name with nothing left but a number
(``Детский дом № 5``) has no key: a bare number names too many institutions. Proper
names translated rather than transliterated (``Ялинка`` / ``Ёлочка``) do not meet.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kinlink.names.keys import latin_skeleton
from kinlink.names.normalise import fold
from kinlink.names.places import known_place

__all__ = ["institution_key"]

_WORD = re.compile(r"[^\W\d_]+|\d+")

_GENERIC_WORDS = frozenset((
    # small words and abbreviations (uk, ru, en)
    "і", "й", "та", "з", "із", "для", "до", "на", "ім", "імені", "м", "с", "смт", "обл",
    "и", "со", "им", "имени", "г", "п", "пгт", "№", "no", "nr", "n",
    "of", "the", "for", "and", "named", "after", "city", "st", "na",
    "рк", "ар", "рф", "рб", "днр", "лнр",
    # legal forms
    "кз", "кнп", "ку", "дз", "кп", "тов", "гбу", "гку", "гбоу", "гкоу", "мбу", "мку",
    "мбоу", "мкоу", "огбу", "огку", "кгбу", "кгку", "гуз", "гбуз", "фгбу", "ано",
    "дом", "дому", "дома", "дім", "dom", "doma", "dim", "home", "house", "homes",
))
_GENERIC_STEMS = (
    # Ukrainian
    "дитяч", "будин", "дитин", "дітей", "діт", "інтернат", "школ", "ліце", "гімназ",
    "заклад", "установ", "центр", "соціальн", "психолог", "реабіліт", "притул",
    "комунальн", "державн", "обласн", "міськ", "районн", "спеціаліз", "спеціальн",
    "загальноосвітн", "освітн", "навчальн", "виховн", "санатор", "опік", "піклув",
    "сирот", "позбавлен", "батьківськ", "сімейн", "лікарн", "медичн", "громад",
    "управлін", "служб", "ради", "рада", "області", "область", "місто",
    # Russian
    "детск", "ребен", "детей", "дет", "интернат", "лице", "гимназ", "учрежден",
    "организац", "социальн", "реабилит", "приют", "муниципальн", "государствен",
    "областн", "городск", "специализ", "специальн", "общеобразоват", "образоват",
    "воспитан", "содейств", "семейн", "устройств", "оставш", "попечен", "родител",
    "больниц", "медицин", "помощ", "краев", "республиканск", "бюджетн", "казенн",
    "казён", "област", "город", "округ",
    # English
    "children", "child", "baby", "infant", "orphan", "boarding", "school", "institut",
    "center", "centre", "regional", "oblast", "municipal", "state", "district",
    "social", "rehabilit", "shelter", "care", "hospital", "special", "general",
    "education", "public", "communal", "residential", "family", "families", "support",
    "number",
)
_GENERIC_SKELETONS = tuple(sorted({latin_skeleton(stem) for stem in _GENERIC_STEMS
                                   if len(latin_skeleton(stem)) >= 4}))
"""The generic stems as skeletons, for lists that transliterate them (``dytiachyi
budynok``)."""
_PLACE_ADJECTIVE = re.compile(
    r"(?:ськ|цьк|зьк|ск|цк)(?:ий|ій|ый|ой|ая|а|е|ое|ого|ому|ої|ою|ие|і|их|ых)$"
    r"|(?:sk|ck|tsk|zk)(?:yi|yy|iy|ij|ii|y|i|a|aya|aja|oe|ogo|oy|oi|e)$")
"""A settlement's adjective (Херсонський, Донецкая, Khersonskyi), not a noun that
happens to end alike (Ёлочка)."""
_INFLECTIONS = ("ogo", "omu", "oiu", "aia", "oi", "ie", "i", "a", "e")
"""Adjective endings as :func:`latin_skeleton` writes them (-ого, -ому, -ою, -ая …)."""


def _generic(word: str) -> bool:
    """A word every institution's name may have, or a lone letter (``Children's``)."""
    return (word in _GENERIC_WORDS or word.startswith(_GENERIC_STEMS)
            or (len(word) == 1 and not word.isdigit())
            or latin_skeleton(word).startswith(_GENERIC_SKELETONS))


def _adjective_core(word: str, skeleton: str) -> str | None:
    """``gersonski`` → ``gersonsk``: the stem of a place adjective (-ськ-/-цьк-/-ск-/
    -цк- with its ending taken off), or ``None`` when the word is no such adjective."""
    if not _PLACE_ADJECTIVE.search(word):
        return None
    for ending in _INFLECTIONS:
        core = skeleton[: -len(ending)]
        if skeleton.endswith(ending) and len(core) > 3 and core.endswith(("sk", "ck")):
            return core
    return None


def _word_key(word: str) -> str:
    """A settlement's place key, an adjective's settlement, or the word's skeleton."""
    skeleton = latin_skeleton(word)
    if word.isdigit() or not skeleton:
        return word
    place = known_place(skeleton)
    if place is not None:
        return place
    core = _adjective_core(word, skeleton)
    if core is None:
        return skeleton
    # Херсон-ськ-ий, Донец-ьк-ий (Донецьк), Одес-ьк-ий (Одеса), Луганськ-ий (Луганськ)
    for candidate in (core, core[:-2], core[:-1], core[:-1] + "a", core[:-2] + "a"):
        place = known_place(candidate)
        if place is not None:
            return place
    return core[:-2]


@lru_cache(maxsize=100_000)
def institution_key(text: str | None) -> str | None:
    """The key of the institution ``text`` names, or ``None`` when it names none (only
    generic words and numbers)."""
    if not text:
        return None
    words = [w for w in _WORD.findall(fold(text)) if not _generic(w)]
    keys = {_word_key(w) for w in words}
    keys.discard("")
    if not any(not k.isdigit() for k in keys):
        return None
    return " ".join(sorted(keys))
