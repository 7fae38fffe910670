"""A second, independent generator of test lists for measuring kinlink's record linkage.

kinlink's own demo generator draws names from the same tables the engine knows, so a
linkage figure measured on its lists proves little. This generator was written without
reading kinlink's demo, names or linkage code or any of its name tables: its names,
Russian forms, patronymic rules, places and error model (``second_generator_names.py``,
``second_generator_noise.py``, ``second_generator_data/``) are its own, built from the
list format (``/work/shared/spec/list-format.md``) and from how the lists arise in the
real process. Use it only to measure, never to tune: a rule tuned to these lists makes
their figures as worthless as the first generator's.

The world: families in the occupied regions (one to four children; twins; some children
taken from institutions) whose children are reported missing by relatives or a hotline
(``left.csv``, Ukrainian side; a few children reported twice). About 70 % of the reported
children turn up in "found" lists (``right.csv``): the Russian adoption and guardianship
registry (some under an adoptive family's surname, patronymic, sometimes a new given name,
birth date and birthplace), camp lists, institution lists, media reports and international
lists in Latin letters; some twice. As many unrelated children are on the found lists
only, some of them namesakes of reported children. Siblings are reported together and
move together (same list, same transport or intake). ``truth.csv`` says which child each
record is and what was done to the record (the tag vocabulary is :data:`CHANGE_TAGS`).

Every probability is a field of :class:`Settings` (defaults below); everything is drawn
from one ``random.Random(seed)``, so a seed gives the same files byte for byte.

    PYTHONPATH=src .venv/bin/python benchmarks/second_generator.py OUT_DIR --children 10000 --seed 5
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from second_generator_names import (
    GivenName,
    NameBook,
    Place,
    Weighted,
    feminine,
    load_namebook,
    patronymic_ru,
    patronymic_uk,
    russify_surname,
)
from second_generator_noise import (
    add_lookalikes,
    draw_habit,
    english_habit,
    format_date,
    format_partial,
    latin,
    make_typo,
    shift_days,
    swap_day_month,
    year_off,
)

__all__ = ["CHANGE_TAGS", "LEFT_COLUMNS", "RIGHT_COLUMNS", "TRUTH_COLUMNS", "Adoption",
           "ListKind", "Settings", "World", "generate", "main", "summarize"]

CHANGE_TAGS = ("russified", "latin", "adoptive_surname", "renamed", "date_moved", "year_off",
               "swap", "place_changed", "typo", "lookalike", "no_birth_date", "partial_date",
               "no_patronymic", "full_name")
LEFT_COLUMNS = ("record_id", "surname", "given_name", "patronymic", "sex", "birth_date",
                "birth_place", "last_known_place", "event_date", "institution", "group",
                "siblings_count", "source", "notes")
RIGHT_COLUMNS = ("record_id", "surname", "given_name", "patronymic", "full_name", "sex",
                 "birth_date", "birth_place", "last_known_place", "institution", "moved_on",
                 "event_date", "group", "siblings_count", "source", "notes")
TRUTH_COLUMNS = ("file", "record_id", "child_id", "identity", "changes")


# --- configuration ---------------------------------------------------------------------------

@dataclass(frozen=True)
class World:
    """Who the children are, who is reported, who is found."""

    family_sizes: tuple[tuple[int, float], ...] = ((1, 0.64), (2, 0.23), (3, 0.10), (4, 0.03))
    twins: float = 0.08                 # a family of two or more has a pair of twins
    institutional: float = 0.12         # the family's children were in a Ukrainian institution
    reported_twice: float = 0.03        # a second report of the child by another relative
    family_found: float = 0.72          # the family turns up on a found list
    child_found: float = 0.97           # a child of a found family is on the list with it
    second_listing: float = 0.15        # a found family is on a second, different list
    distractors_per_found: float = 1.0  # children on found lists only, per found child
    distractor_second_listing: float = 0.08
    distractor_russian: float = 0.15    # a distractor is a local Russian child
    namesake_family: float = 0.30       # a distractor family bears a reported family's surname
    namesake_given: float = 0.60        # ... and its child the given name of a reported child
    namesake_same_year: float = 0.50    # ... born the same year
    namesake_similar: float = 0.30      # the namesake's surname differs by one letter
    born_from: dt.date = dt.date(2005, 1, 1)
    born_to: dt.date = dt.date(2022, 6, 30)
    reported_from: dt.date = dt.date(2022, 3, 1)
    moved_from: dt.date = dt.date(2022, 3, 15)
    moved_to: dt.date = dt.date(2024, 12, 31)
    listed_to: dt.date = dt.date(2025, 10, 31)


@dataclass(frozen=True)
class ListKind:
    """How one kind of list writes a record: the probability of each change."""

    prefix: str                         # record ids are PREFIX-000001
    found_weight: float                 # share of found families first listed here
    distractor_weight: float
    sources: tuple[str, ...]
    russified: float = 0.0              # names in their Russian form
    latin: float = 0.0                  # names in Latin letters
    latin_official: float = 0.6         # of Latin records: an official system, not by ear
    diminutive: float = 0.0
    typo: float = 0.0
    lookalike: float = 0.0
    no_patronymic: float = 0.0
    full_name: float = 0.0
    partial_date: float = 0.0
    year_only: float = 0.5              # of partial dates: only the year
    no_birth_date: float = 0.0
    date_moved: float = 0.0
    year_off: float = 0.0
    swap: float = 0.0
    place_changed: float = 0.0
    no_birth_place: float = 0.2
    sex_missing: float = 0.1
    upper_surname: float = 0.2
    date_styles: tuple[tuple[str, float], ...] = (("dmy", 0.8), ("iso", 0.2))
    full_name_orders: tuple[tuple[str, float], ...] = (("surname_first", 1.0),)
    group: str = ""                     # "transport", "intake", "batch", "" (none)
    facility: str = ""                  # "camp", "institution", "" (none)
    siblings_count: float = 0.0


LEFT = ListKind(
    prefix="UA", found_weight=0, distractor_weight=0,
    sources=("Гаряча лінія 116 000", "Національне інформаційне бюро",
             "Заява до Національної поліції", "Портал «Діти війни»",
             "Звернення до Уповноваженого з прав людини"),
    russified=0.07, diminutive=0.05, typo=0.05, lookalike=0.01, no_patronymic=0.12,
    partial_date=0.03, year_only=0.4, no_birth_date=0.015, date_moved=0.005, year_off=0.01,
    swap=0.005, no_birth_place=0.15, sex_missing=0.08, upper_surname=0.15,
    date_styles=(("dmy", 0.55), ("iso", 0.35), ("dmy_short", 0.05), ("dmy_slash", 0.05)),
    siblings_count=0.25,
)
RIGHT: tuple[ListKind, ...] = (
    ListKind(prefix="REG", found_weight=0.30, distractor_weight=0.30,
             sources=("Федеральный банк данных о детях, оставшихся без попечения родителей",
                      "Региональный банк данных", "usynovite.ru"),
             russified=0.92, typo=0.03, lookalike=0.02, no_patronymic=0.35, partial_date=0.35,
             year_only=0.25, no_birth_date=0.02, date_moved=0.03, year_off=0.03, swap=0.01,
             place_changed=0.15, no_birth_place=0.4, sex_missing=0.0, upper_surname=0.2,
             siblings_count=0.85),
    ListKind(prefix="CAMP", found_weight=0.25, distractor_weight=0.30,
             sources=("Список детей ДОЛ", "Список заезда", "Списки отдыхающих"),
             russified=0.80, diminutive=0.03, typo=0.12, lookalike=0.06, no_patronymic=0.45,
             full_name=0.10, partial_date=0.05, no_birth_date=0.05, date_moved=0.02,
             year_off=0.03, swap=0.04, place_changed=0.03, no_birth_place=0.3, sex_missing=0.3,
             upper_surname=0.3, group="transport", facility="camp",
             date_styles=(("dmy", 0.85), ("dmy_short", 0.1), ("iso", 0.05))),
    ListKind(prefix="INST", found_weight=0.22, distractor_weight=0.25,
             sources=("Список воспитанников", "Сведения о поступивших детях"),
             russified=0.85, typo=0.10, lookalike=0.04, no_patronymic=0.15, full_name=0.5,
             partial_date=0.03, no_birth_date=0.03, date_moved=0.02, year_off=0.02, swap=0.02,
             place_changed=0.08, no_birth_place=0.2, sex_missing=0.15, upper_surname=0.5,
             group="intake", facility="institution",
             date_styles=(("dmy", 0.9), ("dmy_slash", 0.1))),
    ListKind(prefix="MED", found_weight=0.08, distractor_weight=0.07,
             sources=("Telegram-канал", "Региональное СМИ", "Новостной сюжет",
                      "Media report"),
             russified=0.60, latin=0.15, diminutive=0.3, typo=0.04, lookalike=0.01,
             no_patronymic=0.9, full_name=0.75, partial_date=0.6, year_only=0.9,
             no_birth_date=0.3, year_off=0.1, no_birth_place=0.3, sex_missing=0.6,
             upper_surname=0.05,
             full_name_orders=(("given_first", 0.8), ("surname_first", 0.2))),
    ListKind(prefix="INTL", found_weight=0.15, distractor_weight=0.08,
             sources=("Mediation list", "Tracing request list", "Partner NGO list"),
             russified=0.45, latin=1.0, typo=0.05, no_patronymic=0.6, full_name=0.3,
             partial_date=0.05, no_birth_date=0.03, date_moved=0.01, year_off=0.02, swap=0.05,
             place_changed=0.10, no_birth_place=0.25, sex_missing=0.1, upper_surname=0.4,
             group="batch", date_styles=(("iso", 0.5), ("dmy_slash", 0.3), ("dmy", 0.2)),
             full_name_orders=(("given_first", 0.6), ("surname_first", 0.4))),
)


@dataclass(frozen=True)
class Adoption:
    """What an adoption or guardianship registry entry does to a child's identity."""

    share: float = 0.35                 # registry listings of a family under an adoptive family
    renamed: float = 0.30               # the child gets a new given name
    new_patronymic: float = 0.85        # the patronymic is the adoptive father's
    date_moved: float = 0.35            # the birth date is changed (same shift for siblings)
    most_days: int = 90
    place_changed: float = 0.60         # the birthplace becomes a Russian city


