"""The password policy: long, and not one an attacker would try early.

A password a person chooses (security.md AUTH-02/03) has 12 to 128 characters, any
characters, no composition rules, and is refused, saying why, when it:

* contains the user name or a part of it of four letters or more (``olena.koval``:
  ``olena``, ``koval``);
* is repetitive: fewer than five different characters, or one block said again and
  again (``kyivkyivkyiv``, ``abcabcabcabc``);
* is a sequence: made only (spaces and separators aside) of runs of three or more
  neighbours in the alphabet (Latin or Ukrainian), the digits (``…7890123…``) or a
  keyboard row, forward or back (``123456789012``, ``abcdefghijkl``, ``qwerty 1234
  asdf``, ``йцукенгшщзхї``);
* is a well-known password: one of the 30,000 most common passwords of public breach
  lists (the list the ``zxcvbn`` package ships, MIT licence, pinned in pyproject.toml)
  or of kinlink's own list below, also with digits or signs added before or after it
  (``sunshine2024!``);
* is easy to guess all the same: zxcvbn (Dropbox's estimator: dictionary words, names,
  dates, keyboard patterns, l33t) scores it below 3 of 4, that is fewer than about 10⁸
  guesses.

Each refusal is an :class:`~kinlink.errors.InputRefusedError` whose ``code`` names the
rule (the pages translate by it) and whose message says why in plain words.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import pairwise

from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from kinlink.errors import InputRefusedError

__all__ = ["MAX_LENGTH", "MIN_LENGTH", "MIN_SCORE", "REFUSALS", "check_policy"]

MIN_LENGTH = 12
MAX_LENGTH = 128
MIN_SCORE = 3
"""zxcvbn's score (0-4) a password needs at least: 3 is "safely unguessable"."""
_ZXCVBN_LENGTH = 72
"""zxcvbn refuses longer input (its time grows fast); the first 72 characters are scored."""

REFUSALS: dict[str, str] = {
    "password_too_short": f"a password needs at least {MIN_LENGTH} characters",
    "password_too_long": f"a password has at most {MAX_LENGTH} characters",
    "password_has_username": "a password must not contain your user name or a part of it",
    "password_repetitive": "this password repeats itself (the same characters or the same "
                           "few characters again and again)",
    "password_sequence": "this password is a sequence (of letters, digits or keys next to "
                         "each other)",
    "password_common": "this password is on the lists of well-known passwords that "
                       "attackers try first",
    "password_guessable": "this password is easy to guess: it is made of common words, "
                          "names, dates or keyboard patterns; use a longer phrase of "
                          "several words of your own",
    "password_unchanged": "the new password must differ from the current one",
}
"""Every refusal's code and its message (the English text of the error)."""

# Passwords any kinlink deployment would think of first, and Ukrainian ones the breach
# lists of English-speaking sites miss. Compared case-insensitively.
_OWN_LIST = frozenset({
    "administrator", "adminadminadmin", "changeme", "kinlink", "kinlinkkinlink",
    "slavaukraini", "slava ukraini", "slavaukraini!", "heroyamslava", "ukraine", "ukraina",
    "kyiv", "kiev", "kharkiv", "odesa", "mariupol", "пароль", "парольпароль", "україна",
    "слава україні", "слава україні!", "славаукраїні", "героям слава", "героямслава",
    "київ", "харків", "одеса", "маріуполь", "кохання", "сонечко",
})

_SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz",
    "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "01234567890",
    "qwertyuiop", "asdfghjkl", "zxcvbnm", "qwertyuiopasdfghjklzxcvbnm",
    "1234567890-=", "!@#$%^&*()_+",
    "йцукенгшщзхї", "фівапролджє", "ячсмитьбю", "йцукенгшщзхїфівапролджєячсмитьбю",
    "йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю",
)
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_NAME_PARTS = re.compile(r"[._\-]+")
_SEPARATORS = re.compile(r"[\s._\-]+")


def check_policy(password: str, username: str) -> None:
    """Raise :class:`InputRefusedError` unless ``username`` may choose ``password``."""
    code = refusal(password, username)
    if code is not None:
        raise InputRefusedError(REFUSALS[code], code)


def refusal(password: str, username: str) -> str | None:
    """The code of the first rule ``password`` breaks, or ``None`` when it may be used."""
    if len(password) < MIN_LENGTH:
        return "password_too_short"
    if len(password) > MAX_LENGTH:
        return "password_too_long"
    folded = password.casefold()
    if _has_username(folded, username):
        return "password_has_username"
    if _repetitive(folded):
        return "password_repetitive"
    if _sequence(folded):
        return "password_sequence"
    if _common(folded):
        return "password_common"
    inputs = [username, *_NAME_PARTS.split(username)] if username else []
    if zxcvbn(password[:_ZXCVBN_LENGTH], user_inputs=inputs)["score"] < MIN_SCORE:
        return "password_guessable"
    return None


def _has_username(folded: str, username: str) -> bool:
    name = username.strip().casefold()
    if not name:
        return False
    squeezed = _NAME_PARTS.sub("", name)
    parts = [p for p in _NAME_PARTS.split(name) if len(p) >= 4]
    return any(p in folded for p in (name, squeezed, *parts) if p)


def _repetitive(folded: str) -> bool:
    if len(set(folded)) < 5:
        return True
    return re.fullmatch(r"(.+?)\1+", folded, flags=re.DOTALL) is not None


@cache
def _steps() -> frozenset[tuple[str, str]]:
    """Pairs of characters that follow each other in a sequence (either direction)."""
    pairs: set[tuple[str, str]] = set()
    for sequence in _SEQUENCES:
        for first, second in pairwise(sequence):
            pairs.add((first, second))
            pairs.add((second, first))
    return frozenset(pairs)


def _sequence(folded: str) -> bool:
    """Whether every character (spaces and separators aside) sits in a run of 3+
    neighbours of some sequence."""
    steps = _steps()
    squeezed = _SEPARATORS.sub("", folded)
    if not squeezed:
        return False
    run = 1
    for previous, current in pairwise(squeezed):
        if (previous, current) in steps:
            run += 1
            continue
        if run < 3:
            return False
        run = 1
    return run >= 3


@cache
def _common_list() -> frozenset[str]:
    breached = (p.casefold() for p in FREQUENCY_LISTS["passwords"])
    return frozenset(breached) | frozenset(p.casefold() for p in _OWN_LIST)


def _common(folded: str) -> bool:
    common = _common_list()
    candidates = {folded, folded.strip(), folded.replace(" ", "")}
    core = _EDGES.sub("", folded)
    if 2 * len(core) >= len(folded):  # a well-known word with a little added around it
        candidates |= {core, core.replace(" ", "")}
    return any(c in common for c in candidates if c)
