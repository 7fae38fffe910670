"""Children moved together: a renamed child's pair is raised when the children it was
moved with are linked to one intake of the other list — and only then, never to an
automatic link on that alone, and said in words."""

from __future__ import annotations

import math
from typing import Any

import pyarrow as pa
import pytest

from kinlink.domain.dates import PartialDate
from kinlink.linkage import (
    Cohorts,
    FeatureBuilder,
    FeatureTable,
    Scored,
    TrainedModel,
    default_spec,
    explain,
    finish,
    packaged_model,
)
from kinlink.linkage.cohorts import MAX_BITS, cohort_words
from kinlink.linkage.engine import level_for_gamma
from kinlink.linkage.levels import level_of

SPEC = default_spec()
MATCH, REVIEW = SPEC.thresholds.match, SPEC.thresholds.review
HOME = "Дитячий будинок № 5, м. Херсон"
THERE = "Детский дом № 2, г. Симферополь"
LEFT_DAY, RIGHT_DAY = PartialDate(2022, 10, 14), PartialDate(2022, 10, 15)


def _model() -> TrainedModel:
    model = packaged_model()
    assert model is not None
    return model


def _features(records: list[dict[str, Any]], list_id: int | None = None) -> FeatureTable:
    builder = FeatureBuilder()
    for uid, fields in enumerate(records):
        values: dict[str, Any] = {"given": "Марія", "surname": None, "patronymic": None,
                                  "full_name": None, "sex": "F", "birth": None,
                                  "birth_place": None, "last_known_place": None,
                                  "event": None, "list_id": list_id}
        values.update(fields)
        builder.add(uid, **values)
    return builder.finish()


def _reports(size: int, **fields: Any) -> FeatureTable:
    """``size`` reported children of one institution, moved on one day."""
    values = {"institution": HOME, "moved": LEFT_DAY} | fields
    return _features([values] * size)


def _arrivals(size: int, group: str = "ПР-0007", others: int = 2000) -> FeatureTable:
    """``size`` children of one arrival list's group, arrived the next day, first in a
    list of ``others`` more (a group says more the larger the list it narrows)."""
    values = {"institution": THERE, "moved": RIGHT_DAY, "group": group}
    return _features([values] * size + [{"given": "Ганна"}] * others)


def _weight(probability: float) -> float:
    return math.log2(probability / (1 - probability))


def _scored(rows: list[tuple[int, int, float]]) -> Scored:
    """Scored pairs (left, right, probability) at levels no veto fires on."""
    table: dict[str, list[Any]] = {
        "left_uid": [r[0] for r in rows], "right_uid": [r[1] for r in rows],
        "match_weight": [_weight(r[2]) for r in rows],
        "match_probability": [r[2] for r in rows]}
    for comparison in SPEC.comparisons:
        table[f"gamma_{comparison.name}"] = [-1] * len(rows)
        table[f"weight_{comparison.name}"] = [0.0] * len(rows)
    birth = SPEC.comparison("birth_date")  # the same day: no "missing birth date" veto
    table["gamma_birth_date"] = [next(g for g in range(len(birth.levels))
                                      if level_for_gamma(birth, g).name == "exact")] * len(rows)
    return Scored(pa.table(table), (), (), {})


def _by_pair(table: pa.Table) -> dict[tuple[int, int], dict[str, Any]]:
    return {(r["left_uid"], r["right_uid"]): r for r in table.to_pylist()}


def test_a_renamed_child_is_raised_when_its_group_mates_are_linked_to_one_intake() -> None:
    # Children 0-4 kept their names and are linked; child 5 was renamed: its own score
    # (0.05) is below review.
    rows = [(i, i, 0.9999) for i in range(5)] + [(5, 5, 0.05)]
    pairs = finish(SPEC, _model(), _scored(rows),
                   Cohorts.link(_reports(6), _arrivals(6)))
    renamed = _by_pair(pairs.table)[(5, 5)]
    assert renamed["decision"] == "review"
    assert renamed["cohort_mates"] == 5
    assert renamed["cohort_kind"] == "institution"
    assert renamed["cohort_weight"] == pytest.approx(5.0)
    assert renamed["match_weight"] == pytest.approx(_weight(0.05) + 5.0)
    assert REVIEW <= renamed["match_probability"] < MATCH
    linked = _by_pair(pairs.table)[(0, 0)]
    assert linked["cohort_weight"] == 0.0
    assert linked["decision"] == "match"


def test_nothing_is_raised_when_the_group_mates_are_not_linked() -> None:
    rows = [(i, i, 0.6) for i in range(5)] + [(5, 5, 0.05)]  # mates only in review
    pairs = finish(SPEC, _model(), _scored(rows), Cohorts.link(_reports(6), _arrivals(6)))
    found = _by_pair(pairs.table)
    assert (5, 5) not in found  # still below review: not kept
    assert all(r["cohort_weight"] == 0.0 for r in found.values())


