"""The linkage engine on Splink 5 and Spark: the only module that imports pyspark.

It serves the same port as :mod:`.splink_engine` (Splink on DuckDB) with the same
:class:`~kinlink.linkage.spec.LinkageSpec` bound to Splink the same way (the settings,
the blocking plan and the result columns are that module's), so the pairs, the
explanations, the clusters and the files written from them do not depend on where the
scoring ran. What differs is only where the comparisons are made:

- **Features** are computed in Python as for DuckDB (the name engine is Python), then
  written to Parquet in a private run folder and read by Spark: a pre-pass, not a UDF.
- **Similarity functions** come from the jar Splink ships, given to the session as
  ``spark.jars`` (Splink's Spark documentation) and registered by ``SparkAPI``, except
  ``jaro_winkler``, the only one the specification uses: the jar computes it with Apache
  Commons Text, which scores some names up to 0.02 below DuckDB (``nesterenko`` /
  ``nasarenko`` 0.779 against 0.800, across a level's threshold), so the session's
  ``jaro_winkler`` is a pandas UDF (Arrow batches) over
  :func:`kinlink.linkage.levels.jaro_winkler`, DuckDB's definition to the last bit.
  Executors then run Python: on a cluster their Python needs ``kinlink[spark]``.
- **Lineage** is broken by writing Splink's intermediate tables to Parquet in the run's
  checkpoint folder (``break_lineage_method="parquet"``), not by ``persist``: a published
  50M-record run ran out of executor memory with ``persist`` and passed with Parquet.
- **Partitions** are sized from the data: the blocking plan counts the pairs each rule
  generates before anything runs (grouped counts), and the shuffle gets one partition per
  :data:`PAIRS_PER_PARTITION` of them (at least two per core), unless
  ``spark.sql.shuffle.partitions`` is given. Each input is spread over as many: at 10k a
  side Spark broadcasts the blocked pairs and compares while streaming the records, and
  a list's one Parquet file was one task doing every comparison on one core.
- **Local sessions** (``local[N]``) get :data:`LOCAL_MEMORY_PER_THREAD_GB` of heap per
  worker thread unless ``spark.driver.memory`` is given: their one JVM is the executor.
- **Training** is delegated to Splink on DuckDB on this machine (``trainer``): it reads
  bounded samples (``u_max_pairs``, ``em_max_pairs``) and runs one short Splink session
  per EM rule, which on Spark costs a job scheduling round per iteration for no gain;
  scoring every blocked pair is what needs the cluster. The model then also carries the
  DuckDB engine's description, which is where it was trained.

The run folder (features, checkpoints, result) is created private (``mkdtemp``: mode
0700) under ``work_dir`` and removed when the call returns, whatever happens: it holds
children's names. On a cluster ``work_dir`` must be a folder every executor sees at the
same path (a shared mount); Spark's own shuffle files go to ``spark.local.dir``.
"""

from __future__ import annotations

import logging
import math
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pyspark
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.pandas.functions import pandas_udf
from splink import Linker, SparkAPI
from splink.backends.spark import similarity_jar_location
from splink.internals.splink_dataframe import SplinkDataFrame

from kinlink.linkage.engine import Engine, Scored, Task
from kinlink.linkage.features import FeatureTable
from kinlink.linkage.levels import jaro_winkler
from kinlink.linkage.model import TrainedModel
from kinlink.linkage.spec import LinkageSpec
from kinlink.linkage.splink_engine import (
    SplinkEngine,
    _Blocking,
    _empty,
    _plan_blocking,
    _settings,
    _tf_columns,
)

__all__ = ["DEFAULT_MASTER", "PAIRS_PER_PARTITION", "SparkEngine", "local_memory",
           "shuffle_partitions"]

DEFAULT_MASTER = "local[*]"
"""Spark on this machine, one worker thread per core, unless a master URL is given."""

PAIRS_PER_PARTITION = 250_000
"""Blocked pairs per shuffle partition. A blocked pair carries both records' feature
columns (about 1 KB in Spark's rows), so a partition holds some 250 MB of comparisons
at most: well inside an executor's default 1 GB with room for the sort and the join."""

MAX_PARTITIONS = 20_000
"""Past this Spark's scheduler, not the comparisons, takes the time."""

LOCAL_MEMORY_PER_THREAD_GB = 2
"""Heap for each worker thread of a ``local[N]`` session, whose single JVM is driver and
executor at once: Spark's 1 GB default is one scoring task's share at most, and the
README asks for 2 GB per core on a cluster's executors too."""

_SIDES = ("side_left", "side_right")
_SHUFFLE = "spark.sql.shuffle.partitions"


