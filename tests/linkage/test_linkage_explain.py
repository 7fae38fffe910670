"""Every pair explains itself, field by field, in words a case worker reads."""

from __future__ import annotations

from typing import Any

from kinlink.domain.dates import PartialDate
from kinlink.linkage import (
    FeatureBuilder,
    FeatureTable,
    default_spec,
    explain,
    level_for_gamma,
    packaged_model,
)
from kinlink.linkage.tasks import decisions, vetoes

SPEC = default_spec()


def _table(**fields: Any) -> FeatureTable:
    values: dict[str, Any] = {"given": None, "surname": None, "patronymic": None,
                              "full_name": None, "sex": None, "birth": None,
                              "birth_place": None, "last_known_place": None, "event": None}
    values.update(fields)
    builder = FeatureBuilder()
    builder.add(1, **values)
    return builder.finish()


def _row(levels: dict[str, str], weights: dict[str, float] | None = None) -> dict[str, Any]:
    """A scored pair as the engine returns it, at the given levels."""
    row: dict[str, Any] = {"left_uid": 1, "right_uid": 2, "match_weight": 20.0,
                           "match_probability": 0.99999, "decision": "match"}
    for comparison in SPEC.comparisons:
        name = levels.get(comparison.name, "missing")
        gamma = next(g for g in range(-1, len(comparison.levels))
                     if level_for_gamma(comparison, g).name == name)
        row[f"gamma_{comparison.name}"] = gamma
        row[f"weight_{comparison.name}"] = (weights or {}).get(comparison.name, 0.0)
    return row


def test_the_same_name_in_ukrainian_and_russian_is_said_in_words() -> None:
    model = packaged_model()
    assert model is not None
    left = _table(given="Олександр", surname="Петренко", patronymic="Сергійович",
                  birth=PartialDate(2014, 3, 12), birth_place="м. Бахмут, Донецька обл.")
    right = _table(full_name="ПЕТРЕНКО Александр Сергеевич", birth=PartialDate(2014, 3, 12),
                   birth_place="г. Артёмовск")
    row = _row({"given_name": "same", "family_name": "same", "birth_date": "exact",
                "birth_place": "same"}, {"given_name": 5.6, "birth_place": 5.5,
                                         "birth_date": 12.1})
    assert left.display is not None
    assert right.display is not None
    why = explain(SPEC, model, row, left.display[0], right.display[0])
    text = why.text()
    assert "given name: Олександр = Александр, the same name" in text
    assert "Ukrainian and Russian forms of Олександр" in text
    assert "(+5.6)" in text
    assert "birth place: м. Бахмут, Донецька обл. = г. Артёмовск, the same place" in text
    assert ": Бахмут" in text
    assert "birth date: 2014-03-12 = 2014-03-12, the same day" in text
    assert "starting point" in text
    stored = why.as_dict()
    assert stored["fields"][0] == {"field": "given name", "level": "same",
                                   "left": "Олександр", "right": "Александр",
                                   "words": stored["fields"][0]["words"], "weight": 5.6}


def test_a_sex_read_from_the_name_is_said_to_be_read_not_written() -> None:
    model = packaged_model()
    assert model is not None
    written = _table(given="Михайло", surname="Макаренко", sex="M")
    silent = _table(full_name="Mikhail Makarenko")
    assert silent.display is not None
    assert written.display is not None
    assert silent.display[0].sex == "M"
    assert silent.display[0].sex_from_name
    assert not written.display[0].sex_from_name
    row = _row({"given_name": "same", "sex": "same"}, {"given_name": 5.5, "sex": 1.0})
    sex = next(f for f in explain(SPEC, model, row, written.display[0],
                                  silent.display[0]).fields if f.field == "sex")
    assert sex.words == ("the same — the second record gives no sex: read from the given "
                         "name or patronymic")
    both = next(f for f in explain(SPEC, model, row, silent.display[0],
                                   silent.display[0]).fields if f.field == "sex")
    assert "both records give no sex" in both.words
    plain = next(f for f in explain(SPEC, model, row, written.display[0],
                                    written.display[0]).fields if f.field == "sex")
    assert plain.words == "the same"


def test_missing_fields_weigh_nothing_and_say_so() -> None:
    model = packaged_model()
    assert model is not None
    why = explain(SPEC, model, _row({"given_name": "same"}, {"given_name": 5.6, "sex": 3.0}))
    sex = next(f for f in why.fields if f.field == "sex")
    assert sex.weight == 0.0
    assert "missing on one record or both" in sex.words


def test_a_sex_conflict_is_never_linked_automatically() -> None:
    import pyarrow as pa

    row = _row({"given_name": "same", "family_name": "same", "sex": "different",
                "birth_date": "exact"})
    table = pa.Table.from_pylist([row])
    assert decisions(SPEC, table).to_pylist() == ["review"]
    assert vetoes(SPEC, table) == ["sex"]
    model = packaged_model()
    assert model is not None
    assert "different sexes" in (explain(SPEC, model, row).veto or "")


def test_siblings_are_dropped_but_twins_go_to_a_person() -> None:
    import pyarrow as pa

    from kinlink.linkage import finish
    from kinlink.linkage.engine import Scored

    siblings = _row({"given_name": "different", "family_name": "same", "birth_date": "different"})
    twins = _row({"given_name": "different", "family_name": "same", "birth_date": "exact"})
    same = _row({"given_name": "same", "family_name": "same", "birth_date": "exact"})
    for row in (siblings, twins, same):
        row["match_probability"] = 0.9999
    scored = Scored(pa.Table.from_pylist([siblings, twins, same]), (), (), {})
    model = packaged_model()
    assert model is not None
    kept = finish(SPEC, model, scored)
    # a brother born another day is dropped; twins (or one child renamed) are kept for
    # a person to decide, never linked automatically whatever their score
    assert kept.table["gamma_given_name"].to_pylist() == [twins["gamma_given_name"],
                                                          same["gamma_given_name"]]
    assert kept.table["gamma_birth_date"].to_pylist() == [twins["gamma_birth_date"]] * 2
    assert kept.table["decision"].to_pylist() == ["review", "match"]


def test_a_namesake_with_another_fathers_name_goes_to_a_person() -> None:
    """The same given name, surname, day and town but another patronymic: two children
    of one family name (or a patronymic changed): never an automatic link, and the
    explanation says why; with the same patronymic the pair links."""
    import pyarrow as pa

    from kinlink.linkage import finish
    from kinlink.linkage.engine import Scored

    rows = [_row({"given_name": "same", "family_name": family, "birth_date": "exact"})
            for family in ("same_surname_other_father", "similar_other_father", "same")]
    for row in rows:
        row["match_probability"] = 0.99999
    model = packaged_model()
    assert model is not None
    kept = finish(SPEC, model, Scored(pa.Table.from_pylist(rows), (), (), {}))
    assert kept.table["decision"].to_pylist() == ["review", "review", "match"]
    why = explain(SPEC, model, kept.table.to_pylist()[0])
    assert why.veto is not None
    assert "fathers' names differ" in why.veto
