"""Russian forms of Ukrainian names: patronymics and surnames, built by rule.

A mediator's list must show each child's name as a Russian clerk would write it, and
the demo generator must produce the spellings such a clerk produces. Both use this
module, so the rules exist once:

- patronymics built from a father's given name, which differ between the languages
  (Сергійович/Сергіївна vs Сергеевич/Сергеевна), with the irregular ones listed;
- the feminine form of a surname (-ський → -ська, -ский → -ская, -ов → -ова);
- the Russian spelling of a Ukrainian surname (Олійник → Олейник, Лисенко → Лысенко,
  Ковальський → Ковальский, Ковальська → Ковальская).

The surname rules are deliberately approximate: they model what a Russian clerk
writes, and they only apply changes that give a spelling such a clerk could produce.
Given names are not here: their Russian forms come from the name table
(:mod:`kinlink.names.equivalence`), never from rules.

``sex`` is ``"m"`` or ``"M"`` for a boy; anything else means a girl.
"""

from __future__ import annotations

import re

__all__ = [
    "feminine_ru",
    "feminine_uk",
    "patronymic_ru",
    "patronymic_uk",
    "russian_letters",
    "russian_surname",
    "russian_surname_any",
]

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


def _is_male(sex: str) -> bool:
    return sex.casefold() == "m"


def patronymic_uk(father: str, sex: str) -> str:
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
    return son if _is_male(sex) else daughter


def patronymic_ru(father: str, sex: str) -> str:
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
    return son if _is_male(sex) else daughter


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
_LABIAL_YO = re.compile(r"([бвмпф])йо")
# A feminine Ukrainian surname whose masculine form is an adjective in -ський/-цький.
_FEMININE_SKA = re.compile(r"(ськ|цьк|зьк)а$")


def russian_surname(uk: str) -> str:
    """Russian spelling of a masculine Ukrainian surname.

    Endings first (-ський → -ский, -ів → -ов, -ий → -ый, final -ць → -ц), then known
    roots (Лис- → Лыс-, Біл- → Бел-), then ``ій`` before a consonant → ``ей``
    (Олійник → Олейник), the apostrophe before я/ю → ь, ьо → ё (Єрьоменко →
    Ерёменко), йо after a labial → ьё (Соловйов → Соловьёв), and the letters і, ї,
    є, ґ.
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
    return russian_letters(word)


def russian_letters(uk: str) -> str:
    """A Ukrainian spelling written with Russian letters, without changing the name.

    The apostrophe before я/ю/є/ї becomes ь (Дар'я → Дарья), ьо becomes ё (Ковальов →
    Ковалёв), йо after a labial becomes ьё (Соловйов → Соловьёв), і and ї become и,
    є becomes е and ґ becomes г. Used for the last step of :func:`russian_surname`
    and for the Russian form of given names the name table does not know.
    """
    word = _APOSTROPHE.sub(lambda m: "ь" + m.group(1), uk)
    word = word.replace("ьо", "ё")
    word = _LABIAL_YO.sub(r"\1ьё", word)
    return word.translate(_LETTERS)


def russian_surname_any(uk: str) -> str:
    """Russian spelling of a Ukrainian surname in either gender's form.

    A feminine -ська/-цька form is taken back to its masculine adjective, spelled in
    Russian and made feminine again (Ковальська → Ковальский → Ковальская); any other
    form goes through :func:`russian_surname` as written (Петрова, Олійник, Коваленко
    are spelled the same way whoever bears them). Each part of a double surname
    (Петренко-Ковальська) is treated on its own.
    """
    return "-".join(_russian_part(part) for part in uk.split("-"))


def _russian_part(word: str) -> str:
    if _FEMININE_SKA.search(word):
        return feminine_ru(russian_surname(word[:-1] + "ий"))
    return russian_surname(word)
