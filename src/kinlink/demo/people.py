"""The synthetic world: families, their children, and what happened to them.

A :class:`Family` is the unit that things happen to: siblings share a surname, a
father (so a patronymic), a birthplace, a date and place of removal, a destination in
Russia, a reporting relative and, when adopted, one adoptive family. Twins share the
birth date too. Lists are later rendered from this world, so everything a list says
about a child is a (possibly damaged) view of one consistent truth.

Children of institutions were moved in groups: most children drawn from an institution
join a :class:`Move` — one institution's children taken on one day to one institution
in Russia, arriving zero to three days later — and share its removal date, place,
destination and the number of the institution they left.

All choices go through one ``random.Random`` and one seeded ``Faker``, so a seed
fixes the world. The moves draw from a second generator of their own, so that adding
them left every other choice of a seed as it was.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Generic, Literal, TypeVar

from faker import Faker
from faker.providers.person.ru_RU import Provider as RuPersonProvider
from faker.providers.person.uk_UA import Provider as UkPersonProvider

from kinlink.demo.morph import Surname, patronymic_uk, surname_from_ru, surname_from_uk
from kinlink.demo.resources import NamePair, Place, RuPlace, Sex, name_pairs, places, ru_places

T = TypeVar("T")
FamilyShape = Literal["single", "institution", "siblings", "twins"]

BIRTH_FIRST = date(2006, 1, 1)
BIRTH_LAST = date(2022, 6, 30)
REMOVAL_FIRST = date(2022, 2, 24)
REMOVAL_LAST = date(2024, 12, 31)

# Relative popularity of given names for children born 2006-2022; names not listed
# weigh 1. Older names (Людмила, Геннадій) are rare among children.
_CHILD_WEIGHTS: dict[str, float] = {
    "Олександр": 12, "Максим": 10, "Артем": 10, "Дмитро": 9, "Данило": 8, "Іван": 8,
    "Андрій": 7, "Назар": 6, "Михайло": 6, "Матвій": 6, "Богдан": 6, "Владислав": 6,
    "Кирило": 6, "Тимофій": 5, "Марко": 5, "Денис": 5, "Ярослав": 5, "Микита": 6,
    "Єгор": 5, "Ілля": 5, "Роман": 4, "Євген": 3, "Віктор": 2, "Сергій": 2, "Микола": 2,
    "Анастасія": 12, "Софія": 12, "Марія": 10, "Вікторія": 8, "Ганна": 6, "Дарина": 8,
    "Аліна": 7, "Поліна": 7, "Єлизавета": 7, "Вероніка": 6, "Злата": 6, "Соломія": 5,
    "Катерина": 6, "Юлія": 5, "Олександра": 5, "Діана": 5, "Уляна": 4, "Яна": 4,
    "Ксенія": 4, "Аріна": 3, "Мирослава": 3, "Христина": 3, "Богдана": 3,
    "Людмила": 0.2, "Галина": 0.2, "Валентина": 0.2, "Лариса": 0.2, "Надія": 0.3,
    "Любов": 0.2, "Віра": 0.3, "Світлана": 0.3, "Ольга": 0.5, "Оксана": 0.3,
    "Тетяна": 0.5, "Ірина": 0.5, "Олена": 0.7, "Наталія": 0.5, "Геннадій": 0.2,
    "Анатолій": 0.2, "Леонід": 0.3, "Валерій": 0.3, "Віталій": 0.5, "Вадим": 0.6,
    "Ігор": 0.5, "Олег": 0.6, "Юрій": 0.6, "Григорій": 0.3, "Йосип": 0.2, "Семен": 0.3,
    "Федір": 0.4, "Яків": 0.3, "Всеволод": 0.4, "Георгій": 0.4,
}  # fmt: skip

# Fathers were born about 1970-2000.
_FATHER_WEIGHTS: dict[str, float] = {
    "Олександр": 12, "Сергій": 12, "Андрій": 10, "Дмитро": 8, "Віталій": 7, "Олег": 7,
    "Ігор": 7, "Юрій": 7, "Володимир": 7, "Василь": 6, "Микола": 6, "Олексій": 6,
    "Віктор": 6, "Роман": 6, "Євген": 6, "Іван": 6, "Максим": 4, "Тарас": 3,
    "Вадим": 4, "Валерій": 3, "Анатолій": 3, "Михайло": 4, "Павло": 4, "Петро": 3,
    "Богдан": 3, "Денис": 4, "Артем": 3, "Ярослав": 3, "Костянтин": 3, "Геннадій": 2,
    "Григорій": 1, "Станіслав": 2, "Владислав": 2, "Леонід": 1, "Степан": 1,
}  # fmt: skip

# Surname endings over-represented among Ukrainian surnames (names.md §2.2).
_SURNAME_BIAS: tuple[tuple[str, float], ...] = (
    ("енко", 3.0), ("чук", 2.0), ("юк", 2.0), ("ук", 2.0), ("ський", 2.5), ("цький", 2.5),
)  # fmt: skip

# Common surnames that exercise the uk→ru rules; Faker's list has few -ський names.
_EXTRA_SURNAMES = (
    "Ковальський", "Згурський", "Вишневський", "Левицький", "Білецький", "Яворський",
    "Савицький", "Заболотський", "Грабовський", "Ярошевський", "Олійник", "Лисенко",
    "Рибак", "Біленко", "Білик", "Мельник", "Коваль", "Петрів", "Іванів", "Гнатів",
    "Білоус", "Чорновол", "Сірко", "Іванов", "Бондар", "Шевчук",
)  # fmt: skip

_RELATIVES = (("мати", 48.0), ("бабуся", 20.0), ("батько", 12.0), ("тітка", 8.0),
              ("дідусь", 4.0), ("опікун", 5.0), ("старша сестра", 3.0))  # fmt: skip
_SECOND_RELATIVES = ("бабуся", "батько", "тітка", "дідусь", "хрещена мати")
_PHONE_CODES = ("50", "63", "66", "67", "68", "73", "93", "95", "96", "97", "98", "99")


@dataclass(frozen=True)
class Adoption:
    """How a Russian adoption registry rewrote a child's identity.

    ``given_ru`` is a new given name or ``None`` if the child kept theirs;
    ``shift_days`` moves the birth date (0: unchanged); ``birth_place_ru`` replaces the
    birthplace with a Russian city, or is ``None``.
    """

    surname: Surname
    father_ru: str
    given_ru: str | None
    shift_days: int
    birth_place_ru: str | None


@dataclass(frozen=True)
class Move:
    """A group of an institution's children moved together, and how lists name it.

    ``origin`` is the institution as Ukrainians name it and ``origin_ru`` as Russian
    paperwork does, ``destination`` the one in Russia; ``arrival_group`` is the arrival
    list's number for the group and ``registry_group`` the registry's for the profiles
    it published after it. An arrival list that ``names_origin`` says where the group
    came from (and, if ``origin_dated``, when it left) instead of where and when it
    arrived. ``on_report``
    says whether a child's report names the institution and the day (per child: a
    :class:`Child` gets its own copy).
    """

    number: int
    origin: str
    origin_ru: str
    departure: date
    destination: str
    arrival: date
    arrival_group: str
    registry_group: str
    names_origin: bool
    origin_dated: bool
    on_report: bool = True


@dataclass(frozen=True)
class Reporter:
    """The person or institution that reported a child missing."""

    name: str
    relationship: str
    contact: str


@dataclass(frozen=True)
class Child:
    """One child: the truth every record about them is a view of."""

    child_id: str
    family_id: str
    sex: Sex
    given: NamePair
    surname: Surname
    father: NamePair
    birth_date: date
    birth_place: Place
    removal_date: date
    removal_place: Place
    destination: RuPlace
    from_institution: bool
    institution_no: int
    adoption: Adoption | None
    move: Move | None = None
    """The group the child was moved with, if any."""
    siblings: int = 0
    """Brothers and sisters (the other children of the family)."""

    @property
    def age_at_removal(self) -> int:
        """Whole years of age on the day of removal."""
        years = self.removal_date.year - self.birth_date.year
        before_birthday = (self.removal_date.month, self.removal_date.day) < (
            self.birth_date.month,
            self.birth_date.day,
        )
        return years - int(before_birthday)


@dataclass(frozen=True)
class Family:
    """Children removed together, reported by the same relatives."""

    family_id: str
    shape: FamilyShape
    children: tuple[Child, ...]
    reporter: Reporter
    second_reporter: Reporter


class _Weighted(Generic[T]):
    """A population with fixed weights, sampled with precomputed cumulative weights."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cum = list(itertools.accumulate(weights))

    def pick(self, rng: random.Random) -> T:
        """One item, drawn with the fixed weights."""
        return rng.choices(self.items, cum_weights=self.cum)[0]


