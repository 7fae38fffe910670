"""What the child page, review and cases share between the pages and their JSON twins:
the signed-in person as the use cases' :class:`Actor`, the steps a case may take next in
the person's role, and a pair's stored explanation read for display. Reading a child or
a case is one use case call each (:mod:`kinlink.usecases.children`,
:mod:`kinlink.usecases.cases`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kinlink.accounts import SessionView
from kinlink.domain.access import Actor
from kinlink.domain.cases import TRANSITIONS, CaseStatus, EvidenceKind, Transition

__all__ = ["EVIDENCE_KINDS", "Explanation", "FieldReason", "actor_of", "explanation",
           "steps_from"]


def actor_of(view: SessionView) -> Actor:
    """The signed-in person as the use cases see them: user name, role and agency."""
    return view.principal.acting


def steps_from(status: CaseStatus, view: SessionView) -> list[Transition]:
    """The steps the person's role may take from ``status`` (the workflow still checks
    evidence, the reason and the child's records when they submit)."""
    return [t for t in TRANSITIONS if t.source is status and view.role in t.roles]


EVIDENCE_KINDS = [kind.value for kind in EvidenceKind]


@dataclass(frozen=True)
class FieldReason:
    """One field compared by the model: its level of agreement, the two records' values,
    the comparison in words and its weight (positive for the same child, negative
    against)."""

    field: str
    level: str | None
    left: str | None
    right: str | None
    words: str
    weight: float
    args: dict[str, str] | None = None
    """The values a line not of the model's levels was said with (the group line)."""


@dataclass(frozen=True)
class Explanation:
    """Why the model scored a pair as it did: field by field, the prior weight it starts
    from, the total, the probability, the decision and any veto (``null`` where a
    stored explanation of an older run lacks them)."""

    fields: list[FieldReason]
    prior_weight: float | None
    match_weight: float | None
    probability: float | None
    decision: str | None
    veto: str | None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _args(value: Any) -> dict[str, str] | None:
    if not isinstance(value, dict):
        return None
    return {str(k): str(v) for k, v in value.items()}


def explanation(data: dict[str, Any]) -> Explanation:
    """The stored explanation of a pair, read tolerantly (older runs kept fewer keys)."""
    fields = [FieldReason(str(f.get("field", "")), _text(f.get("level")), _text(f.get("left")),
                          _text(f.get("right")), str(f.get("words", "")),
                          _number(f.get("weight")) or 0.0, _args(f.get("args")))
              for f in data.get("fields", []) if isinstance(f, dict)]
    veto = data.get("veto")
    return Explanation(fields, _number(data.get("prior_weight")),
                       _number(data.get("match_weight")), _number(data.get("probability")),
                       _text(data.get("decision")), _text(veto) if veto else None)
