"""Normalisation and script detection of name tokens."""

from __future__ import annotations

import pytest

from kinlink.names import Script, detect, fold, normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Дар’я", "Дар'я"),
        ("Дарʼя", "Дар'я"),
        ("Дар`я", "Дар'я"),
        ("Петренко–Коваль", "Петренко-Коваль"),
        ("  Олександр \u200b Петренко ", "Олександр Петренко"),
        ("Пeтрeнкo", "Петренко"),  # Latin e and o typed inside a Cyrillic word
        ("Мiкола", "Мікола"),  # Latin i inside Cyrillic becomes Ukrainian і
        ("Pеtrеnko", "Petrenko"),  # Cyrillic е typed inside a Latin word
        ("ПЕТРЕНКО", "ПЕТРЕНКО"),  # display form keeps its case
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_fold_is_the_comparison_form() -> None:
    assert fold("АРТЁМ") == fold("артем") == "артем"


@pytest.mark.parametrize(
    ("token", "script"),
    [
        ("Олійник", Script.UKRAINIAN),
        ("Їжакевич", Script.UKRAINIAN),
        ("Дар'я", Script.UKRAINIAN),
        ("Лысенко", Script.RUSSIAN),
        ("Артём", Script.RUSSIAN),
        ("Петренко", Script.CYRILLIC),
        ("Petrenko", Script.LATIN),
        ("123", Script.OTHER),
    ],
)
def test_script_per_token(token: str, script: Script) -> None:
    assert detect(token).script is script


@pytest.mark.parametrize(
    ("token", "family"),
    [
        ("Schewtschenko", "German"),
        ("Tkatchouk", "French"),
        ("Kuznetcov", "GOST 2006"),
        ("Yizhakevych", "Ukrainian official (KMU 2010)"),
        ("Dmitriy", "Russian passport (MVD 1997) or English habit"),
    ],
)
def test_latin_tokens_get_their_likely_transliteration_family(token: str, family: str) -> None:
    assert family in detect(token).families
