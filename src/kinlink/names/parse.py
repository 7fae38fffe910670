"""Split a full name into surname, given name and patronymic, whatever the order.

Registers write ``ПЕТРЕНКО Олександр Іванович`` (surname first, often in capitals),
forms and Latin lists ``Oleksandr Petrenko``. The parser uses, in this order: a
patronymic ending (-ович, -івна, -ovich, -ivna); a word in capitals among words that are
not (the surname convention); the given-name table (a word it knows as a name is the
given name); surname endings (-енко, -ук, -ський, -ов, -enko, -skyi …); and finally the
script's custom: surname first in Cyrillic, given name first in Latin.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from faker.providers.person.ru_RU import Provider as RussianNames
from faker.providers.person.uk_UA import Provider as UkrainianNames

from kinlink.names.equivalence import Relation, lookup_given, withheld_skeletons
from kinlink.names.keys import latin_skeleton
from kinlink.names.normalise import tokens
from kinlink.names.patronymic import is_patronymic
from kinlink.names.scripts import Script, detect

__all__ = ["NameParts", "parse_full_name"]

_SURNAME_ENDING = re.compile(
    r"(енко|ко|ук|юк|чук|ак|як|ський|цький|ська|цька|ский|цкий|ская|цкая|ов|ова|ев|ева|"
    r"ів|ин|ич|ець|ко|ар|ир|ун|enko|uk|yuk|iuk|chuk|skyi|sky|skiy|skii|skyy|ska|"
    r"skaya|skaia|ov|ova|ev|eva|in|ich|ych|ets|iv)$")
"""Surname endings. Not -ина/-ina: far more girls' names end so (Карина, Марина, Поліна,
Аліна, Ірина, Катерина) than surnames do (Ільїна)."""


@dataclass(frozen=True)
class NameParts:
    """A person's name in parts; any part may be missing."""

    given: str | None = None
    surname: str | None = None
    patronymic: str | None = None

    def display(self) -> str:
        """Surname, given name, patronymic: the register order."""
        return " ".join(p for p in (self.surname, self.given, self.patronymic) if p)


def _is_upper_word(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def _skeletons(*lists: Iterable[str]) -> frozenset[str]:
    return frozenset(latin_skeleton(name) for names in lists for name in names)


@cache
def _dictionary_given() -> frozenset[str]:
    """Given names of the Ukrainian and Russian name lists shipped with Faker (less any
    withheld for measuring, see :mod:`kinlink.names.equivalence`)."""
    names = _skeletons(UkrainianNames.first_names_male, UkrainianNames.first_names_female,
                       RussianNames.first_names_male, RussianNames.first_names_female)
    return names - withheld_skeletons()


@cache
def _dictionary_surnames() -> frozenset[str]:
    """Surnames of the same lists, minus any that are also given names (Мирон, Роман)."""
    surnames = _skeletons(UkrainianNames.last_names_male, UkrainianNames.last_names_female,
                          RussianNames.last_names_male, RussianNames.last_names_female)
    return surnames - _dictionary_given()


def _given_score(token: str) -> int:
    """How much a word looks like a given name (+) rather than a surname (-)."""
    matches = lookup_given(token)
    if matches:
        return 3 if any(m.relation is not Relation.DIMINUTIVE for m in matches) else 2
    skeleton = latin_skeleton(token)
    if skeleton in _dictionary_given():
        return 2
    if token[-1:].casefold() in ("а", "a", "я") and lookup_given(token[:-1]):
        return 1  # Ярослава: the female form of a known male name
    if skeleton in _dictionary_surnames():
        return -2
    return -1 if _SURNAME_ENDING.search(token.casefold()) else 0


def _two(first: str, second: str) -> tuple[str, str]:
    """(given, surname) for a two-word name."""
    upper = [_is_upper_word(first), _is_upper_word(second)]
    if upper[0] != upper[1]:
        return (second, first) if upper[0] else (first, second)
    difference = _given_score(first) - _given_score(second)
    if difference > 0:
        return first, second
    if difference < 0:
        return second, first
    latin = detect(first).script is Script.LATIN
    return (first, second) if latin else (second, first)


@lru_cache(maxsize=200_000)
def parse_full_name(text: str) -> NameParts:
    """Split ``text`` into parts; unplaced extra words stay with the surname."""
    words = tokens(text)
    if not words:
        return NameParts()
    patronymic = None
    # register order, whatever the script: Surname Given Patronymic (the given name
    # stands before the patronymic), unless the words plainly say otherwise
    if (len(words) == 3 and is_patronymic(words[-1])
            and _given_score(words[0]) - _given_score(words[1]) < 3):
        return NameParts(words[1], words[0], words[2])
    if len(words) >= 3 and is_patronymic(words[-1]):
        patronymic = words.pop()
    elif len(words) >= 3 and is_patronymic(words[1]):
        patronymic = words.pop(1)
    if len(words) == 1:
        word = words[0]
        return (NameParts(given=word, patronymic=patronymic) if _given_score(word) > 0
                else NameParts(surname=word, patronymic=patronymic))
    if len(words) == 2:
        given, surname = _two(*words)
        return NameParts(given, surname, patronymic)
    given, surname = _two(words[0], words[-1])
    rest = " ".join(words[1:-1])
    return NameParts(given, f"{surname} {rest}" if rest else surname, patronymic)
