"""A second, independent generator of documents that mention sought children (issue 17).

kinlink's screening figure was measured on documents written by the author of its
screening engine. This generator was written without reading that engine, its tables, its
rules or its document generator: the names, case endings and Latin spellings are its own
(``second_documents_names.py``), and so are the kinds of document and how a name is
written in each. Use it to measure; never tune the engine to it.

The world: ``--children`` sought children (a reported list in kinlink's list format, with
patronymic, birth date and birthplace; some siblings share a surname) and ``--documents``
documents, each of one kind:

* ``uk_news`` / ``ru_news``: news articles in Ukrainian / Russian (Russian forms of the
  names), every name in one of six grammatical cases, set in a sentence that asks for it;
* ``telegram``: short posts in either language, names often in capitals, surname first or
  in lower case;
* ``ru_profile``: pages of a Russian adoption site (HTML), "Фамилия Имя Отчество" in the
  title, sometimes only "Имя Ф." (the surname's initial), with the profile's curator;
* ``order_txt`` / ``order_pdf``: orders and lists of an authority (Ukrainian or Russian),
  surname in capitals, with patronymic or initials, a guardian named in the dative; the
  PDF is born-digital (reportlab, text extractable);
* ``en_report``: English reports, Ukrainian forms in Latin letters by an ad-hoc English
  habit or by common English names (Alexander, Anna), Russian forms by ``iuliia`` schemes,
  surname first in capitals in lists, possessives.

Some names are broken over two lines with a hyphen, some have an OCR-like letter confusion
or a Latin look-alike letter. Decoys: adults (officials, curators, guardians), children who
are not sought (some with a sought child's surname and another given name), and namesakes
of sought children with a different birth year. Every mention records the span, the
surface written, the script, the case and the style: the ground truth is which sought
children each document mentions.

    PYTHONPATH=src .venv/bin/python benchmarks/second_documents.py OUT_DIR \
        --children 300 --documents 200 --seed 7
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from second_documents_names import (
    ADULT_GIVEN_F,
    ADULT_GIVEN_M,
    ADULT_SURNAMES,
    DESTINATIONS,
    FATHERS,
    PLACES,
    Given,
    Surname,
    givens,
    latin_ru,
    latin_uk,
    pick,
    ru_given,
    ru_masculine,
    ru_patronymic,
    ru_surname,
    surnames,
    uk_given,
    uk_patronymic,
    uk_surname,
)

KINDS: dict[str, float] = {"uk_news": .20, "ru_news": .17, "telegram": .14,
                           "ru_profile": .14, "order_txt": .12, "order_pdf": .08,
                           "en_report": .15}
SUFFIX = {"ru_profile": "html", "order_pdf": "pdf"}
HYPHEN_BREAK = .05
"""Share of names in running text and orders broken over two lines with a hyphen."""
OCR_CONFUSION = .05
LOOKALIKE = .03
NAMESAKE = .3
"""Chance that a document also names a namesake of a sought child (another birth year)."""
OTHER_GIVEN = .4
"""Chance that a document names a child with a sought surname and another given name."""
FONT = Path(__file__).resolve().parents[1] / "src/kinlink/mediation/fonts/DejaVuSans.ttf"
CASES_WEIGHTED = (("nom", 3), ("gen", 2), ("acc", 2), ("dat", 2), ("ins", 2), ("loc", 1))
_OCR = {"и": "н", "н": "и", "ш": "щ", "щ": "ш", "о": "0", "п": "л", "л": "п", "і": "1",
        "З": "3", "И": "Н", "Н": "И", "Ш": "Щ", "О": "0", "П": "Л", "Л": "П", "е": "с",
        "m": "rn", "l": "1", "o": "0", "O": "0", "i": "l", "h": "b", "e": "c"}
_LOOKALIKE = {"а": "a", "о": "o", "е": "e", "с": "c", "р": "p", "і": "i", "х": "x",
              "А": "A", "О": "O", "Е": "E", "С": "C", "Р": "P", "І": "I", "Х": "X",
              "К": "K", "Т": "T", "М": "M", "Н": "H", "В": "B"}


@dataclass(frozen=True)
class Child:
    """A sought child: the record of the reported list."""

    child_id: str
    given: Given
    surname: Surname
    father: tuple[str, str, str, str]
    birth: dt.date
    place: tuple[str, str, str]

    @property
    def sex(self) -> str:
        """``M`` or ``F``."""
        return self.given.sex

    @property
    def patronymic_uk(self) -> str:
        """The Ukrainian patronymic."""
        return self.father[0] if self.sex == "M" else self.father[1]

    @property
    def patronymic_ru(self) -> str:
        """The Russian patronymic."""
        return self.father[2] if self.sex == "M" else self.father[3]


@dataclass(frozen=True)
class Mention:
    """Where a document names a sought child, and how."""

    child_id: str
    start: int
    end: int
    surface: str
    script: str
    case: str
    style: tuple[str, ...]


@dataclass
class Document:
    """A generated document: its bytes, its source text (what was rendered), the sought
    children it names and the decoy names it holds."""

    doc_id: str
    kind: str
    language: str
    filename: str
    text: str
    data: bytes
    mentions: list[Mention]
    decoys: list[tuple[str, str, str]] = field(default_factory=list)
    """(role, surface, id of the sought child it imitates or "")."""

    @property
    def children(self) -> set[str]:
        """The ids of the sought children the document names."""
        return {m.child_id for m in self.mentions}


@dataclass
class World:
    """The sought children and the documents."""

    children: list[Child]
    documents: list[Document]


# ------------------------------------------------------------------ children
def make_children(rng: random.Random, count: int) -> list[Child]:
    """``count`` sought children with distinct names; about 15 % are siblings of the one
    before (same surname, father and birthplace)."""
    names, families = givens(), surnames()
    made: list[Child] = []
    taken: set[tuple[str, str]] = set()
    while len(made) < count:
        given = rng.choice(names)
        if made and rng.random() < .15:
            before = made[-1]
            surname, father, place = before.surname, before.father, before.place
        else:
            surname, father = rng.choice(families), rng.choice(FATHERS)
            place = rng.choice(PLACES)
        key = (given.uk, surname.uk(given.sex))
        if key in taken:
            continue
        taken.add(key)
        birth = dt.date(2006, 1, 1) + dt.timedelta(days=rng.randrange(16 * 365))
        made.append(Child(f"S{len(made) + 1:05d}", given, surname, father, birth, place))
    return made


def list_file(children: list[Child]) -> str:
    """The reported list in kinlink's list format (CSV)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["record_id", "surname", "given_name", "patronymic", "sex",
                     "birth_date", "birth_place", "last_known_place"])
    for c in children:
        writer.writerow([c.child_id, c.surname.uk(c.sex), c.given.uk, c.patronymic_uk, c.sex,
                         c.birth.strftime("%d.%m.%Y"), c.place[0], c.place[0]])
    return out.getvalue()


