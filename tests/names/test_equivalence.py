"""Given names across languages, transliterations and diminutives; patronymics."""

from __future__ import annotations

import pytest

from kinlink.names import given_name_ids, patronymic_key
from kinlink.names.equivalence import Relation, lookup_given


@pytest.mark.parametrize(
    ("written", "canonical"),
    [("Олександр", "Олександр"), ("Александр", "Олександр"), ("Oleksandr", "Олександр"),
     ("Aleksandr", "Олександр"), ("Alexander", "Олександр"), ("Olexandr", "Олександр"),
     ("Микола", "Микола"), ("Николай", "Микола"), ("Mykola", "Микола"), ("Nikolai", "Микола"),
     ("Nikolay", "Микола"), ("Ганна", "Ганна"), ("Анна", "Ганна"), ("Hanna", "Ганна"),
     ("Ganna", "Ганна"), ("Serhii", "Сергій"), ("Sergei", "Сергій"), ("Sergey", "Сергій"),
     ("Yevhen", "Євген"), ("Evgenii", "Євген"), ("Jewhen", "Євген"), ("Артём", "Артем"),
     ("Natalya", "Наталія"), ("Maxim", "Максим"), ("Iuliia", "Юлія"), ("Yuliya", "Юлія")],
)
def test_forms_resolve_to_one_canonical_name(written: str, canonical: str) -> None:
    assert given_name_ids(written) == {canonical}


def test_relation_is_named() -> None:
    assert lookup_given("Александр")[0].relation is Relation.RUSSIAN
    assert lookup_given("Олександр")[0].relation is Relation.UKRAINIAN


@pytest.mark.parametrize(
    ("diminutive", "names"),
    [("Саша", {"Олександр", "Олександра"}), ("Sasha", {"Олександр", "Олександра"}),
     ("Коля", {"Микола"}), ("Женя", {"Євген", "Євгенія"})],
)
def test_diminutives_map_to_sets(diminutive: str, names: set[str]) -> None:
    matches = lookup_given(diminutive)
    assert {m.name_id for m in matches} == names
    assert all(m.relation is Relation.DIMINUTIVE for m in matches)


def test_brother_and_sister_names_stay_apart() -> None:
    assert given_name_ids("Олександр") != given_name_ids("Олександра")


@pytest.mark.parametrize(
    ("patronymics", "father"),
    [(["Сергійович", "Сергеевич", "Serhiiovych", "Sergeevich", "Сергіївна", "Сергеевна"],
      "Сергій"),
     (["Миколайович", "Николаевич", "Nikolaevna"], "Микола"),
     (["Олександрович", "Александровна", "Oleksandrivna"], "Олександр"),
     (["Андрійович", "Андреевич"], "Андрій")],
)
def test_patronymics_give_the_fathers_name(patronymics: list[str], father: str) -> None:
    assert {patronymic_key(p) for p in patronymics} == {father}
