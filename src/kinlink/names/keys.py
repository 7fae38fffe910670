"""Script-independent keys: the same name in Cyrillic and any Latin spelling, one key.

:func:`latin_skeleton` reduces a name written in Ukrainian or Russian Cyrillic, or in
Latin under any of the transliteration systems met in documents (KMU 2010, Ukrainian
passports of 2007, ICAO 9303, MVD 1997, GOST 2006, BGN, German, French, English habits,
ISO 9 with diacritics), to a coarse Latin skeleton: Лисенко, Лысенко, Lysenko and
Lisenko give ``lisenko``; Олійник and Oleinik give ``olinik``; Кузнецов, Kuznetcov and
Kusnezow give ``kusnecov``; Шевченко, Shevchenko, Schewtschenko and Chevtchenko give
``wevcenko`` (ш and щ become ``w``, ж ``x``, so Женя and Сеня stay apart). No Latin
text is ever turned back into Cyrillic.

:func:`surname_key` also removes the gendered ending (Ковальська ~ Ковальский,
Петрова ~ Petrov), and :func:`loose_key` merges the vowels that alternate between
Ukrainian and Russian (і/и/е: Гліб ~ Глеб) for names no table knows, and
:func:`consonant_key` keeps only the consonants of a skeleton (Ярема ~ Ерема,
Мілана ~ Milana ~ Милана ~ Міляна): a key every name has, whatever the tables know, for
blocking when no canonical name id exists.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from kinlink.names.normalise import fold

__all__ = ["consonant_key", "latin_skeleton", "loose_key", "loosen", "surname_key"]

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "ye",
    "ё": "yo", "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "",
    "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "'": "",
}
_CYRILLIC_TABLE = str.maketrans(_CYRILLIC)
_DIACRITICS = str.maketrans({
    "č": "ch", "š": "sh", "ž": "zh", "ŝ": "shch", "û": "iu", "â": "ia", "ê": "ie",
    "ï": "i", "ì": "i", "ĭ": "i", "ğ": "gh", "ł": "l", "ß": "ss", "ё": "e", "ä": "a",
    "ö": "o", "ü": "u", "ŭ": "u", "ý": "y", "ś": "s", "ć": "c", "ź": "z", "ż": "zh",
    "ń": "n",
})
_NON_LETTERS = re.compile(r"[^a-z]")
_SCHOLARLY = re.compile(r"[êâûìïĭčšžŝ′ʹ]")
_FRENCH_U = re.compile(r"ou(?=[^aeiouy])(?!s$)")
_SOFT_O = re.compile(r"['′ʹ]o")
_SCHOLARLY_C = re.compile(r"c(?!h)")
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")
_GERMAN = re.compile(r"w|sch")
# French у is "ou" before a consonant (Kouchnir, Tkatchouk, Iouri); a final -ous is the
# English reading of -оус (Belous), not French.
_FRENCH = re.compile(r"tch|ou(?=[^aeiouy])(?!s$)")
_LONE_C = re.compile(r"(?<![tsk])c(?![hz])")
_DOUBLES = re.compile(r"([a-z])\1+")
_STEPS: tuple[tuple[str, str], ...] = (
    ("x", "ks"), ("w", "v"), ("ck", "k"), ("shch", "W"), ("shh", "W"), ("sch", "W"), ("tch", "c"),
    ("sh", "W"), ("zh", "X"), ("ch", "c"), ("kh", "g"), ("ts", "c"), ("tc", "c"),
    ("tz", "c"), ("cz", "c"), ("ph", "f"), ("h", "g"), ("z", "s"), ("q", "k"),
    ("y", "i"), ("j", "i"), ("W", "w"), ("X", "x"),
)
"""Collapse in order: ш/щ → w, ж → x, з/с → s, ц → c, ч → c, х/г → g, й/и/ы/і → i."""


def _latin(text: str) -> str:
    """Lower-case ASCII letters: Cyrillic by one internal table, Latin de-accented."""
    # Ковальов ~ Ковалёв ~ Koval'ov: a soft sign or й before о is Russian ё (ICAO: e)
    folded = _SOFT_O.sub("e", fold(text).replace("ьо", "е").replace("йо", "е"))
    lowered = folded.translate(_CYRILLIC_TABLE).translate(_DIACRITICS)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return _NON_LETTERS.sub("", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _regional(text: str) -> str:
    """Undo German and French spellings (Schewtschenko, Tkatchouk) before collapsing.

    German writes ш as sch, ч as tsch, х as ch, ц as z and з as s; French writes ш as ch,
    ч as tch and у as ou. Multi-letter groups are parked first so they are not re-read.
    """
    if _GERMAN.search(text):
        text = text.replace("schtsch", "1").replace("tsch", "2").replace("sch", "3")
        text = text.replace("ch", "kh").replace("z", "ts").replace("s", "z")
        text = text.replace("1", "shch").replace("2", "ch").replace("3", "sh")
    if _FRENCH.search(text):
        text = text.replace("chtch", "1").replace("tch", "2").replace("ch", "sh")
        text = _FRENCH_U.sub("u", text.replace("1", "shch").replace("2", "ch"))
        text = text.replace("j", "zh")
    return text


@lru_cache(maxsize=500_000)
def latin_skeleton(text: str) -> str:
    """A coarse key shared by a name's Cyrillic and Latin spellings (``""`` if none)."""
    latin = _latin(text)
    if _SCHOLARLY.search(text):
        latin = _SCHOLARLY_C.sub("ts", latin)  # ISO 9: c is ц (Kuznêcov, Hmel′nic′kij)
    elif not _CYRILLIC_LETTER.search(text):
        latin = _LONE_C.sub("k", _regional(latin))  # English c is k; German, French
    for old, new in _STEPS:
        latin = latin.replace(old, new)
    latin = _DOUBLES.sub(r"\1", latin)
    if latin.endswith("ander"):  # Alexander, Oleksander: the English -er of -андр
        latin = latin[:-2] + "r"
    return latin.replace("ie", "e").replace("ei", "i").replace("io", "e")