# ------------------------------------------------------------------ names written
def _noisy(rng: random.Random, word: str, breakable: bool) -> tuple[str, tuple[str, ...]]:
    """The surname as written: perhaps broken over two lines, one letter confused by OCR,
    or a Latin look-alike inside Cyrillic."""
    tags: list[str] = []
    roll = rng.random()
    spots = [i for i in range(1, len(word)) if word[i].isalpha()]
    if breakable and roll < HYPHEN_BREAK and len(word) >= 6 and "-" not in word:
        cut = rng.randrange(3, len(word) - 2)
        return word[:cut] + "-\n" + word[cut:], ("hyphen",)
    roll -= HYPHEN_BREAK
    if roll < OCR_CONFUSION:
        hits = [i for i in spots if word[i] in _OCR]
        if hits:
            i = rng.choice(hits)
            word, tags = word[:i] + _OCR[word[i]] + word[i + 1:], ["ocr"]
    elif roll < OCR_CONFUSION + LOOKALIKE:
        hits = [i for i in spots if word[i] in _LOOKALIKE]
        if hits:
            i = rng.choice(hits)
            word, tags = word[:i] + _LOOKALIKE[word[i]] + word[i + 1:], ["lookalike"]
    return word, tuple(tags)


def _parts(rng: random.Random, child: Child, script: str,
           case: str) -> tuple[str, str, str | None]:
    """Given name, surname and patronymic (``None`` in Latin) in ``script`` and ``case``."""
    sex, parts = child.sex, child.surname.parts
    if script == "uk":
        return (pick(rng, uk_given(child.given, case)),
                "-".join(pick(rng, uk_surname(p, c, sex, case)) for p, c, _ in parts),
                pick(rng, uk_patronymic(child.patronymic_uk, case)))
    if script == "ru":
        return (pick(rng, ru_given(child.given, case)),
                "-".join(pick(rng, ru_surname(ru_masculine(p, r), c, sex, case))
                         for p, c, r in parts),
                pick(rng, ru_patronymic(child.patronymic_ru, case)))
    if script == "latin_uk":
        habit = rng.randrange(9)
        english = child.given.english
        given = (rng.choice(english) if english and rng.random() < .35
                 else latin_uk(child.given.uk, habit))
        return given, latin_uk(child.surname.uk(sex), habit), None
    scheme = rng.randrange(7)
    return (latin_ru(child.given.ru, scheme), latin_ru(child.surname.ru(sex), scheme), None)


