"""A trained model in words: what each finding weighs, how it was learned, when it links.

The model card is what a data scientist shows when asked why the tool linked two
records: for every comparison and level the share of true pairs that fall into it (m),
the share of unrelated pairs (u), the weight in bits and the same as "N times more
likely", the floor the law's possibilities put under m, the prior, the evidence a pair
needs to reach each threshold, the vetoes and the blocking rules. It is computed from
the spec and the model alone, so the card of any saved or stored model can be produced
again, word for word.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from kinlink.linkage.model import LevelParameters, TrainedModel
from kinlink.linkage.spec import BlockingRule, LinkageSpec, Veto

__all__ = ["LevelCard", "ModelCard", "RuleCard", "VetoCard", "model_card"]


@dataclass(frozen=True)
class LevelCard:
    """One outcome of one comparison and what it weighs."""

    comparison: str
    level: str
    words: str
    m: float | None
    u: float | None
    weight: float | None
    min_m: float | None

    def factor_words(self) -> str:
        """``47× more likely the same child``, ``31× less likely``, or no evidence."""
        if self.weight is None:
            return "no evidence either way"
        factor = 2 ** abs(self.weight)
        if factor < 1.05:
            return "about as likely either way"
        shown = f"{factor:,.0f}" if factor >= 10 else f"{factor:.1f}"
        side = "more" if self.weight > 0 else "less"
        return f"{shown}× {side} likely the same child"


@dataclass(frozen=True)
class VetoCard:
    """A combination of outcomes the score alone may not override."""

    name: str
    when: str
    effect: str
    words: str


@dataclass(frozen=True)
class RuleCard:
    """A blocking rule: which pairs are compared at all."""

    name: str
    columns: str
    max_pairs: int | None


@dataclass(frozen=True)
class ModelCard:
    """Everything that decides a pair's score and decision, in one readable record."""

    version: str
    spec_version: str
    fits_spec: bool
    engine: str
    trained_on: dict[str, Any]
    prior: float
    match: float
    review: float
    review_per_record: int
    levels: tuple[LevelCard, ...]
    vetoes: tuple[VetoCard, ...]
    blocking: tuple[RuleCard, ...]

    @property
    def prior_words(self) -> str:
        """``1 in 146,000 pairs``: how rare a true pair is among all pairs."""
        return f"1 in {round(1 / self.prior):,} pairs"

    def bits_needed(self, threshold: float) -> float:
        """Evidence (bits over the prior) a pair needs to reach ``threshold``."""
        return _logit2(threshold) - _logit2(self.prior)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, with the evidence each threshold needs."""
        data = asdict(self)
        data["prior_words"] = self.prior_words
        data["bits_needed"] = {"match": round(self.bits_needed(self.match), 2),
                               "review": round(self.bits_needed(self.review), 2)}
        return data


def _logit2(p: float) -> float:
    return math.log2(p / (1 - p)) if p < 1 else math.inf


def _levels(spec: LinkageSpec, model: TrainedModel) -> tuple[LevelCard, ...]:
    cards = []
    for comparison in spec.comparisons:
        learned = model.levels.get(comparison.name, {})
        for level in comparison.levels:
            params = learned.get(level.name, LevelParameters(None, None))
            known = not level.null and bool(params.m) and bool(params.u)
            cards.append(LevelCard(comparison.title, level.name, level.words, params.m,
                                   params.u, params.weight if known else None, level.min_m))
    return tuple(cards)


def _veto(spec: LinkageSpec, veto: Veto) -> VetoCard:
    when = " and ".join(f"{spec.comparison(c).title}: {lv}" for c, lv in veto.when)
    if veto.unless:
        when += ", unless " + " or ".join(f"{spec.comparison(c).title}: {lv}"
                                          for c, lv in veto.unless)
    effect = "never linked without a person" if veto.effect == "review" else "not suggested"
    return VetoCard(veto.name, when, effect, veto.words)


def _rule(rule: BlockingRule) -> RuleCard:
    parts = [*rule.on, *(f"{a} = other's {b}" for a, b in rule.cross)]
    return RuleCard(rule.name, " + ".join(parts), rule.max_pairs)


def model_card(spec: LinkageSpec, model: TrainedModel) -> ModelCard:
    """The card of ``model`` as ``spec`` uses it (``fits_spec`` says if it was trained for
    ``spec``; a model of another spec is shown level by level as far as names agree)."""
    thresholds = spec.thresholds
    return ModelCard(
        version=model.version, spec_version=model.spec_version, fits_spec=model.fits(spec),
        engine=model.engine, trained_on=dict(model.trained_on), prior=model.prior,
        match=thresholds.match, review=thresholds.review,
        review_per_record=thresholds.review_per_record, levels=_levels(spec, model),
        vetoes=tuple(_veto(spec, v) for v in spec.vetoes),
        blocking=tuple(_rule(r) for r in spec.blocking),
    )
