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


def _family(rows: list[tuple[str, str, str | None, tuple[int, int, int], str, int]]
            ) -> list[dict[str, object]]:
    builder = FeatureBuilder(display=False)
    for uid, (given, surname, patronymic, born, sex, list_id) in enumerate(rows):
        builder.add(uid, given=given, surname=surname, patronymic=patronymic, full_name=None,
                    sex=sex, birth=PartialDate(*born), birth_place=None,
                    last_known_place=None, event=None, list_id=list_id)
    return builder.finish().arrow.select(["siblings", "sibling_key"]).to_pylist()


def test_siblings_carry_their_sexes_and_age_gap_across_scripts() -> None:
    rows = _family([
        ("Олександр", "Петренко", "Сергійович", (2014, 3, 12), "m", 1),
        ("Ганна", "Петренко", "Сергіївна", (2016, 5, 1), "f", 1),
        # adopted together: a new surname and patronymic, both dates moved by 40 days
        ("Александр", "Рожков", "Максимович", (2014, 4, 21), "m", 2),
        ("Анна", "Рожкова", "Максимовна", (2016, 6, 10), "f", 2),
    ])
    assert rows[0]["siblings"] == ["mf+781"]
    assert rows[1]["siblings"] == ["fm-781"]
    assert rows[2]["siblings"] == rows[0]["siblings"]  # the gap survives the adoption
    assert rows[3]["sibling_key"] == rows[1]["sibling_key"]


def test_only_a_family_gives_a_signature() -> None:
    rows = _family([
        ("Олександр", "Петренко", "Сергійович", (2014, 3, 12), "m", 1),
        ("Олександр", "Петренко", "Сергійович", (2014, 3, 12), "m", 1),  # one child twice
        ("Іван", "Бойко", "Петрович", (2010, 1, 1), "m", 1),
        ("Марія", "Бойко", "Петрівна", (2012, 1, 1), "f", 2),  # another list
        ("Ігор", "Бойко", "Андрійович", (2011, 1, 1), "m", 1),  # another father
    ])
    assert [r["siblings"] for r in rows] == [None] * 5
    crowd = _family([(name, "Коваленко", "Іванович", (2010 + i, 1, 1), "m", 1)
                     for i, name in enumerate(("Андрій", "Богдан", "Василь", "Григорій",
                                               "Дмитро", "Євген", "Захар"))])
    assert all(r["siblings"] is None for r in crowd)  # seven of one name: not one family


def test_the_ukrainian_russian_vowel_shift_has_its_own_surname_key() -> None:
    builder = FeatureBuilder(display=False)
    for uid, surname in enumerate(("Біленко", "БЕЛЕНКО", "Biletska", "Білик")):
        builder.add(uid, given="Ганна", surname=surname, patronymic=None, full_name=None,
                    sex="F", birth=None, birth_place=None, last_known_place=None, event=None)
    rows = builder.finish().arrow.select(["surname_key", "surname_loose"]).to_pylist()
    assert rows[0]["surname_key"] != rows[1]["surname_key"]  # not the same spelling…
    assert rows[0]["surname_loose"] == rows[1]["surname_loose"]  # …but the same surname
    assert rows[3]["surname_loose"] != rows[0]["surname_loose"]