def render(rng: random.Random, child: Child, script: str, case: str, style: str,
           breakable: bool = True) -> tuple[str, tuple[str, ...]]:
    """The child's name as a document writes it, and the tags saying how."""
    given, surname, patronymic = _parts(rng, child, script, case)
    if style in ("caps", "caps_pat", "all_caps"):
        surname = surname.upper()
    surname, noise = _noisy(rng, surname, breakable)
    gi = given[0]
    pi = patronymic[0] if patronymic else None
    written = {
        "given_first": f"{given} {surname}",
        "surname_first": f"{surname} {given}",
        "surname_first_pat": f"{surname} {given} {patronymic or ''}".rstrip(),
        "caps": f"{surname} {given}",
        "caps_pat": f"{surname} {given} {patronymic or ''}".rstrip(),
        "initials": f"{surname} {gi}. {pi}." if pi else f"{surname} {gi}.",
        "initial_first": f"{gi}. {surname}",
        "surname_initial": f"{given} {surname[0]}.",
        "lower": f"{given} {surname}".lower(),
        "all_caps": f"{given.upper()} {surname}",
    }[style]
    return written, (style, *noise)


# ------------------------------------------------------------------ text with spans
class Text:
    """A document's text being written, with the spans of the sought names in it."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.mentions: list[Mention] = []
        self.decoys: list[tuple[str, str, str]] = []

    def add(self, text: str) -> None:
        """Append plain text."""
        self.parts.append(text)
        self.length += len(text)

    def name(self, child: Child, surface: str, script: str, case: str,
             style: tuple[str, ...]) -> None:
        """Append a sought child's name and remember its span."""
        self.mentions.append(Mention(child.child_id, self.length, self.length + len(surface),
                                     surface, script, case, style))
        self.add(surface)

    def sentence(self, template: str, fill: Callable[[], None], **values: str) -> None:
        """Append ``template`` with ``{X}`` replaced by what ``fill`` appends."""
        before, _, after = template.partition("{X}")
        self.add(before.format(**values))
        fill()
        self.add(after.format(**values))

    def value(self) -> str:
        """The text written so far."""
        return "".join(self.parts)


