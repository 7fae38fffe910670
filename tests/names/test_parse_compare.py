"""Full-name parsing in either order, and explained comparison with verdicts."""

from __future__ import annotations

import pytest

from kinlink.names import NameParts, Verdict, compare_names, parse_full_name


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("ПЕТРЕНКО Олександр Іванович", NameParts("Олександр", "ПЕТРЕНКО", "Іванович")),
        ("Петренко Олександр", NameParts("Олександр", "Петренко")),
        ("Oleksandr Petrenko", NameParts("Oleksandr", "Petrenko")),
        ("PETRENKO Oleksandr", NameParts("Oleksandr", "PETRENKO")),
        ("Олександр Петренко", NameParts("Олександр", "Петренко")),
        ("Ivanova Mariia Petrovna", NameParts("Mariia", "Ivanova", "Petrovna")),
        ("Shevchenko Taras", NameParts("Taras", "Shevchenko")),
        ("Ярослава Коваль", NameParts("Ярослава", "Коваль")),
        # register order with a patronymic, even for names no table knows
        ("Chaous Rosana Vasilivna", NameParts("Rosana", "Chaous", "Vasilivna")),
        ("Олександр Сергійович Петренко", NameParts("Олександр", "Петренко", "Сергійович")),
        # a girl's name ending in -ina is not a surname ending
        ("Filipchouk Karina", NameParts("Karina", "Filipchouk")),
    ],
)
def test_parse_full_name(text: str, parts: NameParts) -> None:
    assert parse_full_name(text) == parts


@pytest.mark.parametrize(
    ("a", "b", "verdict"),
    [
        ("Олександр Петренко", "Aleksandr Petrenko", Verdict.SAME),
        ("Олександр Петренко", "ПЕТРЕНКО Александр Сергеевич", Verdict.SAME),
        ("Mykola Shevchenko", "Nikolai Shevchenko", Verdict.SAME),
        ("Коля Шевченко", "Микола Шевченко", Verdict.SAME),
        ("Олександр Петренко", "Sasha Petrenko", Verdict.UNSURE),
        ("Олександр Петренко", "Олександра Петренко", Verdict.DIFFERENT),
        ("Ярослав Коваль", "Ярослава Коваль", Verdict.DIFFERENT),
        ("Олександр Петренко", "Микола Петренко", Verdict.DIFFERENT),
        ("Олександр Петренко", "Олександр Іваненко", Verdict.DIFFERENT),
        ("Гліб Лисенко", "Глеб Лысенко", Verdict.SAME),
    ],
)
def test_verdicts(a: str, b: str, verdict: Verdict) -> None:
    assert compare_names(a, b).verdict is verdict


def test_every_part_says_why() -> None:
    comparison = compare_names("Олександр Петренко Сергійович", "PETRENKO Aleksandr Sergeevich")
    reasons = {p.part: p.reason for p in comparison.parts}
    assert reasons["given name"] == "same name, Ukrainian and Russian forms of Олександр"
    assert "Latin" in reasons["surname"]
    assert reasons["patronymic"] == "same father's name (Сергій), another form"
    assert 0.9 < comparison.score <= 1.0
    sibling = compare_names("Олександр Петренко", "Микола Петренко")
    assert sibling.part("given name") is not None
    assert sibling.score < comparison.score