@dataclass(frozen=True)
class Settings:
    """Every probability the generator uses."""

    world: World = field(default_factory=World)
    left: ListKind = LEFT
    right: tuple[ListKind, ...] = RIGHT
    adoption: Adoption = field(default_factory=Adoption)
    most_shift_days: int = 90


# --- the world -------------------------------------------------------------------------------

@dataclass
class Family:
    """Children with one surname, one father, one home; reported and moved together."""

    surname: str                        # masculine form (Ukrainian, or Russian if russian)
    father: GivenName
    home: Place | None                  # None for a local Russian family
    russian_home: tuple[str, str]
    russian: bool
    institution: str
    children: list[Child] = field(default_factory=list)


@dataclass
class Child:
    """One real child: the true data every record of the child derives from."""

    child_id: str
    sex: str
    given: GivenName
    birth: dt.date
    family: Family


@dataclass
class Listing:
    """One appearance of a family on one found list: what its records share."""

    kind: ListKind
    source: str
    last_place: tuple[str, str]         # Russian city, region
    facility: str
    group: str
    moved_on: dt.date | None
    listed: dt.date
    adoptive_surname: str = ""
    adoptive_father: str = ""
    shift: dt.timedelta | None = None
    new_place: tuple[str, str] | None = None


_RELATIVES = ("мати", "батько", "бабуся", "дідусь", "тітка", "дядько", "старша сестра",
              "хрещена мати", "опікун", "сусідка")