def shuffle_partitions(pairs: int, cores: int) -> int:
    """Shuffle partitions for a run scoring ``pairs`` blocked pairs on ``cores`` cores:
    one per :data:`PAIRS_PER_PARTITION`, never fewer than two per core (every core busy,
    and a slow task does not hold the stage) nor more than :data:`MAX_PARTITIONS`."""
    by_size = math.ceil(max(pairs, 0) / PAIRS_PER_PARTITION)
    return max(2 * max(cores, 1), min(by_size, MAX_PARTITIONS))


def local_memory(master: str, cores: int | None = None, total_bytes: int | None = None) -> str:
    """``spark.driver.memory`` for a ``local`` master: :data:`LOCAL_MEMORY_PER_THREAD_GB`
    per worker thread (``local[*]``: per core), at most half of this machine's memory
    and never below Spark's 1 GB default."""
    cores = cores or os.cpu_count() or 1
    inside = master[master.find("[") + 1:master.find("]")] if "[" in master else "1"
    threads = cores if inside.strip() in ("*", "") else int(inside.split(",")[0])
    if total_bytes is None:
        total_bytes = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    half_gb = total_bytes // 2 // 2**30
    return f"{max(1, min(LOCAL_MEMORY_PER_THREAD_GB * threads, half_gb))}g"


def _count_blocked(spec: LinkageSpec, tables: Sequence[FeatureTable], task: Task) -> _Blocking:
    """The DuckDB engine's blocking plan (pairs per rule, wide rules over their cap left
    out), counted here on the feature tables already in memory: grouped counts, cheap."""
    con = duckdb.connect(":memory:")
    try:
        names = []
        for table, name in zip(tables, _SIDES, strict=False):
            con.register(name, table.arrow)
            names.append(name)
        return _plan_blocking(con, spec, names, task)
    finally:
        con.close()


@dataclass
class _Run:
    """One call's Splink session on Spark and its private folder."""

    spark: SparkSession
    api: SparkAPI
    folder: Path
    partitions: int = 1
    """Partitions each input table is spread over (the run's shuffle partitions)."""
    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    views: list[str] = field(default_factory=list)

    def register(self, table: FeatureTable, name: str) -> SplinkDataFrame:
        """``table`` as Splink's input ``name`` (its ``source_dataset``), under a view
        name of this run's own: a session serves many runs, and Splink refuses a name
        already taken."""
        view = f"{name}_{self.tag}"
        self.views.append(view)
        return self.api.register(self.frame(table, name), dataset_display_name=name,
                                 table_name=view)

    def frame(self, table: FeatureTable, name: str) -> DataFrame:
        """``table`` written to Parquet in the run folder and read by Spark, spread over
        :attr:`partitions`: a small file is read as one partition, and when Spark
        broadcasts the blocked pairs (a few million at most) the comparisons are made
        while streaming the records, so one task would otherwise make them all."""
        path = self.folder / "features" / f"{name}.parquet"
        path.parent.mkdir(exist_ok=True)
        pq.write_table(table.arrow, path)
        return self.spark.read.parquet(str(path)).repartition(self.partitions)

    def result(self, spec: LinkageSpec, table: str, task: Task, name: str) -> pa.Table:
        """Splink's scored pairs as the port's Arrow table (the DuckDB engine's columns
        and types), through Parquet: no result goes through the driver's JVM, whose
        ``spark.driver.maxResultSize`` (1 GB) millions of pairs would pass."""
        if task == "link":
            left = "CASE WHEN source_dataset_l = 'side_left' THEN uid_l ELSE uid_r END"
            right = "CASE WHEN source_dataset_l = 'side_left' THEN uid_r ELSE uid_l END"
        else:
            left, right = "least(uid_l, uid_r)", "greatest(uid_l, uid_r)"
        present = set(self.spark.table(table).columns)
        columns = [f"CAST({left} AS BIGINT) AS left_uid", f"CAST({right} AS BIGINT) AS right_uid",
                   "CAST(match_weight AS DOUBLE) AS match_weight",
                   "CAST(match_probability AS DOUBLE) AS match_probability",
                   "CAST(match_key AS STRING) AS match_key"]
        for comparison in spec.comparisons:
            cname = comparison.name
            tf = f"mw_tf_adj_{cname}"
            adjust = f" + coalesce({tf}, 0)" if tf in present else ""
            columns += [f"CAST(gamma_{cname} AS INT) AS gamma_{cname}",
                        f"CAST(mw_{cname}{adjust} AS DOUBLE) AS weight_{cname}"]
        # Identifiers come from the spec and from Splink, never from the records.
        query = f"SELECT {', '.join(columns)} FROM {table}"  # noqa: S608
        out = self.folder / name
        self.spark.sql(query).write.mode("overwrite").parquet(str(out))
        schema = _schema(spec)
        parts = sorted(out.glob("*.parquet"))
        if not parts:
            return schema.empty_table()
        return pa.concat_tables([pq.read_table(p).select(schema.names).cast(schema)
                                 for p in parts])