UK = {
    "nom": ("{X}, {year} р. н., до війни {lived} у м. {place}. ", "Серед них — {X} з м. {place}. ",
            "За словами волонтерів, {X} зараз у м. {dest}. "),
    "gen": ("Мати {X} понад рік шукає дитину. ", "Місцеперебування {X} встановили слідчі. ",
            "Для {X} це вже друга спроба повернутися додому. "),
    "acc": ("Окупанти вивезли {X} з м. {place} до м. {dest}. ",
            "Волонтери розшукують {X}, {year} р. н. ", "Родина просить допомогти знайти {X}. "),
    "dat": ("{X} на момент депортації було {age} років. ",
            "Допомогу {X} надав фонд, що працює з родинами. ",
            "Російські органи видали {X} нове свідоцтво про народження. "),
    "ins": ("Разом із {X} до табору потрапили ще троє дітей. ",
            "Звʼязок із {X} втрачено у {lost} році. ",
            "Опіку над {X} оформила жителька м. {dest}. "),
    "loc": ("На {X} була зелена куртка, кажуть свідки. ",
            "При {X} не знайшли жодних документів. ",
            "Свідки згадують, що при {X} був лише рюкзак. "),
}
RU = {
    "nom": ("{X}, {year} г. р., {native} г. {place_ru}. ", "В списке значится {X}. ",
            "По данным ведомства, {X} находится в г. {dest_ru}. "),
    "gen": ("Опекуном {X} назначена жительница г. {dest_ru}. ",
            "Местонахождение {X} установлено. ", "Родственники {X} в Россию не приезжали. "),
    "acc": ("Из г. {place_ru} вывезли {X}. ", "Семья из г. {dest_ru} взяла {X} под опеку. ",
            "Волонтёры разыскивают {X}, {year} г. р. "),
    "dat": ("{X} исполнилось {age} лет. ", "{X} выдано российское свидетельство о рождении. ",
            "Помощь {X} оказывает местный фонд. "),
    "ins": ("Вместе с {X} в лагерь направили ещё двоих детей. ",
            "Связь с {X} потеряна в {lost} году. ", "С {X} работает психолог центра. "),
    "loc": ("Сведения {o} {X} размещены на сайте ведомства. ",
            "Заботу {o} {X} взяла на себя приёмная семья. ", "Мы пишем {o} {X} не в первый раз. "),
}
EN = (("nom", "{X}, born in {year} in {place_en}, was taken to {dest_en}. "),
      ("poss", "{X}'s mother has been looking for the child since {lost}. "),
      ("nom", "The lab identified {X} on a list of children moved to {dest_en}. "),
      ("nom", "Investigators say {X} was placed with a foster family in {dest_en}. "))
NAMESAKE_SAYS = {"uk": "{X}, {year} р. н., працює у м. {dest}. ",
                 "ru": "{X}, {year} г. р., проживает в г. {dest_ru}. ",
                 "en": "{X} (born {year}) lives in {dest_en}. "}
FILLER_UK = ("Омбудсман закликав міжнародних партнерів посилити тиск. ",
             "Розслідування триває, слідчі збирають свідчення. ",
             "Нагадаємо, що з початку вторгнення вивезено тисячі дітей. ")
FILLER_RU = ("В ведомстве отметили, что работа с детьми продолжается. ",
             "Дети проходят медицинское обследование. ",
             "Ранее сообщалось о новой группе детей из региона. ")
FILLER_EN = ("The report relies on satellite imagery and open sources. ",
             "Officials did not respond to a request for comment. ",
             "The children were moved in several groups over the summer. ")


def _values(rng: random.Random, child: Child, surface: str) -> dict[str, str]:
    dest = rng.choice(DESTINATIONS)
    lost = str(rng.choice((2022, 2023, 2024)))
    return {"year": str(child.birth.year), "place": child.place[0], "place_ru": child.place[1],
            "place_en": child.place[2], "dest": dest[0], "dest_ru": dest[1],
            "dest_en": dest[2], "lost": lost,
            "age": str(max(1, 2023 - child.birth.year)),
            "lived": "жив" if child.sex == "M" else "жила",
            "native": "уроженец" if child.sex == "M" else "уроженка",
            "o": "об" if surface[:1].lower() in "аоуэиaoeui" else "о"}


