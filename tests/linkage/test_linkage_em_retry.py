"""An EM round that Splink stops because one comparison's m underflowed (a level these
pairs show only among clear non-matches) is run again with that comparison held, so the
other comparisons are still learned."""

from __future__ import annotations

from typing import Any

import pytest

import kinlink.linkage.splink_engine as splink_engine
from kinlink.domain.dates import PartialDate
from kinlink.linkage import FeatureBuilder, FeatureTable, default_spec, packaged_model
from kinlink.linkage.splink_engine import SplinkEngine

NAMES = ("Олександр", "Марія", "Іван", "Софія", "Дмитро", "Анна", "Максим", "Дарина")
SURNAMES = ("Петренко", "Коваль", "Шевчук", "Бондар", "Мельник", "Лисенко", "Ткаченко")


def _side() -> FeatureTable:
    builder = FeatureBuilder(display=False)
    for uid in range(300):
        builder.add(uid, given=NAMES[uid % 8], surname=SURNAMES[uid % 7], patronymic=None,
                    full_name=None, sex=None,
                    birth=PartialDate(2010 + uid % 9, 1 + uid % 12, 1 + uid % 28),
                    birth_place=None, last_known_place=None, event=None,
                    institution="Дитячий будинок № 5, м. Херсон" if uid % 3 else None,
                    moved=PartialDate(2022, 1 + uid % 12, 1) if uid % 3 else None)
    return builder.finish()


def test_a_comparison_whose_m_underflows_keeps_its_starting_m(
        monkeypatch: pytest.MonkeyPatch) -> None:
    real = splink_engine._em_blocking
    refused: list[str] = []

    def refusing(spec: Any, em: Any) -> Any:
        if em.rule.name == "em_names" and not refused:
            output_column_name = "cohort"  # as in the Splink frame that refuses an m
            refused.append(output_column_name)
            raise ValueError("m_probability value 0.0 is below the minimum allowed value")
        return real(spec, em)

    monkeypatch.setattr(splink_engine, "_em_blocking", refusing)
    start = packaged_model()
    assert start is not None
    side = _side()
    model = SplinkEngine().train(default_spec(), [side, side], "link", start)
    assert refused == ["cohort"]
    assert model.trained_on["em_rounds"]["em_names"] == "trained; starting m kept for cohort"


def test_a_round_that_fails_again_keeps_the_starting_values(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def refusing(spec: Any, em: Any) -> Any:
        output_column_name = "cohort"
        raise ValueError(f"{output_column_name}: m_probability value 0.0 is below the minimum")

    monkeypatch.setattr(splink_engine, "_em_blocking", refusing)
    side = _side()
    model = SplinkEngine().train(default_spec(), [side, side], "link", packaged_model())
    assert set(model.trained_on["em_rounds"].values()) == {
        "failed (ValueError); starting values kept"}
