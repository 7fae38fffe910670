"""Why a pair scored what it scored: per field, the verdict and its weight, in words.

Every pair kinlink suggests carries an explanation a case worker can read and a court
can check: for each comparison the two values as the records give them, what the
comparison found ("the same name (forms in other languages and spellings count as
the same)"), the name engine's more precise reason where it has one ("same name,
Ukrainian and Russian forms of Олександр"), and the weight that finding added to or
took from the score. The starting point (the prior: how rare a true pair is among all
pairs of these lists), any veto and what the children moved with the pair's records
say (:mod:`kinlink.linkage.cohorts`: "6 other children from the same institution …")
are part of it, so the weights add up to the score.

A weight is in bits (log2 of a Bayes factor): +1 doubles the odds that the records
are one child, −1 halves them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from kinlink.i18n import N_, Wording
from kinlink.linkage.cohorts import FIELD, RIVAL_WORDS, cohort_words
from kinlink.linkage.engine import level_for_gamma
from kinlink.linkage.features import Display
from kinlink.linkage.model import TrainedModel
from kinlink.linkage.name_evidence import NAME_PARTS, name_reason
from kinlink.linkage.spec import Comparison, LinkageSpec, Veto
from kinlink.names import NameParts, compare_names
from kinlink.names.places import place_key, place_name

__all__ = ["Explanation", "FieldVerdict", "explain"]


@dataclass(frozen=True)
class FieldVerdict:
    """One comparison's outcome for one pair."""

    field: str
    level: str
    left: str | None
    right: str | None
    words: str
    weight: float
    args: dict[str, str] | None = None
    """The values the words were made from, when they are not one of the spec's levels
    (the cohort line): a page says them again in the reader's language."""

    def sentence(self) -> str:
        """``given name: Олександр = Александр, same name, … (+5.6)``."""
        if self.left is None or self.right is None:
            values = self.left or self.right or ""
            shown = f"{values} / —, " if values else ""
        else:
            sign = "=" if self.weight > 0 else "≠" if self.weight < 0 else "/"
            shown = f"{self.left} {sign} {self.right}, "
        return f"{self.field}: {shown}{self.words} ({self.weight:+.1f})"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        found = {"field": self.field, "level": self.level, "left": self.left,
                 "right": self.right, "words": self.words, "weight": round(self.weight, 2)}
        return found | ({"args": dict(self.args)} if self.args else {})


@dataclass(frozen=True)
class Explanation:
    """All verdicts of one pair, the prior they start from, the outcome and any veto."""

    fields: tuple[FieldVerdict, ...]
    prior_weight: float
    match_weight: float
    probability: float
    decision: str
    veto: str | None = None

    def lines(self) -> list[str]:
        """One sentence per field, then the outcome."""
        lines = [f.sentence() for f in self.fields]
        lines.append(f"starting point, how rare a true pair is among all pairs "
                     f"({self.prior_weight:+.1f}); total {self.match_weight:+.1f}: "
                     f"probability {self.probability:.4f}, {self.decision}")
        if self.veto:
            lines.append(self.veto)
        return lines

    def text(self) -> str:
        """The lines joined with ``; `` (for one CSV cell)."""
        return "; ".join(self.lines())

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, as stored with a candidate pair."""
        return {"fields": [f.as_dict() for f in self.fields],
                "prior_weight": round(self.prior_weight, 2),
                "match_weight": round(self.match_weight, 2),
                "probability": self.probability, "decision": self.decision,
                "veto": self.veto}


def _name_parts(display: Display) -> NameParts:
    return NameParts(display.given, display.surname, display.patronymic)


def _values(comparison: Comparison, left: Display, right: Display) -> tuple[str | None, ...]:
    if comparison.display == "family":
        def family(d: Display) -> str | None:
            return " ".join(p for p in (d.surname, d.patronymic) if p) or None
        return family(left), family(right)
    return left.value(comparison.display), right.value(comparison.display)


def _name_reason(comparison: Comparison, left: Display, right: Display) -> str | None:
    """The name engine's own reason for a name comparison, if both sides have names: a
    detail after the level's words, never the finding (the level and its weight are
    the engine's, as :mod:`kinlink.linkage.name_evidence` shows them outside a pair)."""
    if comparison.display not in NAME_PARTS:
        return None
    return name_reason(comparison.display,
                       compare_names(_name_parts(left), _name_parts(right)))


