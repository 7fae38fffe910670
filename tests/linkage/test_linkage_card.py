"""The model card shows every level of every comparison with the model's own numbers."""

from __future__ import annotations

import math

from kinlink.linkage import default_spec, model_card, packaged_model
from kinlink.linkage.card import LevelCard
from kinlink.linkage.model import LevelParameters, TrainedModel


def _packaged() -> TrainedModel:
    model = packaged_model()
    assert model is not None
    return model


def test_the_card_lists_every_level_with_the_models_weight() -> None:
    spec, model = default_spec(), _packaged()
    card = model_card(spec, model)
    expected = [(c.title, level.name) for c in spec.comparisons for level in c.levels]
    assert [(lv.comparison, lv.level) for lv in card.levels] == expected
    by_key = {(lv.comparison, lv.level): lv for lv in card.levels}
    for comparison in spec.comparisons:
        for level in comparison.levels:
            shown = by_key[(comparison.title, level.name)]
            assert shown.words == level.words
            assert shown.min_m == level.min_m
            if level.null:
                assert shown.weight is None
            else:
                assert shown.weight == model.weight(comparison.name, level.name)
    assert card.fits_spec
    assert card.version == model.version
    assert len(card.vetoes) == len(spec.vetoes)
    assert [r.name for r in card.blocking] == [r.name for r in spec.blocking]


def test_thresholds_are_shown_as_the_evidence_they_need() -> None:
    card = model_card(default_spec(), _packaged())
    prior_odds = card.prior / (1 - card.prior)
    # A pair whose evidence is exactly the bits needed lands on the threshold.
    for threshold in (card.match, card.review):
        odds = prior_odds * 2 ** card.bits_needed(threshold)
        assert math.isclose(odds / (1 + odds), threshold, rel_tol=1e-9)
    assert card.bits_needed(card.match) > card.bits_needed(card.review) > 0
    assert card.prior_words == f"1 in {round(1 / card.prior):,} pairs"
    data = card.as_dict()
    assert data["bits_needed"]["match"] == round(card.bits_needed(card.match), 2)
    assert len(data["levels"]) == len(card.levels)


def test_weights_are_put_in_words_both_ways() -> None:
    def level(weight: float | None) -> LevelCard:
        return LevelCard("sex", "x", "", None, None, weight, None)

    assert level(math.log2(47)).factor_words() == "47× more likely the same child"
    assert level(-math.log2(5.6)).factor_words() == "5.6× less likely the same child"
    assert level(0.01).factor_words() == "about as likely either way"
    assert level(None).factor_words() == "no evidence either way"


def test_a_model_of_other_comparisons_is_marked_as_not_fitting() -> None:
    model = _packaged()
    other = TrainedModel("other-1", "0" * 64, model.prior,
                         {"sex": {"same": LevelParameters(0.9, 0.5)}})
    card = model_card(default_spec(), other)
    assert not card.fits_spec
    sex = {lv.level: lv for lv in card.levels if lv.comparison == "sex"}
    assert sex["same"].weight == math.log2(0.9 / 0.5)
    assert sex["different"].weight is None  # not in that model: shown, not invented
