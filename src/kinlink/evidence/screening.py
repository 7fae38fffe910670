"""Screen a document's text for the names of sought children, in any script and case.

«вивезли Олександра Петренка», «передан Александру Петренко», «Oleksandr Petrenko, 11»,
«ПЕТРЕНКО Олександр Сергійович, 12.03.2014 р.н.» all mention *Олександр Петренко*. The
text is cut into words; each capitalised word is read as it is written, as every
nominative the common case endings allow (:mod:`.inflection`) and, with the optional
``morphology`` extra, as the dictionary reads it; each reading is reduced to the name
engine's keys (canonical given-name ids, skeletons, surname keys). The sought people are
indexed by the same keys, so a word is looked up, never compared with every person.
A given name and a surname of the same person side by side (either order, a patronymic
between or after) make a :class:`Mention`; a birth date, a patronymic and a place near
it raise or lower its score, and each reason is kept as a coded message.

A surname with initials («Петренко О. С.», «О.С. Петренко», «O. Petrenko») is a weaker
mention when the initials agree with the sought given name (and patronymic); a Latin
possessive («Petrenko's») is read as the name. A birth year stated beside a name («2009
р.н.») that is not the sought child's lowers the score and says so.

A mention is a suggestion for a person to review, never a link.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from kinlink.errors import ConfigurationError
from kinlink.evidence import wordings as w
from kinlink.evidence.hyphens import join_broken_words
from kinlink.evidence.inflection import (
    Case,
    dictionary_forms,
    morphology_available,
    rule_forms,
)
from kinlink.evidence.nearby import FoundDate, FoundYear, find_birth_years, find_dates
from kinlink.i18n import N_, Message, Wording
from kinlink.names.equivalence import Relation, given_name, lookup_given
from kinlink.names.keys import consonant_key, latin_skeleton, loose_key, surname_key
from kinlink.names.patronymic import is_patronymic, patronymic_key
from kinlink.names.places import place_key
from kinlink.names.russify import russian_letters, russian_surname_any

_NEEDS_MORPHOLOGY = Wording("evidence.screening.needs_morphology", N_(
    "reading names by dictionary needs the optional extra: {extra}"))

__all__ = ["Mention", "Screener", "SoughtPerson", "screen"]

NEAR = 80
"""How many characters either side of a name a date or place counts as near it."""
_CLOSE_DAYS = 92  # a birth date moved on adoption: up to three months (names.md §7)
_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ-][^\W\d_]+)*")
_GAP = re.compile(r"\s{1,3}|\s?,\s?")
_MIN_KEY = 3
_POSSESSIVE = re.compile(r"['’ʼ]s$")
_INITIALS = re.compile(
    r"(?<![^\W\d_])(?P<first>[^\W\d_][a-z]?)\.(?:[ \u00a0]?(?P<second>[^\W\d_][a-z]?)\.)?")
_STREET = re.compile(
    r"(?:вул|вулиця|просп|проспект|пров|пл|площа|бульв|бульвар|ім|імені|ул|улица|им|имени"
    r"|пер|st|str|street|ave)\.?\s*$", re.IGNORECASE)
"""A street or an institution named after a person («вул. Т. Шевченка», «школа ім. Л.
Українки») is no mention of a child: initials right after these words are not read."""
_INITIALS_SCORE = 0.3
_MISREAD_PENALTY = 0.1
_MISREAD_MIN = 4
_CONFUSED: dict[str, tuple[str, ...]] = {
    # letters OCR reads one for another in Cyrillic print and typewriting
    "и": ("н", "п"), "н": ("и", "п"), "п": ("н", "л", "и"), "л": ("п",), "е": ("с", "є", "о"),
    "с": ("е", "о"), "о": ("с", "а", "е"), "а": ("о",), "є": ("е",), "і": ("ї",),
    "ї": ("і",), "ш": ("щ",), "щ": ("ш",), "ц": ("щ",), "т": ("г",), "г": ("т", "ґ"),
    "к": ("н",), "в": ("з",), "з": ("в",),
    # Latin print: e and c, l and i, u and n (rn and m below)
    "e": ("c",), "c": ("e",), "l": ("i",), "i": ("l",), "n": ("u",), "u": ("n",),
}
_CONFUSED_PAIRS = {"rn": "m"}
_PATRONYMIC_INITIAL = 0.1


@dataclass(frozen=True)
class SoughtPerson:
    """A child (or any person) whose name a document is screened for."""

    id: str
    given_name: str
    surname: str
    patronymic: str | None = None
    birth_date: date | None = None
    place: str | None = None


@dataclass(frozen=True)
class Mention:
    """Where a document may mention a sought person, how sure, and why."""

    person_id: str
    start: int
    end: int
    text: str
    score: float
    evidence: tuple[Message, ...]


@dataclass(frozen=True)
class _Form:
    """One reading of a word: the nominative, the case read, whether the dictionary
    read it."""

    text: str
    case: Case | None
    dictionary: bool


@dataclass(frozen=True)
class _Reading:
    """A capitalised word of the text and the keys its readings have."""

    word: str
    start: int
    end: int
    given: dict[str, tuple[float, _Form, Relation | None]]
    surname: dict[str, tuple[_Form, ...]]
    patronymic: tuple[str, ...]


def _given_keys(form: str) -> dict[str, tuple[float, Relation | None]]:
    """Keys of a given name, with how strongly a shared key says "the same name"."""
    keys: dict[str, tuple[float, Relation | None]] = {}
    for match in lookup_given(form):
        strength = 0.8 if match.relation is Relation.DIMINUTIVE else 1.0
        keys[f"id:{match.name_id}"] = (strength, match.relation)
    skeleton = latin_skeleton(form)
    if len(skeleton) >= _MIN_KEY:
        keys.setdefault(f"sk:{skeleton}", (1.0, None))
        keys.setdefault(f"lo:{loose_key(form)}", (0.85, None))
        consonants = consonant_key(skeleton)
        if len(consonants) >= _MIN_KEY:
            keys.setdefault(f"co:{consonants}", (0.7, None))
    return keys


@lru_cache(maxsize=200_000)
def _forms(word: str, morphology: bool) -> tuple[_Form, ...]:
    forms = [_Form(word, None, False)]
    forms += [_Form(text, case, False) for text, case in rule_forms(word)]
    if morphology:
        known = {f.text.casefold() for f in forms if f.case is None}
        forms += [_Form(text, None, True) for text in dictionary_forms(word)
                  if text.casefold() not in known]
    return tuple(forms)


@lru_cache(maxsize=200_000)
def _read_keys(word: str, morphology: bool) -> tuple[
        dict[str, tuple[float, _Form, Relation | None]], dict[str, tuple[_Form, ...]],
        tuple[str, ...]]:
    given: dict[str, tuple[float, _Form, Relation | None]] = {}
    surname: dict[str, tuple[_Form, ...]] = {}
    patronymic: dict[str, None] = {}
    for form in _forms(word, morphology):
        for key, (strength, relation) in _given_keys(form.text).items():
            if key not in given or given[key][0] < strength:
                given[key] = (strength, form, relation)
        key = surname_key(form.text)
        if len(key) >= _MIN_KEY:
            surname[key] = (*surname.get(key, ()), form)
        if is_patronymic(form.text):
            father = patronymic_key(form.text)
            if father:
                patronymic.setdefault(father, None)
    return given, surname, tuple(patronymic)


def _is_latin(text: str) -> bool:
    return text.isascii()


class Screener:
    """The sought people, indexed by their name keys, ready to screen many texts.

    ``morphology``: ``None`` uses the optional extra when it is installed, ``False``
    reads case endings by rule only, ``True`` requires the extra.
    """

    def __init__(self, people: Iterable[SoughtPerson], *, morphology: bool | None = None) -> None:
        if morphology and not morphology_available():
            raise ConfigurationError(_NEEDS_MORPHOLOGY(extra="pip install 'kinlink[morphology]'"))
        self.morphology = morphology_available() if morphology is None else morphology
        self._people = list(people)
        self._given: list[dict[str, tuple[float, Relation | None]]] = []
        self._any_given: set[str] = set()
        self._by_surname: dict[str, list[int]] = defaultdict(list)
        self._patronymic: list[str | None] = []
        self._place: list[str | None] = []
        self._initials: list[frozenset[str]] = []
        self._patronymic_initials: list[frozenset[str]] = []
        for index, person in enumerate(self._people):
            self._index(index, person)

    def _index(self, index: int, person: SoughtPerson) -> None:
        given = _given_keys(person.given_name)
        given.update({k: v for k, v in _given_keys(russian_letters(person.given_name)).items()
                      if k not in given})
        self._given.append(given)
        self._any_given.update(k for k in given if k.startswith(("id:", "sk:")))
        keys = {surname_key(person.surname), surname_key(russian_surname_any(person.surname))}
        for key in keys:
            if len(key) >= _MIN_KEY:
                self._by_surname[key].append(index)
        self._patronymic.append(patronymic_key(person.patronymic) if person.patronymic
                                else None)
        self._place.append(place_key(person.place) if person.place else None)
        self._initials.append(_given_initials(person.given_name))
        self._patronymic_initials.append(
            frozenset(_initial(f) for f in (person.patronymic,
                                            russian_letters(person.patronymic)) if f)
            if person.patronymic else frozenset())

    def screen(self, text: str) -> list[Mention]:
        """Every mention of a sought person in ``text``, in the order of the text.

        Words broken over two lines are read whole (:mod:`.hyphens`); a mention's span
        is where its words are in ``text`` as given, line-end hyphen included."""
        joined = join_broken_words(text)
        if joined.text == text:
            return self._screen(text)
        shown = []
        for mention in self._screen(joined.text):
            start, end = joined.shown(mention.start, mention.end)
            shown.append(replace(mention, start=start, end=end, text=text[start:end]))
        return shown

    def _screen(self, text: str) -> list[Mention]:
        readings = self._readings(text)
        dates = find_dates(text) if readings else []
        near = _Near(dates, find_birth_years(text, dates) if readings else [])
        best: dict[tuple[str, int], Mention] = {}
        found: list[Mention] = []
        for given, surname, patronymic in _pairs(text, readings):
            matched = False
            for index, strength, relation in self._matches(given, surname):
                matched = True
                found.append(self._mention(text, index, (given, surname, patronymic),
                                           strength, relation, near))
            if not matched:
                found += self._misread(text, (given, surname, patronymic), near)
        found += self._initialled(text, readings, near)
        for mention in found:
            key = (mention.person_id, mention.start)
            if key not in best or best[key].score < mention.score:
                best[key] = mention
        return sorted(best.values(), key=lambda m: (m.start, -m.score, m.person_id))

    def _readings(self, text: str) -> list[_Reading]:
        readings = []
        for match in _WORD.finditer(text):
            word, end = match.group(0), match.end()
            possessive = _POSSESSIVE.search(word)
            if possessive and _is_latin(word[:possessive.start()]):
                word, end = word[:possessive.start()], match.start() + possessive.start()
            if not word[0].isupper() or len(word) < 2:
                continue
            given, surname, patronymic = _read_keys(word, self.morphology)
            readings.append(_Reading(word, match.start(), end, given, surname, patronymic))
        return readings

    def _matches(self, given: _Reading, surname: _Reading) -> Iterable[
            tuple[int, tuple[float, _Form, _Form], Relation | None]]:
        seen: set[int] = set()
        for key, surname_forms in surname.surname.items():
            for index in self._by_surname.get(key, ()):
                if index in seen:
                    continue
                seen.add(index)
                sought = self._given[index]
                shared = [(given.given[k], sought[k][1]) for k in given.given.keys() & sought]
                if shared:
                    (strength, form, relation), theirs = max(shared, key=lambda s: s[0][0])
                    surname_form = _closest(self._people[index].surname, surname_forms)
                    yield index, (strength, form, surname_form), _relation(relation, theirs)

    def _misread(self, text: str, words: tuple[_Reading, _Reading, _Reading | None],
                 near: _Near) -> list[Mention]:
        """Mentions whose given name or surname has one letter misread (OCR: и for н,
        с for е, rn for m), the other word read as it is: a weaker mention that says
        which word was read with a letter changed."""
        given, surname, patronymic = words
        found: list[Mention] = []
        tries = []
        if given.given.keys() & self._any_given:
            tries.append((surname, _misreadings(surname.word)))
        if any(key in self._by_surname for key in surname.surname) and not lookup_given(
                given.word):  # a name the table knows is no misreading of another
            tries.append((given, _misreadings(given.word)))
        for misread, variants in tries:
            for variant in variants:
                keys = _read_keys(variant, False)  # rules only: a guess on a guess
                read = replace(misread, given=keys[0], surname=keys[1], patronymic=keys[2])
                pair = (given, read) if misread is surname else (read, surname)
                for index, strength, relation in self._matches(*pair):
                    mention = self._mention(text, index, (*pair, patronymic), strength,
                                            relation, near)
                    evidence = [e for e in mention.evidence if e.code != w.AS_SOUGHT.code]
                    found.append(replace(
                        mention, score=round(max(0.0, mention.score - _MISREAD_PENALTY), 3),
                        evidence=(*evidence, w.MISREAD(form=misread.word, read=variant))))
            if found:
                return found
        return found

    def _mention(self, text: str, index: int,
                 words: tuple[_Reading, _Reading, _Reading | None],
                 strength: tuple[float, _Form, _Form], relation: Relation | None,
                 near: _Near) -> Mention:
        person = self._people[index]
        given, surname, patronymic = words
        start = min(given.start, surname.start)
        end = max(given.end, surname.end, patronymic.end if patronymic else 0)
        evidence = _name_evidence(person, text[start:end], given, surname, strength, relation)
        score = 0.35 + 0.25 * strength[0]
        if patronymic and self._patronymic[index]:
            agrees = self._patronymic[index] in patronymic.patronymic
            evidence.append((w.PATRONYMIC_AGREES if agrees else w.PATRONYMIC_DIFFERS)(
                form=patronymic.word))
            score += 0.1 if agrees else -0.15
        return self._in_context(text, index, start, end, score, evidence, near)

    def _in_context(self, text: str, index: int, start: int, end: int, score: float,
                    evidence: list[Message], near: _Near) -> Mention:
        """The mention of ``text[start:end]``, its score and evidence raised or lowered by
        the dates and the place near it."""
        person = self._people[index]
        if person.birth_date:
            change, said = _date_evidence(person.birth_date, start, end, near)
            score += change
            evidence += said
        place = self._place[index]
        if place and _place_near(text, start, end, place):
            evidence.append(w.PLACE(place=person.place or ""))
            score += 0.1
        return Mention(person.id, start, end, text[start:end],
                       round(min(1.0, max(0.0, score)), 3), tuple(evidence))

    def _initialled(self, text: str, readings: list[_Reading], near: _Near) -> list[Mention]:
        """Mentions written as a surname with initials, either order: «Петренко О. С.»,
        «О.С. Петренко», «O. Petrenko». The given name's initial must agree with the
        sought one and, when both are known, the patronymic's too."""
        if not readings:
            return []
        by_end = {r.end: r for r in readings}
        by_start = {r.start: r for r in readings}
        found: list[Mention] = []
        for match in _INITIALS.finditer(text):
            first, second = match.group("first", "second")
            if not first[0].isupper() or (second and not second[0].isupper()):
                continue
            if _STREET.search(text, max(0, match.start() - 12), match.start()):
                continue
            around = [r for r in (_ending_before(text, by_end, match.start()),
                                  _starting_after(text, by_start, match.end())) if r]
            for surname in around:
                for index, form in self._surname_people(surname):
                    mention = self._initials_mention(text, index, surname, form, match, near)
                    if mention is not None:
                        found.append(mention)
        return found

    def _surname_people(self, surname: _Reading) -> Iterable[tuple[int, _Form]]:
        seen: set[int] = set()
        for key, forms in surname.surname.items():
            for index in self._by_surname.get(key, ()):
                if index not in seen:
                    seen.add(index)
                    yield index, _closest(self._people[index].surname, forms)

    def _initials_mention(self, text: str, index: int, surname: _Reading, form: _Form,
                          initials: re.Match[str], near: _Near) -> Mention | None:
        first, second = initials.group("first", "second")
        if _initial(first) not in self._initials[index]:
            return None
        person, score = self._people[index], _INITIALS_SCORE
        written = initials.group(0)
        evidence: list[Message] = []
        if second and self._patronymic_initials[index]:
            if _initial(second) not in self._patronymic_initials[index]:
                return None
            evidence.append(w.INITIALS_BOTH(form=written))
            score += _PATRONYMIC_INITIAL
        else:
            evidence.append(w.INITIAL_GIVEN(form=written))
        start, end = min(surname.start, initials.start()), max(surname.end, initials.end())
        if _is_latin(surname.word):
            evidence.append(w.LATIN(form=text[start:end]))
        else:
            evidence += _surname_spelling(person.surname, form.text)
        if form.case is not None:
            evidence.append(w.SURNAME_CASE[form.case](form=surname.word))
        elif form.dictionary:
            evidence.append(w.BY_DICTIONARY(form=surname.word, nominative=form.text))
        return self._in_context(text, index, start, end, score, evidence, near)


