"""Headers in English, Ukrainian and Russian, and mapping files, find their fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from kinlink.errors import FileRefusedError
from kinlink.listfiles.columns import build_column_map, load_mapping


def test_ukrainian_headers() -> None:
    header = ["ID", "Прізвище", "Ім’я", "По батькові", "Стать", "Дата народження",
              "Місце народження", "Примітки"]
    mapped = build_column_map(header).fields
    assert mapped == {"record_id": 0, "surname": 1, "given_name": 2, "patronymic": 3,
                      "sex": 4, "birth_date": 5, "birth_place": 6, "notes": 7}


def test_russian_headers() -> None:
    header = ["Номер", "ФИО", "Пол", "Дата рождения", "Место рождения", "Местонахождение"]
    mapped = build_column_map(header).fields
    assert mapped == {"record_id": 0, "full_name": 1, "sex": 2, "birth_date": 3,
                      "birth_place": 4, "last_known_place": 5}


def test_english_headers_case_and_separators_do_not_matter() -> None:
    header = [" Record_ID ", "Given-Name", "SURNAME", "date of birth", "Gender"]
    assert build_column_map(header).fields == {
        "record_id": 0, "given_name": 1, "surname": 2, "birth_date": 3, "sex": 4}


def test_unknown_columns_are_kept_as_extra() -> None:
    mapped = build_column_map(["record_id", "surname", "Школа", ""])
    assert mapped.extra == {2: "Школа", 3: "column 4"}


def test_a_lone_name_column_holds_whole_names() -> None:
    assert build_column_map(["id", "Name"]).fields == {"record_id": 0, "full_name": 1}
    assert build_column_map(["id", "Name", "Surname"]).fields["given_name"] == 1


def test_two_columns_meaning_the_same_field_are_refused() -> None:
    with pytest.raises(FileRefusedError, match="both mean surname"):
        build_column_map(["record_id", "прізвище", "фамилия"])


def test_mapping_file_covers_any_layout(tmp_path: Path) -> None:
    mapping = tmp_path / "map.toml"
    mapping.write_text('[columns]\n"Прізвище дитини" = "surname"\n"Код справи" = "record_id"\n',
                       encoding="utf-8")
    fields = build_column_map(["Код справи", "прізвище  дитини"], load_mapping(mapping)).fields
    assert fields == {"record_id": 0, "surname": 1}


def test_mapping_file_with_an_unknown_field_is_refused(tmp_path: Path) -> None:
    mapping = tmp_path / "map.toml"
    mapping.write_text('[columns]\n"x" = "shoe_size"\n', encoding="utf-8")
    with pytest.raises(FileRefusedError, match="unknown field"):
        load_mapping(mapping)
