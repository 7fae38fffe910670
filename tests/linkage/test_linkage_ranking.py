"""Ranking a chosen set against one record, with the real engine: the window an
adoption leaves, the order, the vetoes, the reasons."""

from __future__ import annotations

from kinlink.domain.dates import PartialDate
from kinlink.linkage import FeatureBuilder, default_engine, default_spec, packaged_model
from kinlink.linkage.ranking import in_window, rank_candidates
from kinlink.linkage.tasks import Side


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


def _side(*records: dict[str, object]) -> Side:
    builder = FeatureBuilder(display=True)
    for uid, fields in enumerate(records):
        values: dict[str, object] = {"given": None, "surname": None, "patronymic": None,
                                     "full_name": None, "sex": None, "birth": None,
                                     "birth_place": None, "last_known_place": None,
                                     "event": None}
        values.update(fields)
        builder.add(uid, **values)  # type: ignore[arg-type]
    return Side(tuple(str(i) for i in range(len(records))), builder.finish())


def test_candidates_come_strongest_first_with_their_reasons() -> None:
    model = packaged_model()
    assert model is not None
    child = _side({"given": "Марія", "surname": "Коваленко", "patronymic": "Іванівна",
                   "sex": "F", "birth": PartialDate(2015, 4, 2),
                   "birth_place": "Маріуполь"})
    candidates = _side(
        {"full_name": "СМИРНОВА Анна Петровна", "sex": "F", "birth": PartialDate(2015, 5, 20),
         "birth_place": "г. Тверь"},
        {"full_name": "ВОЛКОВА Мария Сергеевна", "sex": "F", "birth": PartialDate(2015, 6, 1),
         "birth_place": "г. Мариуполь"},
        {"full_name": "КОВАЛЕНКО Ольга Ивановна", "sex": "F", "birth": PartialDate(2013, 1, 9),
         "birth_place": "г. Мариуполь"},  # a sister: same family, another given name
    )
    ranked = rank_candidates(default_engine(), default_spec(), model, child, candidates)
    assert [r.uid for r in ranked] == [1, 0]  # the sister is vetoed, not ranked
    assert ranked[0].weight > ranked[1].weight
    reasons = {f.field: f.words for f in ranked[0].explanation.fields}
    assert reasons["given name"].startswith("the same name")
    assert reasons["birth place"].startswith("the same place")
    assert ranked[0].probability > ranked[1].probability
    assert rank_candidates(default_engine(), default_spec(), model, child, _side()) == []
