"""Names no table knows still meet their other spellings; doubt goes to a person.

Linkage once blocked only on a canonical given-name id that the name table gives, so a
child whose name the table lacked (Гліб, Мілана, a misspelling) could only be found by
rules needing a surname and a birth date. These tests pin the keys every name has, the
levels that read them, the vetoes that keep doubtful pairs from linking automatically,
and the switch that makes the engine forget names for measuring.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kinlink.domain.dates import PartialDate
from kinlink.linkage import FeatureBuilder, default_spec
from kinlink.names import name_features
from kinlink.names.keys import consonant_key


@pytest.mark.parametrize(("ukrainian", "russian"), [
    ("Гліб", "Глеб"), ("Мілана", "Милана"), ("Ярема", "Ерема"), ("Мілана", "Milana"),
])
def test_names_outside_the_tables_share_a_blocking_key(ukrainian: str, russian: str) -> None:
    first = name_features(ukrainian, "Петренко", None, None)
    second = name_features(russian, "Петренко", None, None)
    assert not first.given_ids  # outside the tables: the key must not need them
    assert first.given_block == second.given_block


def test_a_diminutive_blocks_with_every_name_it_can_stand_for() -> None:
    zhenia = name_features("Женя", None, None, None)
    assert set(zhenia.given_ids) == {"Євген", "Євгенія"}
    for full in ("Євген", "Євгенія", "Евгения", "Yevhen"):
        assert name_features(full, None, None, None).given_block == zhenia.given_block


def test_different_names_keep_different_blocking_keys() -> None:
    assert name_features("Марія", None, None, None).given_block != name_features(
        "Олександр", None, None, None).given_block
    assert consonant_key("ia") == "ia"  # a name of vowels only keeps a key


def _levels(left: dict[str, object], right: dict[str, object],
            *, vetoes: bool = True, prior: float = 0.01) -> dict[str, str]:
    """The level of every comparison for one pair, scored by the real engine (without
    the spec's vetoes when ``vetoes`` is false). ``prior``: by default that of two short
    lists (one in a hundred pairs true), so that only the evidence and the vetoes decide
    between match and review."""
    from kinlink.linkage import default_engine, packaged_model, score
    from kinlink.linkage.engine import level_for_gamma
    from kinlink.linkage.tasks import Side

    def side(fields: dict[str, object]) -> Side:
        builder = FeatureBuilder(display=False)
        values: dict[str, object] = {"given": None, "surname": None, "patronymic": None,
                                     "full_name": None, "sex": None, "birth": None,
                                     "birth_place": None, "last_known_place": None,
                                     "event": None} | fields
        builder.add(0, **values)  # type: ignore[arg-type]
        return Side(("0",), builder.finish())

    packaged = packaged_model()
    assert packaged is not None
    model = dataclasses.replace(packaged, prior=prior)
    spec = default_spec() if vetoes else dataclasses.replace(default_spec(), vetoes=())
    pairs = score(default_engine(), spec, [side(left), side(right)], "link", model)
    rows = pairs.table.to_pylist()
    assert rows, "the pair was not generated"
    return {c.name: level_for_gamma(c, int(rows[0][f"gamma_{c.name}"])).name
            for c in spec.comparisons} | {"decision": str(rows[0]["decision"])}


def test_a_name_outside_the_table_compares_loosely_across_languages() -> None:
    levels = _levels({"given": "Гліб", "surname": "Бондар", "birth": PartialDate(2014, 3, 12)},
                     {"given": "Глеб", "surname": "Бондарь", "birth": PartialDate(2014, 3, 12)})
    assert levels["given_name"] in {"same", "loose"}


def test_a_brother_and_a_sister_are_different_however_alike_their_names() -> None:
    brother = {"given": "Данило", "surname": "Бондар", "sex": "M",
               "birth": PartialDate(2014, 3, 12)}
    sister = brother | {"given": "Даниела", "sex": "F"}
    assert _levels(brother, sister, vetoes=False)["decision"] == "match"  # the score alone
    assert _levels(brother, sister)["decision"] == "review"  # twins: never linked alone


def test_a_namesake_without_a_birth_date_is_never_linked_automatically() -> None:
    reported = {"given": "Олександр", "surname": "Петренко", "patronymic": "Сергійович",
                "sex": "M", "birth_place": "Херсон", "last_known_place": "Херсон"}
    found = {"given": "Александр", "surname": "Петренко", "patronymic": "Сергеевич",
             "sex": "M", "birth_place": "Херсон", "last_known_place": "Херсон",
             "birth": PartialDate(2014, 3, 12)}
    assert _levels(reported, found, vetoes=False)["decision"] == "match"  # the score alone
    levels = _levels(reported, found)
    assert levels["birth_date"] == "missing"
    assert levels["decision"] == "review"


def test_a_shared_first_of_january_is_never_linked_automatically() -> None:
    both = {"given": "Олександр", "surname": "Петренко", "patronymic": "Сергійович",
            "sex": "M", "birth_place": "Херсон", "birth": PartialDate(2014, 1, 1)}
    levels = _levels(both, both)
    assert levels["birth_date"] == "exact_default"
    assert levels["decision"] == "review"
    other_day = both | {"birth": PartialDate(2014, 3, 12)}
    assert _levels(other_day, other_day)["decision"] == "match"


def test_two_children_whose_names_all_differ_are_never_linked_automatically() -> None:
    """Born the same day in one town and moved the same day (a group's departure and
    arrival): with no name agreeing the pair is one renamed child or two children of one
    move, which only a person can tell; without the veto the model links it."""
    move = PartialDate(2022, 10, 15)
    one = {"given": "Дарья", "surname": "Волкова", "patronymic": "Ильинична", "sex": "F",
           "birth": PartialDate(2015, 5, 20), "birth_place": "Симферополь",
           "institution": "Детский дом № 9, г. Ростов-на-Дону", "moved": move}
    other = one | {"given": "Анна", "surname": "Орлова", "patronymic": "Сергеевна",
                   "institution": "Детский дом № 2, г. Симферополь"}
    small = 0.3  # a small store of whole groups: about one candidate pair in three is true
    levels = _levels(one, other, prior=small)
    assert (levels["given_name"], levels["family_name"]) == ("different", "renamed")
    assert levels["decision"] == "review"
    assert _levels(one, other, vetoes=False, prior=small)["decision"] == "match"
    unknown = other | {"given": "Аннушкаа"}  # a given name outside the tables
    assert _levels(one, unknown, prior=small)["given_name"] == "unknown"
    assert _levels(one, unknown, prior=small)["decision"] == "review"


def test_withheld_names_are_forgotten_by_every_table(tmp_path: Path) -> None:
    withheld = tmp_path / "withheld.txt"
    withheld.write_text("Гліб\nОлександр\n", encoding="utf-8")
    code = ("from kinlink.names import lookup_given, parse_full_name\n"
            "print(len(lookup_given('Олександр')), len(lookup_given('Марія')),"
            " parse_full_name('Aleksandr Petrenko').surname)")
    env = dict(os.environ, KINLINK_NAMES_WITHHOLD=str(withheld))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, check=True)
    assert done.stdout.split()[:2] == ["0", "1"]
    env.pop("KINLINK_NAMES_WITHHOLD")
    known = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True, check=True)
    assert known.stdout.split() == ["1", "1", "Petrenko"]


def test_a_name_in_latin_look_alikes_beside_cyrillic_is_read_as_cyrillic() -> None:
    typed = name_features("Kipa", "Петренко", None, None)
    assert typed.given == "Кіра"
    assert typed.given_block == name_features("Кіра", "Петренко", None, None).given_block
    assert name_features("Kipa", "Petrenko", None, None).given == "Kipa"  # a Latin record