@lru_cache(maxsize=100_000)
def _misreadings(word: str) -> tuple[str, ...]:
    """``word`` with one letter (or ``rn``) read as the letter OCR confuses it with, in
    the word's own letter case; none for a word shorter than four letters."""
    if len(word) < _MISREAD_MIN:
        return ()
    lower, upper = word.lower(), word.isupper()
    variants: dict[str, None] = {}
    for at, letter in enumerate(lower):
        for other in _CONFUSED.get(letter, ()):
            if other not in lower[max(0, at - 1):at + 2]:  # a doubled letter is lost in a key
                variants.setdefault(lower[:at] + other + lower[at + 1:], None)
    for pair, single in _CONFUSED_PAIRS.items():
        at = lower.find(pair)
        if at >= 0:
            variants.setdefault(lower[:at] + single + lower[at + len(pair):], None)
    shown = (v.upper() if upper else v[:1].upper() + v[1:] for v in variants)
    return tuple(v for v in shown if v != word)


@dataclass(frozen=True)
class _Near:
    """The dates and the birth years written in a text, found once per text."""

    dates: list[FoundDate]
    years: list[FoundYear]


def _initial(written: str) -> str:
    """The first letter of a name's skeleton (script-neutral: О and O, Г and H agree)."""
    return latin_skeleton(written)[:1]


