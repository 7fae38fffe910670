"""The default linkage engine bounds DuckDB's memory (issue 14: 1M × 1M under 8 GB).

Unbounded, DuckDB takes 80% of the machine for a large link; the default engine sets
:data:`~kinlink.linkage.engine.MEMORY_LIMIT` on every connection it opens, and a
bounded engine scores the same pairs as an unbounded one.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from kinlink.demo import generate_linkage_pair
from kinlink.linkage import default_engine, default_spec, side_from_records
from kinlink.linkage.engine import MEMORY_LIMIT
from kinlink.linkage.splink_engine import SplinkEngine
from kinlink.linkage.tasks import score
from kinlink.listfiles import read_list


def _limit(engine: SplinkEngine) -> int:
    """DuckDB's memory limit in bytes on a connection the engine configured."""
    con = duckdb.connect(":memory:")
    try:
        engine._configure(con)
        rows = con.execute("SELECT value FROM duckdb_settings() WHERE name = 'memory_limit'"
                           ).fetchall()
        text = str(rows[0][0])
        number, unit = text.split()
        scale = {"KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "KB": 10**3, "MB": 10**6,
                 "GB": 10**9}[unit]
        return int(float(number) * scale)
    finally:
        con.close()


def test_default_engine_bounds_duckdb_memory() -> None:
    engine = default_engine()
    assert isinstance(engine, SplinkEngine)
    assert engine.memory_limit == MEMORY_LIMIT
    assert abs(_limit(engine) - 3 * 10**9) < 0.1 * 3 * 10**9


def test_a_bounded_engine_scores_the_same_pairs(tmp_path: Path) -> None:
    left, right = tmp_path / "left.csv", tmp_path / "right.csv"
    generate_linkage_pair(left, right, 300, 11, tmp_path / "truth.csv")
    sides = [side_from_records(read_list(p).records(), display=False) for p in (left, right)]
    spec = default_spec()
    bounded = score(default_engine(memory_limit="200MB", temp_dir=tmp_path / "spill"),
                    spec, sides, "link")
    unbounded = score(default_engine(memory_limit=None), spec, sides, "link",
                      bounded.model)
    assert len(bounded) > 0

    def keyed(t: pa.Table) -> list[tuple[int, int, float, str]]:
        return sorted(zip(t["left_uid"].to_pylist(), t["right_uid"].to_pylist(),
                          pc.round(t["match_probability"], 9).to_pylist(),
                          t["decision"].to_pylist(), strict=True))

    assert keyed(bounded.table) == keyed(unbounded.table)
