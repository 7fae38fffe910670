"""A pair's explanation in the reader's language.

Stored explanations keep the specification's words in English (files, the API and the
audit trail stay in one language). The pages translate what the specification says —
the field, the verdict of its level, a veto — through the catalogue, where those words
are marked (:mod:`kinlink.linkage.defaults`). The name engine's finer reason after a
dash ("same spelling, once in Latin letters") is returned apart, each reason said again
in the reader's language when it is one of the name engine's wordings
(:mod:`kinlink.names.compare`), and as written otherwise, so that nothing the model
said is lost in translation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from kinlink.domain.dates import DateError, PartialDate
from kinlink.linkage import default_spec
from kinlink.linkage.cohorts import WORDS as COHORT_WORDS
from kinlink.linkage.cohorts import cohort_words
from kinlink.names import compare
from kinlink.web import i18n, labels
from kinlink.web.messages import say

__all__ = ["VerdictWords", "shown_value", "verdict_words"]

_DETAIL = " — "
_DATE_FIELDS = frozenset({"birth date", "event date"})
"""Fields whose stored values are ISO dates at their own precision."""
_CODED_FIELDS = {"sex": labels.SEXES}
"""Fields whose stored values are codes, said in words by these tables."""


@dataclass(frozen=True)
class VerdictWords:
    """What a page shows for one field of an explanation."""

    field: str
    words: str
    detail: str | None


@cache
def _level_words() -> dict[tuple[str, str], str]:
    """The words of every level, by (field title, level name)."""
    return {(c.title, level.name): level.words
            for c in default_spec().comparisons for level in c.levels}


def verdict_words(field: str, level: str | None, words: str,
                  gettext: Callable[[str], str],
                  args: dict[str, str] | None = None) -> VerdictWords:
    """Translate a stored field verdict: the field's name and the level's words; the
    engine's detail (after a dash) is returned apart, as written; what follows the
    level's words otherwise (a place's name) is kept after the translated words. The
    line of a pair's group (:mod:`kinlink.linkage.cohorts`) is said again from its
    ``args``."""
    moved = _cohort_words(args, gettext)
    if moved is not None:
        return VerdictWords(gettext(field), moved, None)
    known = _level_words().get((field, level or ""))
    if known is None or not words.startswith(known):
        return VerdictWords(gettext(field), words, None)  # words of another spec version
    rest = words[len(known):]
    detail = None
    if rest.startswith(_DETAIL):
        rest, detail = "", rest[len(_DETAIL):]
    return VerdictWords(gettext(field), gettext(known) + rest,
                        None if detail is None else engine_detail(detail, gettext))


_PARTS = frozenset(compare.PARTS)


def engine_detail(detail: str, gettext: Callable[[str], str]) -> str:
    """The name engine's reason(s) in the reader's language: ``reason`` or ``part: reason;
    part: reason`` (:func:`kinlink.linkage.name_evidence.name_reason`); any other text
    comes back as it is."""
    said = []
    for piece in detail.split("; "):
        part, colon, reason = piece.partition(": ")
        if colon and part in _PARTS:
            said.append(f"{gettext(part)}: {say(i18n.recognised(reason), gettext)}")
        else:
            said.append(say(i18n.recognised(piece), gettext))
    return "; ".join(said)


def _cohort_words(args: dict[str, str] | None, gettext: Callable[[str], str]) -> str | None:
    """The cohort line in the reader's language, or ``None`` when ``args`` are not one."""
    if not args or args.get("kind") not in COHORT_WORDS:
        return None
    try:
        count = int(args.get("count", ""))
    except ValueError:
        return None
    return cohort_words(args["kind"], count, args.get("intake", ""),
                        args.get("capped") == "True", gettext)


def shown_value(field: str, value: str | None, language: str,
                gettext: Callable[[str], str] = str) -> str:
    """A stored value as the reader writes it: dates in their convention at their own
    precision (``12.03.2014``, ``03.2014``), codes in words translated by ``gettext``
    (sex ``M`` as *boy*), anything else as stored; ``—`` if none."""
    if value is None:
        return "—"
    words = _CODED_FIELDS.get(field, {}).get(value)
    if words is not None:
        return gettext(words)
    if field in _DATE_FIELDS:
        try:
            return i18n.partial_date(PartialDate.from_iso(value), language)
        except (ValueError, DateError, TypeError):
            return value
    return value
