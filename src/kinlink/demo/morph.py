"""The four forms of a family name, as the generator picks them for a family.

The name rules themselves (patronymics built from a father's given name, feminine
surnames, the Russian spelling of a Ukrainian surname) live in
:mod:`kinlink.names.russify`, which the mediation lists use too; they are re-exported
here for the generator's modules.
"""

from __future__ import annotations

from dataclasses import dataclass

from kinlink.demo.resources import Sex
from kinlink.names.russify import (
    feminine_ru,
    feminine_uk,
    patronymic_ru,
    patronymic_uk,
    russian_surname,
)

__all__ = [
    "Surname",
    "feminine_ru",
    "feminine_uk",
    "patronymic_ru",
    "patronymic_uk",
    "russian_surname",
    "surname_from_ru",
    "surname_from_uk",
]


@dataclass(frozen=True)
class Surname:
    """One family name in its masculine and feminine, Ukrainian and Russian forms."""

    uk_m: str
    uk_f: str
    ru_m: str
    ru_f: str

    def uk(self, sex: Sex) -> str:
        """The Ukrainian form for a person of ``sex``."""
        return self.uk_m if sex == "m" else self.uk_f

    def ru(self, sex: Sex) -> str:
        """The Russian form for a person of ``sex``."""
        return self.ru_m if sex == "m" else self.ru_f


def surname_from_uk(masculine_uk: str) -> Surname:
    """All four forms of a family name given its masculine Ukrainian form."""
    ru_m = russian_surname(masculine_uk)
    return Surname(
        uk_m=masculine_uk,
        uk_f=feminine_uk(masculine_uk),
        ru_m=ru_m,
        ru_f=feminine_ru(ru_m),
    )


def surname_from_ru(masculine_ru: str, feminine: str | None = None) -> Surname:
    """A Russian family name (an adoptive family's); the Ukrainian fields repeat it."""
    fem = feminine if feminine is not None else feminine_ru(masculine_ru)
    return Surname(uk_m=masculine_ru, uk_f=fem, ru_m=masculine_ru, ru_f=fem)
