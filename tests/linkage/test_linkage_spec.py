"""The linkage spec is data: it round-trips through JSON and names itself by digest."""

from __future__ import annotations

import dataclasses
import json

import pytest

from kinlink.linkage import LinkageSpec, Thresholds, TrainedModel, default_spec
from kinlink.linkage.model import LevelParameters
from kinlink.linkage.spec import AllOf, Exact, Not, Null, Similar, predicate_columns


def test_default_spec_round_trips_through_json() -> None:
    spec = default_spec()
    text = spec.to_json()
    again = LinkageSpec.from_json(text)
    assert again == spec
    assert again.digest() == spec.digest()
    assert json.loads(text)["format"] == 1


def test_digest_changes_with_any_setting_but_the_model_digest_only_with_comparisons() -> None:
    spec = default_spec()
    stricter = dataclasses.replace(spec, thresholds=Thresholds(match=0.9999, review=0.2))
    assert stricter.digest() != spec.digest()
    assert stricter.model_digest() == spec.model_digest()
    fewer = dataclasses.replace(spec, comparisons=spec.comparisons[:-1])
    assert fewer.model_digest() != spec.model_digest()


def test_an_unknown_format_is_refused() -> None:
    data = default_spec().to_dict() | {"format": 99}
    with pytest.raises(ValueError, match="format"):
        LinkageSpec.from_dict(data)


def test_thresholds_decide_and_refuse_nonsense() -> None:
    thresholds = Thresholds(match=0.999, review=0.1)
    assert thresholds.decide(0.9995) == "match"
    assert thresholds.decide(0.5) == "review"
    assert thresholds.decide(0.01) is None
    with pytest.raises(ValueError, match="thresholds"):
        Thresholds(match=0.5, review=0.9)


def test_predicates_name_the_columns_they_read() -> None:
    predicate = AllOf((Exact("surname_key"), Not(Null("father_key")),
                       Similar("surname_skel", 0.9)))
    assert predicate_columns(predicate) == ("surname_key", "father_key", "surname_skel")


def test_every_level_of_the_default_spec_has_words_and_one_catch_all() -> None:
    for comparison in default_spec().comparisons:
        assert all(level.words for level in comparison.levels)
        assert [level.when for level in comparison.levels].count(None) == 1
        assert comparison.levels[-1].when is None
        assert sum(level.null for level in comparison.levels) == 1


def test_a_model_round_trips_and_knows_its_spec() -> None:
    spec = default_spec()
    model = TrainedModel(spec.version, spec.model_digest(), 1e-5,
                         {"sex": {"same": LevelParameters(0.98, 0.5),
                                  "missing": LevelParameters(None, None)}},
                         {"task": "link"}, "test")
    again = TrainedModel.from_json(model.to_json())
    assert again == model
    assert again.version == model.version
    assert again.version.startswith(spec.version + "+")
    assert again.fits(spec)
    assert round(again.weight("sex", "same"), 3) == 0.971
    assert again.weight("sex", "missing") == 0.0