def test_mates_linked_to_another_intake_say_nothing_of_this_one() -> None:
    left = _reports(6)
    right = _features([{"institution": THERE, "moved": RIGHT_DAY, "group": "ПР-0007"}] * 6
                      + [{"institution": "Детский дом № 9, г. Ростов-на-Дону",
                          "moved": PartialDate(2023, 3, 1), "group": "ПР-0031"}] * 2
                      + [{"given": "Ганна"}] * 500)
    rows = [(i, i, 0.9999) for i in range(5)] + [(5, 5, 0.05), (5, 6, 0.3)]
    found = _by_pair(finish(SPEC, _model(), _scored(rows), Cohorts.link(left, right)).table)
    assert found[(5, 5)]["cohort_mates"] == 5  # the group's intake
    assert found[(5, 6)]["cohort_weight"] == 0.0  # an intake no mate went to
    assert found[(5, 6)]["match_probability"] == pytest.approx(0.3)


def test_each_linked_mate_doubles_the_odds_up_to_a_cap() -> None:
    def raised(mates: int) -> float:
        rows = [(i, i, 0.9999) for i in range(mates)] + [(mates, mates, 0.15)]
        cohorts = Cohorts.link(_reports(mates + 1), _arrivals(mates + 1))
        found = _by_pair(finish(SPEC, _model(), _scored(rows), cohorts).table)
        return float(found[(mates, mates)]["cohort_weight"])

    assert [raised(n) for n in (1, 2, 3)] == [1.0, 2.0, 3.0]
    assert raised(12) == raised(20) == MAX_BITS


def test_moving_together_alone_never_makes_an_automatic_link() -> None:
    rows = [(i, i, 0.9999) for i in range(30)] + [(30, 30, 0.98)]
    pairs = finish(SPEC, _model(), _scored(rows), Cohorts.link(_reports(31), _arrivals(31)))
    held = _by_pair(pairs.table)[(30, 30)]
    assert held["decision"] == "review"
    assert held["cohort_held"] is True
    assert REVIEW < held["match_probability"] < MATCH
    assert held["cohort_weight"] < MAX_BITS  # raised only as far as the top of review


def test_a_pair_near_a_link_already_may_become_one_with_its_group() -> None:
    rows = [(i, i, 0.9999) for i in range(6)] + [(6, 6, 0.995)]
    pairs = finish(SPEC, _model(), _scored(rows), Cohorts.link(_reports(7), _arrivals(7)))
    near = _by_pair(pairs.table)[(6, 6)]
    assert near["decision"] == "match"
    assert near["cohort_held"] is False


def test_a_small_list_bounds_what_a_group_can_say() -> None:
    # An intake of 4 among 6 records says at most log2(6/4) bits, whatever the mates.
    rows = [(i, i, 0.9999) for i in range(3)] + [(3, 3, 0.3)]
    right = _features([{"institution": THERE, "moved": RIGHT_DAY, "group": "ПР-0007"}] * 4
                      + [{"given": "Ганна"}] * 2)
    found = _by_pair(finish(SPEC, _model(), _scored(rows),
                            Cohorts.link(_reports(4), right)).table)
    assert found[(3, 3)]["cohort_weight"] == pytest.approx(math.log2(6 / 4))


def test_one_numbering_counts_mates_both_ways_round() -> None:
    # The store links everything with everything: reports 0-5 and arrivals 10-15 (by
    # primary key), a pair's lower key on the left.
    reports = _features([{"institution": HOME, "moved": LEFT_DAY}] * 6, list_id=1)
    arrivals = _features([{"institution": THERE, "moved": RIGHT_DAY, "group": "ПР-7"}] * 6
                         + [{"given": "Ганна"}] * 500, list_id=2)
    arrivals = FeatureTable(arrivals.arrow.set_column(
        0, "uid", pa.array(range(10, 516), pa.int64())), arrivals.display)
    rows = [(i, 10 + i, 0.9999) for i in range(5)] + [(5, 15, 0.05)]
    found = _by_pair(finish(SPEC, _model(), _scored(rows),
                            Cohorts.single([reports, arrivals])).table)
    assert found[(5, 15)]["cohort_mates"] == 5
    assert found[(5, 15)]["decision"] == "review"


def test_two_records_of_one_group_are_not_raised_by_it() -> None:
    # Within one numbering, a pair inside a group is no move seen from two sides.
    table = _features([{"institution": HOME, "moved": LEFT_DAY}] * 8 + [{}] * 500)
    rows = [(0, 1, 0.9999), (2, 3, 0.9999), (4, 5, 0.9999), (6, 7, 0.3)]
    found = _by_pair(finish(SPEC, _model(), _scored(rows), Cohorts.single([table])).table)
    assert found[(6, 7)]["cohort_weight"] == 0.0


def test_lists_without_the_columns_have_no_groups_and_score_as_before() -> None:
    plain = _features([{}] * 4)
    assert not Cohorts.link(plain, plain)
    assert not Cohorts.single([plain])
    assert not Cohorts.link(_reports(4), plain)
    rows = [(0, 0, 0.9999), (1, 1, 0.5), (2, 2, 0.1)]
    before = finish(SPEC, _model(), _scored(rows)).table
    after = finish(SPEC, _model(), _scored(rows), Cohorts.link(plain, plain)).table
    assert after.equals(before)
    assert Cohorts.reach(SPEC) < REVIEW


