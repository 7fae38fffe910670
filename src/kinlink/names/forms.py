"""The official forms of one child's name: Ukrainian, Russian, and both in Latin letters.

A mediator's list shows each child's name in the forms the other side searches its
registries with: the Ukrainian name as the family reported it, its Russian forms
(Олександр → Александр, Олійник → Олейник, Сергійович → Сергеевич) and both in Latin
letters (KMU 2010 for the Ukrainian form, as in Ukrainian passports; ICAO 9303 for the
Russian form, as in Russian passports since 2014). Every form is written surname
first, as registers write it.

Nothing is invented. Each part of the name is converted only as far as kinlink knows
how: given names through the name table (:mod:`kinlink.names.equivalence`),
patronymics through the father's canonical name, surnames by the spelling rules of
:mod:`kinlink.names.russify` (Ukrainian to Russian only: a Russian surname is never
"Ukrainised", it is kept as written). A given name the table does not know (Гліб,
whose Russian form is Глеб) is kept as written in every form and transliterated for
the Latin ones; so is a patronymic whose father's name the table does not know.
Latin text is never turned back into Cyrillic, so a name given only in Latin letters
has no Cyrillic forms; its Russian-Latin form exists only when the table knows its
given name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from kinlink.names.equivalence import Relation, given_name, lookup_given
from kinlink.names.normalise import normalise
from kinlink.names.parse import NameParts, parse_full_name
from kinlink.names.patronymic import is_patronymic, patronymic_key, patronymic_sex
from kinlink.names.russify import (
    patronymic_ru,
    patronymic_uk,
    russian_surname_any,
)
from kinlink.names.scripts import Script, detect
from kinlink.names.translit import System, transliterate

__all__ = ["NameForms", "name_forms"]

Language = Literal["uk", "ru", "latin"]


@dataclass(frozen=True)
class NameForms:
    """One name in its four list forms; a form kinlink cannot give truthfully is ``None``."""

    uk: str | None
    """Ukrainian, surname first: ``Петренко Олександр Сергійович``."""
    ru: str | None
    """Russian: ``Петренко Александр Сергеевич``."""
    latin: str | None
    """The Ukrainian form in KMU 2010: ``Petrenko Oleksandr Serhiiovych``."""
    latin_ru: str | None
    """The Russian form in ICAO 9303: ``Petrenko Aleksandr Sergeevich``."""


@dataclass(frozen=True)
class _Forms:
    """The forms of one part of a name (surname, given name or patronymic)."""

    uk: str | None = None
    ru: str | None = None
    latin: str | None = None
    latin_ru: str | None = None


_PIECES = re.compile(r"([\s-]+)")
# Letters a transliteration table does not know: ы э ъ ё are not Ukrainian, і ї є ґ not
# Russian. A word holding them is transliterated by the other language's table instead.
_FOREIGN = {System.KMU_2010: re.compile(r"[ыэъёЫЭЪЁ]"),
            System.RU_ICAO_9303: re.compile(r"[іїєґІЇЄҐ]")}
_PARTNER = {System.KMU_2010: System.RU_ICAO_9303, System.RU_ICAO_9303: System.KMU_2010}


def _tidy(text: str | None) -> str | None:
    """Normalised text with words typed all in capitals (or all in lower case) written
    with one capital: registers write ``ПЕТРЕНКО``, a list shows ``Петренко``."""
    cleaned = normalise(text) if text else ""
    if not cleaned:
        return None
    return "".join(_capitalised(piece) for piece in _PIECES.split(cleaned))


def _capitalised(piece: str) -> str:
    letters = [c for c in piece if c.isalpha()]
    if len(letters) > 1 and (piece.isupper() or piece.islower()):
        return piece[:1].upper() + piece[1:].lower()
    return piece


def _per_word(text: str, convert: Callable[[str], str]) -> str:
    """Apply ``convert`` to every word of ``text``, keeping spaces and hyphens."""
    return "".join(piece if _PIECES.fullmatch(piece) else convert(piece)
                   for piece in _PIECES.split(text) if piece)


def _latin(text: str | None, system: System) -> str | None:
    """``text`` in Latin letters under ``system``; a word in the other language's letters
    goes through that language's passport table, so no Cyrillic letter is left."""
    if text is None:
        return None
    return "".join(
        transliterate(piece, _PARTNER[system] if _FOREIGN[system].search(piece) else system)
        for piece in _PIECES.split(text) if piece)


