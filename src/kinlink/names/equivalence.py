"""Given names across languages: Олександр = Александр = Oleksandr = Aleksandr ← Саша.

The table in ``data/name_pairs.csv`` pairs each Ukrainian given name with its Russian
form, known Latin spellings and diminutives. Every form, and every transliteration of
the Ukrainian form under the Ukrainian systems and of the Russian form under the Russian
systems, is indexed under its :func:`~kinlink.names.keys.latin_skeleton`, so a lookup
works whatever script or system a list used. The canonical id of a name is its
Ukrainian form. A diminutive maps to a *set* of names (Саша → Олександр | Олександра).

For names the table does not know, Wikidata's name groups (through the ``rigour``
library) give a second, noisier opinion.

To measure how kinlink does on names its tables do not hold (benchmarks/linkage.py
``--withhold``), the environment variable ``KINLINK_NAMES_WITHHOLD`` may name a file of
canonical names (one per line) that the engine then behaves as if it had never known:
they leave this table and the dictionaries the full-name parser uses. It is read once,
when the table is first loaded; it is for measuring, not for use.
"""

from __future__ import annotations

import csv
import os
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache
from importlib import resources

from rigour.names import NameTypeTag, analyze_names

from kinlink.names.keys import latin_skeleton
from kinlink.names.translit import System, transliterate

__all__ = [
    "WITHHOLD_VARIABLE",
    "GivenName",
    "Match",
    "Relation",
    "given_name",
    "lookup_given",
    "wikidata_groups",
    "withheld_skeletons",
]

WITHHOLD_VARIABLE = "KINLINK_NAMES_WITHHOLD"


class Relation(StrEnum):
    """How a written form relates to the canonical name it was found under."""

    UKRAINIAN = "Ukrainian form"
    RUSSIAN = "Russian form"
    LATIN = "Latin spelling"
    DIMINUTIVE = "diminutive"


@dataclass(frozen=True)
class GivenName:
    """A canonical given name: its Ukrainian and Russian forms and its sex."""

    id: str
    russian: str
    sex: str
    latin: tuple[str, ...]
    diminutives: tuple[str, ...]


@dataclass(frozen=True, order=True)
class Match:
    """A canonical name a written form belongs to, and how."""

    name_id: str
    relation: Relation


_PRECEDENCE = (Relation.UKRAINIAN, Relation.RUSSIAN, Relation.LATIN, Relation.DIMINUTIVE)


@cache
def _full_table() -> dict[str, GivenName]:
    source = resources.files("kinlink.names") / "data" / "name_pairs.csv"
    with source.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["uk"]: GivenName(row["uk"], row["ru"], row["sex"].upper(),
                             tuple(v for v in row["latin_variants"].split("|") if v),
                             tuple(v for v in row["diminutives"].split("|") if v))
        for row in rows
    }


@cache
def _withheld() -> frozenset[str]:
    """Canonical names the engine is to behave as if it did not know (measuring only)."""
    path = os.environ.get(WITHHOLD_VARIABLE)
    if not path:
        return frozenset()
    with open(path, encoding="utf-8") as handle:
        return frozenset(line.strip() for line in handle if line.strip())


@cache
def _table() -> dict[str, GivenName]:
    withheld = _withheld()
    return {k: v for k, v in _full_table().items() if k not in withheld}


@cache
def withheld_skeletons() -> frozenset[str]:
    """Skeletons of every form of the withheld names (empty when none is withheld)."""
    table = _full_table()
    return frozenset(latin_skeleton(form) for name_id in _withheld() if name_id in table
                     for form, _relation in _forms(table[name_id]))


def _forms(name: GivenName) -> list[tuple[str, Relation]]:
    forms = [(name.id, Relation.UKRAINIAN), (name.russian, Relation.RUSSIAN)]
    forms += [(latin, Relation.LATIN) for latin in name.latin]
    forms += [(transliterate(name.id, s), Relation.LATIN) for s in System if s.language == "uk"]
    forms += [(transliterate(name.russian, s), Relation.LATIN)
              for s in System if s.language == "ru"]
    for diminutive in name.diminutives:
        forms.append((diminutive, Relation.DIMINUTIVE))
        forms += [(transliterate(diminutive, s), Relation.DIMINUTIVE)
                  for s in (System.KMU_2010, System.RU_ICAO_9303, System.RU_WIKIPEDIA)]
    return forms


@cache
def _index() -> dict[str, dict[str, Relation]]:
    """skeleton → {name id → the strongest relation a form with that skeleton has}."""
    index: dict[str, dict[str, Relation]] = defaultdict(dict)
    for name in _table().values():
        for form, relation in _forms(name):
            entry = index[latin_skeleton(form)]
            known = entry.get(name.id)
            if known is None or _PRECEDENCE.index(relation) < _PRECEDENCE.index(known):
                entry[name.id] = relation
    index.pop("", None)
    return dict(index)


def given_name(name_id: str) -> GivenName:
    """The canonical name with this id (its Ukrainian form)."""
    return _table()[name_id]


@lru_cache(maxsize=200_000)
def lookup_given(text: str) -> tuple[Match, ...]:
    """The canonical names ``text`` can be, sorted; empty if the table does not know it.

    A full name (not a diminutive) wins over diminutive readings of the same form.
    """
    entry = _index().get(latin_skeleton(text), {})
    full = {k: v for k, v in entry.items() if v is not Relation.DIMINUTIVE}
    chosen = full or entry
    return tuple(sorted(Match(name_id, relation) for name_id, relation in chosen.items()))


@lru_cache(maxsize=100_000)
def wikidata_groups(text: str) -> frozenset[str]:
    """Wikidata given-name groups (``Q…`` ids) that list ``text`` as a form of a name."""
    names = analyze_names(NameTypeTag.PER, [text])
    return frozenset(str(symbol) for name in names for symbol in name.symbols
                     if str(symbol).startswith("[NAME:"))