def _given_initials(given: str) -> frozenset[str]:
    """The initials the sought given name may be written with: its own, its Russian and
    Latin forms' (Олександр: О, А; Oleksandr, Alexander), never a diminutive's."""
    forms = {given, russian_letters(given)}
    for match in lookup_given(given):
        if match.relation is not Relation.DIMINUTIVE:
            name = given_name(match.name_id)
            forms |= {name.id, name.russian, *name.latin}
    return frozenset(i for i in map(_initial, forms) if i)


def _ending_before(text: str, by_end: dict[int, _Reading], at: int) -> _Reading | None:
    """The capitalised word just before ``at`` (a space or a comma between), if any."""
    for end in range(at, max(-1, at - 4), -1):
        reading = by_end.get(end)
        if reading is not None and _GAP.fullmatch(text, end, at):
            return reading
    return None


def _starting_after(text: str, by_start: dict[int, _Reading], at: int) -> _Reading | None:
    """The capitalised word just after ``at`` (a space between, or none), if any."""
    for start in range(at, at + 4):
        reading = by_start.get(start)
        if reading is not None and (start == at or _GAP.fullmatch(text, at, start)):
            return reading
    return None


def _relation(found: Relation | None, sought: Relation | None) -> Relation | None:
    """How the written given name relates to the sought one (``None``: the same form)."""
    if found is Relation.DIMINUTIVE and sought is not Relation.DIMINUTIVE:
        return Relation.DIMINUTIVE
    if found is Relation.RUSSIAN and sought is Relation.UKRAINIAN:
        return Relation.RUSSIAN
    if found is Relation.UKRAINIAN and sought is Relation.RUSSIAN:
        return Relation.UKRAINIAN
    return None


