"""The last known place is a blocking key, beside the birth place.

A list that gives only where a child was last seen (a residence, a shelter's town) used
to meet the other list on names and dates alone: with a typo in the given name and in
the surname no rule generated the pair, however well the birth date and the place
agreed, and it never reached scoring (FEBRL3, FEBRL2 and FEBRL4 lost most of their
misses that way: ``benchmarks/febrl4.py``). These tests run the real engine on pairs
that only the new rules can generate, and check that without those rules the same pair
is never scored, so that they pin what the rules do rather than that they are listed.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import onepair
from kinlink.domain.dates import PartialDate
from kinlink.linkage import default_spec, packaged_model
from kinlink.matching import link_files

NEW_RULES = ("birth_date+last_place", "given+last_place")


REPORTED = {"given": "Микола", "surname": "Петренко", "birth": PartialDate(2014, 3, 12),
            "last_known_place": "Херсон"}
TYPOS_IN_BOTH_NAMES = REPORTED | {"given": "Мирола", "surname": "Петрешко"}
"""The same child with a typo in each name that changes a consonant (so no name key
agrees), the same birth date and the same last known place; no birth place, no sex."""


def test_the_spec_blocks_on_the_last_known_place() -> None:
    rules = {r.name: r for r in default_spec().blocking}
    assert rules["birth_date+last_place"].on == ("birth_date", "last_place_key")
    assert rules["given+last_place"].on == ("given_block", "last_place_key")
    assert rules["given+last_place"].max_pairs is not None  # a wide net, capped


def test_typos_in_both_names_still_meet_on_birth_date_and_last_place() -> None:
    rows = onepair.scored(default_spec(), REPORTED, TYPOS_IN_BOTH_NAMES)
    assert len(rows) == 1
    assert rows[0]["decision"] in {"match", "review"}
    assert not onepair.scored(onepair.without(*NEW_RULES), REPORTED, TYPOS_IN_BOTH_NAMES)


def test_the_place_spelled_in_another_script_is_the_same_key() -> None:
    found = TYPOS_IN_BOTH_NAMES | {"last_known_place": "Kherson"}
    assert len(onepair.scored(default_spec(), REPORTED, found)) == 1


def test_a_surname_typo_without_a_birth_date_meets_on_given_name_and_last_place() -> None:
    found = {"given": "Микола", "surname": "Пктренко", "last_known_place": "Херсон"}
    blocked = onepair.blocked(default_spec(), REPORTED, found)
    assert blocked["given+last_place"] == 1
    # no other rule generates it (the typo is early in the surname, so the given name
    # with the surname's start does not either): without the net it is never compared
    assert sum(blocked.values()) == 1
    moved = onepair.blocked(default_spec(), REPORTED, found | {"last_known_place": "Одеса"})
    assert sum(moved.values()) == 0


@pytest.mark.parametrize("place", ["Херсон", "Одеса"])
def test_another_place_or_another_day_is_not_blocked_by_the_new_rules(place: str) -> None:
    other_child = TYPOS_IN_BOTH_NAMES | {"birth": PartialDate(2014, 7, 2),
                                         "last_known_place": place}
    assert not onepair.scored(default_spec(), REPORTED | {"last_known_place": "Київ"}, other_child)


def test_link_files_reports_how_many_pairs_each_rule_blocked(tmp_path: Path) -> None:
    columns = ["record_id", "given_name", "surname", "birth_date", "last_known_place"]
    for name, row in (("left", ["L1", "Микола", "Петренко", "2014-03-12", "Херсон"]),
                      ("right", ["R1", "Мирола", "Петрешко", "2014-03-12", "Херсон"])):
        with (tmp_path / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([columns, row])
    result = link_files(tmp_path / "left.csv", tmp_path / "right.csv", tmp_path / "pairs.csv",
                        model=packaged_model())
    assert result.blocked["birth_date+last_place"] == 1
    assert result.blocked["given+last_place"] == 0
    assert set(result.blocked) == {r.name for r in default_spec().blocking}
    assert result.pairs == 1
