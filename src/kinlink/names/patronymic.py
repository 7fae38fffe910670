"""Patronymics: the father's name inside Сергійович, Сергеевна, Serhiiovych, Sergeevich.

A patronymic is reduced to the stem of the father's given name, and that stem to the
canonical father's name when the name table knows it, so that Сергійович (Ukrainian)
and Сергеевич (Russian) both say "father: Сергій". Stems are compared on the
script-independent skeleton with the vowels that end names removed: Микола → ``mikol``,
Николаевич → ``nikol``, Миколайович → ``mikol``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache, lru_cache

from kinlink.names.equivalence import Relation, _forms, _table, lookup_given
from kinlink.names.keys import latin_skeleton

__all__ = ["is_patronymic", "patronymic_key", "patronymic_sex"]

_CYRILLIC_SUFFIX = re.compile(
    r"(ович|евич|євич|йович|ійович|ьович|ич|іч|івна|ївна|овна|евна|ьевна|инична|ічна|ична)$")
_LATIN_SUFFIX = re.compile(r"(ovic|evic|iovic|ivna|ovna|evna|inicna|icna|ic)$")
# Endings to try, longest first: the stem that names a known father wins.
_ENDINGS = ("inicna", "ovic", "evic", "ivna", "ovna", "evna", "icna", "ic", "na")
_FEMININE = re.compile(r"(івна|ївна|овна|евна|ична|ічна|ivna|ovna|evna|icna)$")
_FINAL_VOWELS = re.compile(r"[aeiou]+$")


def is_patronymic(token: str) -> bool:
    """True when the token ends like a patronymic (-ович, -івна, -ovich, -ivna …)."""
    lowered = token.casefold()
    if _CYRILLIC_SUFFIX.search(lowered) and len(lowered) > 4:
        if lowered.endswith(("ич", "іч")):
            return lowered.endswith(("вич", "ліч", "льич", "ьич"))
        return True
    return bool(_LATIN_SUFFIX.search(latin_skeleton(token))) and len(token) > 6 and (
        latin_skeleton(token).endswith(("vic", "vna", "icna")))


def _stem(skeleton: str) -> str:
    return _FINAL_VOWELS.sub("", skeleton)


@cache
def _stem_index() -> dict[str, frozenset[str]]:
    """Father's-name stem → canonical names (from every form of every male name)."""
    index: dict[str, set[str]] = defaultdict(set)
    for name in _table().values():
        if name.sex != "M":
            continue
        for form, relation in _forms(name):
            if relation is not Relation.DIMINUTIVE:
                index[_stem(latin_skeleton(form))].add(name.id)
    return {stem: frozenset(ids) for stem, ids in index.items() if stem}


def _candidate_stems(skeleton: str) -> list[str]:
    """Father's-name stems the patronymic can hide, most likely first.

    Якович is Яков + ич, Яковлевич is Яков + левич, Яківна is Яків + на: each ending is
    tried, and the Russian ``-влевич`` loses its ``л``.
    """
    stems = []
    for ending in _ENDINGS:
        if skeleton.endswith(ending) and len(skeleton) > len(ending) + 1:
            stem = _stem(skeleton[: -len(ending)])
            stems.append(stem[:-1] if stem.endswith("vl") else stem)
    return stems or [_stem(skeleton)]


@lru_cache(maxsize=200_000)
def patronymic_key(text: str) -> str | None:
    """The father's canonical name if known, else his name's stem; ``None`` if empty."""
    skeleton = latin_skeleton(text)
    if not skeleton:
        return None
    stems = _candidate_stems(skeleton)
    for stem in stems:
        known = _stem_index().get(stem)
        if known and len(known) == 1:
            return next(iter(known))
    matches = lookup_given(stems[0])
    if len(matches) == 1:
        return matches[0].name_id
    return stems[0] or skeleton


def patronymic_sex(text: str) -> str | None:
    """``F`` for -івна/-овна/-ivna forms, ``M`` for -ович/-ovich, else ``None``."""
    if not is_patronymic(text):
        return None
    lowered = text.casefold()
    return "F" if _FEMININE.search(lowered) or _FEMININE.search(latin_skeleton(text)) else "M"