def _place_words(left: str | None, right: str | None, words: str) -> str:
    """Add the place's Ukrainian name when two spellings were recognised as one place."""
    key = place_key(left)
    name = place_name(key) if key and key == place_key(right) else None
    return f"{words}: {name}" if name and name not in (left, right) else words


_SEX_READ = {
    1: Wording("linkage.explain.first_sex_from_name", N_(
        "the first record gives no sex: read from the given name or patronymic")),
    2: Wording("linkage.explain.second_sex_from_name", N_(
        "the second record gives no sex: read from the given name or patronymic")),
    3: Wording("linkage.explain.both_sex_from_name", N_(
        "both records give no sex: read from the given name or patronymic")),
}
"""The detail when a sex compared was read from a name (by which records: 1, 2, both),
kept as its English text and said in the reader's language where it is shown."""


def _sex_words(left: Display, right: Display, words: str) -> str:
    """Say when a sex compared is not in the list but read from the name."""
    which = (1 if left.sex_from_name else 0) + (2 if right.sex_from_name else 0)
    return f"{words} — {_SEX_READ[which]()}" if which else words


def _field(model: TrainedModel, comparison: Comparison, gamma: int, weight: float,
           left: Display | None, right: Display | None) -> FieldVerdict:
    level = level_for_gamma(comparison, gamma)
    words = level.words
    values: tuple[str | None, ...] = (None, None)
    if left is not None and right is not None:
        values = _values(comparison, left, right)
        if not level.null:
            reason = _name_reason(comparison, left, right)
            words = f"{words} — {reason}" if reason else words
            if comparison.display in ("place", "last_place"):
                words = _place_words(values[0], values[1], words)
            if comparison.display == "sex":
                words = _sex_words(left, right, words)
    return FieldVerdict(comparison.title, level.name, values[0], values[1], words,
                        0.0 if level.null else weight)


def _veto(spec: LinkageSpec, row: dict[str, Any]) -> Veto | None:
    levels = {c.name: level_for_gamma(c, int(row[f"gamma_{c.name}"])).name
              for c in spec.comparisons}
    return next((veto for veto in spec.vetoes if veto.applies(levels)), None)


def _cohort(row: dict[str, Any], left: Display | None, right: Display | None
            ) -> FieldVerdict | None:
    """The line saying what the pair's groups add, if they add anything."""
    count = int(row.get("cohort_mates") or 0)
    if not count:
        return None
    kind, intake = str(row.get("cohort_kind")), str(row.get("cohort_intake") or "")
    weight = float(row.get("cohort_weight") or 0.0)
    capped = bool(row.get("cohort_held"))
    args = {"kind": kind, "count": str(count), "intake": intake, "capped": str(capped)}
    return FieldVerdict(FIELD, f"cohort_{kind}", left.moved if left else None,
                        right.moved if right else None,
                        cohort_words(kind, count, intake, capped), weight, args)


def _rival_words(row: dict[str, Any]) -> str | None:
    """Why a link waits for a person when it is one of several to children reported
    together (:meth:`~kinlink.linkage.cohorts.Cohorts.rivals`)."""
    return RIVAL_WORDS if row.get("rivals") and row.get("decision") == "review" else None


def explain(spec: LinkageSpec, model: TrainedModel, row: dict[str, Any],
            left: Display | None = None, right: Display | None = None) -> Explanation:
    """The explanation of one scored pair (a row of the engine's result, with its
    ``decision``); ``left``/``right`` add the values as the records give them."""
    fields = tuple(
        _field(model, c, int(row[f"gamma_{c.name}"]), float(row[f"weight_{c.name}"]),
               left, right)
        for c in spec.comparisons)
    moved = _cohort(row, left, right)
    fields = (*fields, moved) if moved is not None else fields
    veto = _veto(spec, row)
    prior = math.log2(model.prior / (1 - model.prior))
    return Explanation(fields, prior, float(row["match_weight"]),
                       float(row["match_probability"]), str(row.get("decision", "")),
                       veto.words if veto else _rival_words(row))
