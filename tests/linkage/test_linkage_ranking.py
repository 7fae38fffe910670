"""Ranking a chosen set against one record with the model: the window an adoption
leaves, what lists a record without a birth date, the order, the vetoes, the reasons."""

from __future__ import annotations

from kinlink.domain.dates import PartialDate
from kinlink.linkage import FeatureBuilder, default_spec, packaged_model
from kinlink.linkage.listing import reasons
from kinlink.linkage.ranking import Ranked, Ranking, Records, in_window, rank_candidates


def test_the_window_is_three_months_at_the_precision_both_dates_have() -> None:
    born = PartialDate(2014, 3, 12)
    assert in_window(born, PartialDate(2014, 6, 12))  # 92 days later
    assert not in_window(born, PartialDate(2014, 6, 13))
    assert in_window(born, PartialDate(2013, 12, 10))
    assert not in_window(born, PartialDate(2013, 12, 9))
    assert in_window(born, PartialDate(2014, 6))  # June 1 is within three months
    assert not in_window(born, PartialDate(2014, 7))
    assert in_window(born, PartialDate(2014))
    assert in_window(PartialDate(2014, 12, 20), PartialDate(2015))  # across the new year
    assert not in_window(PartialDate(2014, 3, 13), PartialDate(2015))  # no swap to 13.03
    assert not in_window(born, None)
    # 12.03 typed as 03.12, then moved by weeks: still in the window.
    assert in_window(born, PartialDate(2014, 11, 20))
    assert not in_window(PartialDate(2014, 3, 13), PartialDate(2014, 11, 20))


def _records(*records: dict[str, object]) -> Records:
    builder = FeatureBuilder(display=True)
    for uid, fields in enumerate(records):
        values: dict[str, object] = {"given": None, "surname": None, "patronymic": None,
                                     "full_name": None, "sex": None, "birth": None,
                                     "birth_place": None, "last_known_place": None,
                                     "event": None}
        values.update(fields)
        builder.add(uid, **values)  # type: ignore[arg-type]
    return Records(*builder.finish_rows())


def _rank(child: dict[str, object], *candidates: dict[str, object],
          limit: int | None = None) -> Ranking:
    model = packaged_model()
    assert model is not None
    return rank_candidates(
        default_spec(), model, _records(child), _records(*candidates),
        child_birth=child.get("birth"),  # type: ignore[arg-type]
        candidate_births=[c.get("birth") for c in candidates],  # type: ignore[misc]
        limit=limit)


MARIA = {"given": "Марія", "surname": "Коваленко", "patronymic": "Іванівна", "sex": "F",
         "birth": PartialDate(2015, 4, 2), "birth_place": "Маріуполь"}


def _codes(ranked: Ranked) -> list[str]:
    return [reason.code for reason in ranked.listed_for]


def test_candidates_come_strongest_first_with_their_reasons() -> None:
    ranking = _rank(
        MARIA,
        {"full_name": "СМИРНОВА Анна Петровна", "sex": "F", "birth": PartialDate(2015, 5, 20),
         "birth_place": "г. Тверь"},
        {"full_name": "ВОЛКОВА Мария Сергеевна", "sex": "F", "birth": PartialDate(2015, 6, 1),
         "birth_place": "г. Мариуполь"},
        {"full_name": "КОВАЛЕНКО Ольга Ивановна", "sex": "F", "birth": PartialDate(2013, 1, 9),
         "birth_place": "г. Мариуполь"},  # a sister: same family, another given name
        {"full_name": "ОРЛОВА Мария Ильинична", "sex": "F", "birth": PartialDate(2015, 9, 1),
         "birth_place": "г. Мариуполь"},  # born five months later: not in the window
    )
    ranked = ranking.ranked
    assert [r.uid for r in ranked] == [1, 0]  # the sister is vetoed, not ranked
    assert ranking.listed == 2
    assert ranked[0].weight > ranked[1].weight
    reasons = {f.field: f.words for f in ranked[0].explanation.fields}
    assert reasons["given name"].startswith("the same name")
    assert reasons["birth place"].startswith("the same place")
    assert ranked[0].probability > ranked[1].probability
    assert _codes(ranked[0]) == ["born_near", "given_name", "birth_place"]
    assert _codes(ranked[1]) == ["born_near"]
    assert ranked[0].listed_for[0].words.startswith("born within three months of the child")
    assert _rank(MARIA).ranked == []