_SURNAME_ENDINGS: tuple[tuple[str, str], ...] = (
    ("skaia", "ski"), ("ckaia", "cki"), ("ska", "ski"), ("cka", "cki"),
    ("ova", "ov"), ("eva", "ev"), ("ina", "in"), ("aia", "i"), ("oi", "i"),
)


@lru_cache(maxsize=500_000)
def surname_key(text: str) -> str:
    """The skeleton of a surname without its gendered ending (-ська/-ский, -ова/-ов)."""
    skeleton = latin_skeleton(text)
    for ending, replacement in _SURNAME_ENDINGS:
        if skeleton.endswith(ending) and len(skeleton) > len(ending) + 2:
            return skeleton[: -len(ending)] + replacement
    return skeleton


def loosen(skeleton: str) -> str:
    """:func:`loose_key` of a skeleton already computed (for example a surname key)."""
    for hushing in "cwx":  # Чорний ~ Чёрный: о after ч/ш/ж is Russian ё/е
        skeleton = skeleton.replace(hushing + "o", hushing + "e")
    return skeleton.replace("e", "i")


@lru_cache(maxsize=500_000)
def loose_key(text: str) -> str:
    """The skeleton with e and i merged, and о after hushing consonants read as е:
    Гліб ~ Глеб, Зіновій ~ Зиновий, Чорний ~ Чёрный. Coarse on purpose: evidence for
    names no table knows, never proof."""
    return loosen(latin_skeleton(text))


_VOWELS = re.compile(r"[aeiou]")


def consonant_key(skeleton: str) -> str:
    """The consonants of a skeleton, in order (``oleksandr`` → ``lksndr``).

    Ukrainian and Russian forms of one given name differ mostly in vowels (Олексій ~
    Алексей, Гліб ~ Глеб, Ярема ~ Ерема) and so do the Latin spellings of either; their
    consonants agree. Too coarse to compare with, it is a blocking key: names that share
    it are worth scoring, and the comparison decides. A skeleton of vowels only (Ія)
    keeps its vowels, so no name is left without a key.
    """
    return _VOWELS.sub("", skeleton) or skeleton
