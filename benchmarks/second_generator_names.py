"""Names, patronymics and places of the second test-list generator, and their Russian forms.

The second generator (``second_generator.py``) exists to measure kinlink's linkage on lists
it did not shape, so everything here was written independently of kinlink's own name
tables and name engine: the tables in ``second_generator_data/`` and the rules below (the
feminine forms of surnames, Ukrainian and Russian patronymics, how a Russian clerk rewrites
a Ukrainian surname). Tables are ordered by how common a name is, and a Zipf-like weight is
derived from the rank, so a few names are very common and a long tail is rare.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

__all__ = ["GivenName", "NameBook", "Oblast", "Place", "Weighted", "feminine",
           "load_namebook", "patronymic_ru", "patronymic_uk", "russify_surname"]

DATA = Path(__file__).with_name("second_generator_data")

T = TypeVar("T")


class Weighted(Generic[T]):
    """Items drawn with fixed weights (cumulative table and bisection: fast and exact)."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        if not items or len(items) != len(weights):
            raise ValueError("a weighted table needs one weight per item")
        self.items = list(items)
        self._cumulative = list(itertools.accumulate(weights))
        self._total = self._cumulative[-1]

    def pick(self, rng: random.Random) -> T:
        """One item, drawn with the table's weights."""
        return self.items[bisect.bisect_right(self._cumulative, rng.random() * self._total)]

    @classmethod
    def zipf(cls, items: Sequence[T], exponent: float, offset: float = 0.0) -> Weighted[T]:
        """Items weighted ``1 / (rank + offset) ** exponent`` in the order given (most
        common first): Zipf's law, flattened at the head by ``offset`` (Mandelbrot)."""
        return cls(items, [1.0 / ((rank + offset) ** exponent)
                           for rank in range(1, len(items) + 1)])


@dataclass(frozen=True)
class GivenName:
    """One given name: its Ukrainian and Russian forms and their diminutives."""

    uk: str
    ru: str
    uk_short: tuple[str, ...]
    ru_short: tuple[str, ...]
    sex: str


@dataclass(frozen=True)
class Oblast:
    """A region as Ukrainian, Russian and international lists write it."""

    uk: str
    ru: str
    latin: str


@dataclass(frozen=True)
class Place:
    """A settlement of an occupied or front-line region, in both languages."""

    uk: str
    ru: str
    oblast: Oblast
    village: bool


@dataclass(frozen=True)
class NameBook:
    """Every table the generator draws from, with its weights."""

    male: Weighted[GivenName]
    female: Weighted[GivenName]
    given_by_uk: dict[str, GivenName]
    fathers: Weighted[GivenName]
    surnames_uk: Weighted[str]
    surnames_ru: Weighted[str]
    rename_male: Weighted[str]
    rename_female: Weighted[str]
    russian_male: Weighted[GivenName]
    russian_female: Weighted[GivenName]
    places_ua: Weighted[Place]
    places_ru: Weighted[tuple[str, str]]

    def given(self, sex: str) -> Weighted[GivenName]:
        """The given-name table of one sex (``M`` or ``F``)."""
        return self.male if sex == "M" else self.female

    def renamed(self, sex: str) -> Weighted[str]:
        """The Russian given names an adoptive family picks, for one sex."""
        return self.rename_male if sex == "M" else self.rename_female

    def russian(self, sex: str) -> Weighted[GivenName]:
        """The given names of local Russian children, for one sex."""
        return self.russian_male if sex == "M" else self.russian_female


def _rows(name: str) -> list[list[str]]:
    """The ``|``-separated rows of one data file, comments and blank lines skipped."""
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append([cell.strip() for cell in line.split("|")])
    return rows


def _short(cell: str) -> tuple[str, ...]:
    return tuple(part for part in (p.strip() for p in cell.split(",")) if part)


