"""The kind of difference between two forms of a name part, as search shows it."""

from __future__ import annotations

import pytest

from kinlink.names import System
from kinlink.names.variance import Kind, part_variance


@pytest.mark.parametrize(("part", "typed", "found", "kinds", "system"), [
    ("given name", "Олександр", "олександр", (Kind.SAME,), None),
    ("given name", "Александр", "Олександр", (Kind.RUSSIAN_FORM,), None),
    ("given name", "Олександр", "Александр", (Kind.RUSSIAN_FORM,), None),
    ("given name", "Олександр", "Aleksandr", (Kind.RUSSIAN_FORM, Kind.LATIN),
     System.RU_ICAO_9303),
    ("given name", "Олександр", "Oleksandr", (Kind.LATIN,), System.KMU_2010),
    ("given name", "Олександр", "Саша", (Kind.DIMINUTIVE,), None),
    ("surname", "Коваленко", "Коваленка", (Kind.ONE_LETTER,), None),
    ("surname", "Зінченко", "Зинченко", (Kind.LETTERS,), None),
])
def test_the_kind_of_each_difference(part: str, typed: str, found: str,
                                     kinds: tuple[Kind, ...], system: System | None) -> None:
    variance = part_variance(part, typed, found)
    assert (variance.kinds, variance.system) == (kinds, system)
    assert variance.exact is (kinds == (Kind.SAME,))


def test_another_name_is_different_when_the_model_weighs_against_it() -> None:
    assert part_variance("surname", "Сидоренко", "Петров", similar=False).kinds == (
        Kind.DIFFERENT,)
    assert part_variance("surname", "Сидоренко", "Петров").kinds == (Kind.SPELLING,)
