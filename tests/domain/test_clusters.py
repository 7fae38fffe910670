"""Clusters are rebuilt from links; a chain across a 'different' decision is a conflict."""

from __future__ import annotations

from kinlink.domain.clusters import build_clusters
from kinlink.domain.decisions import PairKey


def test_links_join_records_transitively_and_singletons_stay() -> None:
    clusters = build_clusters([1, 2, 3, 4, 5], [PairKey.of(2, 1), PairKey.of(3, 2)], [])
    assert [c.records for c in clusters] == [(1, 2, 3), (4,), (5,)]
    assert not any(c.in_conflict for c in clusters)


def test_a_chain_joining_records_decided_different_is_a_conflict() -> None:
    clusters = build_clusters([1, 2, 3], [PairKey.of(1, 2), PairKey.of(2, 3)],
                              [PairKey.of(3, 1)])
    assert clusters[0].records == (1, 2, 3)
    assert clusters[0].conflicts == (PairKey(1, 3),)


def test_different_pairs_in_separate_clusters_are_no_conflict() -> None:
    clusters = build_clusters([1, 2, 3], [PairKey.of(1, 2)], [PairKey.of(1, 3)])
    assert [c.in_conflict for c in clusters] == [False, False]


def test_pair_key_is_unordered() -> None:
    assert PairKey.of(7, 3) == PairKey.of(3, 7) == PairKey(3, 7)