def _closest(sought: str, forms: tuple[_Form, ...]) -> _Form:
    """The reading of a surname spelled most like the sought one (Ковальської read as
    Ковальська, not as the word itself, whose key is the same)."""
    spellings = (latin_skeleton(sought), latin_skeleton(russian_surname_any(sought)))
    return next((f for f in forms if latin_skeleton(f.text) in spellings), forms[0])


def _pairs(text: str, readings: list[_Reading]) -> Iterable[
        tuple[_Reading, _Reading, _Reading | None]]:
    """(given, surname, patronymic) word triples that may name one person: two words side
    by side in either order, or a patronymic between a given name and a surname."""
    for i, first in enumerate(readings):
        second = readings[i + 1] if i + 1 < len(readings) else None
        if second is None or not _adjacent(text, first, second):
            continue
        third = readings[i + 2] if i + 2 < len(readings) else None
        if third is not None and not _adjacent(text, second, third):
            third = None
        after = third if third is not None and third.patronymic else None
        yield first, second, None
        yield second, first, after
        if third is not None and second.patronymic:
            yield first, third, second


def _adjacent(text: str, left: _Reading, right: _Reading) -> bool:
    return bool(_GAP.fullmatch(text, left.end, right.start))


def _name_evidence(person: SoughtPerson, span: str, given: _Reading, surname: _Reading,
                   strength: tuple[float, _Form, _Form],
                   relation: Relation | None) -> list[Message]:
    evidence: list[Message] = []
    level, given_form, surname_form = strength
    if _is_latin(given.word) or _is_latin(surname.word):
        evidence.append(w.LATIN(form=span))
    if relation is Relation.RUSSIAN:
        evidence.append(w.RUSSIAN_FORM(form=given.word))
    elif relation is Relation.UKRAINIAN:
        evidence.append(w.UKRAINIAN_FORM(form=given.word))
    elif relation is Relation.DIMINUTIVE:
        evidence.append(w.DIMINUTIVE(form=given.word))
    elif level < 1.0:
        evidence.append(w.SIMILAR_GIVEN(form=given.word))
    if not _is_latin(surname.word):
        evidence += _surname_spelling(person.surname, surname_form.text)
    for word, form, cases in ((given.word, given_form, w.GIVEN_CASE),
                              (surname.word, surname_form, w.SURNAME_CASE)):
        if form.case is not None:
            evidence.append(cases[form.case](form=word))
        elif form.dictionary:
            evidence.append(w.BY_DICTIONARY(form=word, nominative=form.text))
    return evidence or [w.AS_SOUGHT(form=span)]