def _given(name: str, sex: str) -> list[GivenName]:
    names, seen = [], set()
    for row in _rows(name):
        uk, ru, uk_short, ru_short = [*row, "", "", ""][:4]
        if uk not in seen:
            seen.add(uk)
            names.append(GivenName(uk, ru, _short(uk_short), _short(ru_short), sex))
    return names


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def load_namebook(*, given_shape: tuple[float, float] = (2.3, 22.0),
                  surname_exponent: float = 0.45, place_exponent: float = 0.8) -> NameBook:
    """Read the tables; the exponents set how steeply frequency falls with rank.

    Given names: (exponent, offset) chosen so that the commonest name is about 6 % of
    children, the ten commonest about 40 %, the thirty commonest about 70 % and names past
    the hundredth about 7 %. Surnames: the commonest about 1 %, the hundred commonest a
    quarter (the real tail is far longer than any table, so namesakes are commoner here
    than in life).
    """
    male, female = _given("given_male.txt", "M"), _given("given_female.txt", "F")
    by_uk = {name.uk: name for name in male}
    fathers = [by_uk[row[0]] for row in _rows("fathers.txt")]
    oblasts = {row[0]: Oblast(row[1], row[2], row[3]) for row in _rows("oblasts.txt")}
    places = [Place(row[0], row[1], oblasts[row[2]], row[3] == "с")
              for row in _rows("places_ua.txt")]
    renames = _rows("given_ru_rename.txt")
    by_ru: dict[str, GivenName] = {}
    for name in male + female:
        by_ru.setdefault(name.ru, name)

    def russian(sex: str) -> Weighted[GivenName]:
        names = [r[1] for r in renames if r[0] == sex]
        return Weighted.zipf([GivenName(n, n, (), by_ru[n].ru_short if n in by_ru else (), sex)
                              for n in names], 0.8)

    return NameBook(
        male=Weighted.zipf(male, *given_shape),
        female=Weighted.zipf(female, *given_shape),
        given_by_uk={**{n.uk: n for n in female}, **by_uk},
        fathers=Weighted.zipf(fathers, 2.0, 10.0),
        surnames_uk=Weighted.zipf(_unique([r[0] for r in _rows("surnames_uk.txt")]),
                                  surname_exponent),
        surnames_ru=Weighted.zipf(_unique([r[0] for r in _rows("surnames_ru.txt")]), 0.8),
        rename_male=Weighted.zipf([r[1] for r in renames if r[0] == "M"], 0.8),
        rename_female=Weighted.zipf([r[1] for r in renames if r[0] == "F"], 0.8),
        russian_male=russian("M"),
        russian_female=russian("F"),
        places_ua=Weighted.zipf(places, place_exponent),
        places_ru=Weighted.zipf([(r[0], r[1] if len(r) > 1 else "")
                                 for r in _rows("places_ru.txt")], 0.6),
    )


# --- surnames: feminine forms and Russification --------------------------------------------

_INVARIANT = {"Турчин", "Русин", "Гурин", "Кармазин", "Калина"}
_CONSONANTS = set("бвгґджзклмнпрстфхцчшщ")


def _soft_adjective(surname: str) -> bool:
    """Завгородній, Заворотній: a soft adjective (feminine -ня), not Семеній or Бабій."""
    return surname.endswith("ній") and len(surname) > 4 and surname[-4] in _CONSONANTS


def feminine(surname: str, lang: str) -> str:
    """The feminine form of a masculine surname written in ``uk`` or ``ru``."""
    if surname in _INVARIANT:
        return surname
    if lang == "uk":
        for masc, fem in (("ський", "ська"), ("цький", "цька"), ("зький", "зька")):
            if surname.endswith(masc):
                return surname[: -len(masc)] + fem
        if _soft_adjective(surname):
            return surname[:-2] + "я"
        if surname.endswith("ий"):
            return surname[:-2] + "а"
        if surname.endswith(("ишин", "ів", "їв")):
            return surname
        if surname.endswith(("ов", "ев", "єв", "ін", "ин", "їн")):
            return surname + "а"
        return surname
    for masc, fem in (("ский", "ская"), ("цкий", "цкая"), ("зкий", "зкая"), ("ой", "ая"),
                      ("ый", "ая")):
        if surname.endswith(masc):
            return surname[: -len(masc)] + fem
    if surname.endswith("ий") and len(surname) > 3 and surname[-3] in "кгхжчшщ":
        return surname[:-2] + "ая"
    if surname.endswith(("ишин", "ив")):
        return surname
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    return surname


_RU_ENDINGS = (("ський", "ский"), ("цький", "цкий"), ("зький", "зкий"))
_RU_LETTERS = {"і": "и", "ї": "и", "є": "е", "ґ": "г"}
_RU_Y_ROOTS = {"Лис": "Лыс", "Риб": "Рыб", "Риж": "Рыж", "Сич": "Сыч", "Сит": "Сыт",
               "Бик": "Бык"}
_VOWELS = set("аеєиіїоуюяыэё")
_APOSTROPHES = "'’ʼ`"


