"""Read-only reference data the demo generator draws from.

Given-name pairs and Ukrainian places live in ``kinlink.names.data`` because the name
engine will use them too; Russian destination places are demo-only and live in
``kinlink.demo.data``. Every loader is cached: the files are small and never change
while the process runs.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

Sex = Literal["m", "f"]


@dataclass(frozen=True)
class NamePair:
    """One given name in its Ukrainian and Russian forms (a row of name_pairs.csv)."""

    uk: str
    ru: str
    latin: tuple[str, ...]
    diminutives: tuple[str, ...]
    sex: Sex


@dataclass(frozen=True)
class Place:
    """A Ukrainian settlement children were taken from (a row of places.csv).

    ``ru_old`` is the Soviet-era name Russian documents still use for a settlement
    Ukraine renamed (Артёмовск for Бахмут), or ``""`` when there is none.
    """

    uk: str
    ru: str
    latin: str
    oblast_uk: str
    oblast_ru: str
    ru_old: str


@dataclass(frozen=True)
class RuPlace:
    """A place in Russia or occupied Crimea where children were taken to."""

    ru: str
    latin: str


def _rows(package: str, name: str) -> list[dict[str, str]]:
    """Read a packaged CSV file into a list of dicts keyed by its header."""
    text = resources.files(package).joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _split(cell: str) -> tuple[str, ...]:
    """Split a ``|``-separated cell, dropping empty parts."""
    return tuple(part for part in cell.split("|") if part)


@cache
def name_pairs() -> tuple[NamePair, ...]:
    """The 96 curated uk↔ru given-name pairs."""
    pairs = []
    for row in _rows("kinlink.names", "name_pairs.csv"):
        sex: Sex = "m" if row["sex"] == "m" else "f"
        pairs.append(
            NamePair(
                uk=row["uk"],
                ru=row["ru"],
                latin=_split(row["latin_variants"]),
                diminutives=_split(row["diminutives"]),
                sex=sex,
            )
        )
    return tuple(pairs)


@cache
def places() -> tuple[Place, ...]:
    """Ukrainian settlements in occupied and front-line oblasts."""
    return tuple(
        Place(
            uk=row["uk"],
            ru=row["ru"],
            latin=row["latin"],
            oblast_uk=row["oblast_uk"],
            oblast_ru=row["oblast_ru"],
            ru_old=row["ru_old"],
        )
        for row in _rows("kinlink.names", "places.csv")
    )


@cache
def ru_places() -> tuple[RuPlace, ...]:
    """Destination places in Russia and occupied Crimea."""
    return tuple(
        RuPlace(ru=row["ru"], latin=row["latin"]) for row in _rows("kinlink.demo", "ru_places.csv")
    )