def _surname_spelling(sought: str, found: str) -> list[Message]:
    if latin_skeleton(found) == latin_skeleton(sought):
        return []
    if latin_skeleton(found) == latin_skeleton(russian_surname_any(sought)):
        return [w.RUSSIAN_SURNAME(form=found)]
    return [w.SURNAME_FORM(form=found)]


def _date_evidence(birth: date, start: int, end: int,
                   found_near: _Near) -> tuple[float, list[Message]]:
    """The score change and the reasons the dates near a name give: the birth date
    (+0.3), a date within three months of it (+0.1), another birth date (-0.25); else
    the birth year stated nearest to it, the sought one (+0.15) or another (-0.3, said
    with the sought year so a person sees the contradiction)."""
    change, said = _full_date_evidence(birth, start, end, found_near.dates)
    if said:
        return change, said
    years = [(y, _distance(y.start, y.end, start, end)) for y in found_near.years]
    years = [(y, distance) for y, distance in years if distance <= NEAR]
    if not years:
        return 0.0, []
    year, distance = min(years, key=lambda y: y[1])
    if year.value == birth.year:
        return 0.15, [w.BIRTH_YEAR(year=year.value, distance=distance)]
    return -0.3, [w.OTHER_BIRTH_YEAR(year=year.value, distance=distance, sought=birth.year)]


