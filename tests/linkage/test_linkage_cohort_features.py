"""The move as features: one institution key whatever language names it, the day moved,
and a group identifier that belongs to its own list."""

from __future__ import annotations

from typing import Any

import pytest

from kinlink.domain.dates import PartialDate
from kinlink.linkage import FeatureBuilder
from kinlink.linkage.features import COLUMNS
from kinlink.names.institutions import institution_key


@pytest.mark.parametrize("names", [
    ("Херсонський обласний дитячий будинок", "Херсонский областной детский дом",
     "Kherson Regional Children's Home", "Khersonskyi oblasnyi dytiachyi budynok",
     "КЗ «Херсонський обласний будинок дитини» Херсонської обласної ради"),
    ("Дитячий будинок № 5, м. Херсон", "Детский дом №5 г. Херсон", "Херсон, дитячий будинок 5"),
    ("Школа-інтернат № 3, м. Олешки", "Школа-интернат № 3, г. Цюрупинск"),  # former name
    ("Донецький обласний будинок дитини", "Донецкий областной дом ребёнка"),
    ("ГКУ РК «Симферопольский детский дом «Ёлочка»»", "Simferopol children's home Yolochka"),
])
def test_one_institution_in_any_language_has_one_key(names: tuple[str, ...]) -> None:
    keys = {institution_key(name) for name in names}
    assert len(keys) == 1
    assert None not in keys


def test_different_institutions_have_different_keys() -> None:
    keys = [institution_key(t) for t in ("Дитячий будинок № 5, м. Херсон",
                                         "Дитячий будинок № 6, м. Херсон",
                                         "Дитячий будинок № 5, м. Мелітополь",
                                         "Симферопольский детский дом «Ёлочка»",
                                         "Симферопольский детский дом «Солнышко»")]
    assert len(set(keys)) == len(keys)


def test_generic_words_or_a_bare_number_name_no_institution() -> None:
    assert institution_key("Дитячий будинок") is None
    assert institution_key("Детский дом № 5") is None
    assert institution_key("children's home") is None
    assert institution_key("") is None
    assert institution_key(None) is None


def _rows(*records: dict[str, Any], list_id: int | None = None) -> list[dict[str, Any]]:
    builder = FeatureBuilder()
    for uid, fields in enumerate(records):
        values: dict[str, Any] = {"given": "Марія", "surname": None, "patronymic": None,
                                  "full_name": None, "sex": None, "birth": None,
                                  "birth_place": None, "last_known_place": None,
                                  "event": None, "list_id": list_id}
        builder.add(uid, **(values | fields))
    rows: list[dict[str, Any]] = builder.finish().arrow.to_pylist()
    return rows


def test_the_move_columns_come_last() -> None:
    assert list(COLUMNS)[-3:] == ["institution_key", "moved_days", "group_key"]


def test_the_day_moved_is_moved_on_or_the_event_date_of_a_record_naming_an_institution(
        ) -> None:
    home = "Дитячий будинок № 5, м. Херсон"
    moved, event_only, no_home, month_only = _rows(
        {"institution": home, "moved": PartialDate(2022, 10, 14),
         "event": PartialDate(2023, 1, 1)},
        {"institution": home, "event": PartialDate(2022, 10, 15)},
        {"event": PartialDate(2022, 10, 15)},
        {"institution": home, "moved": PartialDate(2022, 10)})
    assert event_only["moved_days"] - moved["moved_days"] == 1
    assert no_home["moved_days"] is None  # an event date alone is no move
    assert month_only["moved_days"] is None  # moves are compared within days
    assert moved["institution_key"] == event_only["institution_key"] == "5 gerson"


def test_a_group_belongs_to_its_list() -> None:
    first = _rows({"group": " ПР-7 "}, {"group": "ПР-7"}, {}, list_id=1)
    second = _rows({"group": "ПР-7"}, list_id=2)
    assert first[0]["group_key"] == first[1]["group_key"] == "1|ПР-7"
    assert first[2]["group_key"] is None
    assert second[0]["group_key"] != first[0]["group_key"]


def test_records_without_the_columns_have_empty_move_columns() -> None:
    (row,) = _rows({})
    assert (row["institution_key"], row["moved_days"], row["group_key"]) == (None, None, None)
