"""The engine port: what kinlink asks of a linkage backend, and the default backend.

Everything above this module works on :class:`~kinlink.linkage.spec.LinkageSpec`,
:class:`~kinlink.linkage.features.FeatureTable` and
:class:`~kinlink.linkage.model.TrainedModel`; a backend turns them into trained
parameters and scored pairs. Splink on DuckDB (:mod:`.splink_engine`) is the default;
Splink on Spark would implement the same protocol for national-scale runs.

Scored pairs come back as an Arrow table with ``left_uid``, ``right_uid``,
``match_weight``, ``match_probability`` and, per comparison ``c``, ``gamma_c`` (the
level's index: -1 for "nothing to compare", then 0 for the last level up to n-1 for the
first) and ``weight_c`` (that level's weight in the sum).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

import pyarrow as pa

from kinlink.config import DEFAULT_DUCKDB_MEMORY
from kinlink.linkage.features import FeatureTable
from kinlink.linkage.model import TrainedModel
from kinlink.linkage.spec import Comparison, Level, LinkageSpec

__all__ = ["MEMORY_LIMIT", "Engine", "Scored", "Task", "default_engine", "level_for_gamma"]

Task = Literal["link", "dedupe"]
"""``link``: pairs across two tables only; ``dedupe``: pairs within one table."""


@dataclass(frozen=True)
class Scored:
    """Scored pairs, and which blocking rules generated candidates in this run.

    ``skipped`` names the wide rules (those with ``max_pairs``) left out because the
    data was too large for them; ``blocked`` counts the pairs each rule would generate.
    """

    pairs: pa.Table
    used: tuple[str, ...]
    skipped: tuple[str, ...]
    blocked: dict[str, int]


class Engine(Protocol):
    """A linkage backend."""

    @property
    def description(self) -> str:
        """Backend and versions, recorded with every model it trains."""
        ...

    def train(self, spec: LinkageSpec, tables: Sequence[FeatureTable], task: Task,
              start: TrainedModel | None = None) -> TrainedModel:
        """Learn the model's parameters from the tables themselves (EM from ``start``)."""
        ...

    def estimate_prior(self, spec: LinkageSpec, model: TrainedModel,
                       tables: Sequence[FeatureTable], task: Task) -> TrainedModel:
        """``model`` with only its prior re-estimated on ``tables``."""
        ...

    def predict(self, spec: LinkageSpec, model: TrainedModel, tables: Sequence[FeatureTable],
                task: Task, threshold: float) -> Scored:
        """Scored pairs at or above ``threshold`` (match probability)."""
        ...

    def predict_new(self, spec: LinkageSpec, model: TrainedModel, existing: FeatureTable,
                    new: FeatureTable, threshold: float) -> Scored:
        """Pairs within ``new`` and between ``new`` and ``existing``, not within ``existing``."""
        ...


MEMORY_LIMIT = DEFAULT_DUCKDB_MEMORY
"""DuckDB's memory limit for a linkage run unless one is given (the default of the setting
``KINLINK_DUCKDB_MEMORY``, :class:`kinlink.config.Settings`). Left unset, DuckDB takes
80% of the machine's memory for its buffers and keeps what it loaded: linking 1M × 1M
records peaked at 7.9 GB, 5.3 GB of it in scoring the 38M blocked pairs. At 3 GB the
same run peaks at 3.9 GB with the same pairs and about the same CPU time
(benchmarks/README.md, issue 14's 1M target); a run that needs more spills to
``temp_dir`` (DuckDB's own default when none is given) instead of taking the memory of
everything else on a shared server."""


def default_engine(*, threads: int | None = None, memory_limit: str | None = MEMORY_LIMIT,
                   temp_dir: Path | None = None) -> Engine:
    """Splink on an embedded DuckDB (imported only when an engine is needed), its memory
    bounded by ``memory_limit`` (:data:`MEMORY_LIMIT` by default; ``None``: DuckDB's own
    default, 80% of the machine)."""
    from kinlink.linkage.splink_engine import SplinkEngine

    return SplinkEngine(threads=threads, memory_limit=memory_limit, temp_dir=temp_dir)


def level_for_gamma(comparison: Comparison, gamma: int) -> Level:
    """The level a comparison vector value stands for (Splink's numbering)."""
    if gamma < 0:
        return next(level for level in comparison.levels if level.null)
    scored = [level for level in comparison.levels if not level.null]
    return scored[len(scored) - 1 - gamma]
