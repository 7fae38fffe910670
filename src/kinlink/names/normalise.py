"""Clean name text before anything else looks at it.

Lists are typed by hand in many keyboards: apostrophes come as ' ’ ʼ ` ´, hyphens as
‐ – —, invisible characters slip in, and Latin look-alike letters get typed inside
Cyrillic words (``Пeтренко`` with a Latin ``e``) or the reverse. This module unifies
those so that later steps see one spelling. The display form keeps the original case;
:func:`fold` gives the comparison form (case-folded, ``ё`` → ``е``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["fold", "normalise", "repair_token", "tokens"]

_INVISIBLE = re.compile(r"[\u0000-\u001f\u007f\u00ad\u200b-\u200f\u2028-\u202f\u2060\ufeff]")
# The primes ′ ʹ stay: ISO 9 and BGN write the soft sign with them, not an apostrophe.
_APOSTROPHES = str.maketrans(dict.fromkeys("’ʼ`´‘", "'"))
_HYPHENS = str.maketrans(dict.fromkeys("‐‑‒–—―", "-"))
_SPACES = re.compile(r"\s+")
_TOKEN = re.compile(r"[^\s,;/()\[\]\"«»]+")

# Latin letters that look like Cyrillic ones, and back. Latin "i" becomes Ukrainian "і".
_LATIN_TO_CYRILLIC = str.maketrans({
    "a": "а", "c": "с", "e": "е", "i": "і", "o": "о", "p": "р", "x": "х", "y": "у",
    "k": "к",
    "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "I": "І", "K": "К", "M": "М",
    "O": "О", "P": "Р", "T": "Т", "X": "Х", "Y": "У",
})
_CYRILLIC_TO_LATIN = str.maketrans({
    "а": "a", "с": "c", "е": "e", "і": "i", "о": "o", "р": "p", "х": "x", "у": "y",
    "к": "k", "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "І": "I", "К": "K",
    "М": "M", "О": "O", "Р": "P", "Т": "T", "Х": "X",
})


def _is_cyrillic(char: str) -> bool:
    return "\u0400" <= char <= "\u04ff"


def _is_latin(char: str) -> bool:
    return char.isascii() and char.isalpha()


_CYRILLIC_ONLY = frozenset(
    c for c in "абвгґдеєжзиіїйклмнопрстуфхцчшщьюяыэъёАБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯЫЭЪЁ"
    if ord(c) not in _CYRILLIC_TO_LATIN)
_LATIN_ONLY = frozenset(
    c for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    if ord(c) not in _LATIN_TO_CYRILLIC)


@lru_cache(maxsize=200_000)
def repair_token(token: str) -> str:
    """Map look-alike letters to the script the token is written in.

    A letter only one script has (Cyrillic П, Л, Ж …; Latin d, f, s …) decides; when
    both kinds or neither occur, most letters decide. So OCR'd capitals like ``ПETPEНKO``
    come back as ``ПЕТРЕНКО`` even though most of their letters were read as Latin.
    """
    cyrillic = sum(1 for c in token if _is_cyrillic(c))
    latin = sum(1 for c in token if _is_latin(c))
    if not (cyrillic and latin):
        return token
    cyrillic_only = any(c in _CYRILLIC_ONLY for c in token)
    latin_only = any(c in _LATIN_ONLY for c in token)
    to_cyrillic = cyrillic_only if cyrillic_only != latin_only else cyrillic >= latin
    return token.translate(_LATIN_TO_CYRILLIC if to_cyrillic else _CYRILLIC_TO_LATIN)


def cyrillic_reading(word: str) -> str | None:
    """The Cyrillic word a word typed wholly in Latin look-alike letters stands for.

    ``Kipa`` beside ``Петренко`` is Кіра typed on the wrong keyboard layout or OCR'd:
    alone, such a word could be either script, but in a record whose other words are
    Cyrillic it is Cyrillic. ``None`` when some letter has no Cyrillic look-alike.
    """
    if not word or not all(ord(c) in _LATIN_TO_CYRILLIC for c in word if c not in "-'"):
        return None
    return word.translate(_LATIN_TO_CYRILLIC)


@lru_cache(maxsize=200_000)
def normalise(text: str) -> str:
    """NFC, no invisible characters, one apostrophe, one hyphen, single spaces, and
    look-alike letters repaired per word. Case is kept (this is the display form)."""
    cleaned = unicodedata.normalize("NFC", text)
    cleaned = _INVISIBLE.sub("", cleaned).translate(_APOSTROPHES).translate(_HYPHENS)
    cleaned = _SPACES.sub(" ", cleaned).strip()
    return " ".join(repair_token(t) for t in cleaned.split(" ")) if cleaned else ""


def fold(text: str) -> str:
    """The comparison form: normalised, case-folded, ``ё`` → ``е``."""
    return normalise(text).casefold().replace("ё", "е")


def tokens(text: str) -> list[str]:
    """The words of a name (normalised), split on spaces and punctuation, hyphens kept."""
    return _TOKEN.findall(normalise(text))