def _schema(spec: LinkageSpec) -> pa.Schema:
    """The scored pairs' columns: the DuckDB engine's, with Splink's ``match_key``."""
    fields = list(_empty(spec).schema)
    return pa.schema([*fields[:4], pa.field("match_key", pa.string()), *fields[4:]])


@dataclass
class SparkEngine:
    """Splink 5 on Spark: scoring on the cluster ``master``, training on this machine.

    ``conf`` is given to the session as it is (``spark.executor.memory``,
    ``spark.sql.shuffle.partitions``…: the README's "Running on a Spark cluster" says
    what to set); ``work_dir`` is where each run's private folder is made (the system's
    temporary folder by default). One Spark session serves every call until
    :meth:`close`.
    """

    master: str = DEFAULT_MASTER
    conf: Mapping[str, str] = field(default_factory=dict)
    work_dir: Path | None = None
    trainer: Engine = field(default_factory=SplinkEngine)
    """Where models are trained (and priors estimated): Splink on DuckDB by default."""
    quiet: bool = True
    _session: SparkSession | None = field(default=None, init=False, repr=False)

    @property
    def description(self) -> str:
        """Engine and versions (a model trained by :attr:`trainer` records its own)."""
        return f"splink {version('splink')} on spark {pyspark.__version__}"

    def session(self) -> SparkSession:
        """The Spark session, started on first use with Splink's similarity jar."""
        if self._session is None:
            builder = SparkSession.builder.master(self.master).appName("kinlink linkage")
            jars = [similarity_jar_location(), *filter(None, [self.conf.get("spark.jars")])]
            defaults = {"spark.ui.showConsoleProgress": "false",
                        "spark.sql.session.timeZone": "UTC"}
            if self.master.startswith("local"):
                defaults["spark.ui.enabled"] = "false"
                defaults["spark.driver.memory"] = local_memory(self.master)
            for key, value in (defaults | dict(self.conf)).items():
                builder = builder.config(key, value)
            builder = builder.config("spark.jars", ",".join(jars))
            self._session = builder.getOrCreate()
            if self.master.startswith("local") and "PYSPARK_PYTHON" not in os.environ:
                # Python UDFs (jaro_winkler) run in this Python, whose packages kinlink
                # needs, rather than the first ``python3`` on the PATH
                self._session.sparkContext.pythonExec = sys.executable
            if self.quiet:
                self._session.sparkContext.setLogLevel("ERROR")
                _quiet_codegen(self._session)
        return self._session

    def close(self) -> None:
        """Stop the Spark session (and, in local mode, its JVM's work)."""
        if self._session is not None:
            self._session.stop()
            self._session = None

    def __enter__(self) -> SparkEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- training: on this machine -------------------------------------------------------

    def train(self, spec: LinkageSpec, tables: Sequence[FeatureTable], task: Task,
              start: TrainedModel | None = None) -> TrainedModel:
        """The :attr:`trainer`'s model (see the module's reasons)."""
        return self.trainer.train(spec, tables, task, start)

    def estimate_prior(self, spec: LinkageSpec, model: TrainedModel,
                       tables: Sequence[FeatureTable], task: Task) -> TrainedModel:
        """The :attr:`trainer`'s estimate (grouped counts over the prior rules)."""
        return self.trainer.estimate_prior(spec, model, tables, task)

    # -- scoring: on Spark -----------------------------------------------------------------

    @contextmanager
    def _run(self, pairs: int) -> Iterator[_Run]:
        spark = self.session()
        folder = Path(tempfile.mkdtemp(prefix="kinlink-spark-", dir=self.work_dir))
        run: _Run | None = None
        try:
            spark.sparkContext.setCheckpointDir(str(folder / "checkpoints"))
            given = self.conf.get(_SHUFFLE)
            partitions = int(given) if given else shuffle_partitions(
                pairs, spark.sparkContext.defaultParallelism)
            spark.conf.set(_SHUFFLE, str(partitions))
            api = SparkAPI(  # type: ignore[no-untyped-call]
                spark_session=spark, break_lineage_method="parquet",
                num_partitions_on_repartition=partitions)
            _register_jaro_winkler(spark)  # over the jar's, which SparkAPI registered
            run = _Run(spark, api, folder, partitions)
            yield run
        finally:
            for view in run.views if run else ():
                spark.catalog.dropTempView(view)
            shutil.rmtree(folder, ignore_errors=True)

    def _linker(self, run: _Run, spec: LinkageSpec, tables: Sequence[FeatureTable],
                task: Task, model: TrainedModel, plan: _Blocking) -> Linker:
        inputs = [run.register(t, name) for t, name in zip(tables, _SIDES, strict=False)]
        settings = _settings(spec, task, model, plan.rules)
        return Linker(inputs if task == "link" else inputs[0], settings,
                      log_level=logging.ERROR if self.quiet else logging.INFO)

    def predict(self, spec: LinkageSpec, model: TrainedModel, tables: Sequence[FeatureTable],
                task: Task, threshold: float) -> Scored:
        """Score every blocked pair of ``tables`` at or above ``threshold`` on Spark."""
        plan = _count_blocked(spec, tables, task)
        with self._run(_planned(plan)) as run:
            linker = self._linker(run, spec, tables, task, model, plan)
            scored = linker.inference.predict(threshold_match_probability=threshold,
                                              warning_mode="never")
            pairs = run.result(spec, scored.physical_name, task, "pairs")
        return Scored(pairs, tuple(r.name for r in plan.rules), plan.skipped, plan.counts)

    def predict_new(self, spec: LinkageSpec, model: TrainedModel, existing: FeatureTable,
                    new: FeatureTable, threshold: float) -> Scored:
        """Pairs within ``new`` and between ``new`` and ``existing`` (as the DuckDB engine:
        term frequencies from both together), scored on Spark."""
        combined = FeatureTable(pa.concat_tables([existing.arrow, new.arrow]))
        plan = _count_blocked(spec, [combined], "dedupe")
        parts = []
        with self._run(_planned(plan)) as run:
            linker = self._linker(run, spec, [combined], "dedupe", model, plan)
            for column in _tf_columns(spec):
                linker.table_management.compute_tf_table(column)
            old_df = run.register(existing, "existing")
            new_df = run.register(new, "new")
            if len(new):
                within = linker.inference.predict_within(
                    new_df, threshold_match_probability=threshold, warning_mode="never")
                parts.append(run.result(spec, within.physical_name, "dedupe", "within"))
            if len(new) and len(existing):
                between = linker.inference.predict_between(
                    old_df, new_df, threshold_match_probability=threshold,
                    warning_mode="never")
                parts.append(run.result(spec, between.physical_name, "dedupe", "between"))
        pairs = pa.concat_tables(parts) if parts else _schema(spec).empty_table()
        return Scored(pairs, tuple(r.name for r in plan.rules), plan.skipped, plan.counts)


