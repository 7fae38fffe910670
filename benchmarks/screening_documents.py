"""Generated documents that mention sought children, with the truth of who is where.

Benchmark-only (it does not ship). Given names come from ``screening_data/
held_out_names.csv``: every other row of the research table ``name_pairs.csv``, which
``benchmarks/screening.py`` withholds from the engine (``KINLINK_NAMES_WITHHOLD``), so
the engine is measured on names its tables do not hold. Surnames, their Russian
spellings and every case ending are written here by hand, apart from the engine's rules;
Latin spellings come from the ``latin_variants`` column and from ``translitua`` and
``iuliia`` directly (the official tables), never from the engine.

Kinds: Ukrainian news, Russian news, Russian adoption-site profile pages, Ukrainian
official orders, English news. Each mentions one to three sought children (inflected,
Russified, transliterated, with a birth date and a place) among other people's names and
near misses (a sought child's given name with another surname).
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import iuliia
import translitua

__all__ = ["Document", "Person", "generate"]

_DATA = Path(__file__).parent / "screening_data" / "held_out_names.csv"

# masculine Ukrainian, masculine Russian, declension class
_SURNAMES: tuple[tuple[str, str, str], ...] = (
    ("Петренко", "Петренко", "enko"), ("Коваленко", "Коваленко", "enko"),
    ("Бондаренко", "Бондаренко", "enko"), ("Ткаченко", "Ткаченко", "enko"),
    ("Кравченко", "Кравченко", "enko"), ("Шевченко", "Шевченко", "enko"),
    ("Лисенко", "Лысенко", "enko"), ("Марченко", "Марченко", "enko"),
    ("Савченко", "Савченко", "enko"), ("Руденко", "Руденко", "enko"),
    ("Мельник", "Мельник", "cons"), ("Олійник", "Олейник", "cons"),
    ("Ковальчук", "Ковальчук", "cons"), ("Поліщук", "Полищук", "cons"),
    ("Бойчук", "Бойчук", "cons"), ("Гнатюк", "Гнатюк", "cons"),
    ("Мартинюк", "Мартынюк", "cons"), ("Сидорчук", "Сидорчук", "cons"),
    ("Кушнір", "Кушнир", "cons"), ("Гончар", "Гончар", "cons"),
    ("Ковальський", "Ковальский", "sky"), ("Вишневський", "Вишневский", "sky"),
    ("Заболотський", "Заболотский", "sky"), ("Яворський", "Яворский", "sky"),
    ("Левицький", "Левицкий", "sky"), ("Дубровський", "Дубровский", "sky"),
    ("Іванов", "Иванов", "ov"), ("Соколов", "Соколов", "ov"), ("Федоров", "Фёдоров", "ov"),
    ("Морозов", "Морозов", "ov"), ("Білоус", "Белоус", "cons"),
    ("Гребенюк", "Гребенюк", "cons"), ("Кириленко", "Кириленко", "enko"),
    ("Нестеренко", "Нестеренко", "enko"), ("Прокопенко", "Прокопенко", "enko"),
    ("Зінченко", "Зинченко", "enko"), ("Литвин", "Литвин", "cons"),
    ("Тарасюк", "Тарасюк", "cons"), ("Савчук", "Савчук", "cons"),
    ("Гордієнко", "Гордиенко", "enko"),
)
_PLACES = (("Херсон", "Херсона", "Херсоне", "Kherson"),
           ("Маріуполь", "Мариуполя", "Мариуполе", "Mariupol"),
           ("Мелітополь", "Мелитополя", "Мелитополе", "Melitopol"),
           ("Бердянськ", "Бердянска", "Бердянске", "Berdiansk"),
           ("Каховка", "Каховки", "Каховке", "Kakhovka"),
           ("Ізюм", "Изюма", "Изюме", "Izium"))
_CASES = ("nom", "gen", "dat", "ins")


@dataclass(frozen=True)
class Person:
    """A child: the sought record (Ukrainian nominative) and the material for forms."""

    id: str
    given_uk: str
    given_ru: str
    latin: tuple[str, ...]
    sex: str
    surname: tuple[str, str, str]
    birth: date
    place: int

    @property
    def surname_uk(self) -> str:
        return _fem_uk(self.surname[0], self.surname[2]) if self.sex == "f" else self.surname[0]


@dataclass
class Document:
    """A generated text and where each sought person is named in it."""

    kind: str
    text: str = ""
    truth: list[tuple[str, int, int]] = field(default_factory=list)

    def add(self, text: str, person: str | None = None) -> None:
        if person is not None:
            self.truth.append((person, len(self.text), len(self.text) + len(text)))
        self.text += text


def _fem_uk(masc: str, cls: str) -> str:
    return {"sky": masc[:-2] + "а", "ov": masc + "а"}.get(cls, masc)


def _fem_ru(masc: str, cls: str) -> str:
    return {"sky": masc[:-2] + "ая", "ov": masc + "а"}.get(cls, masc)


def _surname(person: Person, language: str, case: str) -> str:
    masc_uk, masc_ru, cls = person.surname
    male = person.sex == "m"
    if language == "uk":
        base = masc_uk if male else _fem_uk(masc_uk, cls)
        if not male:
            ends = {"sky": ("ої", "ій", "ою"), "ov": ("ої", "ій", "ою")}.get(cls)
            if ends is None or case == "nom":
                return base
            return base[:-1] + ends[_CASES.index(case) - 1]
        table = {"enko": (base[:-1], ("а", "ові", "ом")), "cons": (base, ("а", "у", "ом")),
                 "sky": (base[:-2], ("ого", "ому", "им")), "ov": (base, ("а", "у", "им"))}
    else:
        base = masc_ru if male else _fem_ru(masc_ru, cls)
        if not male:
            ends = {"sky": ("ой", "ой", "ой"), "ov": ("ой", "ой", "ой")}.get(cls)
            stem = base[:-2] if cls == "sky" else base[:-1]
            return base if ends is None or case == "nom" else stem + ends[_CASES.index(case) - 1]
        table = {"enko": (base, ("", "", "")), "cons": (base, ("а", "у", "ом")),
                 "sky": (base[:-2], ("ого", "ому", "им")), "ov": (base, ("а", "у", "ым"))}
    stem, ends = table[cls]
    return base if case == "nom" else stem + ends[_CASES.index(case) - 1]


def _given(name: str, sex: str, language: str, case: str) -> str:
    if case == "nom":
        return name
    i = _CASES.index(case) - 1
    if sex == "f":
        if name.endswith("ія") or name.endswith("ия"):
            ends = ("ії", "ії", "ією") if language == "uk" else ("ии", "ии", "ией")
            return name[:-2] + ends[i]
        if name.endswith("я"):
            return name[:-1] + (("і", "і", "ею") if language == "uk" else ("и", "е", "ей"))[i]
        if name.endswith("а"):
            hard = name[-2] in "гкхжшчщ"
            gen = "и" if language == "uk" or hard else "ы"
            return name[:-1] + ((gen, "і", "ою") if language == "uk" else (gen, "е", "ой"))[i]
        return name
    for ending, ends in (("ій", ("ія", "ію", "ієм")), ("ий", ("ия", "ию", "ием")),
                         ("ей", ("ея", "ею", "еем")), ("ь", ("я", "ю", "ем")),
                         ("о", ("а", "ові", "ом")), ("а", ("и", "і", "ою"))):
        if name.endswith(ending):
            return name[: -len(ending)] + ends[i]
    return name + ("а", "ові" if language == "uk" else "у", "ом")[i]


def _load() -> list[tuple[str, str, tuple[str, ...], str]]:
    with _DATA.open(encoding="utf-8") as handle:
        return [(r["uk"], r["ru"], tuple(r["latin_variants"].split("|")), r["sex"])
                for r in csv.DictReader(handle)]


def _date_uk(d: date) -> str:
    months = "січня лютого березня квітня травня червня липня серпня вересня жовтня " \
             "листопада грудня"
    return f"{d.day} {months.split()[d.month - 1]} {d.year}"


def _date_ru(d: date) -> str:
    months = "января февраля марта апреля мая июня июля августа сентября октября ноября " \
             "декабря"
    return f"{d.day} {months.split()[d.month - 1]} {d.year} г."


def _people(rng: random.Random, names: list[tuple[str, str, tuple[str, ...], str]],
            count: int, prefix: str, taken: set[tuple[str, str]]) -> list[Person]:
    people: list[Person] = []
    while len(people) < count:
        uk, ru, latin, sex = rng.choice(names)
        surname = rng.choice(_SURNAMES)
        if (uk, surname[0]) in taken:
            continue
        taken.add((uk, surname[0]))
        birth = date(2008, 1, 1) + timedelta(days=rng.randrange(365 * 12))
        people.append(Person(f"{prefix}{len(people)}", uk, ru, latin, sex, surname, birth,
                             rng.randrange(len(_PLACES))))
    return people


def _mention(doc: Document, rng: random.Random, p: Person, kind: str, truth: bool) -> None:
    pid = p.id if truth else None
    place = _PLACES[p.place]
    if kind == "uk_news":
        case = rng.choice(_CASES[1:])
        verb = {"gen": "вивезли", "dat": "видали документи", "ins": "разом із"}[case]
        doc.add(f"За даними омбудсмана, {verb} ")
        doc.add(f"{_given(p.given_uk, p.sex, 'uk', case)} {_surname(p, 'uk', case)}", pid)
        doc.add(f" ({_date_uk(p.birth)} р. н.) з міста {place[0]}. ")
    elif kind == "ru_news":
        case = rng.choice(_CASES)
        lead = {"nom": "Воспитанник", "gen": "Судьба", "dat": "Помощь оказана",
                "ins": "Вместе с"}[case]
        doc.add(f"{lead} ")
        doc.add(f"{_given(p.given_ru, p.sex, 'ru', case)} {_surname(p, 'ru', case)}", pid)
        doc.add(f", родившегося {_date_ru(p.birth)}, вывезенного из {place[1]}. ")
    elif kind == "ru_profile":
        doc.add("Анкета ребёнка\nРебёнок: ")
        doc.add(f"{_surname(p, 'ru', 'nom')} {p.given_ru}", pid)
        doc.add(f"\nДата рождения: {p.birth:%d.%m.%Y}\nМесто рождения: г. {place[0]}\n"
                "Форма устройства: опека, усыновление\n\n")
    elif kind == "uk_order":
        doc.add("НАКАЗ\nПро влаштування дитини\n1. Влаштувати ")
        doc.add(f"{_surname(p, 'uk', 'gen').upper()} {_given(p.given_uk, p.sex, 'uk', 'gen')}",
                pid)
        doc.add(f", {p.birth:%d.%m.%Y} р.н., до закладу в м. {place[0]}.\n")
    else:
        given = rng.choice(p.latin)
        surname = (translitua.translit(p.surname_uk) if rng.random() < 0.5
                   else iuliia.ICAO_DOC_9303.translate(_surname(p, "ru", "nom")))
        doc.add("Officials said ")
        doc.add(f"{given} {surname}", pid)
        doc.add(f", born {p.birth:%B} {p.birth.day}, {p.birth.year}, was taken from "
                f"{place[3]}. ")


_KINDS = ("uk_news", "ru_news", "ru_profile", "uk_order", "en_news")


def generate(seed: int, documents: int = 300,
             sought: int = 400) -> tuple[list[Person], list[Document]]:
    """The sought people and the documents mentioning some of them, for ``seed``."""
    rng = random.Random(seed)
    names = _load()
    taken: set[tuple[str, str]] = set()
    wanted = _people(rng, names, sought, "s", taken)
    others = _people(rng, names, sought // 2, "o", taken)
    docs = []
    for number in range(documents):
        kind = _KINDS[number % len(_KINDS)]
        doc = Document(kind)
        for _ in range(rng.randint(1, 3)):
            _mention(doc, rng, rng.choice(wanted), kind, truth=True)
        _mention(doc, rng, rng.choice(others), kind, truth=False)
        near = rng.choice(wanted)
        miss = replace_surname(near, rng, taken)
        _mention(doc, rng, miss, kind, truth=False)
        docs.append(doc)
    return wanted, docs


def replace_surname(person: Person, rng: random.Random, taken: set[tuple[str, str]]) -> Person:
    """A near miss: the same given name and birth year with a surname nobody sought has."""
    while True:
        surname = rng.choice(_SURNAMES)
        if (person.given_uk, surname[0]) not in taken:
            return Person("miss", person.given_uk, person.given_ru, person.latin, person.sex,
                          surname, person.birth.replace(day=1), person.place)
