"""The four list forms of a child's name (kinlink.names.forms) and the Russian spelling
rules they share with the demo generator (kinlink.names.russify)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from kinlink.names import parse_full_name
from kinlink.names.forms import NameForms, name_forms
from kinlink.names.russify import russian_surname, russian_surname_any

GOLDEN = Path(__file__).parent / "golden"
CYRILLIC = re.compile(r"[\u0400-\u04ff]")

# Surnames whose Russian form no spelling rule gives (names.md §2.2 lists them as
# single cases, not as rules): a Russian clerk writes Бондарь and Дьячук.
RULE_GAPS = {"Бондар", "Дячук"}


def golden(name: str) -> list[dict[str, str]]:
    with (GOLDEN / f"{name}.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def register_order(name: str) -> str:
    """``Олександр Петренко`` → ``Петренко Олександр`` (the golden files are given first)."""
    return parse_full_name(name).display()


def test_ukrainian_name_in_all_four_forms() -> None:
    assert name_forms("Олександр", "Петренко", "Сергійович") == NameForms(
        uk="Петренко Олександр Сергійович",
        ru="Петренко Александр Сергеевич",
        latin="Petrenko Oleksandr Serhiiovych",
        latin_ru="Petrenko Aleksandr Sergeevich",
    )


def test_full_name_is_parsed_when_no_part_is_given() -> None:
    assert name_forms(None, None, None, "Петренко Олександр Сергійович") == name_forms(
        "Олександр", "Петренко", "Сергійович")


def test_surname_vowel_shift_and_missing_patronymic() -> None:
    forms = name_forms("Марія", "Олійник", None)
    assert forms == NameForms("Олійник Марія", "Олейник Мария", "Oliinyk Mariia",
                              "Oleinik Mariia")


def test_feminine_surname_and_patronymic() -> None:
    forms = name_forms("Ганна", "Ковальська", "Іванівна", sex="F")
    assert forms.ru == "Ковальская Анна Ивановна"
    assert forms.latin == "Kovalska Hanna Ivanivna"
    assert forms.latin_ru == "Kovalskaia Anna Ivanovna"


def test_russian_input_keeps_its_russian_form_and_gets_a_ukrainian_one() -> None:
    forms = name_forms(None, None, None, "ПЕТРЕНКО Александр Сергеевич")
    assert forms == NameForms(
        uk="Петренко Олександр Сергійович",
        ru="Петренко Александр Сергеевич",
        latin="Petrenko Oleksandr Serhiiovych",
        latin_ru="Petrenko Aleksandr Sergeevich",
    )


def test_russian_surname_is_never_ukrainised() -> None:
    forms = name_forms("Мария", "Ковальская", "Николаевна")
    assert forms.ru == "Ковальская Мария Николаевна"
    assert forms.uk == "Ковальская Марія Миколаївна"  # surname as written, never guessed
    assert forms.latin_ru == "Kovalskaia Mariia Nikolaevna"


def test_russian_letters_in_a_ukrainian_form_are_still_transliterated() -> None:
    forms = name_forms("Алексей", "Соловьёв", None)
    assert forms.uk == "Соловьёв Олексій"
    assert forms.latin is not None
    assert not CYRILLIC.search(forms.latin)


def test_latin_input_keeps_latin_and_adds_the_russian_latin_form_it_knows() -> None:
    forms = name_forms(None, None, None, "Oleksandr Petrenko")
    assert forms == NameForms(None, None, "Petrenko Oleksandr", "Petrenko Aleksandr")
    assert name_forms("Oleksandr", "Petrenko", "Serhiiovych").latin_ru == (
        "Petrenko Aleksandr Sergeevich")


def test_latin_input_with_an_unknown_given_name_has_only_its_latin_form() -> None:
    assert name_forms(None, None, None, "Zlatoslav PETRENKO") == NameForms(
        None, None, "Petrenko Zlatoslav", None)


def test_unknown_given_names_are_kept_as_written_never_dropped() -> None:
    forms = name_forms("Златослава", "Петренко", "Миколаївна")
    assert forms.uk == "Петренко Златослава Миколаївна"
    assert forms.ru == "Петренко Златослава Николаевна"
    assert forms.latin_ru == "Petrenko Zlatoslava Nikolaevna"
    # Гліб is not in the table: its Russian form (Глеб) is not guessed.
    gleb = name_forms("Гліб", "Лисенко", None)
    assert gleb.ru == "Лысенко Гліб"
    assert gleb.latin_ru == "Lysenko Hlib"


def test_diminutive_is_not_turned_into_an_official_name() -> None:
    forms = name_forms("Саша", "Петренко", None)
    assert forms.uk == "Петренко Саша"
    assert forms.ru == "Петренко Саша"


def test_empty_name_has_no_forms() -> None:
    assert name_forms(None, " ", None) == NameForms(None, None, None, None)


def test_double_given_name_and_apostrophes() -> None:
    forms = name_forms("Анна-Марія", "Лук'яненко", None)
    assert forms.uk == "Лук'яненко Анна-Марія"
    assert forms.ru == "Лукьяненко Анна-Мария"


@pytest.mark.parametrize(("uk", "ru"), [
    ("Ковальська", "Ковальская"), ("Вишневська", "Вишневская"), ("Білецька", "Белецкая"),
    ("Соловйова", "Соловьёва"), ("Ковальова", "Ковалёва"), ("Петренко", "Петренко"),
    ("Коломієць", "Коломиец"), ("Петренко-Ковальська", "Петренко-Ковальская"),
])
def test_russian_surname_in_either_gender(uk: str, ru: str) -> None:
    assert russian_surname_any(uk) == ru


def test_masculine_rules_unchanged_for_the_generator() -> None:
    assert russian_surname("Олійник") == "Олейник"
    assert russian_surname("Ковальський") == "Ковальский"
    assert russian_surname("Єрьоменко") == "Ерёменко"


def test_golden_ukrainian_russian_pairs() -> None:
    """name_pairs.csv rows of the golden file: the Russian form kinlink writes is the
    one the golden file holds (given name always; surname except the rule gaps)."""
    rows = [r for r in golden("language") if r["note"].startswith("name_pairs.csv uk/ru")]
    assert len(rows) > 70
    for row in rows:
        uk, ru = parse_full_name(row["a"]), parse_full_name(row["b"])
        forms = name_forms(uk.given, uk.surname, uk.patronymic)
        if uk.surname in RULE_GAPS:
            assert forms.ru == f"{russian_surname(uk.surname or '')} {ru.given}", row
        else:
            assert forms.ru == ru.display(), row
        back = name_forms(ru.given, ru.surname, ru.patronymic)
        assert back.uk == f"{ru.surname} {uk.given}", row


def test_golden_kmu_spellings() -> None:
    rows = [r for r in golden("transliteration") if r["note"] == "translitua KMU 2010"]
    assert rows
    for row in rows:
        assert name_forms(None, None, None, row["a"]).latin == register_order(row["b"]), row


def test_golden_icao_spellings_of_russian_names() -> None:
    rows = [r for r in golden("transliteration")
            if r["note"] == "iuliia/translitua ICAO 9303" and CYRILLIC.search(r["b"])]
    assert rows
    for row in rows:
        forms = name_forms(None, None, None, row["b"])
        assert forms.latin_ru == register_order(row["a"]), row


def test_latin_forms_never_hold_cyrillic_letters() -> None:
    names = [r[c] for f in ("language", "morphology", "negative") for r in golden(f)
             for c in ("a", "b")]
    for name in names:
        forms = name_forms(None, None, None, name)
        for value in (forms.latin, forms.latin_ru):
            assert value is None or not CYRILLIC.search(value), name