def _full_date_evidence(birth: date, start: int, end: int,
                        dates: list[FoundDate]) -> tuple[float, list[Message]]:
    near = [(d, _distance(d.start, d.end, start, end)) for d in dates]
    near = [(d, distance) for d, distance in near if distance <= NEAR]
    for found, distance in near:
        if found.value == birth:
            return 0.3, [w.BIRTH_DATE(date=found.value.strftime("%d.%m.%Y"), distance=distance)]
    for found, distance in near:
        days = abs((found.value - birth).days)
        if days <= _CLOSE_DAYS:
            return 0.1, [w.BIRTH_DATE_CLOSE(date=found.value.strftime("%d.%m.%Y"),
                                            distance=distance, days=days)]
    for found, distance in near:
        if found.birth_cue:
            return -0.25, [w.OTHER_BIRTH_DATE(date=found.value.strftime("%d.%m.%Y"),
                                              distance=distance)]
    return 0.0, []


def _distance(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    if a_end <= b_start:
        return b_start - a_end
    return max(0, a_start - b_end)


def _place_near(text: str, start: int, end: int, key: str) -> bool:
    window = text[max(0, start - NEAR): end + NEAR]
    words = [m.group(0) for m in _WORD.finditer(window) if m.group(0)[0].isupper()]
    candidates = words + [f"{a} {b}" for a, b in itertools.pairwise(words)]
    return any(_place_key(c) == key or any(_place_key(form) == key for form, _ in rule_forms(c))
               for c in candidates)


@lru_cache(maxsize=100_000)
def _place_key(text: str) -> str | None:
    return place_key(text)


def screen(text: str, people: Iterable[SoughtPerson], *,
           morphology: bool | None = None) -> list[Mention]:
    """Every mention of ``people`` in ``text`` (builds a :class:`Screener` once)."""
    return Screener(people, morphology=morphology).screen(text)