def russify_surname(surname: str, sex: str) -> str:
    """How a Russian clerk writes a Ukrainian surname (given in its masculine form) for a
    child of ``sex``.

    Endings take their Russian shape (-ський -> -ский, adjectives -ий -> -ый), letters
    missing from a Russian keyboard are replaced (і, ї -> и; є -> е; ґ -> г; the apostrophe
    -> ь), ``ій`` inside a word becomes ``ей`` (Олійник -> Олейник), ``ьо``/``йо`` become
    ``ё`` (Ковальов -> Ковалёв), a few roots take ``ы`` (Лисенко -> Лысенко) and ``Біл-``
    becomes ``Бел-``; then the Russian feminine form is taken.
    """
    word, soft = surname, _soft_adjective(surname)
    if word.endswith("ць"):
        word = word[:-1]
    for uk_end, ru_end in _RU_ENDINGS:
        if word.endswith(uk_end):
            word = word[: -len(uk_end)] + ru_end
            break
    else:
        if word.endswith("ий") and not _soft_adjective(word) and len(word) > 3:
            word = word[:-2] + ("ий" if word[-3] in "кгхжчшщ" else "ый")
    if word.startswith("Біл"):
        word = "Бел" + word[3:]
    for root, ru_root in _RU_Y_ROOTS.items():
        if word.startswith(root):
            word = ru_root + word[len(root):]
            break
    out: list[str] = []
    for index, char in enumerate(word):
        low = char.lower()
        nxt = word[index + 1] if index + 1 < len(word) else ""
        if char in _APOSTROPHES:
            rep = "ь"
        elif low == "і" and nxt == "й" and index + 2 < len(word):
            rep = "е"
        elif low in _RU_LETTERS:
            rep = _RU_LETTERS[low]
        elif low == "о" and out and out[-1] == "ь":
            out[-1] = "ё"
            continue
        elif low == "о" and len(out) > 1 and out[-1] == "й" and out[-2].lower() not in _VOWELS:
            out[-1] = "ьё"
            continue
        else:
            rep = low
        out.append(rep.upper() if char != low else rep)
    russian = "".join(out)
    if sex == "M":
        return russian
    return russian[:-2] + "яя" if soft else feminine(russian, "ru")


# --- patronymics -----------------------------------------------------------------------------

_UK_PATRONYMIC = {
    "Микола": ("Миколайович", "Миколаївна"), "Лука": ("Лукич", "Луківна"),
    "Кузьма": ("Кузьмич", "Кузьмівна"), "Хома": ("Хомич", "Хомівна"),
    "Ілля": ("Ілліч", "Іллівна"), "Яків": ("Якович", "Яківна"),
    "Федір": ("Федорович", "Федорівна"), "Лев": ("Левович", "Левівна"),
    "Сава": ("Савович", "Савівна"), "Ярема": ("Яремович", "Яремівна"),
}
_RU_PATRONYMIC = {
    "Никита": ("Никитич", "Никитична"), "Илья": ("Ильич", "Ильинична"),
    "Лука": ("Лукич", "Лукинична"), "Кузьма": ("Кузьмич", "Кузьминична"),
    "Фома": ("Фомич", "Фоминична"), "Павел": ("Павлович", "Павловна"),
    "Пётр": ("Петрович", "Петровна"), "Лев": ("Львович", "Львовна"),
    "Яков": ("Яковлевич", "Яковлевна"), "Дмитрий": ("Дмитриевич", "Дмитриевна"),
    "Георгий": ("Георгиевич", "Георгиевна"), "Савва": ("Саввич", "Саввична"),
    "Ярема": ("Яремович", "Яремовна"), "Михаил": ("Михайлович", "Михайловна"),
}


def patronymic_uk(father: str, sex: str) -> str:
    """The Ukrainian patronymic from a father's Ukrainian name (Сергій -> Сергіївна)."""
    if father in _UK_PATRONYMIC:
        return _UK_PATRONYMIC[father][0 if sex == "M" else 1]
    if father.endswith("ій"):
        return father + "ович" if sex == "M" else father[:-1] + "ївна"
    if father.endswith("й"):
        return father + "ович" if sex == "M" else father[:-1] + "ївна"
    if father.endswith("ь"):
        return father + "ович" if sex == "M" else father[:-1] + "івна"
    if father.endswith(("о", "а")):
        stem = father[:-1]
        return stem + "ович" if sex == "M" else stem + "івна"
    return father + "ович" if sex == "M" else father + "івна"


def patronymic_ru(father: str, sex: str) -> str:
    """The Russian patronymic from a father's Russian name (Сергей -> Сергеевна)."""
    if father in _RU_PATRONYMIC:
        return _RU_PATRONYMIC[father][0 if sex == "M" else 1]
    if father.endswith("ий"):
        return father[:-2] + ("ьевич" if sex == "M" else "ьевна")
    if father.endswith(("ей", "ай", "ь")):
        return father[:-1] + ("евич" if sex == "M" else "евна")
    if father.endswith(("а", "я")):
        return father[:-1] + ("ич" if sex == "M" else "ична")
    if father[-1] in "жшчщц":
        return father + ("евич" if sex == "M" else "евна")
    return father + ("ович" if sex == "M" else "овна")