def _case(rng: random.Random) -> str:
    return rng.choices([c for c, _ in CASES_WEIGHTED], [w for _, w in CASES_WEIGHTED])[0]


class Cast:
    """Who may appear in documents: the sought children and the decoys drawn around them."""

    def __init__(self, rng: random.Random, children: list[Child]) -> None:
        self.rng, self.children = rng, children
        self.taken = {(c.given.uk, c.surname.uk(c.sex)) for c in children}
        self.givens, self.surnames = givens(), surnames()

    def sought(self, count: int) -> list[Child]:
        """``count`` sought children, all different."""
        return self.rng.sample(self.children, min(count, len(self.children)))

    def unsought(self, surname_of: Child | None = None) -> Child:
        """A child nobody seeks (with ``surname_of``'s surname and another given name)."""
        while True:
            given = self.rng.choice(self.givens)
            surname = surname_of.surname if surname_of else self.rng.choice(self.surnames)
            if (given.uk, surname.uk(given.sex)) not in self.taken:
                birth = dt.date(2006, 1, 1) + dt.timedelta(days=self.rng.randrange(16 * 365))
                return Child("-", given, surname, self.rng.choice(FATHERS), birth,
                             self.rng.choice(PLACES))

    def namesake(self, of: Child) -> Child:
        """Someone with ``of``'s name born at least four years apart."""
        shift = -self.rng.randint(4, 30)
        birth = of.birth.replace(year=of.birth.year + shift, day=min(of.birth.day, 28))
        return Child("-", of.given, of.surname, of.father, birth, self.rng.choice(PLACES))

    def adult(self, script: str) -> str:
        """An adult's name (an official, a curator, a guardian)."""
        female = self.rng.random() < .5
        given = self.rng.choice(ADULT_GIVEN_F if female else ADULT_GIVEN_M)
        surname = self.rng.choice(ADULT_SURNAMES)
        if female:
            surname = surname[:-2] + "а" if surname.endswith("ий") else surname
        if script == "ru":
            given, surname = ru_masculine(given, None), ru_masculine(surname, None)
        return f"{surname} {given}" if self.rng.random() < .5 else f"{given} {surname}"


def _decoy_children(cast: Cast, named: list[Child]) -> list[tuple[str, Child, str]]:
    """Children a document names besides the sought ones: a namesake of a sought child
    the document does not name, and a sought surname with another given name."""
    rng, out = cast.rng, []
    others = [c for c in cast.children if c not in named]
    if others and rng.random() < NAMESAKE:
        of = rng.choice(others)
        out.append(("namesake", cast.namesake(of), of.child_id))
    if rng.random() < OTHER_GIVEN:
        of = rng.choice(cast.children)
        out.append(("other_given", cast.unsought(of), of.child_id))
    if rng.random() < .5:
        out.append(("unsought", cast.unsought(), ""))
    return out


