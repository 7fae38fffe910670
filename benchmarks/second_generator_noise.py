"""What happens to a name or a date on its way into a list: the second generator's error model.

Written independently of kinlink (see ``second_generator.py``): keyboard slips on the
Ukrainian and Russian ЙЦУКЕН layouts and on QWERTY, letters dropped, doubled or swapped,
misread scans (и/н, ш/щ, й/и), Latin look-alike letters typed inside Cyrillic words,
Latin spellings (the official systems of ``translitua`` and ``iuliia`` and this module's
own "English habit" spellings), birth dates shifted, off by a year, with day and month
swapped, cut to a year or a month, and the date forms of the list format.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import iuliia
import translitua

__all__ = ["CYRILLIC", "DateStyle", "add_lookalikes", "english_habit", "format_date",
           "format_partial", "has_cyrillic", "latin", "make_typo", "shift_days", "swap_day_month",
           "year_off"]

CYRILLIC = frozenset(chr(code) for code in range(0x0400, 0x0530))


def has_cyrillic(text: str) -> bool:
    """Whether any Cyrillic letter is in ``text``."""
    return any(char in CYRILLIC for char in text)


# --- typos ----------------------------------------------------------------------------------

_LAYOUTS = {
    "uk": ("йцукенгшщзхї", "фівапролджє", "ячсмитьбю"),
    "ru": ("йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю"),
    "latin": ("qwertyuiop", "asdfghjkl", "zxcvbnm"),
}


def _neighbours(rows: tuple[str, ...]) -> dict[str, str]:
    """The keys next to each key (same row either side, the rows above and below)."""
    near: dict[str, set[str]] = {}
    for r, row in enumerate(rows):
        for i, char in enumerate(row):
            keys = near.setdefault(char, set())
            keys.update(row[j] for j in (i - 1, i + 1) if 0 <= j < len(row))
            for other in (r - 1, r + 1):
                if 0 <= other < len(rows) and i < len(rows[other]):
                    keys.add(rows[other][i])
    return {char: "".join(sorted(keys)) for char, keys in near.items()}


_NEAR = {name: _neighbours(rows) for name, rows in _LAYOUTS.items()}
_MISREAD_CYRILLIC = {"и": "н", "н": "и", "ш": "щ", "щ": "ш", "п": "н", "л": "п", "ц": "щ",
                     "й": "и", "в": "з"}
_MISREAD = {
    "uk": {**_MISREAD_CYRILLIC, "ї": "і", "і": "ї"},
    "ru": {**_MISREAD_CYRILLIC, "ь": "ъ"},
    "latin": {"m": "rn", "n": "h", "l": "i", "e": "c", "u": "v", "o": "a"},
}


def _same_case(template: str, text: str) -> str:
    return text.upper() if template.isupper() else text


def make_typo(word: str, rng: random.Random, layout: str = "ru") -> str:
    """``word`` with one slip: a neighbouring key of the writer's ``layout`` (``uk``,
    ``ru`` or ``latin``), a dropped, doubled or swapped letter, or a misread letter. The
    first letter is left alone (people rarely get it wrong); the result differs from
    ``word`` unless no slip was found (a word shorter than three letters)."""
    if len(word) < 3:
        return word
    near, misread = _NEAR[layout], _MISREAD[layout]
    for _ in range(8):
        i = rng.randrange(1, len(word))
        char, low = word[i], word[i].lower()
        kind = rng.random()
        if kind < 0.35 and low in near:
            out = word[:i] + _same_case(char, rng.choice(near[low])) + word[i + 1:]
        elif kind < 0.55 and len(word) > 3:
            out = word[:i] + word[i + 1:]
        elif kind < 0.70:
            out = word[:i] + char + word[i:]
        elif kind < 0.85 and i + 1 < len(word):
            out = word[:i] + word[i + 1] + char + word[i + 2:]
        elif low in misread:
            out = word[:i] + _same_case(char, misread[low]) + word[i + 1:]
        else:
            continue
        if out != word:
            return out
    return word


# --- Latin look-alikes inside Cyrillic --------------------------------------------------------

_LOOKALIKE = {"а": "a", "о": "o", "р": "p", "с": "c", "е": "e", "х": "x", "у": "y", "і": "i",
              "А": "A", "О": "O", "Р": "P", "С": "C", "Е": "E", "Х": "X", "К": "K", "Т": "T",
              "Н": "H", "М": "M", "В": "B", "І": "I"}


def add_lookalikes(word: str, rng: random.Random) -> str:
    """``word`` with one or two Cyrillic letters typed as their Latin look-alikes (the
    Latin layout left on by mistake, or text pasted from a scan); unchanged when the word
    has none of those letters."""
    places = [i for i, char in enumerate(word) if char in _LOOKALIKE]
    if not places:
        return word
    chosen = rng.sample(places, min(len(places), 1 + (rng.random() < 0.3)))
    letters = list(word)
    for i in chosen:
        letters[i] = _LOOKALIKE[letters[i]]
    return "".join(letters)


# --- Latin spellings ---------------------------------------------------------------------------

UK_SYSTEMS: dict[str, Any] = {
    "kmu2010": translitua.UkrainianKMU, "passport2007": translitua.UkrainianPassport2007,
    "passport2004": translitua.UkrainianPassport2004Alt, "bgn": translitua.UkrainianBGN,
    "simple": translitua.UkrainianSimple, "german": translitua.UkrainianGerman,
    "french": translitua.UkrainianFrench,
}
RU_SYSTEMS: dict[str, Any] = {
    "icao": iuliia.ICAO_DOC_9303, "mvd782": iuliia.MVD_782, "mvd310": iuliia.MVD_310,
    "wikipedia": iuliia.WIKIPEDIA, "gost52535": iuliia.GOST_52535,
    "yandex": iuliia.YANDEX_MONEY,
}


@lru_cache(maxsize=200_000)
def latin(text: str, lang: str, system: str) -> str:
    """``text`` (Cyrillic, in ``lang`` ``uk`` or ``ru``) in one official Latin system."""
    if lang == "uk":
        out = translitua.translit(text, UK_SYSTEMS[system])
    else:
        out = RU_SYSTEMS[system].translate(text)
    return str(out)


# "English habits": how a volunteer, a journalist or a foreign case worker spells a name by
# ear. Each key lists the spellings one writer may settle on; a record draws one writer.
HABIT_CHOICES: dict[str, tuple[str, ...]] = {
    "г_uk": ("h", "g", "gh"), "є": ("ye", "ie", "je", "e"), "ї": ("yi", "i", "ji"),
    "и_uk": ("y", "i"), "и_ru": ("i", "y"), "й": ("y", "i", "j"), "ю": ("yu", "iu", "ju"),
    "я": ("ya", "ia", "ja"), "х": ("kh", "h"), "ц": ("ts", "tz", "c"), "щ": ("shch", "sch"),
    "ж": ("zh", "j"), "кс": ("ks", "x"), "ий_end": ("iy", "y", "ii", "i"),
    "ия_end": ("ia", "iya"), "ь": ("", "'"), "ё": ("yo", "e", "jo"), "е_start_ru": ("e", "ye"),
    "у": ("u", "ou"), "ы": ("y", "i"), "known": ("", "", "0", "1"),
}
_PLAIN = {"а": "a", "б": "b", "в": "v", "ґ": "g", "д": "d", "е": "e", "з": "z", "і": "i",
          "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
          "т": "t", "ф": "f", "ч": "ch", "ш": "sh", "ъ": "", "э": "e", "'": "", "’": "",
          "ʼ": "", "`": ""}
# a few given names people outside the region spell by a well-known Western form
KNOWN_SPELLINGS = {
    "Александр": ("Alexander", "Alexandr"), "Алексей": ("Alexey", "Alexei"),
    "Юлия": ("Julia", "Yulia"), "Мария": ("Maria",), "Наталья": ("Natalia", "Natalya"),
    "Дмитрий": ("Dmitry", "Dmitriy"), "Сергей": ("Sergey", "Sergei"),
    "Андрей": ("Andrey", "Andrei"), "Татьяна": ("Tatiana", "Tatyana"),
    "Ксения": ("Ksenia", "Xenia"), "Анастасия": ("Anastasia",), "Елена": ("Elena", "Yelena"),
    "Виктория": ("Victoria", "Viktoria"), "Екатерина": ("Ekaterina", "Yekaterina"),
    "Олександр": ("Olexandr", "Oleksander"), "Юлія": ("Yulia", "Yuliya"),
    "Дмитро": ("Dmytro", "Dmitro"), "Сергій": ("Serhiy", "Sergiy"),
    "Андрій": ("Andriy", "Andrii"), "Марія": ("Mariya", "Maria"),
}


def draw_habit(rng: random.Random) -> tuple[tuple[str, str], ...]:
    """One writer's spelling choices, drawn for one record."""
    return tuple((key, rng.choice(options)) for key, options in HABIT_CHOICES.items())