def _surname_weight(name: str) -> float:
    """Sampling weight of a Ukrainian surname by its ending."""
    return next((w for end, w in _SURNAME_BIAS if name.endswith(end)), 1.0)


class WorldBuilder:
    """Draws families one after another from a seeded random generator.

    The pools (names, surnames, places) are built once, so drawing a family is a
    handful of weighted choices; that keeps ``generate_flat`` fast.
    """

    def __init__(self, rng: random.Random, faker: Faker,
                 moves: random.Random | None = None) -> None:
        self.rng = rng
        self.faker = faker
        self.moves = moves
        """Draws the groups institution children are moved in (``None``: no groups)."""
        self._move: Move | None = None
        self._move_facts: tuple[date, Place, RuPlace, int] | None = None
        self._move_room = 0
        self._move_no = 0
        pairs = name_pairs()
        self.boys = _Weighted(
            [p for p in pairs if p.sex == "m"],
            [_CHILD_WEIGHTS.get(p.uk, 1.0) for p in pairs if p.sex == "m"],
        )
        self.girls = _Weighted(
            [p for p in pairs if p.sex == "f"],
            [_CHILD_WEIGHTS.get(p.uk, 1.0) for p in pairs if p.sex == "f"],
        )
        self.fathers = _Weighted(
            [p for p in pairs if p.sex == "m"],
            [_FATHER_WEIGHTS.get(p.uk, 0.5) for p in pairs if p.sex == "m"],
        )
        self.ru_fathers = self.fathers
        self.paired = {p.uk: q for p in pairs for q in pairs if q.uk in (p.uk + "а", p.uk + "ія")}
        uk_surnames = sorted(set(UkPersonProvider.last_names_common) | set(_EXTRA_SURNAMES))
        self.surnames = _Weighted(
            [surname_from_uk(s) for s in uk_surnames], [_surname_weight(s) for s in uk_surnames]
        )
        ru_m, ru_f = RuPersonProvider.last_names_male, RuPersonProvider.last_names_female
        self.ru_surnames = [surname_from_ru(m, f) for m, f in zip(ru_m, ru_f, strict=True)]
        big = {"Херсон", "Маріуполь", "Донецьк", "Луганськ", "Мелітополь", "Харків"}
        self.places = _Weighted(places(), [3.0 if p.uk in big else 1.0 for p in places()])
        self.ru_places = ru_places()
        shapes: list[FamilyShape] = ["single", "institution", "siblings", "twins"]
        self.shapes = _Weighted(shapes, [66.0, 14.0, 16.0, 4.0])
        self._family_no = 0
        self._child_no = 0

    # -- families ----------------------------------------------------------------

    def families(self) -> Iterator[Family]:
        """An endless stream of families; the first two are twins and siblings.

        Starting with one family of each hard-negative shape guarantees that even a
        small world contains twins and siblings.
        """
        yield self.family("twins")
        yield self.family("siblings")
        while True:
            yield self.family(self.shapes.pick(self.rng))

    def family(self, shape: FamilyShape) -> Family:
        """Draw one family of the given shape."""
        rng = self.rng
        self._family_no += 1
        family_id = f"F-{self._family_no:06d}"
        size = {"single": 1, "institution": 1, "twins": 2}.get(shape) or rng.choice((2, 2, 3))
        sexes: list[Sex] = [rng.choice(("m", "f")) for _ in range(size)]
        given = self._given_names(sexes)
        births = self._birth_dates(size, twins=shape == "twins")
        surname = self.surnames.pick(rng)
        father = self.fathers.pick(rng)
        birth_place = self.places.pick(rng)
        removal_place = birth_place if rng.random() < 0.7 else self._same_oblast(birth_place)
        earliest = max(REMOVAL_FIRST, max(births) + timedelta(days=60))
        removal = _uniform_date(rng, earliest, max(earliest, REMOVAL_LAST))
        destination = rng.choice(self.ru_places)
        adoption = self._adoption(sexes) if rng.random() < 0.22 else None
        institution = shape == "institution"
        institution_no = rng.randint(1, 12)
        move = self._join_move(removal_place, removal, destination, institution_no,
                               earliest) if institution else None
        if move is not None and self._move_facts is not None:  # the group's, not its own
            removal, removal_place, destination, institution_no = self._move_facts
        children = tuple(
            Child(
                child_id=self._next_child_id(),
                family_id=family_id,
                sex=sexes[i],
                given=given[i],
                surname=surname,
                father=father,
                birth_date=births[i],
                birth_place=birth_place,
                removal_date=removal,
                removal_place=removal_place,
                destination=destination,
                from_institution=institution,
                institution_no=institution_no,
                adoption=self._child_adoption(adoption, sexes[i]),
                move=move,
                siblings=size - 1,
            )
            for i in range(size)
        )
        first = children[0]
        reporter = self._reporter(first, institution)
        second = self._second_reporter(first)
        return Family(family_id, shape, children, reporter, second)

    def _next_child_id(self) -> str:
        self._child_no += 1
        return f"C-{self._child_no:06d}"

    def _given_names(self, sexes: list[Sex]) -> list[NamePair]:
        """Distinct given names; a brother and sister are sometimes Олександр/Олександра."""
        rng = self.rng
        names: list[NamePair] = []
        for sex in sexes:
            pool = self.boys if sex == "m" else self.girls
            pick = pool.pick(rng)
            while any(pick.uk == n.uk for n in names):
                pick = pool.pick(rng)
            names.append(pick)
        if len(sexes) == 2 and sexes[0] != sexes[1] and rng.random() < 0.3:
            boy = names[0] if sexes[0] == "m" else names[1]
            if boy.uk in self.paired:
                girl_at = 1 if sexes[0] == "m" else 0
                names[girl_at] = self.paired[boy.uk]
        return names

    def _birth_dates(self, size: int, twins: bool) -> list[date]:
        """Birth dates at least ten months apart (identical for twins)."""
        rng = self.rng
        first = _uniform_date(rng, BIRTH_FIRST, BIRTH_LAST)
        if twins:
            return [first] * size
        dates = [first]
        while len(dates) < size:
            candidate = _uniform_date(rng, BIRTH_FIRST, BIRTH_LAST)
            if all(abs((candidate - d).days) >= 300 for d in dates):
                dates.append(candidate)
        return dates

    def _same_oblast(self, place: Place) -> Place:
        """Another settlement of the same oblast (or ``place`` itself if it is alone)."""
        near = [p for p in self.places.items if p.oblast_uk == place.oblast_uk]
        return self.rng.choice(near)

    # -- moves in groups ---------------------------------------------------------------

    _ORIGIN_KINDS = (("Дитячий будинок", "Детский дом"), ("Школа-інтернат", "Школа-интернат"),
                     ("Будинок дитини", "Дом ребёнка"),
                     ("Центр соціально-психологічної реабілітації дітей",
                      "Центр социально-психологической реабилитации детей"))
    _DESTINATION_KINDS = ("Детский дом", "СРЦН", "Центр содействия семейному воспитанию",
                          "Дом ребёнка")

    def _join_move(self, place: Place, removal: date, destination: RuPlace,
                   institution_no: int, earliest: date) -> Move | None:
        """The group an institution's child is moved with: the open one while it has
        room, else a new one from this child's removal (sizes 5 to 40; about one child in
        seven is moved alone, and so is one born too late for the open group's day,
        ``earliest`` being the first day the child could be removed)."""
        rng = self.moves
        if rng is None or rng.random() < 0.15:
            return None
        if self._move is not None and self._move_room > 0 and self._move.departure < earliest:
            return None
        if self._move is None or self._move_room <= 0:
            self._move_no += 1
            number = self._move_no
            arrival = removal + timedelta(days=rng.randint(0, 3))
            kind_uk, kind_ru = rng.choice(self._ORIGIN_KINDS)
            there = (f"{rng.choice(self._DESTINATION_KINDS)} № {rng.randint(1, 30)}, "
                     f"г. {destination.ru}")
            self._move = Move(number, f"{kind_uk} № {institution_no}, м. {place.uk}",
                              f"{kind_ru} № {institution_no}, г. {place.ru}", removal,
                              there, arrival, f"ПР-{number:04d}", f"АНК-{number:04d}",
                              names_origin=rng.random() < 0.4,
                              origin_dated=rng.random() < 0.6)
            self._move_facts = (removal, place, destination, institution_no)
            self._move_room = rng.randint(5, 40)
        self._move_room -= 1
        return replace(self._move, on_report=rng.random() < 0.85)

    # -- adoption ------------------------------------------------------------------

    def _adoption(self, sexes: list[Sex]) -> Adoption:
        """A family-level identity change; per-child given names are added later."""
        rng = self.rng
        shift = rng.randint(1, 92) * rng.choice((-1, 1)) if rng.random() < 0.7 else 0
        place = rng.choice(self.ru_places).ru if rng.random() < 0.5 else None
        return Adoption(
            surname=rng.choice(self.ru_surnames),
            father_ru=self.ru_fathers.pick(rng).ru,
            given_ru=None,
            shift_days=shift,
            birth_place_ru=place,
        )

    def _child_adoption(self, family: Adoption | None, sex: Sex) -> Adoption | None:
        """The family's adoption, with a new given name for about a quarter of children."""
        if family is None or self.rng.random() >= 0.25:
            return family
        pool = self.boys if sex == "m" else self.girls
        return Adoption(
            surname=family.surname,
            father_ru=family.father_ru,
            given_ru=pool.pick(self.rng).ru,
            shift_days=family.shift_days,
            birth_place_ru=family.birth_place_ru,
        )

    # -- reporters -------------------------------------------------------------------

    def _phone(self) -> str:
        """A made-up Ukrainian mobile number in one of the ways people write them."""
        rng = self.rng
        code = rng.choice(_PHONE_CODES)
        digits = f"{rng.randrange(10_000_000):07d}"
        style = rng.random()
        if style < 0.5:
            return f"+380{code}{digits}"
        if style < 0.8:
            return f"+380 {code} {digits[:3]} {digits[3:5]} {digits[5:]}"
        return f"0{code} {digits[:3]} {digits[3:]}"

    def _reporter(self, child: Child, institution: bool) -> Reporter:
        """The relative (or institution director) who reported the family's children."""
        rng = self.rng
        if institution:
            fk = self.faker
            if rng.random() < 0.7:
                name = f"{fk.last_name_female()} {fk.first_name_female()} {fk.middle_name_female()}"
            else:
                name = f"{fk.last_name_male()} {fk.first_name_male()} {fk.middle_name_male()}"
            role = rng.choice(("директор інтернату", "директор дитячого будинку",
                               "соціальний працівник"))  # fmt: skip
            return Reporter(name, role, self._phone())
        role = rng.choices([r for r, _ in _RELATIVES], [w for _, w in _RELATIVES])[0]
        return Reporter(self._relative_name(child, role), role, self._phone())

    def _second_reporter(self, child: Child) -> Reporter:
        """Another relative, who may report the same child a second time."""
        role = self.rng.choice(_SECOND_RELATIVES)
        return Reporter(self._relative_name(child, role), role, self._phone())

    def _relative_name(self, child: Child, role: str) -> str:
        """A relative's full name, surname first; the father's matches the patronymic."""
        rng, fk = self.rng, self.faker
        if role == "батько":
            middle = patronymic_uk(self.fathers.pick(rng).uk, "m")
            return f"{child.surname.uk_m} {child.father.uk} {middle}"
        if role in ("дідусь", "опікун"):
            surname = child.surname.uk_m if rng.random() < 0.5 else fk.last_name_male()
            return f"{surname} {fk.first_name_male()} {fk.middle_name_male()}"
        surname = child.surname.uk_f if rng.random() < 0.7 else fk.last_name_female()
        full = f"{surname} {fk.first_name_female()} {fk.middle_name_female()}"
        return full if rng.random() < 0.8 else " ".join(full.split()[1::-1])


def _uniform_date(rng: random.Random, first: date, last: date) -> date:
    """A date drawn uniformly between ``first`` and ``last`` inclusive."""
    return first + timedelta(days=rng.randint(0, (last - first).days))
