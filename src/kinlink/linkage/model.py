"""A trained linkage model: the spec it belongs to and the parameters learned from data.

Fellegi–Sunter needs, for every level of every comparison, m (how often true pairs
fall into it) and u (how often unrelated pairs do), and a prior (the chance that two
random records are the same child). :class:`TrainedModel` keeps exactly those, with the
digest of the spec's comparisons they were learned for
(:meth:`~kinlink.linkage.spec.LinkageSpec.model_digest`), what they were learned from and by which
engine. It is plain JSON, so it can be stored, diffed, shown to a court and loaded by
any backend. Its :attr:`TrainedModel.version` names it wherever a pair it scored is
kept.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from kinlink.linkage.spec import LinkageSpec

__all__ = ["MODEL_FORMAT", "LevelParameters", "TrainedModel", "packaged_model"]

MODEL_FORMAT = 1


@dataclass(frozen=True)
class LevelParameters:
    """m and u of one comparison level (``None`` for a level that carries no weight)."""

    m: float | None
    u: float | None

    @property
    def weight(self) -> float:
        """The level's match weight: log2(m / u); 0 when either is unknown."""
        if not self.m or not self.u:
            return 0.0
        return math.log2(self.m / self.u)


PRIOR_FLOOR = 1e-9
"""Smallest prior kept: one true pair in a billion."""


@dataclass(frozen=True)
class TrainedModel:
    """Learned parameters of a :class:`LinkageSpec`, with their provenance."""

    spec_version: str
    spec_digest: str
    prior: float
    levels: dict[str, dict[str, LevelParameters]]
    trained_on: dict[str, Any] = field(default_factory=dict)
    engine: str = ""
    format: int = MODEL_FORMAT

    def __post_init__(self) -> None:
        # A tiny store (two records, no deterministic match) estimates a prior of 0 or 1,
        # which has no match weight: keep it strictly between, as a probability must be.
        object.__setattr__(self, "prior", min(max(self.prior, PRIOR_FLOOR), 0.5))

    @property
    def version(self) -> str:
        """``<spec version>+<12 hex digits>`` of the spec digest and the parameters."""
        digest = hashlib.sha256(self._parameters_json().encode("utf-8")).hexdigest()
        return f"{self.spec_version}+{digest[:12]}"

    def weight(self, comparison: str, level: str) -> float:
        """Match weight of one level (log2 of its Bayes factor)."""
        return self.levels[comparison][level].weight

    def fits(self, spec: LinkageSpec) -> bool:
        """Whether this model was trained for ``spec``'s comparisons."""
        return self.spec_digest == spec.model_digest()

    def with_prior(self, prior: float) -> TrainedModel:
        """The same parameters with another prior (re-estimated for other data)."""
        return TrainedModel(self.spec_version, self.spec_digest, prior, self.levels,
                            self.trained_on | {"prior_reestimated": True}, self.engine)

    def _parameters_json(self) -> str:
        payload = {"spec_digest": self.spec_digest, "prior": self.prior,
                   "levels": self._levels_dict()}
        return json.dumps(payload, sort_keys=True, separators=(",", ":"))

    def _levels_dict(self) -> dict[str, dict[str, dict[str, float | None]]]:
        return {c: {name: {"m": p.m, "u": p.u} for name, p in levels.items()}
                for c, levels in self.levels.items()}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, including the version for readers that do not recompute it."""
        return {
            "format": self.format, "version": self.version,
            "spec_version": self.spec_version, "spec_digest": self.spec_digest,
            "prior": self.prior, "levels": self._levels_dict(),
            "trained_on": self.trained_on, "engine": self.engine,
        }

    def to_json(self) -> str:
        """Indented JSON with sorted keys."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, indent=1)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainedModel:
        """Read a model written by :meth:`to_dict`; refuses an unknown format."""
        if data.get("format") != MODEL_FORMAT:
            raise ValueError(f"linkage model format {data.get('format')!r} is not "
                             f"{MODEL_FORMAT}")
        levels = {c: {name: LevelParameters(p["m"], p["u"]) for name, p in lv.items()}
                  for c, lv in data["levels"].items()}
        return cls(data["spec_version"], data["spec_digest"], float(data["prior"]), levels,
                   dict(data.get("trained_on", {})), str(data.get("engine", "")))

    @classmethod
    def from_json(cls, text: str) -> TrainedModel:
        """Read a model written by :meth:`to_json`."""
        return cls.from_dict(json.loads(text))


@cache
def packaged_model() -> TrainedModel | None:
    """The model trained on generated data that ships with kinlink (see benchmarks),
    or ``None`` if this installation has none."""
    path = resources.files("kinlink.linkage").joinpath("data", "model.json")
    if not path.is_file():
        return None
    return TrainedModel.from_json(path.read_text(encoding="utf-8"))