def _running(cast: Cast, text: Text, language: str, children: list[Child],
             styles: tuple[tuple[str, int], ...], fillers: tuple[str, ...]) -> None:
    """Sentences naming ``children`` (and decoys) in ``language`` (``uk``, ``ru``, ``en``)."""
    rng = cast.rng
    people = [("sought", c, c.child_id) for c in children] + _decoy_children(cast, children)
    rng.shuffle(people)
    for role, child, of in people:
        style = rng.choices([s for s, _ in styles], [w for _, w in styles])[0]
        if role != "sought" and style in INITIALS:  # an initial could be the sought one's
            style = "given_first"
        if language == "en":
            script = "latin_uk" if rng.random() < .65 else "latin_ru"
            case, template = rng.choice(EN)
        else:
            script, case = language, _case(rng)
            template = rng.choice((UK if language == "uk" else RU)[case])
        if role == "namesake":
            case, template = "nom", NAMESAKE_SAYS[language]
        surface, tags = render(rng, child, script, case if case != "poss" else "nom", style)
        values = _values(rng, child, surface)
        if role == "sought":
            text.sentence(template, partial(text.name, child, surface, script, case, tags),
                          **values)
        else:
            text.decoys.append((role, surface, of))
            text.sentence(template, partial(text.add, surface), **values)
        if rng.random() < .4:
            text.add(rng.choice(fillers))
    if rng.random() < .7:
        said = cast.adult(language if language != "en" else "uk")
        if language == "en":
            said = latin_uk(said)
        text.decoys.append(("adult", said, ""))
        text.add({"uk": f"Про це повідомили в ОВА, посилаючись на {said}. ",
                  "ru": f"Об этом сообщил представитель ведомства {said}. ",
                  "en": f"The figures were confirmed by {said}. "}[language])


INITIALS = ("initials", "initial_first", "surname_initial")
"""Styles that write the given name by its initial: never used for decoys, whose initial
may be a sought child's."""
NEWS_STYLES = (("given_first", 10), ("initial_first", 1), ("surname_first", 1), ("lower", 0))
TELEGRAM_STYLES = (("given_first", 4), ("caps", 3), ("all_caps", 2), ("surname_first", 2),
                   ("lower", 1))
EN_STYLES = (("given_first", 8), ("caps", 2), ("initial_first", 1))


def _news(cast: Cast, doc_id: str, language: str) -> Document:
    rng, text = cast.rng, Text()
    date = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(900))
    title = {"uk": "Депортовані діти: нові імена", "ru": "Дети из новых регионов обрели семьи",
             "en": "Tracing the children taken from occupied Ukraine"}[language]
    text.add(f"{title}\n{date:%d.%m.%Y}\n\n")
    fillers = {"uk": FILLER_UK, "ru": FILLER_RU, "en": FILLER_EN}[language]
    text.add(rng.choice(fillers))
    styles = EN_STYLES if language == "en" else NEWS_STYLES
    _running(cast, text, language, cast.sought(rng.choice((0, 1, 1, 2, 2, 3))), styles, fillers)
    kind = {"uk": "uk_news", "ru": "ru_news", "en": "en_report"}[language]
    return _plain(doc_id, kind, language, text)


def _telegram(cast: Cast, doc_id: str) -> Document:
    rng, text = cast.rng, Text()
    language = "uk" if rng.random() < .55 else "ru"
    text.add(rng.choice(("⚡️ ", "🔴 ", "❗️ ", "")))
    text.add({"uk": "ТЕРМІНОВО. Розшук дітей.\n", "ru": "СРОЧНО. Дети из Херсонщины.\n"}[language])
    _running(cast, text, language, cast.sought(rng.choice((0, 1, 1, 2))), TELEGRAM_STYLES,
             FILLER_UK if language == "uk" else FILLER_RU)
    text.add({"uk": "\nХто бачив — пишіть в особисті. #розшук #діти",
              "ru": "\nКто видел — пишите в личку. #дети #поиск"}[language])
    return _plain(doc_id, "telegram", language, text)


def _plain(doc_id: str, kind: str, language: str, text: Text) -> Document:
    value = text.value()
    return Document(doc_id, kind, language, f"{doc_id}.txt", value, value.encode("utf-8"),
                    text.mentions, text.decoys)