def _sex(sex: str | None) -> str | None:
    """``M``, ``F`` or ``None`` from a sex value such as ``M``, ``f`` or ``Sex.FEMALE``."""
    value = (sex or "").strip().upper()
    return value if value in ("M", "F") else None


def _given_id(word: str, sex: str | None) -> str | None:
    """The canonical name ``word`` is a full form of, when the table knows exactly one.

    Diminutives give nothing: Саша is not an official name, and it stands for
    Олександр and Олександра alike.
    """
    ids = {m.name_id for m in lookup_given(word) if m.relation is not Relation.DIMINUTIVE}
    if len(ids) > 1 and sex is not None:
        ids = {i for i in ids if given_name(i).sex == sex}
    return next(iter(ids)) if len(ids) == 1 else None


def _father(patronymic: str) -> str | None:
    """The father's canonical given name hidden in a patronymic, if the table knows it."""
    if not is_patronymic(patronymic):
        return None
    key = patronymic_key(patronymic)
    if key is None:
        return None
    try:
        given_name(key)
    except KeyError:
        return None
    return key


def _script(text: str) -> Language | None:
    """What the letters of ``text`` say: Latin, Ukrainian, Russian or nothing."""
    script = detect(text).script
    if script is Script.LATIN:
        return "latin"
    if script is Script.UKRAINIAN:
        return "uk"
    return "ru" if script is Script.RUSSIAN else None


def _patronymic_language(text: str, sex: str | None) -> Language | None:
    """``uk`` or ``ru`` when the patronymic is exactly one language's form (Сергеевич)."""
    father, own_sex = _father(text), patronymic_sex(text) or sex
    if father is None or own_sex is None:
        return None
    uk = patronymic_uk(father, own_sex).casefold()
    ru = patronymic_ru(given_name(father).russian, own_sex).casefold()
    if uk == ru:
        return None
    folded = text.casefold().replace("ё", "е")
    return "uk" if folded == uk else "ru" if folded == ru.replace("ё", "е") else None


def _given_language(text: str, sex: str | None) -> Language | None:
    """``uk`` or ``ru`` when the given name is exactly one language's form (Иван)."""
    name_id = _given_id(text, sex)
    if name_id is None:
        return None
    folded = text.casefold().replace("ё", "е")
    uk, ru = name_id.casefold(), given_name(name_id).russian.casefold().replace("ё", "е")
    if uk == ru:
        return None
    return "uk" if folded == uk else "ru" if folded == ru else None


def _majority(signals: Sequence[Language]) -> Language | None:
    uk, ru = signals.count("uk"), signals.count("ru")
    if not uk and not ru:
        return None
    return "ru" if ru > uk else "uk"


def _language(parts: NameParts, sex: str | None) -> Language:
    """The language the Cyrillic parts of the name are written in, taken together.

    The letters (і ї є ґ, or ы э ъ ё) and a patronymic's form decide; the given name's
    form decides only when they are silent, because Анна is the Russian form of Ганна
    but also a Ukrainian name of its own. A name that says nothing counts as Ukrainian:
    kinlink's own lists are the families' reports.
    """
    strong: list[Language] = [
        s for s in (_script(p) for p in (parts.surname, parts.given, parts.patronymic) if p)
        if s in ("uk", "ru")]
    if parts.patronymic:
        own = _patronymic_language(parts.patronymic, sex)
        strong += [own] if own else []
    found = _majority(strong)
    if found is None and parts.given:
        found = _majority([s for s in (_given_language(w, sex) for w in
                                       _PIECES.split(parts.given)) if s])
    return found or "uk"


def _part_language(text: str, overall: Language) -> Language:
    own = _script(text)
    return own if own is not None else overall


