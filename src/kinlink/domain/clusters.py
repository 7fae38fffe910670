"""Children as clusters of records, rebuilt from links every time, never edited.

Edges are the pairs a person decided ``same`` and the automatic ``match`` links a person
has not reversed. Records joined by edges (directly or through a chain) are one child.
A cluster that contains two records a person decided are *different* is a conflict: it
is reported with the offending pair, for a person to resolve, instead of being merged
silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kinlink.domain.decisions import PairKey

__all__ = ["Cluster", "build_clusters"]


@dataclass(frozen=True)
class Cluster:
    """The records of one child, and the conflicts inside it (pairs decided different)."""

    records: tuple[int, ...]
    conflicts: tuple[PairKey, ...] = ()

    @property
    def in_conflict(self) -> bool:
        """True when a chain of links joins two records a person said are different."""
        return bool(self.conflicts)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, item: int) -> int:
        self.parent.setdefault(item, item)
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


def build_clusters(records: Iterable[int], links: Iterable[PairKey],
                   different: Iterable[PairKey]) -> list[Cluster]:
    """Clusters of ``records`` joined by ``links``, with ``different`` pairs as conflicts.

    Every record appears in exactly one cluster (a record with no link is a cluster of
    one). Clusters are ordered by their smallest record id.
    """
    forest = _UnionFind()
    for record in records:
        forest.find(record)
    for link in links:
        forest.union(link.low, link.high)
    members: dict[int, list[int]] = {}
    for record in forest.parent:
        members.setdefault(forest.find(record), []).append(record)
    conflicts: dict[int, list[PairKey]] = {}
    for pair in different:
        known = pair.low in forest.parent and pair.high in forest.parent
        if known and forest.find(pair.low) == forest.find(pair.high):
            conflicts.setdefault(forest.find(pair.low), []).append(pair)
    return [Cluster(tuple(sorted(members[root])), tuple(sorted(conflicts.get(root, []))))
            for root in sorted(members)]
