"""The model's scores against people's decisions, counted in the store (SQLite and
PostgreSQL, real matcher)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from kinlink.demo.generator import DemoConfig, generate
from kinlink.domain.access import Actor
from kinlink.domain.decisions import DecisionVerdict
from kinlink.domain.records import Role, SourceKind
from kinlink.domain.users import UserRole
from kinlink.ingest import ImportRequest, import_file
from kinlink.matching.store import match_store
from kinlink.reports import check_scores
from kinlink.reports.scores import EDGES, wilson
from kinlink.storage import Store
from kinlink.storage.linkage import LinkageRepository
from kinlink.usecases.review import decide_pair

WORKER = Actor("olena", UserRole.CASE_WORKER)


def test_wilson_interval_matches_the_textbook_values() -> None:
    assert wilson(0, 0) is None
    eight = wilson(8, 10)
    assert eight is not None
    assert eight.value == 0.8
    assert math.isclose(eight.low, 0.4902, abs_tol=1e-4)
    assert math.isclose(eight.high, 0.9433, abs_tol=1e-4)
    every = wilson(10, 10)
    assert every is not None
    assert every.high == 1.0
    assert math.isclose(every.low, 0.7225, abs_tol=1e-4)
    none = wilson(0, 50)
    assert none is not None
    assert none.low == 0.0
    assert 0.06 < none.high < 0.08


def _band(probability: float) -> int:
    return max(i for i, edge in enumerate(EDGES) if probability >= edge)


@pytest.mark.slow
def test_bands_count_pairs_and_the_verdicts_in_force(store: Store, tmp_path: Path) -> None:
    files = {f.path.name: f for f in generate(tmp_path, DemoConfig(children=120, seed=7))}
    for name in ("family_reports.csv", "adoption_registry.csv"):
        item = files[name]
        import_file(store, ImportRequest(path=item.path, imported_by="tester",
                                         kind=SourceKind(item.kind), role=Role(item.role)))
    result = match_store(store, actor="tester")
    with store.transaction() as session:
        repo = LinkageRepository(session)
        matches = [(p.record_low, p.record_high, p.match_probability)
                   for p in repo.pairs("match")]
        reviews = [(p.record_low, p.record_high, p.match_probability)
                   for p in repo.pairs("review")]
    assert len(matches) >= 2
    assert len(reviews) >= 4
    decided = {
        matches[0]: DecisionVerdict.SAME, matches[1]: DecisionVerdict.DIFFERENT,
        reviews[0]: DecisionVerdict.SAME, reviews[1]: DecisionVerdict.DIFFERENT,
        reviews[2]: DecisionVerdict.UNSURE,
    }
    for (low, high, _p), verdict in decided.items():
        decide_pair(store, WORKER, low, high, verdict, None)
    # A decision taken back by a newer one: only the newer counts.
    decide_pair(store, WORKER, reviews[3][0], reviews[3][1], DecisionVerdict.DIFFERENT, None)
    decide_pair(store, WORKER, reviews[3][0], reviews[3][1], DecisionVerdict.SAME, "second look")
    decided[reviews[3]] = DecisionVerdict.SAME

    check = check_scores(store)
    assert sum(band.pairs for band in check.bands) == result.pairs
    assert check.automatic == len(matches) == result.matches
    assert (check.automatic_confirmed, check.automatic_reversed) == (1, 1)
    expected: dict[tuple[int, str], int] = {}
    for (_low, _high, p), verdict in decided.items():
        key = (_band(p), verdict.value)
        expected[key] = expected.get(key, 0) + 1
    for i, band in enumerate(check.bands):
        assert band.same == expected.get((i, "same"), 0)
        assert band.different == expected.get((i, "different"), 0)
        assert band.unsure == expected.get((i, "unsure"), 0)
        assert band.undecided == band.pairs - band.same - band.different
    data = check.as_dict()
    assert data["automatic_reversed"] == 1
    assert data["reversed_share"]["value"] == 0.5
