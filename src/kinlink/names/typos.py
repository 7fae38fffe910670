"""Is the difference between two spellings a plausible slip of the hand or the eye?

Lists are typed and OCR'd by tired people: a neighbouring key (ЙЦУКЕН or QWERTY), a
letter that looks alike (и/н/п, ш/щ, б/6, з/3, і/ї), two letters swapped, a letter
doubled or dropped. A difference of exactly one such slip is a *possible typo*; any
other difference (Іваненко/Іванченко, Гриценко/Грищенко, Мороз/Морозов) is a different
name. Comparison is on the case-folded text of one script.
"""

from __future__ import annotations

from functools import cache

__all__ = ["is_one_slip"]

_ROWS = (
    ("йцукенгшщзхїъ", "фівапролджєэы", "ячсмитьбю"),
    ("qwertyuiop", "asdfghjkl", "zxcvbnm"),
)
_LOOK_ALIKE = ("инп", "шщ", "еєё", "іїi", "б6", "з3", "ьъы", "о0", "uv", "il1", "rn")


@cache
def _neighbours() -> dict[str, frozenset[str]]:
    near: dict[str, set[str]] = {}
    for rows in _ROWS:
        for r, row in enumerate(rows):
            for i, letter in enumerate(row):
                around = {row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)}
                for other in (r - 1, r + 1):
                    if 0 <= other < len(rows):
                        around |= {rows[other][j] for j in (i - 1, i, i + 1)
                                   if 0 <= j < len(rows[other])}
                near.setdefault(letter, set()).update(around)
    for group in _LOOK_ALIKE:
        for letter in group:
            near.setdefault(letter, set()).update(set(group) - {letter})
    return {letter: frozenset(others) for letter, others in near.items()}


def _substitution(a: str, b: str) -> bool:
    differ = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(differ) == 1:
        x, y = differ[0]
        return y in _neighbours().get(x, frozenset())
    if len(differ) == 2:
        i = next(k for k in range(len(a)) if a[k] != b[k])
        return a[i:i + 2] == b[i:i + 2][::-1]
    return False


def _insertion(short: str, long_: str) -> bool:
    i = next((k for k in range(len(short)) if short[k] != long_[k]), len(short))
    if short[i:] != long_[i + 1:]:
        return False
    extra = long_[i]
    before = long_[i - 1] if i > 0 else ""
    after = long_[i + 1] if i + 1 < len(long_) else ""
    near = _neighbours().get(extra, frozenset())
    return extra in (before, after) or before in near or after in near


def is_one_slip(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by one keyboard or reading slip."""
    a, b = a.casefold(), b.casefold()
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return _substitution(a, b)
    short, long_ = sorted((a, b), key=len)
    return _insertion(short, long_)