def _profile(cast: Cast, doc_id: str) -> Document:
    rng, text = cast.rng, Text()
    sought = rng.random() < .75
    child = cast.sought(1)[0] if sought else cast.unsought(
        rng.choice(cast.children) if rng.random() < .5 else None)
    roll = rng.random()
    style = "surname_first_pat" if roll < .6 else "surname_first" if roll < .8 \
        else "surname_initial"
    surface, tags = render(rng, child, "ru", "nom", style, breakable=False)
    text.add('<!DOCTYPE html>\n<html lang="ru"><head><meta charset="utf-8">'
             f"<title>Анкета ребёнка № {rng.randrange(10**5, 10**6)}</title></head>\n"
             '<body><div class="profile">\n<h1>')
    if sought:
        text.name(child, surface, "ru", "nom", tags)
    else:
        text.decoys.append(("unsought", surface, ""))
        text.add(surface)
    birth = child.birth.strftime("%d.%m.%Y") if rng.random() < .7 else f"{child.birth.year} г."
    curator = cast.adult("ru")
    text.decoys.append(("adult", curator, ""))
    text.add(f"</h1>\n<p>Дата рождения: {birth}</p>\n"
             f"<p>Пол: {'мужской' if child.sex == 'M' else 'женский'}</p>\n"
             f"<p>Место рождения: г. {child.place[1]}</p>\n"
             "<p>Форма устройства: опека, приёмная семья</p>\n"
             f"<p>Братья/сёстры: {rng.choice(('есть', 'нет'))}</p>\n"
             "<p>Характер: спокойный, любит рисовать.</p>\n"
             f"<p>Куратор анкеты: {curator}</p>\n</div></body></html>\n")
    value = text.value()
    return Document(doc_id, "ru_profile", "ru", f"{doc_id}.html", value, value.encode("utf-8"),
                    text.mentions, text.decoys)


ORDER_STYLES = (("caps_pat", 6), ("caps", 1), ("initials", 3), ("surname_first_pat", 2))


def _order(cast: Cast, doc_id: str, pdf: bool) -> Document:
    rng, text = cast.rng, Text()
    language = "uk" if rng.random() < .4 else "ru"
    script = language
    date = dt.date(2022, 4, 1) + dt.timedelta(days=rng.randrange(700))
    if language == "uk":
        text.add(f"НАКАЗ № {rng.randrange(10, 900)}\nвід {date:%d.%m.%Y}\n"
                 "Про тимчасове влаштування дітей\n\nНАКАЗУЮ:\n"
                 "1. Зарахувати до закладу таких дітей:\n")
    else:
        text.add(f"ПРИКАЗ № {rng.randrange(10, 900)}-о\nот {date:%d.%m.%Y}\n"
                 "О зачислении несовершеннолетних\n\nПРИКАЗЫВАЮ:\n"
                 "1. Зачислить в ГБУ «Социально-реабилитационный центр» следующих детей:\n")
    sought = cast.sought(rng.randint(1, 5))
    entries: list[tuple[str, Child, str]] = [("sought", c, c.child_id) for c in sought]
    entries += [("unsought", cast.unsought(), "") for _ in range(rng.randint(0, 4))]
    entries += _decoy_children(cast, sought)
    rng.shuffle(entries)
    listed = entries[:-1] if len(entries) > 1 and rng.random() < .5 else entries
    for n, (role, child, of) in enumerate(listed, 1):
        style = rng.choices([s for s, _ in ORDER_STYLES], [w for _, w in ORDER_STYLES])[0]
        if role != "sought" and style in INITIALS:
            style = "caps_pat"
        surface, tags = render(rng, child, script, "nom", style)
        text.add(f"  {n}) ")
        if role == "sought":
            text.name(child, surface, script, "nom", tags)
        else:
            text.decoys.append((role, surface, of))
            text.add(surface)
        born = "р. н." if language == "uk" else "г. р."
        text.add(f", {child.birth:%d.%m.%Y} {born};\n")
    if len(listed) < len(entries):
        role, child, of = entries[-1]
        surface, tags = render(rng, child, script, "dat", "caps_pat")
        guardian = cast.adult(language)
        text.decoys.append(("adult", guardian, ""))
        text.add("2. Призначити опікуном малолітньому(-ій) " if language == "uk"
                 else "2. Назначить опекуном несовершеннолетнему(-ей) ")
        if role == "sought":
            text.name(child, surface, script, "dat", tags)
        else:
            text.decoys.append((role, surface, of))
            text.add(surface)
        text.add(f" гр. {guardian}.\n" if language == "uk" else f" гражданина(-ку) {guardian}.\n")
    head = cast.adult(language)
    text.decoys.append(("adult", head, ""))
    text.add(f"\nДиректор  ________  {head}\n")
    value = text.value()
    kind = "order_pdf" if pdf else "order_txt"
    data = _pdf(value) if pdf else value.encode("utf-8")
    return Document(doc_id, kind, language, f"{doc_id}.{'pdf' if pdf else 'txt'}", value, data,
                    text.mentions, text.decoys)