@lru_cache(maxsize=200_000)
def english_habit(text: str, lang: str, habit: tuple[tuple[str, str], ...]) -> str:
    """``text`` spelt in Latin letters by ear, with one writer's ``habit``."""
    choice = dict(habit)
    words = []
    for word in text.split(" "):
        known = KNOWN_SPELLINGS.get(word)
        if known and choice["known"]:
            words.append(known[int(choice["known"]) % len(known)])
        else:
            words.append("-".join(_spell_word(part, lang, choice) for part in word.split("-")))
    return " ".join(words)


def _spell_word(word: str, lang: str, choice: dict[str, str]) -> str:
    low = word.lower()
    out: list[str] = []
    i = 0
    while i < len(low):
        char = low[i]
        rest = low[i:]
        if rest in ("ий", "ій", "ый") and i > 0:
            out.append(choice["ий_end"])
            break
        if rest in ("ия", "ія") and i > 0:
            out.append(choice["ия_end"])
            break
        if rest.startswith("кс"):
            out.append(choice["кс"])
            i += 2
            continue
        out.append(_letter(char, i, lang, choice))
        i += 1
    spelt = "".join(out)
    if word.isupper() and len(word) > 1:
        return spelt.upper()
    return spelt[:1].upper() + spelt[1:] if word[:1].isupper() else spelt


