"""The Spark engine scores what the DuckDB engine scores (issue 20), on Spark ``local[2]``.

Real pyspark and a real Java runtime (``make test`` installs ``kinlink[spark]`` and runs
scripts/ensure-java): generated lists, one model trained on them, both engines scoring
with it. The pairs must be the same (at least 99.9% of either engine's), the match
probabilities within 1e-6 where both score a pair, and the levels the explanations are
made of identical; the session's ``jaro_winkler`` must be DuckDB's to the last bit. The
figures at 10k are in benchmarks/README.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from kinlink.cli import app
from kinlink.demo import generate_linkage_pair
from kinlink.errors import ConfigurationError
from kinlink.linkage import (
    FeatureTable,
    LinkageSpec,
    Scored,
    TrainedModel,
    default_engine,
    default_spec,
    side_from_records,
    spark_engine,
)
from kinlink.linkage.spark_engine import (
    MAX_PARTITIONS,
    SparkEngine,
    local_memory,
    shuffle_partitions,
)
from kinlink.listfiles import read_list

pytestmark = [
    pytest.mark.slow,
    # py4j leaves the sockets of Spark's gateway to the garbage collector
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings(
        "ignore:Exception ignored in. <socket.socket:pytest.PytestUnraisableExceptionWarning"),
]
ROWS = 300
THRESHOLD = 0.01
SMALL = {"spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"}
"""A JVM for a few minutes' work on tiny tables: the client compiler only (the optimising
one spends more CPU compiling than its code saves here) and the serial garbage collector.
It changes how Java runs Spark's code, not what the code computes (the figures are in
benchmarks/README.md, *The same specification on Spark*)."""


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkEngine]:
    engine = SparkEngine(master="local[2]", conf=SMALL)
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def lists(tmp_path_factory: pytest.TempPathFactory) -> list[FeatureTable]:
    folder = tmp_path_factory.mktemp("spark-lists")
    generate_linkage_pair(folder / "left.csv", folder / "right.csv", ROWS, 23,
                          folder / "truth.csv")
    return [side_from_records(read_list(folder / f"{name}.csv").records(),
                              display=False).features for name in ("left", "right")]


@pytest.fixture(scope="module")
def trained(spark: SparkEngine, lists: list[FeatureTable]) -> tuple[LinkageSpec, TrainedModel]:
    spec = default_spec()
    return spec, spark.train(spec, lists, "link")


def _by_pair(scored: Scored) -> dict[tuple[int, int], dict[str, object]]:
    return {(row["left_uid"], row["right_uid"]): row for row in scored.pairs.to_pylist()}


def _assert_agree(spec: LinkageSpec, duck: Scored, spark: Scored) -> None:
    ours, theirs = _by_pair(duck), _by_pair(spark)
    assert len(ours) > 50
    both = ours.keys() & theirs.keys()
    assert len(both) / len(ours.keys() | theirs.keys()) >= 0.999
    for key in both:
        assert abs(float(ours[key]["match_probability"])  # type: ignore[arg-type]
                   - float(theirs[key]["match_probability"])) <= 1e-6  # type: ignore[arg-type]
        for comparison in spec.comparisons:
            assert ours[key][f"gamma_{comparison.name}"] == \
                theirs[key][f"gamma_{comparison.name}"], (key, comparison.name)
    assert spark.pairs.schema == duck.pairs.schema
    assert spark.used == duck.used
    assert spark.blocked == duck.blocked


def test_training_runs_on_duckdb_on_this_machine(trained: tuple[LinkageSpec, TrainedModel]
                                                  ) -> None:
    _spec, model = trained
    assert "duckdb" in model.engine


def test_spark_links_the_pairs_duckdb_links_and_removes_its_run_folder(
        spark: SparkEngine, lists: list[FeatureTable], trained: tuple[LinkageSpec, TrainedModel],
        tmp_path: Path) -> None:
    """The agreement, and the run folder holding the records' features gone afterwards
    (one Spark run proves both: each costs a minute on two cores)."""
    spec, model = trained
    engine = SparkEngine(master="local[2]", work_dir=tmp_path)
    engine._session = spark.session()  # the module's session: no second JVM start
    duck = default_engine().predict(spec, model, lists, "link", THRESHOLD)
    _assert_agree(spec, duck, engine.predict(spec, model, lists, "link", THRESHOLD))
    assert list(tmp_path.iterdir()) == []


def test_spark_scores_new_records_as_duckdb_does(spark: SparkEngine,
                                                lists: list[FeatureTable],
                                                trained: tuple[LinkageSpec, TrainedModel]
                                                ) -> None:
    """``kinlink match``'s incremental scoring: new records against themselves and the
    store, never the store against itself."""
    spec, model = trained
    existing, new = lists
    offset = FeatureTable(new.arrow.set_column(
        0, "uid", pa.array([uid + ROWS * 10 for uid in new.arrow["uid"].to_pylist()],
                           pa.int64())))
    duck = default_engine().predict_new(spec, model, existing, offset, THRESHOLD)
    ours = spark.predict_new(spec, model, existing, offset, THRESHOLD)
    _assert_agree(spec, duck, ours)


def test_spark_jaro_winkler_is_duckdbs(spark: SparkEngine, lists: list[FeatureTable]) -> None:
    """The session's ``jaro_winkler`` in a run is DuckDB's to the last bit, not the jar's
    (Apache Commons Text gives nesterenko / nasarenko 0.779, DuckDB 0.800)."""
    names = sorted({name for table in lists for column in ("surname_skel", "given_key")
                    for name in table.arrow[column].to_pylist() if name})
    pairs: list[tuple[str | None, str | None]] = [
        (a, b) for a, b in zip(names, names[1:] + names[:1], strict=True)]
    pairs += [(a, b) for a in names[:60] for b in names[-60:]]
    pairs += [("nesterenko", "nasarenko"), ("akimenko", "artiuwenko"), ("babiuk", "babenko"),
              ("", ""), ("", "a"), ("шевченко", "shevchenko"), (None, "a"), ("a", None)]
    with duckdb.connect() as con:
        ours = [row[0] for row in con.execute(
            "SELECT jaro_winkler_similarity(a, b) FROM (SELECT unnest(?) AS a, unnest(?) AS b)",
            [[a for a, _ in pairs], [b for _, b in pairs]]).fetchall()]
    with spark._run(len(pairs)):
        frame = spark.session().createDataFrame(
            [(i, a, b) for i, (a, b) in enumerate(pairs)], "i INT, a STRING, b STRING")
        frame.createOrReplaceTempView("jw_pairs")
        rows = spark.session().sql(
            "SELECT i, jaro_winkler(a, b) AS j FROM jw_pairs ORDER BY i").collect()
    assert len(pairs) > 3000
    assert [row["j"] for row in rows] == ours
    assert ours[-1] is None
    assert ours[pairs.index(("nesterenko", "nasarenko"))] >= 0.8


def test_partitions_are_sized_from_the_blocked_pairs() -> None:
    assert shuffle_partitions(0, 2) == 4
    assert shuffle_partitions(38_000_000, 2) == 152
    assert shuffle_partitions(10**13, 64) == MAX_PARTITIONS


def test_each_input_is_spread_over_the_runs_partitions(spark: SparkEngine,
                                                      lists: list[FeatureTable]) -> None:
    """A small list is one Parquet file, which Spark reads as one partition; when the
    blocked pairs are broadcast the comparisons are made while streaming the records, so
    they are spread over the run's partitions to keep every core busy."""
    with spark._run(2_000_000) as run:
        frame = run.frame(lists[0], "spread")
        assert run.partitions == shuffle_partitions(
            2_000_000, spark.session().sparkContext.defaultParallelism) == 8
        assert frame.rdd.getNumPartitions() == run.partitions
        assert frame.count() == ROWS


