"""The engine port: what kinlink asks of a linkage backend, and the default backend.

Everything above this module works on :class:`~kinlink.linkage.spec.LinkageSpec`,
:class:`~kinlink.linkage.features.FeatureTable` and
:class:`~kinlink.linkage.model.TrainedModel`; a backend turns them into trained
parameters and scored pairs. Splink on DuckDB (:mod:`.splink_engine`) is the default;
Splink on Spark (:mod:`.spark_engine`, the optional ``kinlink[spark]``) implements the
same protocol for national-scale runs: :func:`spark_engine` builds it, or says in plain
words what is missing.

Scored pairs come back as an Arrow table with ``left_uid``, ``right_uid``,
``match_weight``, ``match_probability`` and, per comparison ``c``, ``gamma_c`` (the
level's index: -1 for "nothing to compare", then 0 for the last level up to n-1 for the
first) and ``weight_c`` (that level's weight in the sum).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

import pyarrow as pa

from kinlink.config import DEFAULT_DUCKDB_MEMORY
from kinlink.errors import ConfigurationError
from kinlink.i18n import N_, Wording
from kinlink.linkage.features import FeatureTable
from kinlink.linkage.model import TrainedModel
from kinlink.linkage.spec import Comparison, Level, LinkageSpec

__all__ = ["ENGINES", "MEMORY_LIMIT", "Engine", "Scored", "Task", "chosen_engine",
           "default_engine", "java_found", "level_for_gamma", "spark_engine"]

ENGINES = ("duckdb", "spark")
"""The backends a run can be given by name (``kinlink link --engine``)."""

_NO_PYSPARK = Wording("linkage.engine.no_pyspark", N_(
    "the Spark engine is not installed: install kinlink with its spark extra "
    "(pip install 'kinlink[spark]')"))
_NO_JAVA = Wording("linkage.engine.no_java", N_(
    "the Spark engine needs Java, and none was found (JAVA_HOME or java on the PATH): "
    "run scripts/ensure-java, or install Debian's openjdk-17-jre-headless"))

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


def java_found(environ: Mapping[str, str] | None = None) -> bool:
    """Whether there is a Java runtime for Spark's driver: ``JAVA_HOME``'s, else
    ``java`` on the ``PATH`` (as PySpark looks for it)."""
    env = os.environ if environ is None else environ
    home = env.get("JAVA_HOME")
    if home:
        return os.access(os.path.join(home, "bin", "java"), os.X_OK)
    return shutil.which("java", path=env.get("PATH")) is not None


def spark_engine(*, master: str | None = None, conf: Mapping[str, str] | None = None,
                 memory_limit: str | None = MEMORY_LIMIT, work_dir: Path | None = None
                 ) -> Engine:
    """Splink on Spark at ``master`` (``local[*]`` by default) with the session settings
    ``conf``, training on DuckDB bounded by ``memory_limit``; refused in words
    (:class:`ConfigurationError`) when pyspark or Java is missing, before anything
    runs."""
    if not java_found():
        raise ConfigurationError(_NO_JAVA())
    try:
        from kinlink.linkage.spark_engine import DEFAULT_MASTER, SparkEngine
    except ImportError as exc:
        if (exc.name or "").split(".")[0] in ("pyspark", "py4j"):
            raise ConfigurationError(_NO_PYSPARK()) from None
        raise
    from kinlink.linkage.splink_engine import SplinkEngine

    return SparkEngine(master=master or DEFAULT_MASTER, conf=dict(conf or {}),
                       work_dir=work_dir, trainer=SplinkEngine(memory_limit=memory_limit))


@contextmanager
def chosen_engine(name: str = "duckdb", *, master: str | None = None,
                  conf: Mapping[str, str] | None = None,
                  memory_limit: str | None = MEMORY_LIMIT) -> Iterator[Engine]:
    """The engine called ``name`` (one of :data:`ENGINES`) for one command; a Spark
    session it started is stopped when the command is done."""
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r}")
    if name == "duckdb":
        yield default_engine(memory_limit=memory_limit)
        return
    engine = spark_engine(master=master, conf=conf, memory_limit=memory_limit)
    try:
        yield engine
    finally:
        close = getattr(engine, "close", None)
        if close is not None:
            close()


def level_for_gamma(comparison: Comparison, gamma: int) -> Level:
    """The level a comparison vector value stands for (Splink's numbering)."""
    if gamma < 0:
        return next(level for level in comparison.levels if level.null)
    scored = [level for level in comparison.levels if not level.null]
    return scored[len(scored) - 1 - gamma]
