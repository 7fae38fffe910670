"""Script-independent keys bring the spellings of one name together, and only those."""

from __future__ import annotations

import pytest

from kinlink.names import latin_skeleton, loose_key, surname_key

SAME_SURNAME = [
    ["Лисенко", "Лысенко", "Lysenko", "Lisenko"],
    ["Олійник", "Олейник", "Oliinyk", "Oleinik", "Oleynik", "Olijnyk"],
    ["Кузнецов", "Kuznetsov", "Kuznetcov", "Kusnezow"],
    ["Шевченко", "Shevchenko", "Schewtschenko", "Chevtchenko", "Ševčenko"],
    ["Коломієць", "Коломиец", "Kolomiiets"],
    ["Бондар", "Бондарь", "Bondar"],
    ["Ковальчук", "Kovalchuk", "Kowaltschuk", "Kovaltchouk", "Koval'chuk"],
    ["Згурський", "Zghurskyi", "Zgurskyi", "Zgurskii", "Згурский"],
    ["Їжакевич", "Ижакевич", "Yizhakevych", "Izhakevich", "Jishakewytsch", "Ižakevič"],
    ["Гнатюк", "Hnatiuk", "Gnatyuk", "Gnatiuk", "Hnatjuk"],
    ["Поліщук", "Полищук", "Polishchuk", "Polischtschuk", "Polichtchouk"],
]


@pytest.mark.parametrize("spellings", SAME_SURNAME, ids=lambda s: s[0])
def test_spellings_of_one_surname_share_the_skeleton(spellings: list[str]) -> None:
    assert len({latin_skeleton(s) for s in spellings}) == 1


@pytest.mark.parametrize(
    ("a", "b"),
    [("Петренко", "Петрук"), ("Женя", "Сеня"), ("Шевченко", "Савченко"),
     ("Коваль", "Коваленко"), ("Мельник", "Мельничук")],
)
def test_different_names_keep_different_skeletons(a: str, b: str) -> None:
    assert latin_skeleton(a) != latin_skeleton(b)


@pytest.mark.parametrize(
    "forms",
    [["Ковальський", "Ковальська", "Ковальский", "Ковальская", "Kovalska", "Kovalskyi"],
     ["Петров", "Петрова", "Petrova", "Petrov"], ["Іванов", "Иванова", "Ivanova"]],
    ids=lambda s: s[0],
)
def test_surname_key_drops_the_gendered_ending(forms: list[str]) -> None:
    assert len({surname_key(f) for f in forms}) == 1


def test_loose_key_merges_ukrainian_and_russian_vowels() -> None:
    assert loose_key("Гліб") == loose_key("Глеб") == loose_key("Hlib")
    assert loose_key("Зіновій") == loose_key("Зиновий")