_APOSTROPHES = ("'", "'", "'", "’", "’", "ʼ", "`")  # as people type the Ukrainian apostrophe
_CAMPS = ("Лучистый", "Дружба", "Солнечный", "Орлёнок", "Звёздный", "Радуга", "Чайка",
          "Берёзка", "Ласточка", "Юность", "Салют", "Горизонт", "Романтик", "Ромашка")
_UA_INSTITUTIONS = ("Дитячий будинок", "Будинок дитини", "Школа-інтернат №{n}",
                    "Центр соціально-психологічної реабілітації дітей", "Ліцей-інтернат №{n}")
_RU_INSTITUTIONS = ("Центр содействия семейному воспитанию №{n}", "Детский дом №{n}",
                    "Социально-реабилитационный центр для несовершеннолетних",
                    "Школа-интернат №{n}", "Дом ребёнка №{n}")


def _weighted_key(rng: random.Random, options: Sequence[tuple[str, float]]) -> str:
    return rng.choices([key for key, _ in options], [w for _, w in options])[0]


def _random_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


class _Builder:
    """Draws families, renders their records and keeps them until they are written."""

    def __init__(self, settings: Settings, seed: int) -> None:
        self.s = settings
        self.rng = random.Random(seed)
        self.book: NameBook = load_namebook()
        self.next_child = 0
        self.left: list[list[tuple[dict[str, str], str, str, list[str]]]] = []
        self.right: list[tuple[ListKind, dict[str, str], str, str, list[str]]] = []
        self.reported: list[Family] = []
        self._sizes = Weighted([n for n, _ in settings.world.family_sizes],
                               [w for _, w in settings.world.family_sizes])
        self.found_kinds = Weighted(list(settings.right),
                                     [k.found_weight for k in settings.right])
        self.distractor_kinds = Weighted(list(settings.right),
                                          [k.distractor_weight for k in settings.right])
        self._facilities: dict[str, list[tuple[str, tuple[str, str]]]] = {}

    # families ---------------------------------------------------------------------------

    def family(self, *, russian: bool = False, size: int | None = None) -> Family:
        """A new family with its children."""
        rng, world, book = self.rng, self.s.world, self.book
        home = None if russian else book.places_ua.pick(rng)
        institution = ""
        if home is not None and rng.random() < world.institutional:
            kind = rng.choice(_UA_INSTITUTIONS).format(n=rng.randint(1, 12))
            institution = f"{kind}, {home.uk}"
        family = Family(
            surname=book.surnames_ru.pick(rng) if russian else book.surnames_uk.pick(rng),
            father=book.fathers.pick(rng), home=home, russian_home=book.places_ru.pick(rng),
            russian=russian, institution=institution)
        count = size or self._sizes.pick(rng)
        births = self._births(count)
        for birth in births:
            self._add_child(family, birth)
        return family

    def _births(self, count: int) -> list[dt.date]:
        rng, world = self.rng, self.s.world
        births = [_random_day(rng, world.born_from, world.born_to)]
        while len(births) < count:
            day = births[-1] + dt.timedelta(days=rng.randint(330, 2900) * rng.choice((-1, 1)))
            if not world.born_from <= day <= world.born_to:
                day = _random_day(rng, world.born_from, world.born_to)
            births.append(day)
        if count >= 2 and rng.random() < world.twins:
            births[1] = births[0]
        return births

    def _add_child(self, family: Family, birth: dt.date) -> Child:
        rng = self.rng
        sex = rng.choice("MF")
        taken = {c.given.uk for c in family.children}
        names = self.book.russian(sex) if family.russian else self.book.given(sex)
        given = names.pick(rng)
        for _ in range(20):
            if given.uk not in taken:
                break
            given = names.pick(rng)
        self.next_child += 1
        child = Child(f"K{self.next_child:07d}", sex, given, birth, family)
        family.children.append(child)
        return child

    def namesake_family(self) -> Family:
        """A distractor family bearing a reported family's surname (sometimes one letter
        off), its children often with a reported child's given name and birth year."""
        rng, world = self.rng, self.s.world
        model = rng.choice(self.reported)
        family = self.family(size=len(model.children))
        family.surname = model.surname
        if rng.random() < world.namesake_similar:
            family.surname = make_typo(model.surname, rng, "uk")
        family.home = model.home if rng.random() < 0.5 else family.home
        for child, twin in zip(family.children, model.children, strict=True):
            if rng.random() < world.namesake_given:
                child.sex, child.given = twin.sex, twin.given
            if rng.random() < world.namesake_same_year:
                child.birth = _random_day(rng, dt.date(twin.birth.year, 1, 1),
                                          min(dt.date(twin.birth.year, 12, 31),
                                              world.born_to))
        return family

    # names -------------------------------------------------------------------------------

    def own_names(self, child: Child, lang: str) -> tuple[str, str, str]:
        """The child's given name, surname and patronymic in ``uk`` or ``ru`` forms."""
        family = child.family
        if family.russian:
            surname = feminine(family.surname, "ru") if child.sex == "F" else family.surname
            return child.given.ru, surname, patronymic_ru(family.father.ru, child.sex)
        if lang == "uk":
            surname = feminine(family.surname, "uk") if child.sex == "F" else family.surname
            return child.given.uk, surname, patronymic_uk(family.father.uk, child.sex)
        return (child.given.ru, russify_surname(family.surname, child.sex),
                patronymic_ru(family.father.ru, child.sex))

    def _diminutive(self, child: Child, lang: str) -> tuple[str, str] | None:
        """A diminutive of the child's name in ``lang`` and its Ukrainian counterpart."""
        uk, ru = child.given.uk_short, child.given.ru_short
        if child.family.russian:
            short = self.rng.choice(ru) if ru else None
            return None if short is None else (short, short)
        if not uk or (lang == "ru" and not ru):
            return None
        index = self.rng.randrange(len(uk))
        return (ru[index % len(ru)] if lang == "ru" else uk[index]), uk[index]

    # one record -----------------------------------------------------------------------------

    def render(self, child: Child, kind: ListKind, listing: Listing | None
               ) -> tuple[dict[str, str], list[str]]:
        """The name, sex, birth date and birthplace cells of one record, and its tags."""
        rng = self.rng
        parts, tags, lang, in_latin = self._names(child, kind, listing)
        cells = {"given_name": parts[0], "surname": parts[1], "patronymic": parts[2],
                 "full_name": ""}
        if rng.random() < kind.full_name:
            cells = self._full_name(parts, kind)
            tags.append("full_name")
        cells["sex"] = self._sex(child.sex, kind, in_latin, lang)
        birth, date_tags = self._birth_date(child, kind, listing)
        cells["birth_date"] = birth
        tags.extend(date_tags)
        place, moved = self._birth_place(child, kind, listing, lang, in_latin)
        cells["birth_place"] = place
        if moved:
            tags.append("place_changed")
        return cells, [tag for tag in CHANGE_TAGS if tag in tags]

    def _names(self, child: Child, kind: ListKind, listing: Listing | None
               ) -> tuple[list[str], list[str], str, bool]:
        """Given name, surname and patronymic as the list writes them, their tags, the
        language of their forms and whether they are in Latin letters. Every tag is
        visible in the result (a typo is never put in a patronymic that is then left out)."""
        rng = self.rng
        tags: list[str] = []
        adoptive = listing is not None and bool(listing.adoptive_surname)
        lang = "ru" if adoptive or rng.random() < kind.russified else "uk"
        parts, ukr = list(self.own_names(child, lang)), list(self.own_names(child, "uk"))
        short = self._diminutive(child, lang) if rng.random() < kind.diminutive else None
        if short is not None:
            parts[0], ukr[0] = short
        if adoptive and listing is not None:
            self._adopt(child, listing, parts, tags)
            ukr[1] = parts[1]
            ukr[2] = parts[2] if listing.adoptive_father else ukr[2]
            ukr[0] = parts[0] if "renamed" in tags else ukr[0]
        if rng.random() < kind.no_patronymic:
            parts[2] = ukr[2] = ""
            tags.append("no_patronymic")
        if lang == "ru" and parts != ukr:
            tags.append("russified")
        in_latin = rng.random() < kind.latin
        if in_latin:  # a Russian child's names are Russian whatever the list's habit
            parts = self._latin(parts, "ru" if child.family.russian else lang, kind)
            tags.append("latin")
        layout = "latin" if in_latin else lang

        def slip(word: str, rng: random.Random) -> str:
            return make_typo(word, rng, layout)

        if rng.random() < kind.typo and self._spoil(parts, slip, (0.30, 0.55, 0.15)):
            tags.append("typo")
        if not in_latin and rng.random() < kind.lookalike and self._spoil(
                parts, add_lookalikes, (0.3, 0.6, 0.1)):
            tags.append("lookalike")
        if lang == "uk" and not in_latin:
            mark = rng.choice(_APOSTROPHES)
            parts = [part.replace("'", mark) for part in parts]
        if rng.random() < kind.upper_surname:
            parts[1] = parts[1].upper()
        return parts, tags, lang, in_latin

    def _adopt(self, child: Child, listing: Listing, parts: list[str], tags: list[str]) -> None:
        """The adoptive family's surname, usually its father's patronymic, sometimes a new
        given name (never the child's own name in its Russian form)."""
        parts[1] = feminine(listing.adoptive_surname, "ru") if child.sex == "F" \
            else listing.adoptive_surname
        tags.append("adoptive_surname")
        if listing.adoptive_father:
            parts[2] = patronymic_ru(listing.adoptive_father, child.sex)
        if self.rng.random() < self.s.adoption.renamed:
            for _ in range(10):
                new = self.book.renamed(child.sex).pick(self.rng)
                if new != child.given.ru:
                    parts[0] = new
                    tags.append("renamed")
                    break

    def _spoil(self, parts: list[str], spoil: Callable[[str, random.Random], str],
               weights: tuple[float, float, float]) -> bool:
        """Spoil one non-empty part (given, surname, patronymic with ``weights``) with
        ``spoil``; whether it changed."""
        present = [i for i in range(3) if parts[i]]
        if not present:
            return False
        index = self.rng.choices(present, [weights[i] for i in present])[0]
        changed = spoil(parts[index], self.rng)
        if changed == parts[index]:
            return False
        parts[index] = changed
        return True

    def _latin(self, parts: list[str], lang: str, kind: ListKind) -> list[str]:
        rng = self.rng
        if rng.random() < kind.latin_official:
            systems = ("kmu2010", "kmu2010", "passport2007", "passport2004", "bgn", "simple",
                       "german", "french") if lang == "uk" else (
                "icao", "icao", "mvd782", "mvd310", "wikipedia", "gost52535", "yandex")
            system = rng.choice(systems)
            return [latin(part, lang, system) if part else "" for part in parts]
        habit = draw_habit(rng)
        return [english_habit(part, lang, habit) if part else "" for part in parts]

    def _full_name(self, parts: list[str], kind: ListKind) -> dict[str, str]:
        given, surname, patronymic = parts
        order = _weighted_key(self.rng, kind.full_name_orders)
        if order == "given_first":
            words = [given, patronymic, surname] if patronymic else [given, surname]
        else:
            words = [surname, given, patronymic]
        return {"given_name": "", "surname": "", "patronymic": "",
                "full_name": " ".join(word for word in words if word)}

    def _sex(self, sex: str, kind: ListKind, in_latin: bool, lang: str) -> str:
        rng = self.rng
        if rng.random() < kind.sex_missing:
            return ""
        if in_latin:
            words = ("M", "F") if rng.random() < 0.7 else ("male", "female")
        elif kind is self.s.left:
            words = ("ч", "ж") if rng.random() < 0.5 else ("M", "F")
        else:
            words = ("м", "ж") if rng.random() < 0.6 or lang == "ru" else ("M", "F")
        return words[0] if sex == "M" else words[1]

    def _birth_date(self, child: Child, kind: ListKind, listing: Listing | None
                    ) -> tuple[str, list[str]]:
        rng = self.rng
        if rng.random() < kind.no_birth_date:
            return "", ["no_birth_date"]
        day, tags = child.birth, []
        if listing is not None and listing.shift is not None:
            day += listing.shift
            tags.append("date_moved")
        elif rng.random() < kind.date_moved:
            day = shift_days(day, rng, self.s.most_shift_days)
            tags.append("date_moved")
        if rng.random() < kind.year_off:
            day = year_off(day, rng)
            tags.append("year_off")
        style = _weighted_key(rng, kind.date_styles)
        if rng.random() < kind.partial_date:
            precision = "year" if rng.random() < kind.year_only else "month"
            shown = (day.year,) if precision == "year" else (day.year, day.month)
            truth = (child.birth.year,) if precision == "year" else (child.birth.year,
                                                                      child.birth.month)
            tags = ["partial_date"] + (tags if shown != truth else [])
            return format_partial(day, precision, style), tags
        if rng.random() < kind.swap:
            swapped = swap_day_month(day)
            if swapped is not None:
                day = swapped
                tags.append("swap")
        if day == child.birth:
            tags = []
        return format_date(day, style), tags

    def _birth_place(self, child: Child, kind: ListKind, listing: Listing | None,
                     lang: str, in_latin: bool) -> tuple[str, bool]:
        rng = self.rng
        if rng.random() < kind.no_birth_place:
            return "", False
        family = child.family
        replaced: tuple[str, str] | None = None
        if listing is not None and listing.new_place is not None:
            replaced = listing.new_place
        elif rng.random() < kind.place_changed:
            replaced = self.book.places_ru.pick(rng)
            if family.home is None and replaced == family.russian_home:
                replaced = None
        if replaced is not None or family.home is None:
            city, region = replaced or family.russian_home
            if in_latin:
                return latin(city, "ru", "wikipedia"), replaced is not None
            text = rng.choice(("г. {c}", "{c}", "{c}, {r}")).format(c=city, r=region or city)
            return text, replaced is not None
        home = family.home
        if in_latin:
            source = home.uk if lang == "uk" else home.ru
            name = latin(source, lang, "kmu2010" if lang == "uk" else "wikipedia")
            return (f"{name}, {home.oblast.latin}" if rng.random() < 0.5 else name), False
        if lang == "uk":
            prefix = "с. " if home.village else rng.choice(("м. ", "", ""))
            text = prefix + home.uk
            return (f"{text}, {home.oblast.uk}" if rng.random() < 0.5 else text), False
        prefix = "с. " if home.village else rng.choice(("г. ", "", ""))
        text = prefix + home.ru
        return (f"{text}, {home.oblast.ru}" if rng.random() < 0.5 else text), False

    # the two sides ---------------------------------------------------------------------------

    def report(self, family: Family) -> None:
        """The left records of a reported family: siblings reported together."""
        rng, world, kind = self.rng, self.s.world, self.s.left
        self.reported.append(family)
        block = []
        group = f"звернення №{rng.randint(10000, 999999)}" if len(family.children) > 1 \
            and rng.random() < 0.85 else ""
        reported = _random_day(rng, world.reported_from, world.listed_to)
        relative = rng.choice(_RELATIVES)
        source = "Служба у справах дітей" if family.institution else rng.choice(kind.sources)
        for child in family.children:
            block.append(self._left_row(child, group, reported, source, relative))
            if rng.random() < world.reported_twice:
                other = rng.choice([r for r in _RELATIVES if r != relative])
                later = _random_day(rng, reported, world.listed_to)
                self.left.append([self._left_row(child, "", later, rng.choice(kind.sources),
                                                  other)])
        self.left.append(block)

    def _left_row(self, child: Child, group: str, reported: dt.date, source: str,
                  relative: str) -> tuple[dict[str, str], str, str, list[str]]:
        rng, kind = self.rng, self.s.left
        cells, tags = self.render(child, kind, None)
        family = child.family
        home = family.home
        last = ""
        if home is not None and rng.random() < 0.7:
            last = home.uk if rng.random() < 0.7 else self.book.places_ua.pick(rng).uk
        cells.update({
            "last_known_place": last,
            "event_date": format_date(reported, _weighted_key(rng, kind.date_styles)),
            "institution": family.institution,
            "group": group,
            "siblings_count": str(len(family.children) - 1)
            if rng.random() < kind.siblings_count else "",
            "source": source,
            "notes": f"заявник: {relative}" if not family.institution else "",
        })
        return cells, child.child_id, "", tags

    def listing(self, kind: ListKind) -> Listing:
        """Where and when a family appears on a list of ``kind`` (adoption decided here)."""
        rng, world = self.rng, self.s.world
        facility, city = self._facility(kind)
        moved = _random_day(rng, world.moved_from, world.moved_to)
        listing = Listing(kind=kind, source=rng.choice(kind.sources), last_place=city,
                          facility=facility, group="", moved_on=moved if facility else None,
                          listed=_random_day(rng, moved, world.listed_to))
        if kind.group == "transport":
            listing.group = f"заезд {rng.randint(1, 8)}, автобус {rng.randint(1, 12)}"
        elif kind.group == "intake":
            listing.group = f"поступление {format_date(moved, 'dmy')}"
        elif kind.group == "batch":
            listing.group = f"batch {rng.randint(1, 40)}"
        if kind.prefix == "REG" and rng.random() < self.s.adoption.share:
            adoption = self.s.adoption
            listing.adoptive_surname = self.book.surnames_ru.pick(rng)
            if rng.random() < adoption.new_patronymic:
                listing.adoptive_father = self.book.fathers.pick(rng).ru
            if rng.random() < adoption.date_moved:
                listing.shift = dt.timedelta(days=rng.randint(1, adoption.most_days)
                                             * rng.choice((-1, 1)))
            if rng.random() < adoption.place_changed:
                listing.new_place = self.book.places_ru.pick(rng)
        return listing

    def _facility(self, kind: ListKind) -> tuple[str, tuple[str, str]]:
        """A camp or institution from a pool shared by the whole run, so unrelated
        children share one; the city of a list without one."""
        rng = self.rng
        if not kind.facility:
            return "", self.book.places_ru.pick(rng)
        pool = self._facilities.setdefault(kind.facility, [])
        if len(pool) < 12 or rng.random() < 0.05:
            city = self.book.places_ru.pick(rng)
            if kind.facility == "camp":
                name = f"ДОЛ «{rng.choice(_CAMPS)}», {city[0]}"
            else:
                name = rng.choice(_RU_INSTITUTIONS).format(n=rng.randint(1, 30))
                name = f"{name}, {city[0]}"
            pool.append((name, city))
        return rng.choice(pool)

    def list_family(self, listing: Listing, children: Sequence[Child]) -> None:
        """The right records of the family's children on one list."""
        rng, kind = self.rng, listing.kind
        for child in children:
            cells, tags = self.render(child, kind, listing)
            city, region = listing.last_place
            in_latin = "latin" in tags
            place = latin(city, "ru", "wikipedia") if in_latin else (
                f"{city}, {region}" if region and rng.random() < 0.4 else city)
            style = _weighted_key(rng, kind.date_styles)
            cells.update({
                "last_known_place": place if rng.random() < 0.8 else "",
                "institution": listing.facility,
                "moved_on": format_date(listing.moved_on, style) if listing.moved_on else "",
                "event_date": format_date(listing.listed, style) if rng.random() < 0.7 else "",
                "group": listing.group,
                "siblings_count": str(len(child.family.children) - 1)
                if rng.random() < kind.siblings_count else "",
                "source": listing.source,
                "notes": self._note(kind, listing),
            })
            identity = "adoptive" if listing.adoptive_surname else "own"
            self.right.append((kind, cells, child.child_id, identity, tags))

    def _note(self, kind: ListKind, listing: Listing) -> str:
        if kind.prefix == "REG":
            if listing.adoptive_surname:
                return self.rng.choice(("форма устройства: усыновление",
                                        "форма устройства: опека"))
            return self.rng.choice(("возможные формы устройства: опека, приёмная семья",
                                    "ищет семью", ""))
        return ""


