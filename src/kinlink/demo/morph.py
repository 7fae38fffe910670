"""Ukrainian and Russian name morphology the generator needs.

Three things: patronymics built from a father's given name (they differ between the
languages: Сергійович/Сергіївна vs Сергеевич/Сергеевна), the feminine form of a
surname, and the Russian spelling of a Ukrainian surname (Олійник → Олейник,
Лисенко → Лысенко, Ковальський → Ковальский). The surname rules are deliberately
approximate: they model what a Russian clerk writes, and they only apply changes
that give a spelling such a clerk could produce.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kinlink.demo.resources import Sex

# Patronymics that do not follow the regular endings (names.md §2.3).
_UK_IRREGULAR: dict[str, tuple[str, str]] = {
    "Микола": ("Миколайович", "Миколаївна"),
    "Ілля": ("Ілліч", "Іллівна"),
    "Яків": ("Якович", "Яківна"),
    "Лев": ("Львович", "Львівна"),
    "Федір": ("Федорович", "Федорівна"),
    "Григорій": ("Григорович", "Григорівна"),
}

_RU_IRREGULAR: dict[str, tuple[str, str]] = {
    "Николай": ("Николаевич", "Николаевна"),
    "Илья": ("Ильич", "Ильинична"),
    "Яков": ("Яковлевич", "Яковлевна"),
    "Лев": ("Львович", "Львовна"),
    "Пётр": ("Петрович", "Петровна"),
    "Павел": ("Павлович", "Павловна"),
    "Михаил": ("Михайлович", "Михайловна"),
    "Никита": ("Никитич", "Никитична"),
    "Дмитрий": ("Дмитриевич", "Дмитриевна"),
    "Георгий": ("Георгиевич", "Георгиевна"),
    "Игорь": ("Игоревич", "Игоревна"),
}


def patronymic_uk(father: str, sex: Sex) -> str:
    """Ukrainian patronymic of a child of ``father`` (Ukrainian given name)."""
    if father in _UK_IRREGULAR:
        son, daughter = _UK_IRREGULAR[father]
    elif father.endswith("й"):
        son, daughter = father + "ович", father[:-1] + "ївна"
    elif father.endswith("ь"):
        son, daughter = father + "ович", father[:-1] + "івна"
    elif father.endswith(("о", "а")):
        son, daughter = father[:-1] + "ович", father[:-1] + "івна"
    else:
        son, daughter = father + "ович", father + "івна"
    return son if sex == "m" else daughter


def patronymic_ru(father: str, sex: Sex) -> str:
    """Russian patronymic of a child of ``father`` (Russian given name)."""
    if father in _RU_IRREGULAR:
        son, daughter = _RU_IRREGULAR[father]
    elif father.endswith("ей"):
        son, daughter = father[:-2] + "еевич", father[:-2] + "еевна"
    elif father.endswith("ий"):
        son, daughter = father[:-2] + "ьевич", father[:-2] + "ьевна"
    elif father.endswith("ай"):
        son, daughter = father[:-2] + "аевич", father[:-2] + "аевна"
    elif father.endswith("ь"):
        son, daughter = father[:-1] + "евич", father[:-1] + "евна"
    else:
        son, daughter = father + "ович", father + "овна"
    return son if sex == "m" else daughter


@dataclass(frozen=True)
class Surname:
    """One family name in its masculine and feminine, Ukrainian and Russian forms."""

    uk_m: str
    uk_f: str
    ru_m: str
    ru_f: str

    def uk(self, sex: Sex) -> str:
        """The Ukrainian form for a person of ``sex``."""
        return self.uk_m if sex == "m" else self.uk_f

    def ru(self, sex: Sex) -> str:
        """The Russian form for a person of ``sex``."""
        return self.ru_m if sex == "m" else self.ru_f


def feminine_uk(masculine: str) -> str:
    """Feminine form of a Ukrainian surname (-ський → -ська, -ов → -ова; -енко unchanged)."""
    if masculine.endswith("ький"):
        return masculine[:-4] + "ька"
    if masculine.endswith("ий"):
        return masculine[:-2] + "а"
    if masculine.endswith(("ов", "ев", "єв", "ин", "ін", "їн")):
        return masculine + "а"
    return masculine


def feminine_ru(masculine: str) -> str:
    """Feminine form of a Russian surname (-ский → -ская, -ов → -ова; -енко unchanged)."""
    if masculine.endswith(("ий", "ый", "ой")):
        return masculine[:-2] + "ая"
    if masculine.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return masculine + "а"
    return masculine


# Ukrainian roots whose Russian cognate has a different vowel (names.md §2.2).
_RU_ROOTS: tuple[tuple[str, str], ...] = (
    ("Біл", "Бел"),
    ("Сір", "Сер"),
    ("Дід", "Дед"),
    ("Чорн", "Черн"),
    ("Лис", "Лыс"),
    ("Риб", "Рыб"),
    ("Рил", "Рыл"),
)

_CONSONANT = "бвгґджзклмнпрстфхцчшщ"
_HARD_ADJ_END = re.compile(rf"([{_CONSONANT}])ий$")
_VELAR_ADJ_END = re.compile(r"([кгхжшчщ])ый$")
_APOSTROPHE = re.compile(r"['’ʼ`]([яюєї])")
_LETTERS = str.maketrans(
    {"і": "и", "ї": "и", "є": "е", "ґ": "г", "І": "И", "Ї": "И", "Є": "Е", "Ґ": "Г"}
)


def russian_surname(uk: str) -> str:
    """Russian spelling of a masculine Ukrainian surname.

    Endings first (-ський → -ский, -ів → -ов, -ий → -ый, final -ць → -ц), then known
    roots (Лис- → Лыс-, Біл- → Бел-), then ``ій`` before a consonant → ``ей``
    (Олійник → Олейник), the apostrophe before я/ю → ь, ьо → ё (Єрьоменко →
    Ерёменко), and the letters і, ї, є, ґ.
    """
    word = uk
    if word.endswith("ький"):
        word = word[:-4] + "кий"
    elif word.endswith(("ів", "їв")):
        word = word[:-2] + "ов"
    elif word.endswith("ць"):
        word = word[:-1]
    else:
        word = _HARD_ADJ_END.sub(r"\1ый", word)
        word = _VELAR_ADJ_END.sub(r"\1ий", word)
    for root_uk, root_ru in _RU_ROOTS:
        if word.startswith(root_uk):
            word = root_ru + word[len(root_uk) :]
            break
    word = re.sub(rf"ій(?=[{_CONSONANT}])", "ей", word)
    word = _APOSTROPHE.sub(lambda m: "ь" + m.group(1), word)
    word = word.replace("ьо", "ё")
    return word.translate(_LETTERS)


def surname_from_uk(masculine_uk: str) -> Surname:
    """All four forms of a family name given its masculine Ukrainian form."""
    ru_m = russian_surname(masculine_uk)
    return Surname(
        uk_m=masculine_uk,
        uk_f=feminine_uk(masculine_uk),
        ru_m=ru_m,
        ru_f=feminine_ru(ru_m),
    )


def surname_from_ru(masculine_ru: str, feminine: str | None = None) -> Surname:
    """A Russian family name (an adoptive family's); the Ukrainian fields repeat it."""
    fem = feminine if feminine is not None else feminine_ru(masculine_ru)
    return Surname(uk_m=masculine_ru, uk_f=fem, ru_m=masculine_ru, ru_f=fem)