def test_a_local_session_gets_two_gigabytes_a_thread(spark: SparkEngine) -> None:
    """One JVM is driver and executor at once in ``local[N]``: Spark's 1 GB is raised to
    2 GB per worker thread, at most half the machine's memory."""
    assert spark.session().conf.get("spark.driver.memory") == local_memory("local[2]")
    assert local_memory("local[2]", cores=16, total_bytes=64 * 2**30) == "4g"
    assert local_memory("local[*]", cores=8, total_bytes=64 * 2**30) == "16g"
    assert local_memory("local", cores=8, total_bytes=64 * 2**30) == "2g"
    assert local_memory("local[4,3]", cores=8, total_bytes=64 * 2**30) == "8g"
    assert local_memory("local[*]", cores=64, total_bytes=8 * 2**30) == "4g"
    assert local_memory("local[2]", cores=2, total_bytes=2**30) == "1g"


def test_without_java_the_spark_engine_is_refused_in_words(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JAVA_HOME", str(tmp_path))
    with pytest.raises(ConfigurationError) as refused:
        spark_engine()
    assert refused.value.message is not None
    assert refused.value.message.code == "linkage.engine.no_java"


@pytest.mark.parametrize(("args", "says"), [
    (["--spark-conf", "spark.executor.memory=8g"], "need --engine spark"),
    (["--engine", "spark", "--spark-conf", "no-equals-sign"], "setting 1 is not KEY=VALUE"),
])
def test_spark_options_are_checked_before_anything_runs(tmp_path: Path, args: list[str],
                                                        says: str) -> None:
    result = CliRunner().invoke(app, ["link", str(tmp_path / "l.csv"), str(tmp_path / "r.csv"),
                                      "-o", str(tmp_path / "out.csv"), *args])
    assert result.exit_code == 2
    assert says in result.output
    assert not (tmp_path / "out.csv").exists()
