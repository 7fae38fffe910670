"""What linkage makes of two names alone is what it makes of them in a scored pair."""

from __future__ import annotations

import dataclasses

import pytest

from kinlink.domain.dates import PartialDate
from kinlink.linkage import (
    FeatureBuilder,
    NameScorer,
    default_engine,
    default_spec,
    explanations,
    name_evidence,
    packaged_model,
    score,
)
from kinlink.linkage.spec import BlockingRule
from kinlink.linkage.tasks import Side
from kinlink.names import NameParts

SPEC = default_spec()
PAIRS = (
    ("Fedor Sevchenko", "Федір Шевченко"),
    ("Олександр Петренко", "Aleksandr Petrenko"),
    ("Олександр Петренко Іванович", "ПЕТРЕНКО Александр Петрович"),
    ("Петренко Олександр", "Петренко Олексанр"),
    ("Сашко Петренко", "Олександр Петренко"),
    ("Ганна Бойко", "Анна Бойко"),
    ("Микола Біленко", "Николай Беленко"),
    ("Марія Коваленко", "Mariia Kovalenkko"),
    ("Дмитро Коваленко", "Дмитро Смирнов"),
    ("Дмитро Коваленко Петрович", "Дмитро Смирнов Петрович"),
    ("Коваленко", "Kovalenko"),
    ("Zoriana Hnatiuk", "Зоряна Гнатюк"),
)


def _side(names: list[str]) -> Side:
    builder = FeatureBuilder()
    for uid, name in enumerate(names):
        builder.add(uid, given=None, surname=None, patronymic=None, full_name=name, sex=None,
                    birth=PartialDate(2014, 3, 12), birth_place=None, last_known_place=None,
                    event=None)
    return Side(tuple(str(i) for i in range(len(names))), builder.finish())


@pytest.mark.slow
def test_levels_and_weights_are_those_of_a_scored_pair() -> None:
    model = packaged_model()
    assert model is not None
    every_pair = dataclasses.replace(
        SPEC, blocking=(BlockingRule("every_pair", ()),),
        thresholds=dataclasses.replace(SPEC.thresholds, review=1e-300,
                                       review_per_record=len(PAIRS)))
    left, right = _side([a for a, _ in PAIRS]), _side([b for _, b in PAIRS])
    pairs = score(default_engine(), every_pair, [left, right], "link", model)
    explained = {(row["left_uid"], row["right_uid"]): why for row, why in zip(
        pairs.table.to_pylist(), explanations(SPEC, pairs, left, right), strict=True)}
    for index, (a, b) in enumerate(PAIRS):
        why = {f.field: f for f in explained[(index, index)].fields}
        evidence = name_evidence(a, b)
        for found in evidence.fields:
            verdict = why[found.title]
            assert found.level == verdict.level, (a, b)
            assert verdict.words.startswith(found.words)
            if not found.frequency_adjusted:
                assert found.weight == pytest.approx(verdict.weight), (a, b)
            if found.reason:
                assert verdict.words == f"{found.words} — {found.reason}"


def test_the_name_engine_is_the_detail_not_the_finding() -> None:
    evidence = name_evidence("Fedor Sevchenko", "Федір Шевченко")
    family = evidence.field("family_name")
    assert family.level == "fuzzy"  # somewhat similar: Sevchenko is not Shevchenko
    assert family.weight < 0
    assert family.reason == "surname: similar surname (possibly a typo)"
    assert evidence.engine is not None
    given = evidence.field("given_name")
    assert (given.level, given.frequency_adjusted) == ("same", True)
    assert evidence.weight == pytest.approx(given.weight + family.weight)


def test_missing_parts_weigh_nothing_and_parts_or_text_read_alike() -> None:
    scorer = NameScorer()
    typed, parts, text = scorer.rows(("Петренко", NameParts("Олександр", "Петренко", "Іванович"),
                                      "ПЕТРЕНКО Олександр Іванович"))
    surname_only = scorer.evidence(typed, parts)
    assert surname_only.levels == ("missing", "same_surname")
    assert surname_only.field("given_name").weight == 0.0
    assert surname_only.field("given_name").reason is None
    assert scorer.fields(parts, text) == scorer.fields(parts, parts)
    assert scorer.evidence(parts, text).levels == ("same", "same")


def test_a_level_the_model_does_not_know_weighs_nothing() -> None:
    model = packaged_model()
    assert model is not None
    partial = dataclasses.replace(model, levels={"family_name": model.levels["family_name"]})
    evidence = name_evidence("Олександр Петренко", "Олександр Петренко", model=partial)
    assert evidence.field("given_name").weight == 0.0
    assert evidence.field("family_name").weight == pytest.approx(
        model.weight("family_name", "same_surname"))
