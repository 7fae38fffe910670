"""Names and their forms for the second document generator (``second_documents.py``).

Written for issue 17 without reading kinlink's name tables, rules, screening engine or
its first document generator: the lists below are the author's own (common and rarer
Ukrainian given names with their Russian forms, surnames of every declension class), and
so are the case endings (Ukrainian and Russian grammar as taught, one function per class)
and the Latin spellings (an ad-hoc English habit for the Ukrainian forms, the ``iuliia``
schemes for the Russian forms). Benchmark-only: nothing in kinlink imports it.

Cases are ``nom gen dat acc ins loc``; every function returns the acceptable spellings of
a form (the first is the usual one), so the generator can choose among them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import iuliia

CASES = ("nom", "gen", "dat", "acc", "ins", "loc")

# (Ukrainian, Russian form, English habits of the Ukrainian form besides transliteration)
MALE: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Олександр", "Александр", ("Alexander", "Oleksander")),
    ("Микола", "Николай", ("Nicholas",)), ("Андрій", "Андрей", ("Andrew",)),
    ("Богдан", "Богдан", ()), ("Ярослав", "Ярослав", ()), ("Тарас", "Тарас", ()),
    ("Остап", "Остап", ()), ("Назар", "Назар", ()), ("Данило", "Даниил", ("Danylo",)),
    ("Матвій", "Матвей", ("Matthew",)), ("Кирило", "Кирилл", ("Kyrylo",)),
    ("Святослав", "Святослав", ()), ("Захар", "Захар", ()), ("Арсеній", "Арсений", ()),
    ("Тимофій", "Тимофей", ("Timothy",)), ("Гордій", "Гордей", ()),
    ("Северин", "Северин", ()), ("Мирослав", "Мирослав", ()), ("Левко", "Лев", ()),
    ("Євген", "Евгений", ("Eugene",)), ("Юрій", "Юрий", ("George",)),
    ("Ілля", "Илья", ("Illia", "Ilya")), ("Олексій", "Алексей", ("Alexei",)),
    ("Пилип", "Филипп", ("Philip",)), ("Федір", "Федор", ("Fedir",)),
    ("Панас", "Афанасий", ()), ("Устим", "Устин", ()), ("Вʼячеслав", "Вячеслав", ()),
    ("Єгор", "Егор", ("Yehor",)), ("Ігор", "Игорь", ("Igor",)), ("Іван", "Иван", ("Ivan",)),
    ("Семен", "Семен", ("Semen",)), ("Лука", "Лука", ("Luka",)), ("Марко", "Марк", ()),
    ("Яким", "Аким", ()), ("Орест", "Орест", ()), ("Зиновій", "Зиновий", ()),
    ("Ростислав", "Ростислав", ()), ("Всеволод", "Всеволод", ()), ("Павло", "Павел", ("Paul",)),
    ("Микита", "Никита", ("Nikita",)), ("Веніамін", "Вениамин", ()),
    ("Трохим", "Трофим", ()), ("Ничипір", "Никифор", ()), ("Добромир", "Добромир", ()),
)
FEMALE: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Ганна", "Анна", ("Anna", "Hanna")), ("Олена", "Елена", ("Elena", "Olena")),
    ("Катерина", "Екатерина", ("Kateryna", "Katherine")), ("Наталія", "Наталья", ()),
    ("Марія", "Мария", ("Maria",)), ("Софія", "София", ("Sofia", "Sophia")),
    ("Дарина", "Дарина", ()), ("Злата", "Злата", ()), ("Уляна", "Ульяна", ("Ulyana",)),
    ("Соломія", "Соломия", ()), ("Марʼяна", "Марьяна", ("Mariana",)), ("Ярина", "Ярина", ()),
    ("Оксана", "Оксана", ()), ("Христина", "Кристина", ("Christina",)), ("Єва", "Ева", ("Eva",)),
    ("Віра", "Вера", ("Vera",)), ("Надія", "Надежда", ("Nadia",)),
    ("Любов", "Любовь", ("Liubov",)), ("Василина", "Василиса", ()),
    ("Євгенія", "Евгения", ()), ("Аліна", "Алина", ("Alina",)), ("Поліна", "Полина", ()),
    ("Таїсія", "Таисия", ()), ("Мілана", "Милана", ("Milana",)),
    ("Вероніка", "Вероника", ("Veronica",)), ("Ольга", "Ольга", ("Olga",)),
    ("Ірина", "Ирина", ("Irina",)), ("Богдана", "Богдана", ()),
    ("Мирослава", "Мирослава", ()), ("Стефанія", "Стефания", ()), ("Олеся", "Олеся", ()),
    ("Лілія", "Лилия", ("Lilia",)), ("Орина", "Арина", ()), ("Килина", "Акулина", ()),
    ("Устина", "Устинья", ()), ("Фросина", "Ефросинья", ()), ("Текля", "Фекла", ()),
)

# Surname classes: how the masculine form declines, and its feminine.
ENKO, HARD, SOFT, SKY, OV, YCH, INDECL, FIRST = (
    "enko", "hard", "soft", "sky", "ov", "ych", "indecl", "a")
# (masculine Ukrainian, class, Russian masculine when the simple rules would be wrong)
SURNAMES: tuple[tuple[str, str, str | None], ...] = (
    ("Гармаш", HARD, None), ("Онищенко", ENKO, None), ("Прокопенко", ENKO, None),
    ("Лисенко", ENKO, None), ("Дячишин", HARD, None), ("Вакуленко", ENKO, None),
    ("Сиротенко", ENKO, "Сиротенко"), ("Кузьменко", ENKO, None), ("Оліфіренко", ENKO, None),
    ("Бондарчук", HARD, None), ("Семенюк", HARD, None), ("Гнатюк", HARD, None),
    ("Климчук", HARD, None), ("Дмитрук", HARD, None), ("Сапсай", INDECL, None),
    ("Оліщук", HARD, "Олищук"), ("Юрчук", HARD, None), ("Ничипорук", HARD, "Ничипорук"),
    ("Заїчук", HARD, "Заичук"), ("Вишневський", SKY, None), ("Яворський", SKY, None),
    ("Залізницький", SKY, "Зализницкий"), ("Кропивницький", SKY, "Кропивницкий"),
    ("Білоцерківський", SKY, "Белоцерковский"), ("Сосницький", SKY, None),
    ("Тесленко", ENKO, None), ("Носов", OV, None), ("Гусєв", OV, "Гусев"),
    ("Ільїн", OV, "Ильин"), ("Карпов", OV, None), ("Соболев", OV, None),
    ("Кузьмін", OV, "Кузьмин"), ("Лебедєв", OV, "Лебедев"), ("Бабич", YCH, None),
    ("Дашкевич", YCH, None), ("Климович", YCH, None), ("Ярмолович", YCH, None),
    ("Савич", YCH, None), ("Станкевич", YCH, None), ("Чорних", INDECL, "Черных"),
    ("Білих", INDECL, "Белых"), ("Довгих", INDECL, "Долгих"), ("Живаго", INDECL, None),
    ("Шоу", INDECL, None), ("Мельник", HARD, None), ("Мороз", HARD, None),
    ("Олійник", HARD, "Олейник"), ("Рибак", HARD, "Рыбак"), ("Гайдамак", HARD, None),
    ("Бжезінський", SKY, "Бжезинский"), ("Коваль", SOFT, None), ("Пастух", HARD, None),
    ("Шпак", HARD, None), ("Кушнір", HARD, "Кушнир"), ("Шевель", SOFT, None),
    ("Сорока", FIRST, None), ("Шульга", FIRST, None), ("Борода", FIRST, None),
    ("Нечипорук", HARD, None), ("Жураківський", SKY, "Жураковский"), ("Гриців", HARD, None),
    ("Дорош", HARD, None), ("Ґудзь", SOFT, "Гудзь"), ("Дурново", INDECL, None),
    ("Кривошея", FIRST, None), ("Тищенко", ENKO, None), ("Ярошенко", ENKO, None),
    ("Пономаренко", ENKO, None), ("Стеценко", ENKO, None), ("Швайка", FIRST, None),
    ("Зайченко", ENKO, None), ("Хмара", FIRST, None),
    ("Литвинчук", HARD, None), ("Ковтун", HARD, None), ("Цвіркун", HARD, "Цвиркун"),
)
HYPHENATED: tuple[tuple[str, str], ...] = (
    ("Мельник", "Сорока"), ("Коваль", "Прокопенко"), ("Гнатюк", "Яворський"),
    ("Онищенко", "Бабич"), ("Лисенко", "Шпак"),
)
# Father's given name: Ukrainian patronymics (m, f), Russian patronymics (m, f)
FATHERS: tuple[tuple[str, str, str, str], ...] = (
    ("Сергійович", "Сергіївна", "Сергеевич", "Сергеевна"),
    ("Андрійович", "Андріївна", "Андреевич", "Андреевна"),
    ("Олегович", "Олегівна", "Олегович", "Олеговна"),
    ("Васильович", "Василівна", "Васильевич", "Васильевна"),
    ("Миколайович", "Миколаївна", "Николаевич", "Николаевна"),
    ("Богданович", "Богданівна", "Богданович", "Богдановна"),
    ("Іванович", "Іванівна", "Иванович", "Ивановна"),
    ("Петрович", "Петрівна", "Петрович", "Петровна"),
    ("Юрійович", "Юріївна", "Юрьевич", "Юрьевна"),
    ("Тарасович", "Тарасівна", "Тарасович", "Тарасовна"),
    ("Романович", "Романівна", "Романович", "Романовна"),
    ("Олександрович", "Олександрівна", "Александрович", "Александровна"),
    ("Віталійович", "Віталіївна", "Витальевич", "Витальевна"),
    ("Степанович", "Степанівна", "Степанович", "Степановна"),
)
# Adults named in the documents: their surnames are never a sought child's
ADULT_SURNAMES = ("Задорожний", "Гнидюк", "Верещак", "Полтавець", "Костенич",
                  "Бурлака", "Кравчишин", "Палій", "Скиба", "Тимошук")
ADULT_GIVEN_M = ("Віктор", "Анатолій", "Геннадій", "Валерій", "Руслан", "Степан")
ADULT_GIVEN_F = ("Людмила", "Тетяна", "Світлана", "Галина", "Лариса", "Валентина")
# (Ukrainian, Russian, Latin) places
PLACES: tuple[tuple[str, str, str], ...] = (
    ("Херсон", "Херсон", "Kherson"), ("Маріуполь", "Мариуполь", "Mariupol"),
    ("Бердянськ", "Бердянск", "Berdiansk"), ("Мелітополь", "Мелитополь", "Melitopol"),
    ("Скадовськ", "Скадовск", "Skadovsk"), ("Олешки", "Алешки", "Oleshky"),
    ("Нова Каховка", "Новая Каховка", "Nova Kakhovka"), ("Енергодар", "Энергодар", "Enerhodar"),
    ("Генічеськ", "Геническ", "Henichesk"), ("Волноваха", "Волноваха", "Volnovakha"),
    ("Ізюм", "Изюм", "Izium"), ("Купʼянськ", "Купянск", "Kupiansk"),
    ("Лисичанськ", "Лисичанск", "Lysychansk"), ("Старобільськ", "Старобельск", "Starobilsk"),
    ("Токмак", "Токмак", "Tokmak"), ("Каховка", "Каховка", "Kakhovka"),
)
DESTINATIONS: tuple[tuple[str, str, str], ...] = (
    ("Анапа", "Анапа", "Anapa"), ("Таганрог", "Таганрог", "Taganrog"),
    ("Ростов-на-Дону", "Ростов-на-Дону", "Rostov-on-Don"), ("Курськ", "Курск", "Kursk"),
    ("Бєлгород", "Белгород", "Belgorod"), ("Воронеж", "Воронеж", "Voronezh"),
    ("Євпаторія", "Евпатория", "Yevpatoria"), ("Кемерово", "Кемерово", "Kemerovo"),
    ("Омськ", "Омск", "Omsk"), ("Геленджик", "Геленджик", "Gelendzhik"),
    ("Пенза", "Пенза", "Penza"), ("Тюмень", "Тюмень", "Tyumen"),
)


@dataclass(frozen=True)
class Given:
    """A given name: its Ukrainian and Russian forms, sex, English habits."""

    uk: str
    ru: str
    sex: str
    english: tuple[str, ...]


@dataclass(frozen=True)
class Surname:
    """A surname (masculine forms; hyphenated: several parts) and its class per part."""

    parts: tuple[tuple[str, str, str | None], ...]

    def uk(self, sex: str) -> str:
        """The nominative Ukrainian surname for a child of ``sex``."""
        return "-".join(uk_surname(p, c, sex, "nom")[0] for p, c, _ in self.parts)

    def ru(self, sex: str) -> str:
        """The nominative Russian form."""
        return "-".join(ru_surname(ru_masculine(p, r), c, sex, "nom")[0]
                        for p, c, r in self.parts)

    @property
    def classes(self) -> tuple[str, ...]:
        """The declension class of each part."""
        return tuple(c for _, c, _ in self.parts)


def givens() -> list[Given]:
    """Every given name of the lists."""
    return ([Given(u, r, "M", e) for u, r, e in MALE]
            + [Given(u, r, "F", e) for u, r, e in FEMALE])


def surnames() -> list[Surname]:
    """Every surname of the lists, hyphenated ones included."""
    single = {s[0]: s for s in SURNAMES}
    return ([Surname((s,)) for s in SURNAMES]
            + [Surname((single[a], single[b])) for a, b in HYPHENATED])


# ---------------------------------------------------------------- Ukrainian endings
_UK_ALTERNATE = {"г": "з", "к": "ц", "х": "с"}
_HUSH = "жчшщ"


def _uk_first(word: str, case: str) -> list[str]:
    """First declension (-а, -я): Ганна, Олеся, Марія, Лука, Сорока."""
    if word[-1] == "я" and word[-2] in "аеєиіїоуюя":
        stem = word[:-1]
        return [{"nom": word, "gen": stem + "ї", "dat": stem + "ї", "acc": stem + "ю",
                 "ins": stem + "єю", "loc": stem + "ї"}[case]]
    stem, last = word[:-1], word[-1]
    if last == "я":
        return [{"nom": word, "gen": stem + "і", "dat": stem + "і", "acc": stem + "ю",
                 "ins": stem + "ею", "loc": stem + "і"}[case]]
    soft_dat = stem[:-1] + _UK_ALTERNATE.get(stem[-1], stem[-1]) + "і"
    hush = stem[-1] in _HUSH
    return [{"nom": word, "gen": stem + ("і" if hush else "и"), "dat": soft_dat,
             "acc": stem + "у", "ins": stem + ("ею" if hush else "ою"),
             "loc": soft_dat}[case]]


_UK_GIVEN_EXTRA = {
    "Ілля": {"gen": "Іллі", "dat": "Іллі", "acc": "Іллю", "ins": "Іллею", "loc": "Іллі"},
    "Ігор": {"gen": "Ігоря", "dat": "Ігореві", "acc": "Ігоря", "ins": "Ігорем",
             "loc": "Ігореві"},
    "Федір": {"gen": "Федора", "dat": "Федорові", "acc": "Федора", "ins": "Федором",
              "loc": "Федорові"},
    "Ничипір": {"gen": "Ничипора", "dat": "Ничипорові", "acc": "Ничипора",
                "ins": "Ничипором", "loc": "Ничипорові"},
    "Любов": {"gen": "Любові", "dat": "Любові", "acc": "Любов", "ins": "Любовʼю",
              "loc": "Любові"},
    "Текля": {"gen": "Теклі", "dat": "Теклі", "acc": "Теклю", "ins": "Теклею",
              "loc": "Теклі"},
}


def _uk_masc_noun(word: str, case: str) -> list[str]:
    """Second declension masculine: Олександр, Андрій, Данило, Мельник, Бабич."""
    if word[-1] == "й":
        stem = word[:-1]
        return [{"nom": word, "gen": stem + "я", "dat": stem + "ю", "acc": stem + "я",
                 "ins": stem + "єм", "loc": stem + "єві"}[case]]
    if word[-1] == "ь":
        stem = word[:-1]
        return {"nom": [word], "gen": [stem + "я"], "dat": [stem + "еві", stem + "ю"],
                "acc": [stem + "я"], "ins": [stem + "ем"],
                "loc": [stem + "еві", stem + "ю"]}[case]
    stem = word[:-1] if word[-1] == "о" else word
    hush = stem[-1] in _HUSH
    return {"nom": [word], "gen": [stem + "а"],
            "dat": [stem + ("еві" if hush else "ові"), stem + "у"], "acc": [stem + "а"],
            "ins": [stem + ("ем" if hush else "ом")],
            "loc": [stem + ("еві" if hush else "ові"), stem + "у"]}[case]


def uk_given(given: Given, case: str) -> list[str]:
    """The Ukrainian given name in ``case``."""
    word = given.uk
    if case == "nom":
        return [word]
    if word in _UK_GIVEN_EXTRA:
        return [_UK_GIVEN_EXTRA[word][case]]
    if word[-1] in "ая":
        return _uk_first(word, case)
    return _uk_masc_noun(word, case)[:1]


def uk_surname(word: str, cls: str, sex: str, case: str) -> list[str]:
    """A Ukrainian surname part (masculine nominative ``word``) for ``sex`` in ``case``."""
    if cls == SKY:
        if sex == "F":
            stem = word[:-2]
            return [{"nom": stem + "а", "gen": stem + "ої", "dat": stem + "ій",
                     "acc": stem + "у", "ins": stem + "ою", "loc": stem + "ій"}[case]]
        stem = word[:-2]
        return {"nom": [word], "gen": [stem + "ого"], "dat": [stem + "ому"],
                "acc": [stem + "ого"], "ins": [stem + "им"],
                "loc": [stem + "ому", stem + "ім"]}[case]
    if cls == OV:
        if sex == "F":
            return [{"nom": word + "а", "gen": word + "ої", "dat": word + "ій",
                     "acc": word + "у", "ins": word + "ою", "loc": word + "ій"}[case]]
        return {"nom": [word], "gen": [word + "а"], "dat": [word + "у", word + "ові"],
                "acc": [word + "а"], "ins": [word + "им"],
                "loc": [word + "у", word + "ові"]}[case]
    if cls == FIRST:
        return _uk_first(word, case)
    if cls == INDECL or sex == "F":
        return [word]
    return _uk_masc_noun(word, case)


def uk_patronymic(word: str, case: str) -> list[str]:
    """A Ukrainian patronymic in ``case`` (-ович like a noun, -івна of the first
    declension)."""
    if word.endswith("на"):
        return _uk_first(word, case)
    return _uk_masc_noun(word, case)


# ---------------------------------------------------------------- Russian endings
_RU_GIVEN_EXTRA = {
    "Лев": {"gen": "Льва", "dat": "Льву", "acc": "Льва", "ins": "Львом", "loc": "Льве"},
    "Павел": {"gen": "Павла", "dat": "Павлу", "acc": "Павла", "ins": "Павлом",
              "loc": "Павле"},
    "Илья": {"gen": "Ильи", "dat": "Илье", "acc": "Илью", "ins": "Ильёй", "loc": "Илье"},
    "Любовь": {"gen": "Любови", "dat": "Любови", "acc": "Любовь", "ins": "Любовью",
               "loc": "Любови"},
}
_RU_VELAR = "гкхжчшщ"


def _ru_first(word: str, case: str) -> list[str]:
    """-а/-я nouns: Анна, Мария, Наталья, Илья, Никита, Сорока."""
    stem, last = word[:-1], word[-1]
    if word.endswith("ия"):
        return [{"nom": word, "gen": stem + "и", "dat": stem + "и", "acc": stem + "ю",
                 "ins": stem + "ей", "loc": stem + "и"}[case]]
    if last == "я":
        return {"nom": [word], "gen": [stem + "и"], "dat": [stem + "е"], "acc": [stem + "ю"],
                "ins": [stem + "ей"], "loc": [stem + "е"]}[case]
    hush = stem[-1] in "жчшщц"
    return [{"nom": word, "gen": stem + ("и" if stem[-1] in _RU_VELAR else "ы"),
             "dat": stem + "е", "acc": stem + "у", "ins": stem + ("ей" if hush else "ой"),
             "loc": stem + "е"}[case]]


def _ru_masc_noun(word: str, case: str) -> list[str]:
    """Masculine consonant nouns: Александр, Андрей, Игорь, Мельник, Бабич."""
    if word[-1] in "йь":
        stem = word[:-1]
        loc = stem + ("и" if word.endswith("ий") else "е")
        return [{"nom": word, "gen": stem + "я", "dat": stem + "ю", "acc": stem + "я",
                 "ins": stem + "ем", "loc": loc}[case]]
    hush = word[-1] in "жчшщц"
    return [{"nom": word, "gen": word + "а", "dat": word + "у", "acc": word + "а",
             "ins": word + ("ем" if hush else "ом"), "loc": word + "е"}[case]]


def ru_given(given: Given, case: str) -> list[str]:
    """The Russian form of the given name in ``case``."""
    word = given.ru
    if case == "nom":
        return [word]
    if word in _RU_GIVEN_EXTRA:
        return [_RU_GIVEN_EXTRA[word][case]]
    if word[-1] in "ая":
        return _ru_first(word, case)
    return _ru_masc_noun(word, case)


def ru_masculine(uk: str, override: str | None) -> str:
    """The Russian masculine spelling of a Ukrainian surname: ``override`` or letters
    replaced (і, ї → и; є → е; ґ → г; apostrophes dropped; -ський → -ский)."""
    if override:
        return override
    word = uk.replace("ський", "ский").replace("цький", "цкий")
    for a, b in (("ї", "и"), ("і", "и"), ("є", "е"), ("ґ", "г"), ("ʼ", ""), ("'", "")):
        word = word.replace(a, b)
    return word


def ru_surname(word: str, cls: str, sex: str, case: str) -> list[str]:
    """A Russian surname part (masculine nominative ``word``) for ``sex`` in ``case``."""
    if cls == SKY:
        stem = word[:-2]
        if sex == "F":
            return [{"nom": stem + "ая", "gen": stem + "ой", "dat": stem + "ой",
                     "acc": stem + "ую", "ins": stem + "ой", "loc": stem + "ой"}[case]]
        return [{"nom": word, "gen": stem + "ого", "dat": stem + "ому", "acc": stem + "ого",
                 "ins": stem + "им", "loc": stem + "ом"}[case]]
    if cls == OV:
        if sex == "F":
            return [{"nom": word + "а", "gen": word + "ой", "dat": word + "ой",
                     "acc": word + "у", "ins": word + "ой", "loc": word + "ой"}[case]]
        return [{"nom": word, "gen": word + "а", "dat": word + "у", "acc": word + "а",
                 "ins": word + "ым", "loc": word + "е"}[case]]
    if cls == FIRST:
        return _ru_first(word, case)
    if cls in (INDECL, ENKO) or sex == "F":
        return [word]
    return _ru_masc_noun(word, case)


def ru_patronymic(word: str, case: str) -> list[str]:
    """A Russian patronymic in ``case``."""
    if word.endswith("на"):
        return _ru_first(word, case)
    return _ru_masc_noun(word, case)


# ---------------------------------------------------------------- Latin letters
_UK_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu",
    "я": "ia", "ʼ": "", "'": "",
}
_UK_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
# habits of English writers: each replaces the rule's spelling with another
_HABITS: tuple[dict[str, str], ...] = (
    {}, {"г": "g"}, {"х": "h"}, {"и": "i"}, {"й": "y", "ї": "yi"}, {"ю": "yu", "я": "ya"},
    {"щ": "sch", "ц": "c"}, {"є": "ye", "ж": "j"}, {"г": "gh", "і": "y"},
)


def latin_uk(word: str, habit: int = 0) -> str:
    """The Ukrainian ``word`` in Latin letters by this generator's own rules, with one
    English-speaker's ``habit`` (0: none)."""
    changes = _HABITS[habit % len(_HABITS)]
    out = []
    for n, char in enumerate(word):
        low = char.lower()
        if low not in _UK_LATIN:
            out.append(char)
            continue
        start = n == 0 or not word[n - 1].isalpha()
        spelt = changes.get(low) or (_UK_INITIAL.get(low) if start else None) or _UK_LATIN[low]
        if low == "ь" or low in "ʼ'":
            spelt = ""
        out.append(spelt.capitalize() if char.isupper() else spelt)
    text = "".join(out)
    return text.replace("skyi", "sky") if habit % 3 == 2 else text


_SCHEMES = (iuliia.WIKIPEDIA, iuliia.ICAO_DOC_9303, iuliia.BS_2979, iuliia.MOSMETRO,
            iuliia.BGN_PCGN, iuliia.SCIENTIFIC, iuliia.YANDEX_MAPS)


def latin_ru(word: str, scheme: int = 0) -> str:
    """The Russian ``word`` in Latin letters under one of the ``iuliia`` schemes."""
    return str(_SCHEMES[scheme % len(_SCHEMES)].translate(word))


def pick(rng: random.Random, forms: list[str]) -> str:
    """One of the acceptable ``forms``, the usual one most often."""
    return forms[0] if len(forms) == 1 or rng.random() < 0.7 else rng.choice(forms[1:])
