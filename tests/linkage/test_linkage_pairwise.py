"""Pairs scored in this process come out as the Splink engine scores them: the same
level for every comparison, the same weights (term frequencies included), the same
probabilities."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pyarrow as pa
import pytest

from kinlink.demo import generate_linkage_pair
from kinlink.linkage import default_engine, default_spec, packaged_model, side_from_records
from kinlink.linkage.engine import level_for_gamma
from kinlink.linkage.pairwise import every_pair, score_pairs
from kinlink.linkage.spec import BlockingRule
from kinlink.listfiles import read_list

pytestmark = pytest.mark.slow


def _by_pair(table: pa.Table) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = table.sort_by(
        [("left_uid", "ascending"), ("right_uid", "ascending")]).to_pylist()
    return rows


def test_pairwise_scores_are_the_engines(tmp_path: Path) -> None:
    generate_linkage_pair(tmp_path / "l.csv", tmp_path / "r.csv", 150, 11, tmp_path / "t.csv")
    left = side_from_records(list(read_list(tmp_path / "l.csv").records())[:40])
    right = side_from_records(read_list(tmp_path / "r.csv").records())
    spec, model = default_spec(), packaged_model()
    assert model is not None
    every = dataclasses.replace(spec, blocking=(BlockingRule("every_pair", ()),))
    engine = default_engine().predict(every, model, [left.features, right.features], "link",
                                      1e-300).pairs
    ours = score_pairs(spec, model, left.features, right.features,
                       every_pair(len(left), len(right)))
    assert ours.num_rows == engine.num_rows == len(left) * len(right)
    for theirs, mine in zip(_by_pair(engine), _by_pair(ours), strict=True):
        for column, value in mine.items():
            if isinstance(value, float):
                assert value == pytest.approx(theirs[column], rel=1e-9, abs=1e-12), column
            else:
                assert value == theirs[column], column
    # The lists exercise what could differ: empty values, term frequencies, typos.
    comparison = spec.comparison("given_name")
    given = {level_for_gamma(comparison, g).name for g in ours["gamma_given_name"].to_pylist()}
    assert {"same", "diminutive", "different"} <= given
    assert -1 in set(ours["gamma_birth_place"].to_pylist())
    assert len(set(ours["gamma_birth_date"].to_pylist())) >= 5


def test_only_the_chosen_pairs_are_scored(tmp_path: Path) -> None:
    generate_linkage_pair(tmp_path / "l.csv", tmp_path / "r.csv", 20, 3, tmp_path / "t.csv")
    left = side_from_records(read_list(tmp_path / "l.csv").records())
    right = side_from_records(read_list(tmp_path / "r.csv").records())
    spec, model = default_spec(), packaged_model()
    assert model is not None
    chosen = [(0, 2), (3, 1)]
    scored = score_pairs(spec, model, left.features, right.features, chosen)
    assert list(zip(scored["left_uid"].to_pylist(), scored["right_uid"].to_pylist(),
                    strict=True)) == chosen
    probabilities = scored["match_probability"].to_pylist()
    assert all(0.0 < p < 1.0 for p in probabilities)