# --- generating and writing ----------------------------------------------------------------

def generate(folder: Path, children: int, seed: int, settings: Settings | None = None) -> None:
    """Write ``left.csv``, ``right.csv`` and ``truth.csv`` for ``children`` reported
    children into ``folder`` (created if missing), reproducibly from ``seed``."""
    if children < 1:
        raise ValueError("children must be at least 1")
    settings = settings or Settings()
    builder = _Builder(settings, seed)
    rng, world = builder.rng, settings.world
    found = 0
    reported = 0
    while reported < children:
        family = builder.family(size=None)
        del family.children[children - reported:]
        reported += len(family.children)
        builder.report(family)
        if rng.random() >= world.family_found:
            continue
        on_list = [c for c in family.children if rng.random() < world.child_found]
        if not on_list:
            continue
        found += len(on_list)
        first_kind = builder.found_kinds.pick(rng)
        builder.list_family(builder.listing(first_kind), on_list)
        if rng.random() < world.second_listing:
            second_kind = builder.found_kinds.pick(rng)
            for _ in range(10):
                if second_kind is not first_kind:
                    break
                second_kind = builder.found_kinds.pick(rng)
            builder.list_family(builder.listing(second_kind), on_list)
    distractors = 0
    wanted = round(found * world.distractors_per_found)
    while distractors < wanted:
        if rng.random() < world.namesake_family:
            family = builder.namesake_family()
        else:
            family = builder.family(russian=rng.random() < world.distractor_russian)
        del family.children[wanted - distractors:]
        distractors += len(family.children)
        kind = builder.distractor_kinds.pick(rng)
        builder.list_family(builder.listing(kind), family.children)
        if rng.random() < world.distractor_second_listing:
            other = builder.distractor_kinds.pick(rng)
            if other is not kind:
                builder.list_family(builder.listing(other), family.children)
    _write(folder, builder)


