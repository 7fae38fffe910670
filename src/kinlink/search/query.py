"""Read what a person typed into the search box: name parts and a birth year.

``Aleksandr Petrenko``, ``ПЕТРЕНКО Олександр``, ``Петренко 2014``: words are a name
(parsed by :func:`kinlink.names.parse_full_name`), a four-digit number is a birth year.
Because two words can be read either way round (and one word can be a given name or a
surname), the text gives one or more :class:`Reading`\\ s; search looks each up and keeps
the best comparison per record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kinlink.names import NameParts, name_features, parse_full_name
from kinlink.storage.search_keys import KeyQuery, tokens_for

__all__ = ["MAX_QUERY_LENGTH", "Reading", "birth_year_in", "readings"]

MAX_QUERY_LENGTH = 200
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
_WORD = re.compile(r"[^\W\d_][\w'’ʼ-]*", re.UNICODE)


@dataclass(frozen=True)
class Reading:
    """One reading of the typed name: its parts and the index lookups it makes.

    ``exact`` asks for the same surname key and given-name tokens. ``fuzzy`` lookups,
    tried when the exact one finds little, forgive a misspelling: the same surname with
    any given name (a misspelt given name), and the same given name with a surname
    beginning with the same two letters (a misspelt surname).
    """

    parts: NameParts
    exact: KeyQuery
    fuzzy: tuple[KeyQuery, ...]


def birth_year_in(text: str) -> int | None:
    """A four-digit year (1900–2099) typed with the name, if any."""
    match = _YEAR.search(text)
    return int(match.group(1)) if match else None


def _lookups(parts: NameParts) -> tuple[KeyQuery, tuple[KeyQuery, ...]] | None:
    features = name_features(parts.given, parts.surname, parts.patronymic, None)
    tokens = frozenset(tokens_for(features.given_ids, features.given_key))
    surname = features.surname_key
    if not surname and not tokens:
        return None
    fuzzy: list[KeyQuery] = []
    if surname and tokens:
        fuzzy.append(KeyQuery(surname, frozenset()))
        if len(surname) >= 4:
            fuzzy.append(KeyQuery(surname[:2], tokens, prefix=True))
    return KeyQuery(surname or None, tokens), tuple(fuzzy)


def readings(text: str) -> list[Reading]:
    """Every reading of ``text`` worth looking up (none when it holds no name)."""
    words = _WORD.findall(text[:MAX_QUERY_LENGTH])
    if not words:
        return []
    if len(words) == 1:
        candidates = [NameParts(surname=words[0]), NameParts(given=words[0])]
    else:
        parsed = parse_full_name(" ".join(words))
        candidates = [parsed]
        if parsed.given and parsed.surname:
            candidates.append(NameParts(parsed.surname, parsed.given, parsed.patronymic))
    found = []
    for parts in candidates:
        lookups = _lookups(parts)
        if lookups is not None:
            found.append(Reading(parts, *lookups))
    return found
