"""Build the golden name-pair files in this directory (``*.csv``), reproducibly.

Run ``.venv/bin/python tests/names/golden/build_golden.py`` to rewrite them. The forms
come from outside the name engine, never from ``kinlink.names`` itself (that would make
the test circular):

* the research notes ``shared/research/names.md`` (§1 rule tables, §2 correspondences,
  §4.1 measured library outputs, §7 corruptions) and ``name_pairs.csv`` (copied below
  as :data:`PAIRS`, the 96 Ukrainian/Russian given-name pairs);
* ``translitua`` 2.0 for the Ukrainian systems (KMU 2010, passport 2007, National 1996,
  BGN 1965, German, French, ISO 9) and ``iuliia`` 0.13 for the Russian ones (ICAO 9303,
  GOST 52535, MVD 310, MVD 310 FR, BGN/PCGN, Wikipedia), plus translitua's Russian
  ISO 9 A/B tables;
* hand-written rows for morphology, diminutives and negatives, each with the rule a
  careful analyst applies written in ``note``.

Every row is ``a,b,expected,layer,note``; ``expected`` is what an analyst comparing the
two names alone (no dates, no places) would conclude: ``same``, ``different`` or
``unsure``. Negative rows start their note with their kind (``brother/sister``,
``siblings``, ``namesakes``, ``near-miss``): the first three are the cases issue 3 names.
"""

from __future__ import annotations

import csv
import unicodedata
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import iuliia
import translitua

HERE = Path(__file__).parent

Row = tuple[str, str, str, str, str]


# -- transliteration helpers (libraries, never kinlink) --------------------------------

UK_SYSTEMS: dict[str, Callable[[str], str]] = {
    "KMU 2010": lambda s: translitua.translit(s, translitua.UkrainianKMU),
    "UA passport 2007": lambda s: translitua.translit(s, translitua.UkrainianPassport2007),
    "National 1996": lambda s: translitua.translit(s, translitua.UkrainianNational1996),
    "BGN/PCGN 1965": lambda s: translitua.translit(s, translitua.UkrainianBGN),
    "German": lambda s: translitua.translit(s, translitua.UkrainianGerman),
    "French": lambda s: translitua.translit(s, translitua.UkrainianFrench),
    "ISO 9": lambda s: translitua.translit(s, translitua.UkrainianISO9),
}


def _iuliia(schema: iuliia.Schema) -> Callable[[str], str]:
    def run(text: str) -> str:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return str(schema.translate(text))

    return run


RU_SYSTEMS: dict[str, Callable[[str], str]] = {
    "ICAO 9303": _iuliia(iuliia.ICAO_DOC_9303),
    "GOST 52535 (2006)": _iuliia(iuliia.GOST_52535),
    "MVD 310 (1997)": _iuliia(iuliia.MVD_310),
    "MVD 310 FR (Soviet French)": _iuliia(iuliia.MVD_310_FR),
    "BGN/PCGN": _iuliia(iuliia.BGN_PCGN),
    "Wikipedia": _iuliia(iuliia.WIKIPEDIA),
    "ISO 9 A": lambda s: translitua.translit(s, translitua.RussianISO9SystemA),
    "GOST 7.79 B": lambda s: translitua.translit(s, translitua.RussianISO9SystemB),
}


def uk(text: str, system: str = "KMU 2010") -> str:
    return UK_SYSTEMS[system](text)


def ru(text: str, system: str = "ICAO 9303") -> str:
    return RU_SYSTEMS[system](text)


def latin_only(text: str) -> bool:
    """No Cyrillic letter left in a library's Latin output (iuliia BGN keeps ё)."""
    return not any("\u0400" <= c <= "\u04ff" for c in text)


# -- name_pairs.csv (shared/research), uk, ru, sex --------------------------------------


@dataclass(frozen=True)
class Pair:
    uk: str
    ru: str
    sex: str


PAIRS = [Pair(*line.split(",")) for line in """\
Олександр,Александр,m
Микола,Николай,m
Дмитро,Дмитрий,m
Сергій,Сергей,m
Андрій,Андрей,m
Іван,Иван,m
Василь,Василий,m
Євген,Евгений,m
Олексій,Алексей,m
Володимир,Владимир,m
Петро,Пётр,m
Павло,Павел,m
Михайло,Михаил,m
Григорій,Григорий,m
Георгій,Георгий,m
Юрій,Юрий,m
Ярослав,Ярослав,m
Богдан,Богдан,m
Віктор,Виктор,m
Віталій,Виталий,m
Валерій,Валерий,m
Вадим,Вадим,m
Максим,Максим,m
Артем,Артём,m
Кирило,Кирилл,m
Данило,Даниил,m
Ілля,Илья,m
Тимофій,Тимофей,m
Матвій,Матвей,m
Назар,Назар,m
Олег,Олег,m
Ігор,Игорь,m
Роман,Роман,m
Степан,Степан,m
Федір,Фёдор,m
Яків,Яков,m
Йосип,Иосиф,m
Семен,Семён,m
Антон,Антон,m
Костянтин,Константин,m
Станіслав,Станислав,m
Владислав,Владислав,m
Ростислав,Ростислав,m
Святослав,Святослав,m
Тарас,Тарас,m
Остап,Остап,m
Захар,Захар,m
Марко,Марк,m
Лев,Лев,m
Геннадій,Геннадий,m
Анатолій,Анатолий,m
Леонід,Леонид,m
Єгор,Егор,m
Денис,Денис,m
Арсеній,Арсений,m
Микита,Никита,m
Всеволод,Всеволод,m
Олена,Елена,f
Катерина,Екатерина,f
Юлія,Юлия,f
Ганна,Анна,f
Марія,Мария,f
Наталія,Наталья,f
Тетяна,Татьяна,f
Ірина,Ирина,f
Ольга,Ольга,f
Світлана,Светлана,f
Людмила,Людмила,f
Оксана,Оксана,f
Вікторія,Виктория,f
Анастасія,Анастасия,f
Софія,София,f
Дарина,Дарья,f
Ксенія,Ксения,f
Поліна,Полина,f
Аліна,Алина,f
Валентина,Валентина,f
Галина,Галина,f
Надія,Надежда,f
Любов,Любовь,f
Віра,Вера,f
Євгенія,Евгения,f
Олександра,Александра,f
Лариса,Лариса,f
Христина,Кристина,f
Соломія,Соломия,f
Злата,Злата,f
Мирослава,Мирослава,f
Єлизавета,Елизавета,f
Вероніка,Вероника,f
Діана,Диана,f
Уляна,Ульяна,f
Маргарита,Маргарита,f
Яна,Яна,f
Аріна,Арина,f
Богдана,Богдана,f""".splitlines()]


# -- surnames: Ukrainian masc/fem, Russian masc/fem (names.md §2.2 letter shifts) -------


@dataclass(frozen=True)
class Surname:
    uk_m: str
    uk_f: str
    ru_m: str
    ru_f: str

    def uk(self, sex: str) -> str:
        return self.uk_f if sex == "f" else self.uk_m

    def ru(self, sex: str) -> str:
        return self.ru_f if sex == "f" else self.ru_m


def s(uk_m: str, uk_f: str | None = None, ru_m: str | None = None,
      ru_f: str | None = None) -> Surname:
    uk_f = uk_f or uk_m
    ru_m = ru_m or uk_m
    return Surname(uk_m, uk_f, ru_m, ru_f or (ru_m if uk_f == uk_m else ru_m + "а"))


# Sample surnames of names.md §4.1, the shifts of §2.2, and common Ukrainian surnames.
SURNAMES = [
    s("Петренко"), s("Шевченко"), s("Коваленко"), s("Бондаренко"), s("Ткачук"),
    s("Кравченко"), s("Мельник"), s("Ковальчук"), s("Бойко"), s("Олійник", ru_m="Олейник"),
    s("Яковенко"), s("Лисенко", ru_m="Лысенко"), s("Гнатюк"), s("Їжакевич", ru_m="Ижакевич"),
    s("Щербак"), s("Поліщук", ru_m="Полищук"), s("Ґудзь", ru_m="Гудзь"),
    s("Коломієць", ru_m="Коломиец"), s("Бондар", ru_m="Бондарь"),
    s("Ковальський", "Ковальська", "Ковальский", "Ковальская"),
    s("Савченко"), s("Кузьменко"), s("Марченко"), s("Руденко"), s("Мороз"), s("Коваль"),
    s("Павленко"), s("Левченко"), s("Гончаренко"), s("Харченко"), s("Сидоренко"),
    s("Литвиненко"), s("Клименко"), s("Гаврилюк"), s("Остапчук"), s("Романюк"),
    s("Кравчук"), s("Семенюк"), s("Кушнір", ru_m="Кушнир"), s("Дячук", ru_m="Дьячук"),
    s("Білоус", ru_m="Белоус"), s("Зінченко", ru_m="Зинченко"),
    s("Ільченко", ru_m="Ильченко"), s("Іваненко", ru_m="Иваненко"),
    s("Ігнатенко", ru_m="Игнатенко"), s("Єременко", ru_m="Еременко"),
    s("Євтушенко", ru_m="Евтушенко"), s("Лук'яненко", ru_m="Лукьяненко"),
    s("Дем'янчук", ru_m="Демьянчук"), s("Швець", ru_m="Швец"), s("Кравець", ru_m="Кравец"),
    s("Гребенюк"), s("Хмельницький", "Хмельницька", "Хмельницкий", "Хмельницкая"),
    s("Вишневський", "Вишневська", "Вишневский", "Вишневская"),
    s("Іванов", "Іванова", "Иванов", "Иванова"), s("Миронов", "Миронова"),
    s("Соловйов", "Соловйова", "Соловьёв", "Соловьёва"),
    s("Ковальов", "Ковальова", "Ковалёв", "Ковалёва"),
    s("Кузнєцов", "Кузнєцова", "Кузнецов", "Кузнецова"),
    s("Пономаренко"), s("Ярошенко"), s("Тимошенко"), s("Приходько"), s("Головко"),
    s("Дорошенко"), s("Юрченко"), s("Гриценко"), s("Хоменко"), s("Мазур"), s("Кучер"),
    s("Стельмах"), s("Гордієнко", ru_m="Гордиенко"), s("Сергієнко", ru_m="Сергиенко"),
    s("Андрієнко", ru_m="Андриенко"), s("Рибак", ru_m="Рыбак"), s("Біленко", ru_m="Беленко"),
]
SHIFTED = [x for x in SURNAMES if x.uk_m != x.ru_m]