def _write(folder: Path, builder: _Builder) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    rng = builder.rng
    rng.shuffle(builder.left)
    rng.shuffle(builder.right)
    with (folder / "left.csv").open("w", newline="", encoding="utf-8") as left_file, \
         (folder / "right.csv").open("w", newline="", encoding="utf-8") as right_file, \
         (folder / "truth.csv").open("w", newline="", encoding="utf-8") as truth_file:
        truth = csv.writer(truth_file)
        truth.writerow(TRUTH_COLUMNS)
        left = csv.writer(left_file)
        left.writerow(LEFT_COLUMNS)
        number = 0
        for block in builder.left:
            for cells, child_id, identity, tags in block:
                number += 1
                record_id = f"UA-{number:06d}"
                left.writerow([record_id, *(cells.get(c, "") for c in LEFT_COLUMNS[1:])])
                truth.writerow(["left.csv", record_id, child_id, identity, ";".join(tags)])
        right = csv.writer(right_file)
        right.writerow(RIGHT_COLUMNS)
        counters: Counter[str] = Counter()
        for kind, cells, child_id, identity, tags in builder.right:
            counters[kind.prefix] += 1
            record_id = f"{kind.prefix}-{counters[kind.prefix]:06d}"
            right.writerow([record_id, *(cells.get(c, "") for c in RIGHT_COLUMNS[1:])])
            truth.writerow(["right.csv", record_id, child_id, identity, ";".join(tags)])


