"""Names inflected in running text come back in the nominative (optional extra)."""

from __future__ import annotations

import pytest

from kinlink.names.morphology import nominative_readings


@pytest.mark.parametrize(
    ("text", "language", "sex", "expected"),
    [
        ("Олександра Петренка", "uk", "M", "Олександр Петренко"),
        ("Олександрові Петренку", "uk", None, "Олександр Петренко"),
        ("Юлії Ковальчук", "uk", "F", "Юлія Ковальчук"),
        ("Згурської Ганни", "uk", None, "Згурська Ганна"),
        ("Ивановой Марии Петровны", "ru", None, "Иванова Мария Петровна"),
        ("Лысенко Алексея Ивановича", "ru", None, "Лысенко Алексей Иванович"),
    ],
)
def test_first_reading_is_the_nominative(text: str, language: str, sex: str | None,
                                         expected: str) -> None:
    assert nominative_readings(text, language, sex)[0] == expected  # type: ignore[arg-type]


def test_ambiguous_gender_keeps_both_readings() -> None:
    readings = nominative_readings("Олександра Петренка")
    assert set(readings[:2]) == {"Олександр Петренко", "Олександра Петренко"}
    assert len(readings) == len(set(readings))