def _given_forms(text: str, language: Language, sex: str | None) -> _Forms:
    """Forms of the given name, word by word (Анна-Марія has two names); a word the
    table does not know, or a diminutive, is kept as written."""
    if language == "latin":
        def latin_ru(word: str) -> str:
            name_id = _given_id(word, sex)
            return (transliterate(given_name(name_id).russian, System.RU_ICAO_9303)
                    if name_id else word)
        return _Forms(latin=text, latin_ru=_per_word(text, latin_ru))

    def other(word: str) -> str:
        name_id = _given_id(word, sex)
        if language == "uk":
            return given_name(name_id).russian if name_id else word
        return name_id if name_id else word

    converted = _per_word(text, other)
    uk, ru = (text, converted) if language == "uk" else (converted, text)
    return _Forms(uk, ru, _latin(uk, System.KMU_2010), _latin(ru, System.RU_ICAO_9303))


def _surname_forms(text: str, language: Language) -> _Forms:
    """Forms of the surname: a Ukrainian one spelled as a Russian clerk writes it, a
    Russian one kept as written in both (its Ukrainian form cannot be known)."""
    if language == "latin":
        return _Forms(latin=text, latin_ru=text)
    ru = _per_word(text, russian_surname_any) if language == "uk" else text
    return _Forms(text, ru, _latin(text, System.KMU_2010), _latin(ru, System.RU_ICAO_9303))


def _patronymic_forms(text: str, language: Language, sex: str | None) -> _Forms:
    """Forms of the patronymic, rebuilt from the father's name when the table knows it."""
    father, own_sex = _father(text), patronymic_sex(text) or sex
    if father is None or own_sex is None:
        built_uk = built_ru = None
    else:
        built_uk = patronymic_uk(father, own_sex)
        built_ru = patronymic_ru(given_name(father).russian, own_sex)
    if language == "latin":
        latin_ru = transliterate(built_ru, System.RU_ICAO_9303) if built_ru else text
        return _Forms(latin=text, latin_ru=latin_ru)
    if language == "uk":
        uk, ru = text, built_ru or text
    else:
        uk, ru = built_uk or text, text
    return _Forms(uk, ru, _latin(uk, System.KMU_2010), _latin(ru, System.RU_ICAO_9303))


def _parts(given: str | None, surname: str | None, patronymic: str | None,
           full_name: str | None) -> NameParts:
    """The name in parts; ``full_name`` is parsed only when no given name or surname is
    given (the rule linkage follows too)."""
    parts = NameParts(_tidy(given), _tidy(surname), _tidy(patronymic))
    if parts.given or parts.surname or not full_name:
        return parts
    parsed = parse_full_name(full_name)
    return NameParts(_tidy(parsed.given), _tidy(parsed.surname),
                     _tidy(parsed.patronymic) or parts.patronymic)


def _join(forms: list[_Forms], attribute: str) -> str | None:
    """The whole name in one form, or ``None`` when a part has no such form."""
    values = [getattr(f, attribute) for f in forms]
    if not values or any(v is None for v in values):
        return None
    return " ".join(values)


def name_forms(given: str | None, surname: str | None, patronymic: str | None,
               full_name: str | None = None, sex: str | None = None) -> NameForms:
    """The Ukrainian, Russian and Latin forms of a name written in any script.

    ``full_name`` is used when neither ``given`` nor ``surname`` is; ``sex`` (``M`` or
    ``F``) settles a given name the table knows for both sexes and the form of a
    patronymic that does not show it. A form that would need a guess is ``None``.
    """
    known_sex = _sex(sex)
    parts = _parts(given, surname, patronymic, full_name)
    overall = _language(parts, known_sex)
    forms: list[_Forms] = []
    latin_only = True
    given_known = False
    if parts.surname:
        language = _part_language(parts.surname, overall)
        latin_only &= language == "latin"
        forms.append(_surname_forms(parts.surname, language))
    if parts.given:
        language = _part_language(parts.given, overall)
        latin_only &= language == "latin"
        given_known = any(_given_id(w, known_sex) for w in _PIECES.split(parts.given))
        forms.append(_given_forms(parts.given, language, known_sex))
    if parts.patronymic:
        language = _part_language(parts.patronymic, overall)
        latin_only &= language == "latin"
        forms.append(_patronymic_forms(parts.patronymic, language, known_sex))
    latin_ru = _join(forms, "latin_ru") if given_known or not latin_only else None
    return NameForms(_join(forms, "uk"), _join(forms, "ru"), _join(forms, "latin"), latin_ru)