def test_a_group_of_one_or_a_huge_one_is_no_group() -> None:
    assert not Cohorts.link(_reports(1), _arrivals(5))
    assert not Cohorts.link(_reports(5), _arrivals(500, others=0))


def test_the_explanation_says_why_in_words_and_the_weights_add_up() -> None:
    left, right = _reports(7), _arrivals(7)
    rows = [(i, i, 0.9999) for i in range(6)] + [(6, 6, 0.05)]
    pairs = finish(SPEC, _model(), _scored(rows), Cohorts.link(left, right))
    row = _by_pair(pairs.table)[(6, 6)]
    assert left.display is not None
    assert right.display is not None
    why = explain(SPEC, pairs.model, row, left.display[6], right.display[6])
    line = why.fields[-1]
    assert line.field == "moved together"
    assert line.words == ("6 other children from the same institution, moved within 3 days "
                          "of this child, are linked to children of one intake of the other "
                          "list (ПР-0007, 2022-10-15)")
    assert line.left == f"{HOME}, 2022-10-14"
    assert line.right == f"{THERE}, 2022-10-15"
    assert line.weight == pytest.approx(6.0)
    assert "moved together:" in why.text()
    total = why.prior_weight + sum(f.weight for f in why.fields)
    assert why.match_weight == pytest.approx(_weight(0.05) + 6.0)
    assert line.weight == pytest.approx(why.match_weight - _weight(0.05))
    assert total == pytest.approx(line.weight + why.prior_weight)  # others weigh 0 here
    stored = why.as_dict()["fields"][-1]
    assert stored["args"] == {"kind": "institution", "count": "6",
                              "intake": "ПР-0007, 2022-10-15", "capped": "False"}


def test_the_words_are_in_ukrainian_for_a_ukrainian_reader() -> None:
    from kinlink.web import i18n
    from kinlink.web.verdicts import verdict_words

    catalogue = i18n.translations("uk")
    args = {"kind": "institution", "count": "6", "intake": "ПР-0007, 2022-10-15",
            "capped": "True"}
    shown = verdict_words("moved together", "cohort_institution", "six …",
                          catalogue.gettext, args)
    assert shown.field == catalogue.gettext("moved together") != "moved together"
    assert "6" in shown.words
    assert "ПР-0007" in shown.words
    english = cohort_words("institution", 6, "ПР-0007, 2022-10-15", True)
    assert shown.words != english
    assert catalogue.gettext(english.split("; ")[1]) != english.split("; ")[1]


def test_the_pairwise_comparison_grades_the_move() -> None:
    child = _features([{"institution": HOME, "moved": LEFT_DAY}])
    others = _features([
        {"institution": "Детский дом № 5, г. Херсон", "moved": PartialDate(2022, 10, 16)},
        {"institution": "Kherson children's home No. 5", "moved": PartialDate(2023, 1, 1)},
        {"institution": THERE, "moved": RIGHT_DAY},
        {"institution": THERE, "moved": PartialDate(2023, 6, 1)},
        {},
    ])
    cohort = SPEC.comparison("cohort")
    model = _model()
    own = child.arrow.to_pylist()[0]
    levels = [level_of(cohort, own, other).name for other in others.arrow.to_pylist()]
    assert levels == ["same_near", "same_institution", "moved_near", "other", "missing"]
    assert model.weight("cohort", "same_near") > 0
    assert model.weight("cohort", "moved_near") > 0
    assert child.display is not None
    assert child.display[0].moved == f"{HOME}, 2022-10-14"



def test_groups_with_no_pair_between_them_change_nothing() -> None:
    """Records with groups on both sides but no candidate pair among them (an import
    whose only pairs are of children outside any group) pass through unchanged."""
    rows = [(900, 901, 0.9)]  # two records outside the groups
    pairs = finish(SPEC, _model(), _scored(rows), Cohorts.link(_reports(6), _arrivals(6)))
    assert pairs.table["match_probability"].to_pylist() == [0.9]


def test_one_record_linked_to_two_children_reported_together_waits_for_a_person() -> None:
    """Twins reported by one family (one group) and a found record that both match
    automatically: the group says they are two children, so neither link is automatic,
    and the explanation says why; a record linked to one of them only stays a link."""
    left = _features([{"group": "звернення 1"}] * 2 + [{"group": "звернення 2"}] * 2)
    right = _features([{}] * 3)
    rows = [(0, 0, 0.99999), (1, 0, 0.99999), (2, 1, 0.99999), (3, 2, 0.5)]
    pairs = finish(SPEC, _model(), _scored(rows), Cohorts.link(left, right))
    decided = {k: r["decision"] for k, r in _by_pair(pairs.table).items()}
    assert decided[(0, 0)] == decided[(1, 0)] == "review"
    assert decided[(2, 1)] == "match"
    row = _by_pair(pairs.table)[(0, 0)]
    why = explain(SPEC, pairs.model, row)
    assert why.veto is not None
    assert "reported together" in why.veto
    assert explain(SPEC, pairs.model, _by_pair(pairs.table)[(2, 1)]).veto is None
