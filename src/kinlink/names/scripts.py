"""Which script and language a name token is written in.

Cyrillic tokens are Ukrainian when they hold і ї є ґ or an apostrophe, Russian when they
hold ы э ъ ё, and undecided otherwise (``Петренко`` is both). Latin tokens get the
transliteration families they most likely came from, read off tell-tale letter groups:
``w``/``sch`` for German, ``ou``/``tch`` for French, ``kh``/``iu``/``ia``/``yi`` for the
official Ukrainian and Russian passport tables, ``y`` endings for English habits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from kinlink.names.normalise import normalise

__all__ = ["Script", "TokenScript", "detect"]


class Script(StrEnum):
    """The script (and, for Cyrillic, the language) of one token."""

    UKRAINIAN = "Ukrainian Cyrillic"
    RUSSIAN = "Russian Cyrillic"
    CYRILLIC = "Cyrillic (Ukrainian or Russian)"
    LATIN = "Latin"
    OTHER = "other"


@dataclass(frozen=True)
class TokenScript:
    """A token's script and, for Latin, the transliteration families it fits."""

    script: Script
    families: tuple[str, ...] = ()


_UKRAINIAN = re.compile(r"[іїєґ']")
_RUSSIAN = re.compile(r"[ыэъё]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z]")
_FAMILIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("German", re.compile(r"w|sch|tsch|^j[aeou]|j[aeou]$")),
    ("French", re.compile(r"ou|tch|^iou")),
    ("Ukrainian official (KMU 2010)", re.compile(r"kh|zgh|yi|iia$|ii$|^ye|^yu|^ya|h")),
    ("Ukrainian passport 2007", re.compile(r"^ie|^iu|^ia|zg|g")),
    ("Russian passport (ICAO 9303)", re.compile(r"iu|ia|ii$|ei$|ts")),
    ("Russian passport (MVD 1997) or English habit", re.compile(r"iy$|ey$|y$|ya$|yu|yo")),
    ("GOST 2006", re.compile(r"tc")),
    ("English habit", re.compile(r"x|y$")),
)


@lru_cache(maxsize=100_000)
def detect(token: str) -> TokenScript:
    """The script of ``token``; for Latin, the likely transliteration families."""
    folded = normalise(token).casefold()
    if _CYRILLIC.search(folded):
        if _UKRAINIAN.search(folded):
            return TokenScript(Script.UKRAINIAN)
        if _RUSSIAN.search(folded):
            return TokenScript(Script.RUSSIAN)
        return TokenScript(Script.CYRILLIC)
    if _LATIN.search(folded):
        families = tuple(name for name, pattern in _FAMILIES if pattern.search(folded))
        return TokenScript(Script.LATIN, families)
    return TokenScript(Script.OTHER)