def _pdf(text: str) -> bytes:
    """A born-digital A4 PDF of ``text``, one line of text per line (reportlab)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "SecondDocs" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("SecondDocs", str(FONT)))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, invariant=True)
    page.setFont("SecondDocs", 9)
    y = A4[1] - 60
    for line in text.split("\n"):
        if y < 60:
            page.showPage()
            page.setFont("SecondDocs", 9)
            y = A4[1] - 60
        page.drawString(50, y, line)
        y -= 13
    page.save()
    return out.getvalue()


def generate(seed: int, children: int, documents: int) -> World:
    """The world of ``seed``: the same arguments give the same children and documents."""
    rng = random.Random(seed)
    sought = make_children(rng, children)
    cast = Cast(rng, sought)
    made = []
    kinds, weights = list(KINDS), list(KINDS.values())
    for n in range(documents):
        kind = rng.choices(kinds, weights)[0]
        doc_id = f"D{n + 1:04d}"
        if kind in ("uk_news", "ru_news", "en_report"):
            made.append(_news(cast, doc_id, {"uk_news": "uk", "ru_news": "ru"}.get(kind, "en")))
        elif kind == "telegram":
            made.append(_telegram(cast, doc_id))
        elif kind == "ru_profile":
            made.append(_profile(cast, doc_id))
        else:
            made.append(_order(cast, doc_id, pdf=kind == "order_pdf"))
    return World(sought, made)


def write(world: World, out: Path) -> None:
    """``sought.csv``, ``documents/``, ``truth.csv`` (one row per mention) and
    ``decoys.csv`` under ``out``."""
    (out / "documents").mkdir(parents=True, exist_ok=True)
    (out / "sought.csv").write_text(list_file(world.children), encoding="utf-8")
    with open(out / "truth.csv", "w", newline="", encoding="utf-8") as truth, \
            open(out / "decoys.csv", "w", newline="", encoding="utf-8") as decoys:
        rows, fakes = csv.writer(truth), csv.writer(decoys)
        rows.writerow(["document", "kind", "child", "start", "end", "surface", "script", "case",
                       "style"])
        fakes.writerow(["document", "kind", "decoy", "surface", "imitates"])
        for doc in world.documents:
            (out / "documents" / doc.filename).write_bytes(doc.data)
            for m in doc.mentions:
                rows.writerow([doc.doc_id, doc.kind, m.child_id, m.start, m.end, m.surface,
                               m.script, m.case, " ".join(m.style)])
            for role, surface, of in doc.decoys:
                fakes.writerow([doc.doc_id, doc.kind, role, surface, of])


def main() -> None:
    """Write a world to a folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--children", type=int, default=300)
    parser.add_argument("--documents", type=int, default=200)
    args = parser.parse_args()
    world = generate(args.seed, args.children, args.documents)
    write(world, args.out)
    mentions = sum(len(d.mentions) for d in world.documents)
    print(f"{len(world.children)} sought children, {len(world.documents)} documents, "
          f"{mentions} mentions -> {args.out}")


if __name__ == "__main__":
    main()
