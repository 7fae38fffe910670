"""Name features of one record, precomputed for blocking and comparison in linkage.

Linkage runs as SQL (DuckDB, Spark), which cannot call Python, so every key the name
engine can give is computed once per record here: canonical given-name ids, the
script-independent given-name and surname keys, the father's-name key and a sex hint.

Every given name gets keys whether or not the name table knows it: the skeleton, the
loose key (Гліб ~ Глеб) and a blocking key — the consonants of its canonical name when
the table knows it (so a diminutive blocks with every name it can stand for: Женя with
Євген and Євгенія alike), of its own skeleton otherwise (Мілана ~ Milana ~ Милана).
Nothing in linkage depends on a table lookup alone.
All functions below are cached per distinct value, so a million records with the usual
repetition of names cost seconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kinlink.names.equivalence import Relation, given_name, lookup_given
from kinlink.names.keys import consonant_key, latin_skeleton, loosen, surname_key
from kinlink.names.normalise import cyrillic_reading, normalise
from kinlink.names.parse import NameParts, parse_full_name
from kinlink.names.patronymic import patronymic_key, patronymic_sex

__all__ = ["NameFeatures", "name_features"]

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@dataclass(frozen=True)
class NameFeatures:
    """What linkage needs to know about one record's name."""

    given: str | None
    surname: str | None
    patronymic: str | None
    given_ids: tuple[str, ...]
    given_key: str | None
    given_loose: str | None
    given_block: str | None
    given_is_diminutive: bool
    surname_key: str | None
    surname_skeleton: str | None
    patronymic_key: str | None
    sex_hint: str | None


def _clean(value: str | None) -> str | None:
    cleaned = normalise(value) if value else ""
    return cleaned or None


def _parts(given: str | None, surname: str | None, patronymic: str | None,
           full_name: str | None) -> NameParts:
    parts = NameParts(_clean(given), _clean(surname), _clean(patronymic))
    if not (parts.given or parts.surname) and full_name:
        parts = parse_full_name(full_name)
    return _in_context(parts)


@lru_cache(maxsize=500_000)
def _has_cyrillic(value: str) -> bool:
    """Whether a name part holds a Cyrillic letter (cached: parts repeat far more than
    whole names do)."""
    return _CYRILLIC.search(value) is not None


def _in_context(parts: NameParts) -> NameParts:
    """Read a part typed wholly in Latin look-alike letters as Cyrillic when another part
    of the name is Cyrillic (``Kipa Петренко`` is Кіра Петренко)."""
    given, surname, patronymic = parts.given, parts.surname, parts.patronymic
    cyrillic = (bool(given) and _has_cyrillic(given), bool(surname) and _has_cyrillic(surname),
                bool(patronymic) and _has_cyrillic(patronymic))
    if not any(cyrillic) or all(is_cyrillic or not value for is_cyrillic, value in
                                zip(cyrillic, (given, surname, patronymic), strict=True)):
        return parts  # nothing Cyrillic to read the rest by, or nothing else to read
    read = [cyrillic_reading(v) or v if v and not is_cyrillic else v
            for v, is_cyrillic in zip((given, surname, patronymic), cyrillic, strict=True)]
    return NameParts(read[0], read[1], read[2])


@lru_cache(maxsize=200_000)
def _given(given: str) -> tuple[tuple[str, ...], bool, str | None]:
    matches = lookup_given(given)
    ids = tuple(sorted({m.name_id for m in matches}))
    diminutive = bool(matches) and all(m.relation is Relation.DIMINUTIVE for m in matches)
    sexes = {given_name(i).sex for i in ids}
    return ids, diminutive, sexes.pop() if len(sexes) == 1 else None


def _block(ids: tuple[str, ...], skeleton: str | None) -> str | None:
    """The given-name blocking key: consonants of the canonical names, or of the name."""
    if ids:
        keys = sorted({consonant_key(latin_skeleton(name_id)) for name_id in ids})
        return keys[0]
    return consonant_key(skeleton) if skeleton else None


@lru_cache(maxsize=200_000)
def _given_features(given: str) -> tuple[tuple[str, ...], bool, str | None, str | None,
                                         str | None, str | None]:
    """A given name's ids, whether it is only a diminutive, its sex, skeleton key, loose
    key and blocking key: a function of the given name alone, so cached per name (a
    million records hold a few thousand given names but hundreds of thousands of full
    names)."""
    ids, diminutive, sex = _given(given)
    key = latin_skeleton(given) or None
    return ids, diminutive, sex, key, loosen(key) if key else None, _block(ids, key)


@lru_cache(maxsize=500_000)
def _surname_features(surname: str) -> tuple[str | None, str | None]:
    """A surname's key and skeleton, cached per surname."""
    return surname_key(surname) or None, latin_skeleton(surname) or None


@lru_cache(maxsize=200_000)
def _patronymic_features(patronymic: str) -> tuple[str | None, str | None]:
    """A father's name's key and the sex it gives the child, cached per name."""
    return patronymic_key(patronymic), patronymic_sex(patronymic)


_NO_GIVEN: tuple[tuple[str, ...], bool, str | None, str | None, str | None, str | None] = (
    (), False, None, None, None, None)


@lru_cache(maxsize=500_000)
def name_features(given: str | None, surname: str | None, patronymic: str | None,
                  full_name: str | None) -> NameFeatures:
    """Features of a record's name; ``full_name`` is parsed when no part is given."""
    parts = _parts(given, surname, patronymic, full_name)
    ids, diminutive, sex, given_key, given_loose, given_block = (
        _given_features(parts.given) if parts.given else _NO_GIVEN)
    key, skeleton = _surname_features(parts.surname) if parts.surname else (None, None)
    father_key, father_sex = (_patronymic_features(parts.patronymic) if parts.patronymic
                              else (None, None))
    return NameFeatures(
        given=parts.given,
        surname=parts.surname,
        patronymic=parts.patronymic,
        given_ids=ids,
        given_key=given_key,
        given_loose=given_loose,
        given_block=given_block,
        given_is_diminutive=diminutive,
        surname_key=key,
        surname_skeleton=skeleton,
        patronymic_key=father_key,
        sex_hint=sex or father_sex,
    )
