"""A child's possible identities and the children moved with it: a record of the intake
the child's group mates are linked to ranks above a stranger of the same window, and
the reasons say why, in English and Ukrainian."""

from __future__ import annotations

from typing import Any

import pytest

from kinlink.domain.dates import PartialDate
from kinlink.linkage import FeatureBuilder, default_spec, packaged_model
from kinlink.linkage.cohorts import Cohorts, Intake
from kinlink.linkage.listing import MOVED_WITH, TIES
from kinlink.linkage.model import TrainedModel
from kinlink.linkage.ranking import Ranking, Records, rank_candidates

HOME = "Дитячий будинок № 5, м. Херсон"
THERE = "Детский дом № 2, г. Симферополь"
LEFT_DAY, RIGHT_DAY = PartialDate(2022, 10, 14), PartialDate(2022, 10, 15)
BORN = PartialDate(2015, 4, 2)

CHILD = {"given": "Марія", "surname": "Коваленко", "sex": "F", "birth": BORN,
         "birth_place": "Маріуполь", "institution": HOME, "moved": LEFT_DAY}
MATES = [{"given": given, "surname": surname, "sex": "F", "birth": PartialDate(2014, 1, day),
          "institution": HOME, "moved": LEFT_DAY}
         for day, (given, surname) in enumerate((("Ольга", "Бондар"), ("Софія", "Ткаченко"),
                                                 ("Дарина", "Мельник"), ("Ірина", "Савчук"),
                                                 ("Олена", "Кравець")), start=1)]
# Renamed on adoption: another given name and surname, the date moved by seven weeks,
# the birthplace replaced; registered with the intake of the home's group.
RENAMED = {"full_name": "ОРЛОВА Анна Сергеевна", "sex": "F", "birth": PartialDate(2015, 5, 20),
           "birth_place": "г. Симферополь", "institution": THERE, "moved": RIGHT_DAY,
           "group": "ПР-0007"}
# A stranger of the same window with as much in common with the child: another name, the
# same birth date and birthplace, moved within three days of it to another home, alone.
STRANGER = {"full_name": "ВОЛКОВА Дарья Ильинична", "sex": "F",
            "birth": PartialDate(2015, 5, 20), "birth_place": "г. Симферополь",
            "institution": "Детский дом № 9, г. Ростов-на-Дону", "moved": RIGHT_DAY}
MATES_THERE = [{"full_name": f"{m['surname'].upper()} {m['given']}", "sex": "F",
                "birth": m["birth"], "institution": THERE, "moved": RIGHT_DAY,
                "group": "ПР-0007"} for m in MATES]
OTHERS = [{"full_name": "ИВАНОВА Ольга Петровна", "sex": "F", "birth": PartialDate(2010, 1, 1)}
          ] * 500


def _builder(records: list[dict[str, Any]], display: bool) -> FeatureBuilder:
    builder = FeatureBuilder(display=display)
    for uid, fields in enumerate(records):
        values: dict[str, Any] = {"given": None, "surname": None, "patronymic": None,
                                  "full_name": None, "sex": None, "birth": None,
                                  "birth_place": None, "last_known_place": None,
                                  "event": None}
        values.update(fields)
        builder.add(uid, **values)
    return builder


def _model() -> TrainedModel:
    model = packaged_model()
    assert model is not None
    return model


def _rank(intakes: list[Intake | None] | None) -> Ranking:
    child = Records(*_builder([CHILD], True).finish_rows())
    candidates = Records(*_builder([STRANGER, RENAMED], True).finish_rows())
    return rank_candidates(default_spec(), _model(), child, candidates, child_birth=BORN,
                           candidate_births=[STRANGER["birth"], RENAMED["birth"]],
                           intakes=intakes)


def _intakes() -> list[Intake | None]:
    """The child (left 0) and its mates (left 1-5); the stranger (right 0), the renamed
    entry (right 1), the mates' own records in the intake (right 2-6): each mate is
    linked to its own record."""
    left = _builder([CHILD, *MATES], False).finish()
    right = _builder([STRANGER, RENAMED, *MATES_THERE, *OTHERS], False).finish()
    links = [(m, m + 1) for m in range(1, 6)]
    return Cohorts.link(left, right).intakes(links, 0, [0, 1])


def test_the_intake_of_the_childs_group_mates_is_found_for_its_records_only() -> None:
    stranger, renamed = _intakes()
    assert stranger is None
    assert renamed is not None
    assert renamed.mates == 5
    assert renamed.kind == "institution"
    assert "ПР-0007" in renamed.intake


def test_nothing_is_found_without_links_or_for_a_child_without_a_group() -> None:
    left = _builder([CHILD, *MATES], False).finish()
    right = _builder([STRANGER, RENAMED, *MATES_THERE], False).finish()
    cohorts = Cohorts.link(left, right)
    assert cohorts.intakes([], 0, [0, 1]) == [None, None]
    lone = _builder([{**CHILD, "institution": None, "moved": None}, *MATES], False).finish()
    links = [(m, m + 1) for m in range(1, 6)]
    assert Cohorts.link(lone, right).intakes(links, 0, [0, 1]) == [None, None]


def test_a_cohort_mate_ranks_above_a_stranger_of_the_same_window() -> None:
    before = _rank(None).ranked
    # Without the group nothing tells them apart: the same weight, the stranger first.
    assert [r.uid for r in before] == [0, 1]
    assert before[0].weight == pytest.approx(before[1].weight)
    assert [r.code for r in before[0].listed_for] == [r.code for r in before[1].listed_for]
    after = _rank(_intakes()).ranked
    assert [r.uid for r in after] == [1, 0]
    renamed = after[0]
    gained = renamed.weight - next(r for r in before if r.uid == 1).weight
    assert gained == pytest.approx(5.0)  # a doubling of the odds per linked mate
    codes = [reason.code for reason in renamed.listed_for]
    assert codes[0] == "born_near"
    assert "moved_together" in codes  # moved within three days of the child
    assert codes[-1] == "moved_with"
    assert "moved_with" not in [reason.code for reason in after[1].listed_for]
    line = next(f for f in renamed.explanation.fields if f.field == "moved together")
    assert line.weight == pytest.approx(5.0)
    assert "5 other children" in line.words
    assert "ПР-0007" in line.words
    # Moving together is never by itself an automatic link.
    assert renamed.explanation.decision == "review"


def test_the_cohort_reasons_are_said_in_ukrainian() -> None:
    from kinlink.web import i18n

    catalogue = i18n.translations("uk")
    moved = next(t.reason for t in TIES if t.comparison == "cohort")
    for reason in (moved, MOVED_WITH):
        shown = catalogue.gettext(reason.words)
        assert shown != reason.words
        assert any("а" <= letter <= "я" or letter in "іїєґ" for letter in shown.lower())


def test_a_record_without_a_birth_date_is_listed_by_the_move() -> None:
    undated = {**RENAMED, "birth": None}
    child = Records(*_builder([{**CHILD, "given": None}], True).finish_rows())
    ranking = rank_candidates(default_spec(), _model(), child,
                              Records(*_builder([undated], True).finish_rows()),
                              child_birth=BORN, candidate_births=[None])
    assert [[r.code for r in c.listed_for] for c in ranking.ranked] == [
        ["no_date", "moved_together"]]
