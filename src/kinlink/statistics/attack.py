"""The attacker: how much of each suppressed cell can be worked out from what is published.

For every suppressed cell of a release, :func:`attack` solves two linear programmes (the
least and the greatest value the cell can take) under everything a reader knows: each
published count as the interval its rounding allows (``[max(10, v - 2), v + 2]``), every
count non-negative, each table's cells adding up to its totals, the same figure (a
milestone's total) equal in every table that shows it, and, given the release before,
that every count is at least what it was then less a decrease, the decreases adding up to
no more than the published figures prove (none when they are consistent with growth:
:func:`~kinlink.statistics.protect.attacker_system`). A release is safe when every
interval is at least :data:`PROTECTION_WIDTH` wide.
"""

from __future__ import annotations

from dataclasses import dataclass

from kinlink.statistics.protect import PROTECTION_WIDTH, attacker_system, width
from kinlink.statistics.release import Release, published_layer
from kinlink.statistics.solver import ranges

__all__ = ["PROTECTION_WIDTH", "CellInterval", "attack", "narrowest", "too_narrow"]


@dataclass(frozen=True)
class CellInterval:
    """The values one suppressed cell can take: ``release`` says which release (its
    ``as_of``), ``table``, ``row`` and ``column`` which cell."""

    release: str
    table: str
    row: str
    column: str
    low: float
    high: float

    @property
    def width(self) -> float:
        """Whole counts between the ends (``inf`` if unbounded above)."""
        return width(self.low, self.high)


def attack(release: Release, previous: Release | None = None) -> list[CellInterval]:
    """The interval of every suppressed cell of ``release`` (and of ``previous``, whose
    cells the newer release may narrow), given every published figure of both.

    Every published figure is used, totals included; the attacker is told nothing of
    which suppressed cells are under 10 (the release does not say)."""
    layers = [published_layer(release, "current")]
    if previous is not None:
        layers.insert(0, published_layer(previous, "previous"))
    system, index, _ = attacker_system(layers)
    as_of = {"current": release.as_of.isoformat()}
    if previous is not None:
        as_of["previous"] = previous.as_of.isoformat()
    wanted: dict[int, tuple[str, str, str, str]] = {}
    for layer, rel in zip(layers, (previous, release) if previous else (release,),
                          strict=True):
        assert rel is not None
        for t in rel.tables:
            for (row, column), cell in t.cells.items():
                var = index[(layer.name, layer.layout.key[(t.code, (row, column))])]
                if cell.value is None and var not in wanted:
                    wanted[var] = (as_of[layer.name], t.code, row, column)
    bounds = ranges(system, list(wanted))
    return [CellInterval(*wanted[v], low=bounds[v][0], high=bounds[v][1]) for v in wanted]


def too_narrow(intervals: list[CellInterval]) -> list[CellInterval]:
    """The intervals the rule forbids: narrower than :data:`PROTECTION_WIDTH`."""
    return [i for i in intervals if i.width < PROTECTION_WIDTH]


def narrowest(intervals: list[CellInterval]) -> CellInterval | None:
    """The interval with the least width, ``None`` when nothing is suppressed."""
    return min(intervals, key=lambda i: i.width, default=None)
