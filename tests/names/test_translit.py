"""Transliteration systems give the forms documented in names.md §1.3."""

from __future__ import annotations

import pytest

from kinlink.names.translit import System, transliterate


@pytest.mark.parametrize(
    ("text", "system", "expected"),
    [
        ("Олександр", System.KMU_2010, "Oleksandr"),
        ("Ганна", System.KMU_2010, "Hanna"),
        ("Ганна", System.UA_PASSPORT_2007, "Ganna"),
        ("Євген", System.KMU_2010, "Yevhen"),
        ("Євген", System.UA_PASSPORT_2007, "Ievgen"),
        ("Згурський", System.KMU_2010, "Zghurskyi"),
        ("Згурський", System.UA_PASSPORT_2007, "Zgurskyi"),
        ("Згурський", System.UA_GERMAN, "Shurskyj"),
        ("Мельник", System.KMU_2010, "Melnyk"),
        ("Марія", System.KMU_2010, "Mariia"),
        ("Юлия", System.RU_ICAO_9303, "Iuliia"),
        ("Юлия", System.RU_MVD_310, "Yuliya"),
        ("Юлия", System.RU_MVD_310_FR, "Iouliia"),
        ("Дмитрий", System.RU_ICAO_9303, "Dmitrii"),
        ("Дмитрий", System.RU_MVD_310, "Dmitriy"),
        ("Дмитрий", System.RU_WIKIPEDIA, "Dmitry"),
        ("Кузнецов", System.RU_GOST_52535, "Kuznetcov"),
        ("Кузнецов", System.RU_ICAO_9303, "Kuznetsov"),
        ("Сергей", System.RU_MVD_310, "Sergey"),
        ("Сергей", System.RU_ICAO_9303, "Sergei"),
        ("Наталья", System.RU_ICAO_9303, "Natalia"),
        ("Наталья", System.RU_WIKIPEDIA, "Natalya"),
        ("Александр", System.RU_MVD_310_FR, "Alexandr"),
        ("Подъячев", System.RU_ICAO_9303, "Podieiachev"),
        ("Юлия", System.RU_BGN_PCGN, "Yuliya"),
    ],
)
def test_names_md_examples(text: str, system: System, expected: str) -> None:
    assert transliterate(text, system) == expected


@pytest.mark.parametrize("apostrophe", ["'", "’", "ʼ"])
def test_kmu_drops_the_apostrophe_in_any_spelling(apostrophe: str) -> None:
    assert transliterate(f"Дар{apostrophe}я", System.KMU_2010) == "Daria"


@pytest.mark.parametrize(
    ("text", "system", "expected"),
    [
        ("ПЕТРЕНКО Юлія", System.KMU_2010, "PETRENKO Yuliia"),
        ("ЮЛИЯ", System.RU_ICAO_9303, "IULIIA"),
        ("ЯКОВЛЕВ Юрий", System.RU_MVD_310, "YAKOVLEV Yuriy"),
    ],
)
def test_words_in_capitals_stay_in_capitals(text: str, system: System, expected: str) -> None:
    assert transliterate(text, system) == expected


def test_spaces_punctuation_and_digits_are_kept() -> None:
    assert transliterate("Ростов-на-Дону, 2023", System.RU_ICAO_9303) == "Rostov-na-Donu, 2023"
    assert transliterate("Херсон, Херсонська обл.", System.KMU_2010) == "Kherson, Khersonska obl."


def test_every_system_declares_its_language() -> None:
    ukrainian = {s for s in System if s.language == "uk"}
    assert ukrainian == {System.KMU_2010, System.UA_PASSPORT_2007, System.UA_GERMAN,
                         System.UA_NATIONAL_1996, System.UA_BGN_1965, System.UA_FRENCH}
    assert all(s.language == "ru" for s in System if s not in ukrainian)


@pytest.mark.parametrize("system", list(System))
def test_every_system_gives_ascii_latin_for_its_own_language(system: System) -> None:
    text = "Олександр Євгенович Згурський" if system.language == "uk" else "Юлия Щукина"
    result = transliterate(text, system)
    assert result.isascii()
    assert result.replace(" ", "").replace("'", "").isalpha()


@pytest.mark.parametrize(
    ("text", "system", "expected"),
    [
        ("Андрій Згурський", System.UA_BGN_1965, "Andriy Zhurs'kyy"),
        ("Євген Згурський", System.UA_NATIONAL_1996, "Yevhen Zghurs'kyi"),
        ("Юрій Ткачук", System.UA_FRENCH, "Iouriy Tkatchouk"),
        ("Александр Максимов", System.RU_ENGLISH, "Alexandr Maximov"),
        ("Дмитрий", System.RU_ENGLISH, "Dmitry"),
    ],
)
def test_older_and_habitual_systems(text: str, system: System, expected: str) -> None:
    assert transliterate(text, system) == expected