def test_a_child_without_a_birth_date_is_ranked_by_what_it_has() -> None:
    child = {**MARIA, "birth": None, "last_known_place": "Маріуполь"}
    ranking = _rank(
        child,
        {"full_name": "СМИРНОВА Мария Петровна", "sex": "F", "birth": PartialDate(2015, 5, 20),
         "birth_place": "г. Тверь"},  # the same given name, another place
        {"full_name": "ВОЛКОВА Мария Сергеевна", "sex": "F", "birth": PartialDate(2015, 6, 1),
         "birth_place": "г. Мариуполь"},  # the same given name and birthplace: the child
        {"full_name": "ПЕТРОВА Анна Олеговна", "sex": "F", "birth": PartialDate(2015, 4, 2),
         "birth_place": "г. Мариуполь"},  # another given name: nothing left to list it by
        {"surname": "КУЗНЕЦОВА", "sex": "F", "last_known_place": "Мариуполь"},
    )
    assert [r.uid for r in ranking.ranked][:1] == [1]
    assert {r.uid for r in ranking.ranked} == {0, 1, 3}
    first = ranking.ranked[0]
    assert _codes(first) == ["no_child_date", "given_name", "birth_place"]
    assert _codes(next(r for r in ranking.ranked if r.uid == 3)) == ["no_child_date",
                                                                     "last_place"]
    verdicts = {f.field: f.level for f in first.explanation.fields}
    assert verdicts["birth date"] == "missing"


def test_an_entry_without_a_birth_date_is_listed_with_its_reason() -> None:
    ranking = _rank(
        MARIA,
        {"full_name": "ВОЛКОВА Мария Сергеевна", "sex": "F", "birth_place": "г. Мариуполь"},
        {"full_name": "ПЕТРОВА Анна Олеговна", "sex": "F", "birth_place": "г. Мариуполь"},
        {"full_name": "СМИРНОВА Маша", "sex": "F"},  # a diminutive, nothing else
    )
    assert [r.uid for r in ranking.ranked] == [0, 2]
    assert _codes(ranking.ranked[0]) == ["no_date", "given_name", "birth_place"]
    assert _codes(ranking.ranked[1]) == ["no_date", "given_name"]
    assert ranking.ranked[0].listed_for[0].words.startswith("no birth date on this record")


def test_records_listed_by_their_date_come_before_those_without_one() -> None:
    ranking = _rank(
        MARIA,
        {"full_name": "СМИРНОВА Мария Петровна", "sex": "F", "birth_place": "г. Мариуполь"},
        {"full_name": "ВОЛКОВА Анна Сергеевна", "sex": "F", "birth": PartialDate(2015, 6, 1)},
        {"full_name": "ОРЛОВА Мария", "sex": "F"},
    )
    assert [r.uid for r in ranking.ranked] == [1, 0, 2]
    assert [r.by_date for r in ranking.ranked] == [True, False, False]
    assert ranking.ranked[1].weight > ranking.ranked[0].weight  # yet after it
    assert ranking.ranked[1].weight > ranking.ranked[2].weight
    limited = _rank(MARIA, {"full_name": "ВОЛКОВА Анна", "birth": PartialDate(2015, 6, 1)},
                    {"full_name": "ОРЛОВА Мария"}, {"full_name": "ЛИСИНА Маша"}, limit=1)
    assert [r.by_date for r in limited.ranked] == [True, False]  # one of each section
    assert limited.ranked[0].uid == 0
    assert limited.listed == 3


def test_a_candidate_of_the_other_sex_is_not_first() -> None:
    boy = {"given": "Олександр", "surname": "Бойко", "sex": "M",
           "birth": PartialDate(2014, 3, 12), "birth_place": "Херсон"}
    same = {"full_name": "ИВАНОВ Александр Петрович", "birth": PartialDate(2014, 4, 20),
            "birth_place": "г. Херсон"}
    ranking = _rank(boy, {**same, "sex": "F"}, {**same, "sex": "M"})
    assert [r.uid for r in ranking.ranked] == [1, 0]
    assert ranking.ranked[1].explanation.veto is not None  # never linked without a person
    assert ranking.ranked[1].explanation.decision == "review"


def test_siblings_with_the_same_age_gap_are_a_reason() -> None:
    levels = {"given_name": "different", "siblings": "same_gap"}
    dated = reasons(PartialDate(2014, 3, 12), PartialDate(2014, 5, 1), levels)
    assert [r.code for r in dated] == ["born_near", "sibling_gap"]
    assert reasons(PartialDate(2014, 3, 12), PartialDate(2015, 3, 12), levels) == ()
    assert reasons(None, PartialDate(2015, 3, 12), levels) == ()  # two different names
    assert [r.code for r in reasons(None, None, {"given_name": "unknown",
                                                 "birth_place": "same"})] == [
        "no_child_date", "birth_place"]
    assert reasons(None, None, {"given_name": "missing"}) == ()
