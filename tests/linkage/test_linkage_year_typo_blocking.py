"""Two blocking rules for own-identity records no other rule generated.

On the second generator's development seeds (8 and 99, 10,000 children) some missed
own-identity pairs were never generated although the model scored them well above
review (0.69–0.998): the year typed wrong on a full date (2017-02-09 ~ 2018-02-09) with
a typo in the surname (Ткачук ~ Тквчук), so that no rule on the surname key or the
birth date or year held; and a Russian surname spelled with the other vowels
(Білоус ~ БЕЛОУС) beside a given name no table joins (a diminutive, a typo) and no
birth date. The given name with the day and month, and the loose surname with the
birth place, generate them. These tests run the real engine on pairs that only the new
rules generate, so they pin what the rules do rather than that they are listed.
"""

from __future__ import annotations

import onepair
from kinlink.domain.dates import PartialDate
from kinlink.linkage import default_spec


def test_the_rules_are_in_the_spec_and_capped() -> None:
    rules = {r.name: r for r in default_spec().blocking}
    assert rules["given+birth_day_month"].on == ("given_block", "birth_md")
    assert rules["loose_surname+place"].on == ("surname_loose", "place_key")
    assert all(rules[name].max_pairs is not None
               for name in ("given+birth_day_month", "loose_surname+place"))


def test_a_year_typo_with_a_surname_typo_meets_on_given_name_and_day_month() -> None:
    reported = {"given": "Євген", "surname": "Ткачук", "birth": PartialDate(2016, 2, 28)}
    found = {"given": "Евгений", "surname": "Тквчук", "birth": PartialDate(2017, 2, 28)}
    blocked = onepair.blocked(default_spec(), reported, found)
    assert blocked["given+birth_day_month"] == 1
    assert sum(blocked.values()) == 1  # no other rule generates it (the typo is early
    # in the surname, so the given name with the surname's start does not either)
    other_day = found | {"birth": PartialDate(2017, 3, 28)}
    assert sum(onepair.blocked(default_spec(), reported, other_day).values()) == 0


def test_the_other_vowels_meet_on_loose_surname_and_birth_place() -> None:
    reported = {"given": "Таїсія", "surname": "Білоус", "birth_place": "Гола Пристань",
                "birth": PartialDate(2014, 11, 29)}
    found = {"given": "Тая", "surname": "БЕЛОУС", "birth_place": "Голая Пристань"}
    blocked = onepair.blocked(default_spec(), reported, found)
    assert blocked["loose_surname+place"] == 1
    assert sum(blocked.values()) == 1
    elsewhere = found | {"birth_place": "Херсон"}
    assert sum(onepair.blocked(default_spec(), reported, elsewhere).values()) == 0


def test_without_the_rules_the_pairs_are_never_scored() -> None:
    without = onepair.without("given+birth_day_month", "loose_surname+place",
                              "given+surname_start")
    reported = {"given": "Євген", "surname": "Ткачук", "birth": PartialDate(2016, 2, 28)}
    found = {"given": "Евгений", "surname": "Тквчук", "birth": PartialDate(2017, 2, 28)}
    assert sum(onepair.blocked(without, reported, found).values()) == 0