def summarize(folder: Path) -> str:
    """Counts of a generated folder from its truth file: records per file, right records
    per identity and per change tag, true pairs."""
    with (folder / "truth.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    right = [r for r in rows if r["file"] == "right.csv"]
    left = [r for r in rows if r["file"] == "left.csv"]
    left_children = {r["child_id"] for r in left}
    lines = [f"left.csv: {len(left)} records, {len(left_children)} children",
             f"right.csv: {len(right)} records, "
             f"{sum(r['child_id'] in left_children for r in right)} of reported children"]
    identities = Counter(r["identity"] for r in right)
    lines.append("right identity: " + ", ".join(
        f"{k} {v / len(right):.1%}" for k, v in identities.most_common()))
    for name, part in (("right", right), ("left", left)):
        tags = Counter(t for r in part for t in r["changes"].split(";") if t)
        lines.append(f"{name} changes: " + ", ".join(
            f"{tag} {tags[tag] / len(part):.1%}" for tag in CHANGE_TAGS if tags[tag]))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    """``second_generator.py OUT_DIR --children N --seed S``: write the three files."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--children", type=int, default=10_000,
                        help="reported children (left side); default 10000")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    generate(args.out_dir, args.children, args.seed)
    print(f"wrote {args.out_dir} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    print(summarize(args.out_dir))


if __name__ == "__main__":
    main()
