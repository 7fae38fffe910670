"""Feature rows keep a partial date partial, swap day and month, and key names and places."""

from __future__ import annotations

from kinlink.domain.dates import PartialDate
from kinlink.linkage import FeatureBuilder


def _row(**fields: object) -> dict[str, object]:
    values: dict[str, object] = {"given": None, "surname": None, "patronymic": None,
                                 "full_name": None, "sex": None, "birth": None,
                                 "birth_place": None, "last_known_place": None, "event": None}
    values.update(fields)
    builder = FeatureBuilder()
    builder.add(7, **values)  # type: ignore[arg-type]
    table = builder.finish()
    row: dict[str, object] = table.arrow.to_pylist()[0]
    return row


def test_a_year_is_not_padded_into_a_date() -> None:
    row = _row(given="Олександр", birth=PartialDate(2014))
    assert row["birth_year"] == 2014
    assert row["birth_month"] is None
    assert row["birth_date"] is None
    assert row["birth_days"] is None


def test_a_month_keeps_its_month_only() -> None:
    row = _row(given="Олександр", birth=PartialDate(2014, 3))
    assert row["birth_month"] == 2014 * 12 + 2
    assert row["birth_date"] is None


def test_an_exact_date_has_its_swap_when_one_exists() -> None:
    row = _row(given="Олександр", birth=PartialDate(2014, 5, 3))
    assert row["birth_date"] == "2014-05-03"
    assert row["birth_swap"] == "2014-03-05"
    assert row["birth_md"] == "05-03"
    assert _row(given="Олександр", birth=PartialDate(2014, 5, 13))["birth_swap"] is None
    assert _row(given="Олександр", birth=PartialDate(2014, 5, 5))["birth_swap"] is None


def test_names_in_any_script_share_their_keys() -> None:
    ukrainian = _row(given="Олександр", surname="Петренко", patronymic="Сергійович")
    russian = _row(full_name="ПЕТРЕНКО Александр Сергеевич")
    latin = _row(full_name="Oleksandr Petrenko")
    assert ukrainian["given_ids"] == russian["given_ids"] == latin["given_ids"]
    assert ukrainian["surname_key"] == russian["surname_key"] == latin["surname_key"]
    assert ukrainian["father_key"] == russian["father_key"]
    assert latin["father_key"] is None


def test_sex_falls_back_to_what_the_name_says() -> None:
    assert _row(given="Ганна")["sex"] == "F"
    assert _row(given="Ганна", sex="M")["sex"] == "M"
    assert _row(given="Саша")["sex"] is None


def test_places_are_keyed_and_display_is_kept() -> None:
    builder = FeatureBuilder()
    builder.add(1, given="Іван", surname=None, patronymic=None, full_name=None, sex=None,
                birth=None, birth_place="г. Артёмовск", last_known_place=None, event=None)
    table = builder.finish()
    assert table.arrow.to_pylist()[0]["place_key"] == "bagmut"
    assert table.display is not None
    assert table.display[0].place == "г. Артёмовск"
    assert FeatureBuilder(display=False).finish().display is None