def _letter(char: str, index: int, lang: str, choice: dict[str, str]) -> str:
    if char in _PLAIN:
        return _PLAIN[char]
    if char == "г":
        return choice["г_uk"] if lang == "uk" else "g"
    if char == "и":
        return choice["и_uk"] if lang == "uk" else choice["и_ru"]
    if char == "е" and index == 0 and lang == "ru":
        return choice["е_start_ru"]
    if char in choice:
        return choice[char]
    if char in CYRILLIC:
        return ""
    return char


# --- dates ----------------------------------------------------------------------------------

DateStyle = str  # "iso", "dmy", "dmy_short", "dmy_slash", "mdy_slash"

_FORMATTERS: dict[str, Callable[[dt.date], str]] = {
    "iso": lambda d: d.isoformat(),
    "dmy": lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}",
    "dmy_short": lambda d: f"{d.day}.{d.month}.{d.year}",
    "dmy_slash": lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
}


def format_date(day: dt.date, style: DateStyle) -> str:
    """An exact date in one of the list format's forms."""
    return _FORMATTERS[style](day)


def format_partial(day: dt.date, precision: str, style: DateStyle) -> str:
    """Only the year (``year``) or the year and month (``month``) of ``day``."""
    if precision == "year":
        return str(day.year)
    return f"{day.year}-{day.month:02d}" if style == "iso" else f"{day.month:02d}.{day.year}"


def shift_days(day: dt.date, rng: random.Random, most: int) -> dt.date:
    """``day`` moved by 1 to ``most`` days either way."""
    return day + dt.timedelta(days=rng.randint(1, most) * rng.choice((-1, 1)))


def year_off(day: dt.date, rng: random.Random) -> dt.date:
    """``day`` one year earlier or later (29 February becomes the 28th)."""
    year = day.year + rng.choice((-1, 1))
    return day.replace(year=year, day=min(day.day, 28 if day.month == 2 else day.day))


def swap_day_month(day: dt.date) -> dt.date | None:
    """``day`` with day and month exchanged, or ``None`` when that is no valid other date."""
    if day.day > 12 or day.day == day.month:
        return None
    return day.replace(month=day.day, day=day.month)