def _jaro_winkler_batch(left: pd.Series, right: pd.Series) -> pd.Series:
    """DuckDB's ``jaro_winkler_similarity`` over a batch of pairs (``NULL`` where either
    is ``NULL``). A batch of blocked pairs repeats the same names many times, so each
    distinct pair is computed once."""
    seen: dict[tuple[str, str], float] = {}
    out: list[float | None] = []
    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        if a is None or b is None:
            out.append(None)
            continue
        value = seen.get((a, b))
        if value is None:
            value = seen[a, b] = jaro_winkler(a, b)
        out.append(value)
    return pd.Series(out, dtype="float64")


def _register_jaro_winkler(spark: SparkSession) -> None:
    """The session's ``jaro_winkler`` (the name Splink's Spark dialect writes) as
    DuckDB computes it, in place of the jar's (see the module's reasons)."""
    # pyspark's stubs know only the deprecated ``functionType`` form, not type hints
    udf = pandas_udf(_jaro_winkler_batch, returnType="double")  # type: ignore[call-overload]
    spark.udf.register("jaro_winkler", udf)


def _quiet_codegen(spark: SparkSession) -> None:
    """Keep Spark's code generator from printing a Java stack trace for the comparison
    vector's CASE expressions, which outgrow a Java method's 64 KB: Spark then evaluates
    them without generated code (``spark.sql.codegen.fallback``, on by default), the same
    results, and says so at ERROR level although nothing failed."""
    jvm = spark.sparkContext._jvm
    if jvm is None:
        return
    level = jvm.org.apache.logging.log4j.Level.FATAL
    jvm.org.apache.logging.log4j.core.config.Configurator.setLevel(
        "org.apache.spark.sql.catalyst.expressions.codegen.CodeGenerator", level)


def _planned(plan: _Blocking) -> int:
    """Blocked pairs the rules a run uses generate (repeats across rules counted)."""
    return sum(n for name, n in plan.counts.items() if name not in plan.skipped)