def surname_for(index: int, *, shifted: bool = False) -> Surname:
    pool = SHIFTED if shifted else SURNAMES
    return pool[(index * 7) % len(pool)]


def full(given: str, surname: str) -> str:
    return f"{given} {surname}"


# -- layer: transliteration -------------------------------------------------------------


def transliteration_rows() -> list[Row]:
    rows: list[Row] = []
    uk_names = list(UK_SYSTEMS)
    ru_names = list(RU_SYSTEMS)
    for i, pair in enumerate(PAIRS):
        sur = surname_for(i)
        # Two names in three: Ukrainian Cyrillic against one Ukrainian system (rotating);
        # every other name: Russian Cyrillic against one Russian system (rotating).
        cyr = full(pair.uk, sur.uk(pair.sex))
        if i % 3 != 2:
            system = uk_names[(i - i // 3) % len(uk_names)]
            rows.append((cyr, uk(cyr, system), "same", f"translitua {system}"))
        if i % 2:
            continue
        cyr_ru = full(pair.ru, sur.ru(pair.sex))
        for shift in range(len(ru_names)):
            system = ru_names[(i // 2 + shift) % len(ru_names)]
            latin = ru(cyr_ru, system)
            if latin_only(latin):
                break
        rows.append((latin, cyr_ru, "same", f"iuliia/translitua {system}"))
    # Latin against Latin: one spelling under two systems of the same language.
    for i, pair in enumerate(PAIRS[::4]):
        sur = surname_for(i * 4 + 1)
        cyr = full(pair.uk, sur.uk(pair.sex))
        other = ["UA passport 2007", "German", "National 1996", "French"][i % 4]
        a, b = uk(cyr), uk(cyr, other)
        if a != b:
            rows.append((a, b, "same", f"translitua KMU 2010 vs {other} ({cyr})"))
        cyr_ru = full(pair.ru, sur.ru(pair.sex))
        other = ["MVD 310 (1997)", "Wikipedia", "GOST 52535 (2006)",
                 "MVD 310 FR (Soviet French)"][i % 4]
        a, b = ru(cyr_ru), ru(cyr_ru, other)
        if a != b and latin_only(b):
            rows.append((a, b, "same", f"iuliia ICAO 9303 vs {other} ({cyr_ru})"))
    rows += [(a, b, e, n) for a, b, e, n in TRANSLIT_HAND]
    return [(a, b, e, "transliteration", n) for a, b, e, n in rows]


ZG = ("unsure", "зг written zh: the same Latin string is the rendering of Журський, a "
      "different surname (names.md §1.1/§1.3, the BGN ambiguity)")

TRANSLIT_HAND: list[tuple[str, str, str, str]] = [
    # names.md §4.1, measured outputs of other tools (ICU, cyrtranslit, transliterate).
    ("Катерина Мельник", "Kateryna Melʹnyk", "same", "names.md §4.1 ICU Ukrainian-Latin/BGN"),
    ("Юлія Ковальчук", "Yuliya Kovalʹchuk", "same", "names.md §4.1 ICU Ukrainian-Latin/BGN"),
    ("Ксенія Ґудзь", "Kseniya Gudzʹ", "same", "names.md §4.1 ICU Ukrainian-Latin/BGN"),
    ("Юлія Ковальчук", "Julija Koval'čuk", "same", "names.md §4.1 cyrtranslit ua"),
    ("Софія Їжакевич", "Sofija Jižakevyč", "same", "names.md §4.1 cyrtranslit ua"),
    ("Вікторія Поліщук", "Viktorija Poliščuk", "same", "names.md §4.1 cyrtranslit ua"),
    ("Ганна Бойко", "Hanna Bojko", "same", "names.md §4.1 transliterate uk"),
    ("Ярослав Олійник", "Jaroslav Olijnyk", "same", "names.md §4.1 transliterate uk"),
    ("Юрій Гнатюк", "Jurij Hnatjuk", "same", "names.md §4.1 transliterate uk"),
    # Generic tools read Ukrainian with Russian letter values; lists made with them exist.
    ("Микола Шевченко", "Mikola Shevchenko", "same", "names.md §4.1 anyascii/unidecode"),
    ("Ганна Бойко", "Ganna Boyko", "same", "names.md §4.1 anyascii"),
    ("Олексій Лисенко", "Oleksiy Lisenko", "same", "names.md §4.1 anyascii"),
    ("Ярослав Олійник", "Yaroslav Oliynik", "same", "names.md §4.1 anyascii"),
    ("Дмитро Коваленко", "Dmitro Kovalenko", "same", "names.md §4.1 unidecode/rigour"),
    ("Юрій Гнатюк", "Yurii Gnatyuk", "same", "names.md §4.1 rigour maybe_ascii"),
    ("Наталія Яковенко", "Nataliya Yakovenko", "same", "names.md §4.1 rigour maybe_ascii"),
    ("Екатерина Мельник", "Yekaterina Melʹnik", "same", "names.md §4.1 ICU Russian-Latin/BGN"),
    ("Илья Щербак", "Il'ya SHHerbak", "same", "names.md §4.1 cyrtranslit ru"),
    ("Наталья Яковенко", "Natal'ja Jakovenko", "same", "names.md §4.1 transliterate ru"),
    # зг: KMU writes zgh, the 2007 passport and ISO 9 zg, BGN 1965/German/French zh.
    ("Євген Згурський", "Yevhen Zghurskyi", "same", "translitua KMU 2010 (зг → zgh)"),
    ("Євген Згурський", "Ievgen Zgurskyi", "same", "translitua UA passport 2007 (зг → zg)"),
    ("Євген Згурський", "Êvgen Zgurs′kij", "same", "translitua ISO 9"),
    ("Yevhen Zghurskyi", "Ievgen Zgurskyi", "same", "translitua KMU 2010 vs UA passport 2007"),
    ("Євген Згурський", "Yevhen Zhurs'kyy", *ZG),
    ("Євген Згурський", "Jewhen Shurskyj", *ZG),
    ("Євген Згурський", "Ievhen Zhourskyy", *ZG),
    # The rare 2004 passport table (к → c), names.md §1.1.
    ("Олександр Петренко", "Olecsandr Petrenco", "same", "translitua Passport2004Alt"),
    ("Ганна Бойко", "Hanna Boico", "same", "translitua Passport2004Alt"),
    # German renderings of Russian names, names.md §1.2/§1.3 (hand-coded Duden column).
    ("Евгений Кузнецов", "Jewgeni Kusnezow", "same", "names.md §1.2 German (Duden)"),
    ("Наталья Кузнецова", "Natalja Kusnezowa", "same", "names.md §1.2 German (Duden)"),
    ("Юлия Кузнецова", "Julija Kusnezowa", "same", "names.md §1.2 German (Duden)"),
    ("Александр Кузнецов", "Alexander Kusnezow", "same", "names.md §1.2 German (кс → x)"),
    ("Kuznetsov Petr", "Kuznetcov Petr", "same", "names.md §1.2 ICAO vs GOST 2006 (ц)"),
    # English habits (name_pairs.csv "T" variants; names.md §1.2 English/newspaper style).
    ("Олександр Петренко", "Alexander Petrenko", "same", "names.md §5.2; name_pairs T"),
    ("Олександр Петренко", "Olexandr Petrenko", "same", "names.md §5.2; name_pairs T"),
    ("Олександр Петренко", "Oleksander Petrenko", "same", "names.md §5.2"),
    ("Сергій Бондаренко", "Serhiy Bondarenko", "same", "name_pairs T (-iy)"),
    ("Андрій Ткачук", "Andriy Tkachuk", "same", "name_pairs T (-iy)"),
    ("Олексій Лисенко", "Oleksiy Lysenko", "same", "name_pairs T (-iy)"),
    ("Тетяна Кравчук", "Tetyana Kravchuk", "same", "name_pairs T"),
    ("Наталія Мороз", "Nataliya Moroz", "same", "name_pairs T"),
    ("Оксана Ткачук", "Oxana Tkachuk", "same", "name_pairs T (x for кс)"),
    ("Максим Бойко", "Maxim Boyko", "same", "name_pairs T (x for кс)"),
    ("Алексей Лысенко", "Alexey Lysenko", "same", "name_pairs T (x for кс, -ey)"),
    ("Евгений Гнатюк", "Yevgeny Gnatyuk", "same", "name_pairs W; names.md §1.2"),
    ("Дмитрий Павленко", "Dmitry Pavlenko", "same", "names.md §1.2 English"),
    ("Юлия Савченко", "Yulia Savchenko", "same", "name_pairs T"),
    ("Христина Мельник", "Christina Melnyk", "same", "name_pairs T"),
    ("Софія Коваль", "Sophia Koval", "same", "name_pairs T"),
    ("Вікторія Руденко", "Victoria Rudenko", "same", "name_pairs T"),
    ("Анастасія Бойко", "Anastasia Boyko", "same", "name_pairs T"),
]


# -- layer: language (Ukrainian ↔ Russian) ----------------------------------------------


def language_rows() -> list[Row]:
    rows: list[tuple[str, str, str, str]] = []
    kinds = ["kmu-icao", "uk-icao", "kmu-mvd", "ru-kmu", "p2007-wiki", "german-icao"]
    for i, pair in enumerate(PAIRS):
        sur = surname_for(i, shifted=i % 2 == 0)
        uk_full = full(pair.uk, sur.uk(pair.sex))
        ru_full = full(pair.ru, sur.ru(pair.sex))
        if pair.uk != pair.ru or i % 4 == 0:
            note = "name_pairs.csv uk/ru"
            if sur.uk_m != sur.ru_m:
                note += "; names.md §2.2 surname shift"
            rows.append((uk_full, ru_full, "same", note))
        if i % 3:
            continue
        kind = kinds[(i // 3) % len(kinds)]
        if kind == "kmu-icao":
            a, b, note = uk(uk_full), ru(ru_full), "KMU (uk) vs ICAO (ru)"
        elif kind == "uk-icao":
            a, b, note = uk_full, ru(ru_full), "uk Cyrillic vs ICAO (ru)"
        elif kind == "kmu-mvd":
            a, b, note = uk(uk_full), ru(ru_full, "MVD 310 (1997)"), "KMU (uk) vs MVD 310 (ru)"
        elif kind == "ru-kmu":
            a, b, note = ru_full, uk(uk_full), "ru Cyrillic vs KMU (uk)"
        elif kind == "p2007-wiki":
            a, b = uk(uk_full, "UA passport 2007"), ru(ru_full, "Wikipedia")
            note = "UA passport 2007 (uk) vs Wikipedia (ru)"
        else:
            a, b, note = uk(uk_full, "German"), ru(ru_full), "German (uk) vs ICAO (ru)"
        if a != b:
            rows.append((a, b, "same", f"translitua/iuliia {note}"))
    rows += LANGUAGE_HAND
    return [(a, b, e, "language", n) for a, b, e, n in rows]


LETTERS = "letter correspondence, not in name_pairs.csv (issue 3 §4; names.md §2.1)"

LANGUAGE_HAND: list[tuple[str, str, str, str]] = [
    # The issue's own examples and names.md §4/§5 (Latin-Latin failures of logic-v2).
    ("Олександр Петренко", "Александр Петренко", "same", "issue 3"),
    ("Олександр Петренко", "Aleksandr Petrenko", "same", "issue 3; names.md §5.2"),
    ("Mykola Shevchenko", "Nikolai Shevchenko", "same", "names.md §0 logic-v2 fails (0.50)"),
    ("Dmytro Kovalenko", "Dmitrii Kovalenko", "same", "names.md §0 logic-v2 fails (0.50)"),
    ("Serhii Bondarenko", "Sergei Bondarenko", "same", "names.md §0 logic-v2 fails (0.50)"),
    ("Євген Згурський", "Evgenii Zgurskii", "same", "names.md §0 logic-v2 fails (0.37)"),
    ("Yevhen Zghurskyi", "Evgenii Zgurskii", "same", "names.md §5.2 grid KMU vs ICAO"),
    ("Yaroslav Oliinyk", "Iaroslav Oleinik", "same", "names.md §5.2 grid KMU vs ICAO"),
    ("Yurii Hnatiuk", "Iurii Gnatiuk", "same", "names.md §5.2 grid KMU vs ICAO"),
    ("Oleksii Lysenko", "Aleksei Lysenko", "same", "names.md §5.2 grid KMU vs ICAO"),
    ("Hanna Boiko", "Anna Boiko", "same", "names.md §5.2 grid (prothetic Г)"),
    ("Olena Kravchenko", "Elena Kravchenko", "same", "names.md §5.2 grid (О/Е)"),
    ("Kateryna Melnyk", "Ekaterina Melnik", "same", "names.md §5.2 grid"),
    ("Sofiia Yizhakevych", "Sofia Izhakevich", "same", "names.md §5.2 grid"),
    ("Софія Їжакевич", "Софья Ижакевич", "same", "names.md §2.1 (-ія/-ья, ї/и)"),
    ("Наталія Яковенко", "Наталья Яковенко", "same", "names.md §2.1"),
    ("Наталія Яковенко", "Наталия Яковенко", "same", "names.md §2.5 Russian alternate"),
    ("Дарина Коваль", "Дария Коваль", "same", "names.md §2.5 Russian alternate Дария"),
    ("Дарина Литвиненко", "Дар'я Литвиненко", "unsure",
     "both Ukrainian spellings: Дарина and Дар'я are two registered Ukrainian names, "
     "although a Russian list may write either as Дарья (name_pairs.csv): unsure"),
    # Surname shifts named in issue 3 / names.md §2.2.
    ("Ярослав Олійник", "Ярослав Олейник", "same", "issue 3 surname shift і/е"),
    ("Олексій Лисенко", "Алексей Лысенко", "same", "issue 3 surname shift и/ы"),
    ("Уляна Коломієць", "Ульяна Коломиец", "same", "issue 3 surname shift іє/ие"),
    ("Тарас Бондар", "Тарас Бондарь", "same", "issue 3 surname shift -ар/-арь"),
    ("Павло Рибак", "Павел Рыбак", "same", "names.md §2.2 и/ы"),
    ("Андрій Білий", "Андрей Белый", "same", "names.md §2.2 adjectival -ий/-ый, і/е"),
    ("Андрій Білий", "Andrei Belyi", "same", "names.md §2.2 adjectival, ICAO"),
    ("Микола Чорний", "Николай Чёрный", "same", "names.md §2.2 adjectival, о/ё"),
    ("Петро Кіт", "Пётр Кот", "same", "names.md §2.2 ikavism і/о"),
    ("Ігор Біленко", "Игорь Беленко", "same", "names.md §2.2 і/е"),
    ("Іван Гордієнко", "Иван Гордиенко", "same", "names.md §2.2 іє/ие"),
    ("Ivan Hordiienko", "Ivan Gordienko", "same", "KMU vs ICAO, іє/ие and г"),
    ("Oleh Soloviov", "Oleg Solovev", "same", "KMU (Соловйов) vs ICAO (Соловьёв)"),
    ("Олег Соловйов", "Олег Соловьёв", "same", "names.md §2.2 йо/ьё"),
    ("Марина Кузнєцова", "Марина Кузнецова", "same", "є/е in a Russian surname"),
    # Names no table knows: the letter-level correspondences of issue 3 item 4.
    ("Гліб Лисенко", "Глеб Лысенко", "same", LETTERS + " і/е"),
    ("Hlib Petrenko", "Gleb Petrenko", "same", LETTERS + " KMU vs ICAO"),
    ("Ніна Ткачук", "Нина Ткачук", "same", LETTERS + " і/и"),
    ("Зінаїда Мельник", "Зинаида Мельник", "same", LETTERS + " і/и, ї/и"),
    ("Раїса Коваленко", "Раиса Коваленко", "same", LETTERS + " ї/и"),
    ("Лідія Бойко", "Лидия Бойко", "same", LETTERS + " і/и, -ія/-ия"),
    ("Lidiia Boiko", "Lidiya Boyko", "same", LETTERS + " KMU vs MVD 310"),
    ("Аркадій Савченко", "Аркадий Савченко", "same", LETTERS + " -ій/-ий"),
    ("Arkadii Savchenko", "Arkadiy Savchenko", "same", LETTERS + " KMU vs MVD 310"),
    ("Едуард Гнатюк", "Эдуард Гнатюк", "same", LETTERS + " е/э at the start"),
    ("Ельвіра Шевченко", "Эльвира Шевченко", "same", LETTERS + " е/э, і/и"),
    ("Емілія Руденко", "Эмилия Руденко", "same", LETTERS + " е/э, і/и"),
    ("Еліна Кравчук", "Элина Кравчук", "same", LETTERS + " е/э, і/и"),
    ("Інна Павленко", "Инна Павленко", "same", LETTERS + " і/и"),
    ("Кіра Левченко", "Кира Левченко", "same", LETTERS + " і/и"),
    ("Мілана Бондаренко", "Милана Бондаренко", "same", LETTERS + " і/и"),
    ("Каріна Марченко", "Карина Марченко", "same", LETTERS + " і/и"),
    ("Ангеліна Мороз", "Ангелина Мороз", "same", LETTERS + " і/и"),
    ("Євдокія Харченко", "Евдокия Харченко", "same", LETTERS + " є/е, -ія/-ия"),
    ("Веніамін Кучер", "Вениамин Кучер", "same", LETTERS + " і/и"),
    ("Аліса Гончаренко", "Алиса Гончаренко", "same", LETTERS + " і/и"),
    ("Лілія Сидоренко", "Лилия Сидоренко", "same", LETTERS + " і/и"),
    ("Таїсія Клименко", "Таисия Клименко", "same", LETTERS + " ї/и, -ія/-ия"),
    ("Родіон Остапчук", "Родион Остапчук", "same", LETTERS + " і/и"),
    ("Ілона Романюк", "Илона Романюк", "same", LETTERS + " і/и"),
    ("Ігнат Семенюк", "Игнат Семенюк", "same", LETTERS + " і/и"),
    ("Мар'яна Литвиненко", "Марьяна Литвиненко", "same", LETTERS + " '/ь"),
    ("В'ячеслав Дорошенко", "Вячеслав Дорошенко", "same", LETTERS + " ' dropped"),
    ("Дем'ян Головко", "Демьян Головко", "same", LETTERS + " '/ь"),
    ("Тихін Мазур", "Тихон Мазур", "same", LETTERS + " ikavism і/о (names.md §2.1)"),
    ("Антін Кравець", "Антон Кравец", "same", "names.md §2.1 ikavism Антін/Антон"),
    # Folk and older Ukrainian forms (names.md §2.1), as translated by Soviet clerks.
    ("Хома Бойко", "Фома Бойко", "same", "names.md §2.1 folk form"),
    ("Панас Мельник", "Афанасий Мельник", "same", "names.md §2.1 folk form"),
    ("Пилип Коваль", "Филипп Коваль", "same", "names.md §2.1 folk form"),
    ("Гаврило Шевчук", "Гавриил Шевчук", "same", "names.md §2.1 folk form"),
    ("Охрім Гнатюк", "Ефрем Гнатюк", "same", "names.md §2.1 folk form"),
]


# -- layer: morphology ------------------------------------------------------------------


def look_alike(text: str, letters: str) -> str:
    """Replace the given Cyrillic letters by their Latin look-alikes (names.md §7)."""
    table = {"а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "і": "i",
             "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O",
             "Р": "P", "С": "C", "Т": "T", "Х": "X", "І": "I"}
    return "".join(table[c] if c in letters and c in table else c for c in text)


def cyr_in_latin(text: str, letters: str) -> str:
    """Replace the given Latin letters by Cyrillic look-alikes (names.md §7, reverse)."""
    table = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "i": "і", "y": "у",
             "O": "О", "P": "Р", "E": "Е", "K": "К", "A": "А", "T": "Т", "I": "І"}
    return "".join(table[c] if c in letters and c in table else c for c in text)


GIRL = "girl's surname in the feminine form on both sides (names.md §2.2)"
PATR = "patronymic, uk ↔ ru forms of one father's name (names.md §2.3)"
ONE_SIDE = "patronymic on one side only: Ukrainian reports omit it (names.md §7)"
CONFLICT = ("patronymic names another father: could be a namesake cousin or a patronymic "
            "rebuilt on adoption (names.md §7), so the names alone cannot decide")
ORDER = "order swapped (register order vs given-first), names.md §7"
APOS = "apostrophe variant (names.md §7, issue 3 §1)"
LOOK = "Latin look-alike letters typed inside a Cyrillic name (names.md §7)"

MORPHOLOGY_HAND: list[tuple[str, str, str, str]] = [
    # Gendered surname forms of one girl (the given name is the same person's).
    ("Ковальська Марія", "Kovalskaia Mariia", "same", GIRL + "; ICAO of Ковальская Мария"),
    ("Марія Ковальська", "Мария Ковальская", "same", GIRL),
    ("Марія Ковальська", "Mariia Kovalska", "same", GIRL + "; KMU"),
    (uk("Марія Ковальська"), ru("Мария Ковальская", "MVD 310 (1997)"), "same",
     GIRL + "; KMU vs MVD 310"),
    ("Євгенія Згурська", "Евгения Згурская", "same", GIRL),
    ("Євгенія Згурська", uk("Євгенія Згурська"), "same", GIRL + "; KMU"),
    ("Євгенія Згурська", ru("Евгения Згурская"), "same", GIRL + "; ICAO"),
    (uk("Євгенія Згурська"), ru("Евгения Згурская", "MVD 310 (1997)"), "same",
     GIRL + "; KMU vs MVD 310"),
    ("Анастасія Вишневська", ru("Анастасия Вишневская", "MVD 310 (1997)"), "same",
     GIRL + "; MVD 310"),
    ("Дарина Хмельницька", "Дарья Хмельницкая", "same", GIRL),
    (uk("Дарина Хмельницька"), ru("Дарья Хмельницкая"), "same", GIRL + "; KMU vs ICAO"),
    ("Олена Іванова", "Elena Ivanova", "same", GIRL + "; -ова"),
    ("Олена Іванова", "Елена Иванова", "same", GIRL + "; -ова"),
    ("Юлія Соловйова", "Юлия Соловьёва", "same", GIRL + "; -йова/-ьёва"),
    ("Юлія Соловйова", ru("Юлия Соловьёва"), "same", GIRL + "; ICAO Soloveva"),
    (uk("Юлія Соловйова"), ru("Юлия Соловьёва", "Wikipedia"), "same",
     GIRL + "; KMU vs Wikipedia"),
    ("Ганна Ковальова", ru("Анна Ковалёва"), "same", GIRL + "; ICAO"),
    ("Катерина Кузнєцова", ru("Екатерина Кузнецова"), "same", GIRL + "; ICAO"),
    ("Марина Миронова", "Marina Mironova", "same", GIRL + "; names.md §7 Mironova"),
    ("Софія Ковальська", ru("София Ковальская", "Wikipedia"), "same", GIRL + "; Wikipedia"),
    ("Вікторія Вишневська", uk("Вікторія Вишневська", "German"), "same",
     GIRL + "; translitua German"),
    ("Марія Ковальська", "Марія Ковальський", "same",
     "surname in the masculine form for a girl (clerk copied the family form): same "
     "surname, and no girl can bear the masculine form, so it is her"),
    ("Олена Іванова", "Олена Іванов", "same",
     "surname in the masculine form for a girl (family form copied): same surname"),
    # -ський endings in Latin for one boy (names.md §2.2: -skyi, -sky, -skiy, -skii, -skyy).
    ("Олександр Ковальський", "Aleksandr Kovalskii", "same", "names.md §2.2 -skii (ICAO)"),
    ("Олександр Ковальський", "Oleksandr Kovalsky", "same", "names.md §2.2 -sky"),
    ("Олександр Ковальський", "Aleksandr Kovalskiy", "same", "names.md §2.2 -skiy (MVD)"),
    ("Олександр Ковальський", "Oleksandr Kovalskyy", "same", "names.md §2.2 -skyy (BGN)"),
    ("Олександр Ковальський", "Oleksandr Kowalskyj", "same", "names.md §2.2 -skyj (German)"),
    ("Сергій Хмельницький", "Sergei Khmelnitskii", "same", "names.md §2.2 -цький/-tskii"),
    ("Sergey Khmelnitsky", "Serhii Khmelnytskyi", "same", "names.md §2.2 -tsky vs -tskyi"),
    ("Євген Згурський", "Evgeny Zgursky", "same", "names.md §4.1 rigour/1997 reduced"),
    # Patronymics across languages, register order (names.md §2.3).
    ("ПЕТРЕНКО Олександр Сергійович", "Петренко Александр Сергеевич", "same",
     PATR + "; issue 3 example"),
    ("Петренко Олександр Сергійович", "PETRENKO Aleksandr Sergeevich", "same", PATR),
    ("Петренко Олександр Сергійович", "Petrenko Oleksandr Serhiiovych", "same",
     PATR + "; KMU"),
    ("Коваленко Марія Андріївна", "Коваленко Мария Андреевна", "same", PATR),
    ("Шевченко Микола Миколайович", "Шевченко Николай Николаевич", "same", PATR),
    ("Ткачук Ганна Миколаївна", "Ткачук Анна Николаевна", "same", PATR),
    ("Бойко Ілля Ілліч", "Бойко Илья Ильич", "same", PATR + " (Ілліч/Ильич)"),
    ("Бойко Олена Іллівна", "Бойко Елена Ильинична", "same", PATR + " (Іллівна/Ильинична)"),
    ("Мельник Іван Якович", "Мельник Иван Яковлевич", "same", PATR + " (Якович/Яковлевич)"),
    ("Мельник Ірина Яківна", "Мельник Ирина Яковлевна", "same", PATR + " (Яківна/Яковлевна)"),
    ("Гнатюк Ольга Львівна", "Гнатюк Ольга Львовна", "same", PATR + " (Львівна/Львовна)"),
    ("Лисенко Петро Петрович", "Лысенко Пётр Петрович", "same", PATR),
    ("Лисенко Дарина Петрівна", "Лысенко Дарья Петровна", "same", PATR + " (-івна/-овна)"),
    ("Кравченко Юлія Олександрівна", "Kravchenko Iuliia Aleksandrovna", "same",
     PATR + "; names.md §2.3 Oleksandrivna vs Aleksandrovna"),
    ("Kravchenko Yuliia Oleksandrivna", "Kravchenko Iuliia Aleksandrovna", "same",
     PATR + "; KMU vs ICAO"),
    ("Савченко Дмитро Олексійович", "Савченко Дмитрий Алексеевич", "same", PATR),
    ("Руденко Тетяна Юріївна", "Руденко Татьяна Юрьевна", "same", PATR),
    ("Марченко Артем Дмитрович", "Марченко Артём Дмитриевич", "same", PATR),
    ("Павленко Віктор Григорович", "Павленко Виктор Григорьевич", "same", PATR),
    ("Левченко Анастасія Василівна", "Левченко Анастасия Васильевна", "same", PATR),
    ("Клименко Максим Володимирович", "Клименко Максим Владимирович", "same", PATR),
    ("Харченко Софія Євгенівна", "Харченко София Евгеньевна", "same", PATR),
    ("Сидоренко Богдан Віталійович", "Сидоренко Богдан Витальевич", "same", PATR),
    ("Гаврилюк Катерина Анатоліївна", "Гаврилюк Екатерина Анатольевна", "same", PATR),
    ("Романюк Кирило Ігорович", "Романюк Кирилл Игоревич", "same", PATR),
    ("Остапчук Вікторія Федорівна", "Остапчук Виктория Фёдоровна", "same", PATR),
    ("Семенюк Назар Костянтинович", "Семенюк Назар Константинович", "same", PATR),
    ("Кузьменко Поліна Валеріївна", "Кузьменко Полина Валерьевна", "same", PATR),
    ("Тимошенко Ілля Геннадійович", "Тимошенко Илья Геннадьевич", "same", PATR),
    ("Shevchenko Mykola Mykolaiovych", "Shevchenko Nikolai Nikolaevich", "same",
     PATR + "; KMU vs ICAO"),
    ("Bondarenko Sergey Sergeyevich", "Бондаренко Сергій Сергійович", "same",
     PATR + "; MVD 310"),
    # Patronymic on one side only (Russian international passports omit it, §2.3).
    ("Петренко Олександр Сергійович", "Oleksandr Petrenko", "same", ONE_SIDE),
    ("Олександр Петренко", "ПЕТРЕНКО Александр Сергеевич", "same", ONE_SIDE + "; issue 3"),
    ("Коваленко Марія Андріївна", "Mariia Kovalenko", "same", ONE_SIDE),
    ("Дмитро Шевченко", "Шевченко Дмитрий Николаевич", "same", ONE_SIDE),
    ("Ганна Бойко", "Бойко Анна Ивановна", "same", ONE_SIDE),
    ("Iuliia Kravchenko", "Кравченко Юлія Олександрівна", "same", ONE_SIDE),
    ("Мельник Іван Якович", "Ivan Melnyk", "same", ONE_SIDE),
    # Same given name and surname, another father's name.
    ("Петренко Олександр Іванович", "Петренко Олександр Сергійович", "unsure", CONFLICT),
    ("Коваленко Марія Андріївна", "Коваленко Мария Петровна", "unsure", CONFLICT),
    ("Шевченко Микола Миколайович", "Шевченко Николай Иванович", "unsure", CONFLICT),
    ("Бойко Ганна Олегівна", "Бойко Ганна Василівна", "unsure", CONFLICT),
    ("Ткачук Андрій Петрович", "Tkachuk Andrei Sergeevich", "unsure", CONFLICT),
    ("Мельник Юлія Ігорівна", "Мельник Юлия Романовна", "unsure", CONFLICT),
    # Order swaps and the upper-case surname convention.
    ("Петренко Олександр", "Oleksandr Petrenko", "same", ORDER),
    ("PETRENKO Oleksandr", "Олександр Петренко", "same", ORDER + "; capitals mark the surname"),
    ("Шевченко Микола Іванович", "Mykola Shevchenko", "same", ORDER),
    ("KOVALENKO Dmytro", "Дмитро Коваленко", "same", ORDER + "; capitals"),
    ("Shevchenko Taras", "Тарас Шевченко", "same", ORDER + "; Latin, surname first"),
    ("Tkachuk Andrii", "Andrii Tkachuk", "same", ORDER + "; Latin both sides"),
    ("Ткачук Андрій", "Андрій Ткачук", "same", ORDER + "; Cyrillic both sides"),
    ("Бойко Ганна", "Hanna Boiko", "same", ORDER),
    ("Мельник Катерина", "Ekaterina Melnik", "same", ORDER + "; and Russian form"),
    ("Лисенко Олексій", "Aleksei Lysenko", "same", ORDER + "; and Russian form"),
    ("Petrenko, Oleksandr", "Олександр Петренко", "same", ORDER + "; comma after surname"),
    ("Коваленко, Дмитро", "Dmytro Kovalenko", "same", ORDER + "; comma after surname"),
    ("ПЕТРЕНКО ОЛЕКСАНДР", "Oleksandr Petrenko", "same", "all capitals, register order"),
    ("PETRENKO OLEKSANDR", "Олександр Петренко", "same", "all capitals (passport style)"),
    ("OLEKSANDR PETRENKO", "Петренко Олександр", "same", "all capitals, given name first"),
    ("ШЕВЧЕНКО МИКОЛА ІВАНОВИЧ", "Микола Шевченко", "same", "all capitals, register order"),
    ("IVANOVA MARIIA", "Марія Іванова", "same", "all capitals (passport style)"),
    ("петренко олександр", "Олександр Петренко", "same", "all lower case, register order"),
    ("ДАНИЛЮК Петро", "Petro Danyliuk", "same", ORDER + "; capitals mark the surname"),
    ("РОМАН Олег", "Oleh Roman", "same",
     ORDER + "; surname Роман is also a given name, capitals mark it"),
    ("МАКСИМ Андрій", "Andrii Maksym", "same",
     ORDER + "; surname Максим is also a given name, capitals mark it"),
    # Apostrophe variants.
    ("Дар'я Мельник", "Дарʼя Мельник", "same", APOS + " ' vs ʼ"),
    ("Дар’я Мельник", "Дар'я Мельник", "same", APOS + " ’ vs '"),
    ("Дар`я Мельник", "Дарʼя Мельник", "same", APOS + " ` vs ʼ"),
    ("Дар'я Мельник", "Дарья Мельник", "same", APOS + "; ru ь for uk '"),
    ("Дар'я Мельник", "Daria Melnyk", "same", APOS + "; KMU drops it"),
    ("Дарʼя Мельник", uk("Дарʼя Мельник", "National 1996"), "same", APOS + "; National 1996"),
    ("Ірина Лук'яненко", "Ірина Лукʼяненко", "same", APOS),
    ("Ірина Лук’яненко", "Ирина Лукьяненко", "same", APOS + "; ru ь"),
    ("Ірина Лук'яненко", "Iryna Lukianenko", "same", APOS + "; KMU"),
    ("Iryna Lukianenko", "Irina Luk'yanenko", "same", APOS + "; KMU vs MVD 310"),
    ("Мар'яна Дем'янчук", "Марʼяна Демʼянчук", "same", APOS),
    ("Мар'яна Дем'янчук", "Mariana Demianchuk", "same", APOS + "; KMU"),
    ("В'ячеслав Лук'яненко", "Вʼячеслав Лукяненко", "same", APOS + "; dropped once"),
    # Latin look-alikes inside Cyrillic, Cyrillic look-alikes inside Latin.
    (look_alike("Олександр Петренко", "Ое"), "Олександр Петренко", "same", LOOK + " (O, e)"),
    (look_alike("Катерина Мельник", "Ка"), "Екатерина Мельник", "same", LOOK + " (K, a)"),
    (look_alike("Сергій Бондаренко", "Сі"), "Serhii Bondarenko", "same", LOOK + " (C, i)"),
    (look_alike("Марія Ковальчук", "Мо"), "Марія Ковальчук", "same", LOOK + " (M, o)"),
    (look_alike("Ірина Ткачук", "І"), "Ірина Ткачук", "same", LOOK + " (Latin I for І)"),
    (look_alike("Іван Поліщук", "Іі"), "Иван Полищук", "same", LOOK + " (Latin I, i)"),
    (look_alike("Ігор Яковенко", "Іо"), "Ihor Yakovenko", "same", LOOK + " (I, o)"),
    (look_alike("Петро Коваль", "ор"), "Petro Koval", "same", LOOK + " (o, p)"),
    (look_alike("Оксана Руденко", "Осае"), "Оксана Руденко", "same", LOOK + " (O, c, a, e)"),
    (look_alike("Христина Марченко", "Хар"), "Христина Марченко", "same", LOOK + " (X, a, p)"),
    (look_alike("ПЕТРЕНКО Олександр", "ЕТРКО"), "Олександр Петренко", "same",
     "OCR of capitals: look-alike Latin letters in the majority of the word (names.md §7)"),
    (look_alike("КОВАЛЕНКО Дмитро", "КОВАЕ"), "Dmytro Kovalenko", "same",
     "OCR of capitals: look-alike Latin letters in the majority of the word (names.md §7)"),
    (cyr_in_latin("Oleksandr Petrenko", "Oe"), "Oleksandr Petrenko", "same",
     "Cyrillic look-alikes inside a Latin name (names.md §7)"),
    (cyr_in_latin("Iryna Tkachuk", "Ia"), "Ірина Ткачук", "same",
     "Cyrillic look-alikes inside a Latin name (names.md §7)"),
    (cyr_in_latin("Serhii Bondarenko", "i"), "Сергій Бондаренко", "same",
     "Cyrillic і typed inside a Latin name (names.md §7)"),
    # ё written е (names.md §2.1: normalise ё → е).
    ("Пётр Ковалёв", "Петр Ковалев", "same", "ё written е"),
    ("Артём Соловьёв", "Артем Соловьев", "same", "ё written е"),
    ("Семён Федоренко", "Семен Федоренко", "same", "ё written е"),
    ("Фёдор Лысенко", "Федор Лысенко", "same", "ё written е"),
    ("Pyotr Kovalyov", "Petr Kovalev", "same", "ё: Wikipedia yo vs ICAO e"),
    ("Artyom Solovyov", "Artem Solovev", "same", "ё: Wikipedia yo vs ICAO e"),
    # Unicode and typing noise (issue 3 §1).
    (unicodedata.normalize("NFD", "Андрій Йосипенко"), "Андрій Йосипенко", "same",
     "NFD (й as и + combining breve) vs NFC"),
    (unicodedata.normalize("NFD", "Софія Їжакевич"), "Софія Їжакевич", "same",
     "NFD (ї as і + combining diaeresis) vs NFC"),
    ("Олександр  Петренко ", "Олександр Петренко", "same", "double and trailing space"),
    ("Олександр\u00a0Петренко", "Олександр Петренко", "same", "non-breaking space"),
    ("Олександр Пет\u200bренко", "Олександр Петренко", "same", "zero-width space in a word"),
    ("Анна–Марія Коваленко", "Анна-Марія Коваленко", "same", "en dash vs hyphen"),
    ("Анна-Марія Коваленко", "Anna-Mariia Kovalenko", "same", "hyphenated given name, KMU"),
    ("Ольга Петренко-Смирнова", "Olha Petrenko-Smyrnova", "same", "double surname, KMU"),
]


def morphology_rows() -> list[Row]:
    return [(a, b, e, "morphology", n) for a, b, e, n in MORPHOLOGY_HAND]


# -- layer: diminutive ------------------------------------------------------------------

ONE = ("diminutive of exactly one full name, and it is the other side's: same "
       "(names.md §2.4)")
MANY = ("diminutive of several names (names.md §2.4: a set, never one); the full "
        "name on the other side is only one of them: unsure")
BOTH_AMBIGUOUS = "both sides diminutives that can stand for several names: unsure"
OTHER = "diminutive of a name that is not the other side's: different"

DIMINUTIVE_HAND: list[tuple[str, str, str, str]] = [
    # Unambiguous diminutives: same.
    ("Коля Шевченко", "Микола Шевченко", "same", ONE + "; issue brief"),
    ("Коля Шевченко", "Николай Шевченко", "same", ONE + "; cross-language"),
    ("Коля Шевченко", "Mykola Shevchenko", "same", ONE + "; Latin full name"),
    ("Дима Коваленко", "Дмитро Коваленко", "same", ONE),
    ("Дима Коваленко", "Dmitrii Kovalenko", "same", ONE + "; ICAO full name"),
    ("Митя Коваленко", "Дмитрий Коваленко", "same", ONE),
    ("Миша Ткачук", "Михайло Ткачук", "same", ONE),
    ("Гриша Бойко", "Григорій Бойко", "same", ONE),
    ("Вова Мельник", "Володимир Мельник", "same", ONE),
    ("Вова Мельник", "Vladimir Melnik", "same", ONE + "; ICAO"),
    ("Федя Лисенко", "Федір Лисенко", "same", ONE),
    ("Яша Гнатюк", "Яків Гнатюк", "same", ONE),
    ("Костя Савченко", "Костянтин Савченко", "same", ONE),
    ("Стас Руденко", "Станіслав Руденко", "same", ONE),
    ("Ростик Марченко", "Ростислав Марченко", "same", ONE),
    ("Тёма Павленко", "Артем Павленко", "same", ONE),
    ("Кирюша Левченко", "Кирилл Левченко", "same", ONE),
    ("Серёжа Бондаренко", "Сергій Бондаренко", "same", ONE),
    ("Андрюша Ткачук", "Андрей Ткачук", "same", ONE),
    ("Льоша Лисенко", "Олексій Лисенко", "same", ONE),
    ("Сашко Петренко", "Олександр Петренко", "same", ONE + " (Сашко is only a boy's)"),
    ("Юрко Гнатюк", "Юрій Гнатюк", "same", ONE),
    ("Гена Клименко", "Геннадій Клименко", "same", ONE),
    ("Толя Харченко", "Анатолий Харченко", "same", ONE),
    ("Настя Бойко", "Анастасія Бойко", "same", ONE),
    ("Настя Бойко", "Anastasiia Boiko", "same", ONE + "; KMU"),
    ("Катя Мельник", "Катерина Мельник", "same", ONE),
    ("Катя Мельник", "Екатерина Мельник", "same", ONE + "; cross-language"),
    ("Маша Іванова", "Марія Іванова", "same", ONE),
    ("Наташа Кравчук", "Наталія Кравчук", "same", ONE),
    ("Таня Руденко", "Тетяна Руденко", "same", ONE),
    ("Юля Ковальчук", "Юлія Ковальчук", "same", ONE),
    ("Оля Сидоренко", "Ольга Сидоренко", "same", ONE),
    ("Ксюша Гаврилюк", "Ксенія Гаврилюк", "same", ONE),
    ("Даша Литвиненко", "Дарина Литвиненко", "same", ONE),
    ("Соня Остапчук", "Софія Остапчук", "same", ONE),
    ("Аня Романюк", "Ганна Романюк", "same", ONE + " (Аня ↔ Анна ↔ Ганна)"),
    ("Ганнуся Романюк", "Анна Романюк", "same", ONE),
    ("Марічка Семенюк", "Марія Семенюк", "same", ONE),
    ("Рита Кушнір", "Маргарита Кушнір", "same", ONE),
    ("Ліза Кравчук", "Єлизавета Кравчук", "same", ONE),
    # Latin diminutives (KMU/ICAO of the Cyrillic diminutive).
    ("Kolia Shevchenko", "Микола Шевченко", "same", ONE + "; KMU/ICAO Kolia"),
    ("Kolya Shevchenko", "Nikolai Shevchenko", "same", ONE + "; MVD Kolya"),
    ("Nastia Melnyk", "Анастасія Мельник", "same", ONE + "; KMU Nastia"),
    ("Masha Ivanova", "Mariia Ivanova", "same", ONE),
    ("Dima Kovalenko", "Dmytro Kovalenko", "same", ONE),
    # Diminutive and register order together.
    ("ШЕВЧЕНКО Коля", "Mykola Shevchenko", "same", ONE + "; register order"),
    ("Коля Шевченко", "Колька Шевченко", "same", "two diminutives of one name (Микола)"),
    # Ambiguous diminutives: unsure.
    ("Саша Петренко", "Олександр Петренко", "unsure", MANY + " (Олександр | Олександра)"),
    ("Саша Петренко", "Олександра Петренко", "unsure", MANY + " (Олександр | Олександра)"),
    ("Sasha Petrenko", "Aleksandr Petrenko", "unsure", MANY + "; Latin"),
    ("Шура Петренко", "Олександр Петренко", "unsure",
     MANY + " (Шура is Олександр | Олександра, though name_pairs.csv lists it for "
     "Олександр only)"),
    ("Женя Бойко", "Євген Бойко", "unsure", MANY + " (Євген | Євгенія)"),
    ("Женя Бойко", "Евгения Бойко", "unsure", MANY + " (Євген | Євгенія)"),
    ("Zhenia Boiko", "Yevhen Boiko", "unsure", MANY + "; KMU Zhenia"),
    ("Слава Коваль", "Ярослав Коваль", "unsure",
     MANY + " (Ярослав | Святослав | Ростислав | Мирослава | В'ячеслав)"),
    ("Слава Коваль", "Мирослава Коваль", "unsure", MANY),
    ("Юра Гнатюк", "Юрій Гнатюк", "unsure", MANY + " (Юрій | Георгій)"),
    ("Юра Гнатюк", "Георгій Гнатюк", "unsure", MANY + " (Юрій | Георгій)"),
    ("Леся Мельник", "Олена Мельник", "unsure", MANY + " (Олександра | Олена)"),
    ("Олесь Ткачук", "Олексій Ткачук", "unsure", MANY + " (Олександр | Олексій)"),
    ("Даня Руденко", "Данило Руденко", "unsure", MANY + " (Данило | Богдана)"),
    ("Бодя Савченко", "Богдан Савченко", "unsure", MANY + " (Богдан | Богдана)"),
    ("Сеня Марченко", "Семен Марченко", "unsure", MANY + " (Семен | Арсеній)"),
    ("Саша Петренко", "Сашко Петренко", "unsure", BOTH_AMBIGUOUS + " (Саша may be a girl)"),
    ("Саша Петренко", "Шура Петренко", "unsure", BOTH_AMBIGUOUS),
    # A diminutive against another name: different.
    ("Коля Шевченко", "Дмитро Шевченко", "different", OTHER),
    ("Саша Петренко", "Микола Петренко", "different", OTHER + " (Саша is not Микола)"),
    ("Женя Бойко", "Ганна Бойко", "different", OTHER),
    ("Катя Мельник", "Марія Мельник", "different", OTHER),
    ("Маша Іванова", "Марина Іванова", "different", OTHER + " (Маша is Марія)"),
    ("Настя Бойко", "Анна Бойко", "different", OTHER),
    ("Дима Коваленко", "Данило Коваленко", "different", OTHER),
    ("Kolia Shevchenko", "Dmytro Shevchenko", "different", OTHER + "; Latin"),
    ("Юля Ковальчук", "Юрій Ковальчук", "different", OTHER + " (girl vs boy)"),
    # The right diminutive with another surname: different (namesakes).
    ("Коля Шевченко", "Микола Коваленко", "different", "diminutive, other surname"),
    ("Настя Бойко", "Анастасія Ткачук", "different", "diminutive, other surname"),
]


def diminutive_rows() -> list[Row]:
    return [(a, b, e, "diminutive", n) for a, b, e, n in DIMINUTIVE_HAND]


# -- layer: negative --------------------------------------------------------------------

BS = "brother/sister: male and female forms of one name, same surname"
SIB = "siblings: same surname, different given names"
NAMESAKE = "namesakes: same given name, different surnames"
NEAR = "near-miss"

NEGATIVE_HAND: list[tuple[str, str, str, str]] = [
    # Brother and sister.
    ("Олександр Петренко", "Олександра Петренко", "different", BS + "; issue 3"),
    ("Александр Петренко", "Александра Петренко", "different", BS + "; Russian"),
    ("Oleksandr Petrenko", "Oleksandra Petrenko", "different", BS + "; KMU"),
    ("Aleksandr Petrenko", "Олександра Петренко", "different", BS + "; ICAO vs uk"),
    ("Олександр Ковальський", "Олександра Ковальська", "different", BS + " (gendered form)"),
    ("Aleksandr Kovalskii", "Aleksandra Kovalskaia", "different", BS + " (gendered), ICAO"),
    ("Ярослав Коваль", "Ярослава Коваль", "different", BS),
    ("Ярослав Згурський", "Ярослава Згурська", "different", BS + " (gendered form)"),
    ("Yaroslav Koval", "Yaroslava Koval", "different", BS + "; KMU"),
    ("Jaroslaw Kowal", "Jaroslawa Kowal", "different", BS + "; German"),
    ("Євген Бойко", "Євгенія Бойко", "different", BS),
    ("Евгений Иванов", "Евгения Иванова", "different", BS + " (gendered form), Russian"),
    ("Yevhen Boiko", "Yevheniia Boiko", "different", BS + "; KMU"),
    ("Evgenii Zgurskii", "Євгенія Згурська", "different", BS + "; ICAO vs uk"),
    ("Богдан Мельник", "Богдана Мельник", "different", BS),
    ("Bohdan Melnyk", "Bogdana Melnik", "different", BS + "; KMU vs ICAO"),
    ("Віталій Ткачук", "Віталія Ткачук", "different", BS),
    ("Валентин Гнатюк", "Валентина Гнатюк", "different", BS),
    ("Станіслав Руденко", "Станіслава Руденко", "different", BS),
    ("Владислав Савченко", "Владислава Савченко", "different", BS),
    ("Мирослав Павленко", "Мирослава Павленко", "different", BS),
    ("Святослав Лисенко", "Святослава Лисенко", "different", BS),
    ("Ростислав Марченко", "Ростислава Марченко", "different", BS),
    ("Іван Кравчук", "Іванна Кравчук", "different", BS),
    ("Ivan Kravchuk", "Ivanna Kravchuk", "different", BS + "; KMU"),
    ("Віктор Левченко", "Вікторія Левченко", "different", BS),
    ("Viktor Levchenko", "Viktoriia Levchenko", "different", BS + "; KMU"),
    ("Юлій Сидоренко", "Юлія Сидоренко", "different", BS),
    ("Ян Клименко", "Яна Клименко", "different", BS),
    ("Роман Гаврилюк", "Романа Гаврилюк", "different", BS),
    ("Василь Кушнір", "Василина Кушнір", "different", BS),
    ("Антон Остапчук", "Антоніна Остапчук", "different", BS),
    ("Петренко Олександр Сергійович", "Петренко Олександра Сергіївна", "different",
     BS + ", same father"),
    ("ПЕТРЕНКО Александр Сергеевич", "Петренко Олександра Сергіївна", "different",
     BS + ", same father, ru vs uk"),
    ("Іванов Євген Петрович", "Іванова Євгенія Петрівна", "different", BS + ", same father"),
    # Siblings: same surname, different given names.
    ("Олександр Петренко", "Микола Петренко", "different", SIB + "; issue 3"),
    ("Микола Шевченко", "Дмитро Шевченко", "different", SIB),
    ("Mykola Shevchenko", "Дмитрий Шевченко", "different", SIB + "; cross-script"),
    ("Ганна Бойко", "Марія Бойко", "different", SIB),
    ("Hanna Boiko", "Mariia Boiko", "different", SIB + "; KMU"),
    ("Андрій Ткачук", "Сергій Ткачук", "different", SIB + " (same -ій ending)"),
    ("Andrii Tkachuk", "Serhii Tkachuk", "different", SIB + " (same -ii ending); KMU"),
    ("Андрей Ткачук", "Алексей Ткачук", "different", SIB + " (same -ей ending)"),
    ("Катерина Мельник", "Олена Мельник", "different", SIB),
    ("Ekaterina Melnik", "Elena Melnik", "different", SIB + "; ICAO"),
    ("Юлія Ковальчук", "Софія Ковальчук", "different", SIB),
    ("Iuliia Kovalchuk", "Sofiia Kovalchuk", "different", SIB + " (same -iia ending)"),
    ("Ярослав Олійник", "Владислав Олійник", "different", SIB + " (same -слав)"),
    ("Yaroslav Oliinyk", "Vladyslav Oliinyk", "different", SIB + " (same -slav)"),
    ("Наталія Яковенко", "Анастасія Яковенко", "different", SIB + " (same -ія)"),
    ("Олексій Лисенко", "Олег Лисенко", "different", SIB + " (same start)"),
    ("Юрій Гнатюк", "Георгій Гнатюк", "different",
     SIB + " (share the diminutive Юра, but full names differ)"),
    ("Софія Їжакевич", "Соломія Їжакевич", "different", SIB + " (same start and end)"),
    ("Ілля Щербак", "Іван Щербак", "different", SIB),
    ("Вікторія Поліщук", "Валерія Поліщук", "different", SIB),
    ("Ксенія Ґудзь", "Оксана Ґудзь", "different", SIB + " (share the diminutive Ксеня)"),
    ("Данило Коваль", "Богдана Коваль", "different", SIB + " (share the diminutive Даня)"),
    ("Максим Ковальський", "Марія Ковальська", "different", SIB + " (gendered surname)"),
    ("Maksym Kovalskyi", "Mariia Kovalska", "different", SIB + " (gendered surname); KMU"),
    ("Тимофій Мороз", "Матвій Мороз", "different", SIB + " (same -ій ending)"),
    ("Кирило Савченко", "Данило Савченко", "different", SIB + " (same -ило ending)"),
    ("Kyrylo Savchenko", "Danylo Savchenko", "different", SIB + " (same -ylo ending); KMU"),
    ("Ростислав Руденко", "Святослав Руденко", "different", SIB + " (same -слав)"),
    ("Мирослава Павленко", "Ярослава Павленко", "different", SIB + " (same -слава)"),
    ("Владислав Левченко", "Станіслав Левченко", "different", SIB + " (same -слав)"),
    ("Шевченко Микола Іванович", "Шевченко Петро Іванович", "different",
     SIB + ", same father"),
    ("SHEVCHENKO Mykola", "SHEVCHENKO Petro", "different", SIB + "; capitals"),
    # Namesakes: one given name, different surnames.
    ("Олександр Петренко", "Олександр Іваненко", "different", NAMESAKE + "; issue 3"),
    ("Олександр Петренко", "Aleksandr Ivanenko", "different", NAMESAKE + "; names.md §5.2"),
    ("Олександр Петренко", "Александр Петров", "different", NAMESAKE + "; names.md §5.2"),
    ("Олександр Петренко", "Александр Смирнов", "different", NAMESAKE + "; names.md §5.2"),
    ("Микола Шевченко", "Николай Коваленко", "different", NAMESAKE + "; names.md §5.2"),
    ("Дмитро Коваленко", "Дмитрий Бондаренко", "different", NAMESAKE + " (-енко both)"),
    ("Dmytro Kovalenko", "Dmytro Bondarenko", "different", NAMESAKE + " (-enko both)"),
    ("Сергій Бондаренко", "Сергей Ткачук", "different", NAMESAKE + "; names.md §5.2"),
    ("Андрій Ткачук", "Андрей Кравченко", "different", NAMESAKE + "; names.md §5.2"),
    ("Олена Кравченко", "Елена Мельник", "different", NAMESAKE + "; names.md §5.2"),
    ("Юлія Ковальчук", "Юлия Бойко", "different", NAMESAKE + "; names.md §5.2"),
    ("Ганна Бойко", "Анна Згурская", "different", NAMESAKE + "; names.md §5.2"),
    ("Євген Згурський", "Евгений Олейник", "different", NAMESAKE + "; names.md §5.2"),
    ("Ярослав Олійник", "Ярослав Яковенко", "different", NAMESAKE + "; names.md §5.2"),
    ("Наталія Яковенко", "Наталья Лысенко", "different", NAMESAKE + "; names.md §5.2"),
    ("Олексій Лисенко", "Алексей Гнатюк", "different", NAMESAKE + "; names.md §5.2"),
    ("Юрій Гнатюк", "Юрий Ижакевич", "different", NAMESAKE + "; names.md §5.2"),
    ("Софія Їжакевич", "Софья Щербак", "different", NAMESAKE + "; names.md §5.2"),
    ("Ілля Щербак", "Илья Полищук", "different", NAMESAKE + "; names.md §5.2"),
    ("Вікторія Поліщук", "Виктория Гудзь", "different", NAMESAKE + "; names.md §5.2"),
    ("Ксенія Ґудзь", "Ксения Петренко", "different", NAMESAKE + "; names.md §5.2"),
    ("Марія Коваленко", "Марія Шевченко", "different", NAMESAKE + " (-енко both)"),
    ("Mariia Kovalenko", "Mariia Shevchenko", "different", NAMESAKE + " (-enko both); KMU"),
    ("Анастасія Мельник", "Anastasiia Tkachuk", "different", NAMESAKE),
    ("Максим Ковальський", "Максим Вишневський", "different", NAMESAKE + " (-ський both)"),
    ("Maksym Kovalskyi", "Maksim Vishnevskii", "different", NAMESAKE + " (-skyi/-skii)"),
    ("Дарина Іванова", "Дарья Миронова", "different", NAMESAKE + " (-ова both)"),
    ("Daria Ivanova", "Daria Mironova", "different", NAMESAKE + " (-ova both)"),
    ("Іван Петренко", "Іван Павленко", "different", NAMESAKE + " (P-enko both)"),
    ("Ivan Petrenko", "Ivan Pavlenko", "different", NAMESAKE + " (P-enko both)"),
    ("Софія Марченко", "Софія Савченко", "different", NAMESAKE + " (-ченко both)"),
    ("Артем Руденко", "Артём Юрченко", "different", NAMESAKE),
    # Near misses: surnames one or two letters apart, or that share a stem.
    ("Олександр Петренко", "Олександр Петрук", "different", NEAR + " surname (brief)"),
    ("Oleksandr Petrenko", "Oleksandr Petruk", "different", NEAR + " surname; KMU"),
    ("Іван Петренко", "Іван Петрів", "different", NEAR + " surname, same stem"),
    ("Іван Шевченко", "Іван Шевчук", "different", NEAR + " surname, same stem"),
    ("Yuliia Shevchenko", "Yuliia Shevchuk", "different", NEAR + " surname; KMU"),
    ("Дмитро Коваленко", "Дмитро Ковальчук", "different", NEAR + " surname, same stem"),
    ("Dmytro Kovalenko", "Dmitrii Kovalchuk", "different", NEAR + " surname; cross-language"),
    ("Андрій Коваль", "Андрій Коваленко", "different", NEAR + " surname, stem vs -енко"),
    ("Андрій Коваль", "Андрій Ковальський", "different", NEAR + " surname, stem vs -ський"),
    ("Андрій Коваль", "Андрей Ковалёв", "different", NEAR + " surname, stem vs -ов"),
    ("Олександр Бондар", "Олександр Бондаренко", "different", NEAR + " surname, stem vs -енко"),
    ("Sergei Bondarenko", "Сергій Бондар", "different", NEAR + " surname, stem vs -енко"),
    ("Іван Мельник", "Іван Мельниченко", "different", NEAR + " surname, stem vs -енко"),
    ("Петро Мороз", "Петр Морозов", "different", NEAR + " surname, stem vs -ов"),
    ("Олег Кравець", "Олег Кравчук", "different", NEAR + " surname"),
    ("Ганна Бойко", "Ганна Бойченко", "different", NEAR + " surname"),
    ("Юрій Гнатюк", "Юрій Гнатенко", "different", NEAR + " surname, -юк vs -енко"),
    ("Максим Ткаченко", "Максим Ткачук", "different", NEAR + " surname, -енко vs -ук"),
    ("Олена Савченко", "Олена Савчук", "different", NEAR + " surname, -енко vs -ук"),
    ("Марія Павленко", "Марія Павлюк", "different", NEAR + " surname, -енко vs -юк"),
    ("Денис Гриценко", "Денис Грищенко", "different", NEAR + " surname (ц/щ)"),
    ("Denys Hrytsenko", "Denys Hryshchenko", "different", NEAR + " surname (ts/shch); KMU"),
    ("Ілля Левченко", "Ілля Лещенко", "different", NEAR + " surname (в/щ)"),
    ("Олексій Симоненко", "Олексій Семененко", "different", NEAR + " surname"),
    ("Анна Іваненко", "Анна Іванченко", "different", NEAR + " surname, one letter"),
    ("Anna Ivanenko", "Anna Ivanchenko", "different", NEAR + " surname; ICAO"),
    ("Богдан Гончаренко", "Богдан Гончарук", "different", NEAR + " surname"),
    ("Тарас Литвиненко", "Тарас Литвин", "different", NEAR + " surname, stem vs -енко"),
    # Near misses: given names close in spelling but distinct, same surname.
    ("Марина Петренко", "Дарина Петренко", "different", NEAR + " given name, one letter"),
    ("Mariia Petrenko", "Maryna Petrenko", "different", NEAR + " given name (Марія/Марина)"),
    ("Марія Коваль", "Марина Коваль", "different", NEAR + " given name (Марія/Марина)"),
    ("Олена Ткачук", "Олеся Ткачук", "different", NEAR + " given name"),
    ("Артем Бойко", "Артур Бойко", "different", NEAR + " given name"),
    ("Artem Boiko", "Artur Boiko", "different", NEAR + " given name; KMU"),
    ("Валерій Мельник", "Валентин Мельник", "different", NEAR + " given name"),
    ("Віталій Руденко", "Віктор Руденко", "different", NEAR + " given name"),
    ("Юрій Савченко", "Юліан Савченко", "different", NEAR + " given name"),
    ("Денис Павленко", "Данило Павленко", "different", NEAR + " given name"),
    ("Карина Левченко", "Катерина Левченко", "different", NEAR + " given name"),
    ("Karina Levchenko", "Kateryna Levchenko", "different", NEAR + " given name; Latin"),
    ("Маргарита Клименко", "Марина Клименко", "different", NEAR + " given name"),
    ("Ганна Гнатюк", "Жанна Гнатюк", "different", NEAR + " given name (Hanna/Zhanna)"),
    ("Alina Shevchenko", "Anna Shevchenko", "different", NEAR + " given name"),
    ("Кирило Мороз", "Кіра Мороз", "different", NEAR + " given name, boy vs girl"),
    ("Ілля Щербак", "Ілона Щербак", "different", NEAR + " given name, boy vs girl"),
    ("Марко Петренко", "Маркіян Петренко", "different",
     NEAR + " given name: Маркіян is a full name of its own (Marcianus), not a diminutive "
     "of Марко as name_pairs.csv lists it"),
    ("Оксана Бондаренко", "Ксенія Бондаренко", "different",
     NEAR + " given name: distinct names sharing the diminutive Ксеня"),
]


def negative_rows() -> list[Row]:
    return [(a, b, e, "negative", n) for a, b, e, n in NEGATIVE_HAND]


# -- output -----------------------------------------------------------------------------


def _unique(rows: Iterable[Row], seen: set[frozenset[str]]) -> list[Row]:
    """Drop pairs already written (in either order, in any file) and identical sides."""
    out: list[Row] = []
    for row in rows:
        key = frozenset((row[0], row[1]))
        if key in seen or row[0] == row[1]:
            continue
        seen.add(key)
        out.append(row)
    return out


LAYERS: dict[str, Callable[[], list[Row]]] = {
    "transliteration": transliteration_rows,
    "language": language_rows,
    "morphology": morphology_rows,
    "diminutive": diminutive_rows,
    "negative": negative_rows,
}


def main() -> None:
    seen: set[frozenset[str]] = set()
    for layer, build in LAYERS.items():
        rows = _unique(build(), seen)
        path = HERE / f"{layer}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(("a", "b", "expected", "layer", "note"))
            writer.writerows(rows)
        print(f"{path.name}: {len(rows)} rows")


if __name__ == "__main__":
    main()
