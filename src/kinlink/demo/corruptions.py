"""Realistic damage done to names and dates by the people and systems that keep lists.

Each function models one corruption from names.md §7: Latin look-alike letters typed
inside Cyrillic words, one-letter typos (keyboard neighbours, visually similar
letters, dropped, doubled or swapped letters), ё written as е, apostrophe variants,
and dates moved on adoption or with day and month swapped. Every function takes the
random generator explicitly so that output is reproducible.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

# Cyrillic letters and the Latin letters that look the same (names.md §7).
_LOOKALIKES: dict[str, str] = {
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "і": "i",
    "А": "A", "Е": "E", "О": "O", "Р": "P", "С": "C", "Х": "X", "І": "I",
}  # fmt: skip

# Neighbouring keys on the Ukrainian/Russian ЙЦУКЕН layout.
_ROWS = ("йцукенгшщзхї", "фівапролджє", "ячсмитьбю", "йцукенгшщзхъ", "фывапролджэ")

# Letters clerks and OCR confuse by shape (names.md §7).
_SIMILAR: dict[str, str] = {
    "и": "н", "н": "и", "п": "н", "ш": "щ", "щ": "ш", "е": "є", "є": "е", "і": "ї", "ї": "і",
    "ь": "ъ", "л": "п", "б": "6", "з": "3",
}  # fmt: skip

_APOSTROPHES = ("'", "’", "ʼ", "`", "")


def _neighbours(letter: str) -> str:
    """Letters next to ``letter`` on the ЙЦУКЕН keyboard rows that contain it."""
    found = ""
    for row in _ROWS:
        at = row.find(letter)
        if at >= 0:
            found += row[max(at - 1, 0) : at] + row[at + 1 : at + 2]
    return found


def add_lookalike(word: str, rng: random.Random) -> str:
    """Replace one Cyrillic letter by its Latin look-alike (``Петренко`` → ``Пeтренко``).

    The word is returned unchanged when it has no letter with a look-alike.
    """
    spots = [i for i, ch in enumerate(word) if ch in _LOOKALIKES]
    if not spots:
        return word
    at = rng.choice(spots)
    return word[:at] + _LOOKALIKES[word[at]] + word[at + 1 :]


def has_lookalike_target(word: str) -> bool:
    """Whether :func:`add_lookalike` can change ``word``."""
    return any(ch in _LOOKALIKES for ch in word)


def _match_case(letter: str, like: str) -> str:
    """``letter`` in the case of ``like``."""
    return letter.upper() if like.isupper() else letter


def typo(word: str, rng: random.Random) -> str:
    """Make one plausible typing or reading error in a Cyrillic word.

    The first letter is never touched (people rarely get it wrong, and it keeps the word
    readable), and words shorter than four letters are returned unchanged.
    """
    if len(word) < 4:
        return word
    at = rng.randrange(1, len(word) - 1)
    letter = word[at]
    kind = rng.random()
    if kind < 0.3:
        swap = _SIMILAR.get(letter.lower(), "") or _neighbours(letter.lower())
        if swap:
            new = _match_case(rng.choice(swap), letter)
            return word[:at] + new + word[at + 1 :]
        return word[:at] + word[at + 1 :]
    if kind < 0.55:
        near = _neighbours(letter.lower())
        if near:
            return word[:at] + _match_case(rng.choice(near), letter) + word[at + 1 :]
        return word[:at] + letter + word[at:]
    if kind < 0.75:
        return word[:at] + word[at + 1 :]
    if kind < 0.9:
        return word[:at] + letter + word[at:]
    return word[:at] + word[at + 1] + word[at] + word[at + 2 :]


def drop_yo(text: str) -> str:
    """Write ё as е, as most Russian typists do (Артём → Артем)."""
    return text.replace("ё", "е").replace("Ё", "Е")


def vary_apostrophe(text: str, rng: random.Random) -> str:
    """Write the Ukrainian apostrophe as one of ``'``, ``’``, ``ʼ``, `` ` `` or drop it."""
    if not any(a in text for a in _APOSTROPHES[:4]):
        return text
    new = rng.choice(_APOSTROPHES)
    for old in _APOSTROPHES[:4]:
        text = text.replace(old, new)
    return text


def shift_date(day: date, rng: random.Random, max_days: int) -> date:
    """Move ``day`` by 1 to ``max_days`` days either way (adoption secrecy, art. 135)."""
    delta = rng.randint(1, max_days) * rng.choice((-1, 1))
    return day + timedelta(days=delta)


def swap_day_month(day: date) -> date | None:
    """The date with day and month exchanged, or ``None`` when that is no other date."""
    if day.day > 12 or day.day == day.month:
        return None
    return day.replace(month=day.day, day=day.month)
