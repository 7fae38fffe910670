"""Disclosure control of a release's figures: primary and secondary suppression.

Primary: every count under :data:`THRESHOLD` (zero included) is suppressed. Secondary:
the attacker's linear programme (:func:`system_of`, the same one :mod:`.attack` runs) is
solved for every suppressed cell; while some cell's interval is narrower than
:data:`PROTECTION_WIDTH`, the smallest published figure tied to it (through a total, the
same figure in another table, the reported count it cannot exceed, or the same figure in
the previous release) is suppressed too, and the unprotected cells are checked again.
Suppressing a figure only widens every interval (its bounds are dropped), so a cell once
protected stays protected and the loop ends — except that, after counts went down, it
may also lower the least decrease the attacker allows (:func:`attacker_system`); then
every suppressed cell is looked at once more at the end, and the loop goes on while any
is too narrow (each round suppresses one more figure, so it still ends). It is a greedy
heuristic, not the optimal
pattern (tau-Argus's modular method is closer to optimal); its result is always checked
by the same attacker, so it may lose more information than needed but never protects
less than the rule.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from kinlink.statistics.solver import LinearSystem, ranges
from kinlink.statistics.tables import Layout

__all__ = ["DECREASE", "PROTECTION_WIDTH", "ROUNDING_BASE", "THRESHOLD", "Layer", "Outcome",
           "Reason", "attacker_system", "interval_of", "protect", "rounded", "system_of",
           "width"]

THRESHOLD = 10
"""No published count below this (zero included): ``docs/statistics.md``."""

ROUNDING_BASE = 5
"""Published counts are rounded to the nearest multiple of this."""

PROTECTION_WIDTH = 10
"""The rule (``docs/statistics.md``): the attacker's interval for a suppressed cell must be
at least this wide (in whole counts), so a count under 10 can be neither told apart from
one of 10 or more nor pinned down."""

_SLACK = 1e-6


class Reason(StrEnum):
    """Why disclosure control suppressed a cell (for the preparer only)."""

    PRIMARY = "primary"
    """The count is under 10 (zero included)."""
    SECONDARY = "secondary"
    """The count is 10 or more, hidden so that a suppressed cell cannot be worked out."""


def rounded(count: int) -> int:
    """``count`` rounded to the nearest multiple of :data:`ROUNDING_BASE` (5: never a
    tie)."""
    return ROUNDING_BASE * ((count + ROUNDING_BASE // 2) // ROUNDING_BASE)


def interval_of(published: int) -> tuple[float, float]:
    """The true counts a published (rounded) figure can stand for: within half the
    rounding base, and never under the threshold (smaller counts are not published)."""
    half = ROUNDING_BASE // 2
    return float(max(THRESHOLD, published - half)), float(published + half)


def width(low: float, high: float) -> float:
    """How many whole counts apart the interval's ends are (``inf`` if unbounded)."""
    if math.isinf(high):
        return math.inf
    return math.floor(high + _SLACK) - math.ceil(low - _SLACK)


@dataclass(frozen=True)
class Layer:
    """What a reader knows of one release: its layout and each figure's published value
    (``None``: suppressed). ``name`` tells layers apart (``"previous"``, ``"current"``)."""

    name: str
    layout: Layout
    published: Mapping[str, int | None]


DECREASE = ("growth", "decrease")
"""The index key of the variable holding the total decrease between two layers."""

_BUDGET_MARGIN = 1e-5
"""How far above the least total decrease the budget is set (the solver's tolerance)."""


def system_of(layers: Sequence[Layer]) -> tuple[LinearSystem, dict[tuple[str, str], int]]:
    """The attacker's linear system over ``layers`` (oldest first) and the variable of
    each ``(layer name, figure key)``: published figures within their rounding interval,
    suppressed ones non-negative, each group adding up, each nested figure at most its
    reported count, and each figure at least what it was in the layer before less a
    decrease of its own (non-negative). The decreases add up to the variable
    :data:`DECREASE` (when there are two layers), unbounded here: :func:`attacker_system`
    bounds it."""
    index: dict[tuple[str, str], int] = {}
    lower: list[float] = []
    upper: list[float | None] = []
    equal: list[tuple[tuple[int, float], ...]] = []
    at_most: list[tuple[tuple[int, float], ...]] = []
    for layer in layers:
        for key in layer.layout.figures():
            index[(layer.name, key)] = len(lower)
            value = layer.published.get(key)
            if value is None:
                lower.append(0.0)
                upper.append(None)
            else:
                low, high = interval_of(value)
                lower.append(low)
                upper.append(high)
        var = {k: index[(layer.name, k)] for k in layer.layout.figures()}
        for total, members in layer.layout.groups:
            equal.append(((var[total], 1.0), *((var[m], -1.0) for m in members)))
        for small, large in layer.layout.at_most:
            at_most.append(((var[small], 1.0), (var[large], -1.0)))
    decreases: list[int] = []
    for older, newer in itertools.pairwise(layers):
        for key in older.layout.figures():
            if (newer.name, key) in index:
                decreases.append(len(lower))
                lower.append(0.0)
                upper.append(None)
                at_most.append(((index[(older.name, key)], 1.0),
                                (index[(newer.name, key)], -1.0), (decreases[-1], -1.0)))
    if decreases:
        index[DECREASE] = len(lower)
        lower.append(0.0)
        upper.append(None)
        equal.append(((index[DECREASE], 1.0), *((d, -1.0) for d in decreases)))
    return LinearSystem(tuple(lower), tuple(upper), tuple(equal), tuple(at_most)), index


def attacker_system(layers: Sequence[Layer]
                    ) -> tuple[LinearSystem, dict[tuple[str, str], int], float]:
    """:func:`system_of` with what the attacker assumes of growth (``docs/statistics.md``):
    the figures' decreases from one layer to the next add up to no more than the least
    total the published figures allow — none when they are consistent with growth (then
    every figure is at least what it was), and only as much as they prove otherwise (a
    case stepped back, was withdrawn or erased). Also returns that least total."""
    system, index = system_of(layers)
    if DECREASE not in index:
        return system, index, 0.0
    budget = index[DECREASE]
    least = ranges(system, [budget])[budget][0]
    bounded = list(system.upper)
    bounded[budget] = least + _BUDGET_MARGIN
    return dataclasses.replace(system, upper=tuple(bounded)), index, least


@dataclass(frozen=True)
class Outcome:
    """The suppressed figures of the current release and why; ``unprotected`` lists any
    suppressed figure (``(layer name, key)``) that no further suppression could protect
    (never expected: a test fails on it)."""

    reasons: Mapping[str, Reason]
    solver_seconds: float
    unprotected: tuple[tuple[str, str], ...] = ()


def _neighbours(layout: Layout) -> dict[str, set[str]]:
    near: dict[str, set[str]] = {k: set() for k in layout.figures()}
    for total, members in layout.groups:
        for k in (total, *members):
            near[k].update((total, *members))
    for small, large in layout.at_most:
        near[small].add(large)
        near[large].add(small)
    for k, ks in near.items():
        ks.discard(k)
    return near


def _candidate(start: str, near: Mapping[str, set[str]], suppressed: Mapping[str, Reason],
               values: Mapping[str, int], totals: frozenset[str]) -> str | None:
    """The published figure to suppress for a cell still too narrow: the nearest ones
    through suppressed figures, members before totals, the smallest count first."""
    if start not in near:
        return None
    if start not in suppressed:
        return start
    seen, frontier = {start}, [start]
    while frontier:
        found: set[str] = set()
        following: list[str] = []
        for k in frontier:
            for n in near[k]:
                if n in seen:
                    continue
                seen.add(n)
                if n in suppressed:
                    following.append(n)
                else:
                    found.add(n)
        if found:
            return min(found, key=lambda k: (k in totals, values[k], k))
        frontier = following
    return None


def protect(layout: Layout, values: Mapping[str, int],
            previous: Layer | None = None) -> Outcome:
    """Suppress figures of a release (true counts ``values`` by key, laid out as
    ``layout``) until the attacker, knowing ``previous`` too, narrows no suppressed
    figure of either release below :data:`PROTECTION_WIDTH`."""
    suppressed: dict[str, Reason] = {k: Reason.PRIMARY for k, v in values.items()
                                     if v < THRESHOLD}
    near = _neighbours(layout)
    check = {("current", k) for k in suppressed}
    if previous is not None:
        check |= {("previous", k) for k, v in previous.published.items() if v is None}
    seconds = 0.0
    unprotected: list[tuple[str, str]] = []
    everything = shrank = False
    while True:
        current = Layer("current", layout, {k: None if k in suppressed else rounded(v)
                                            for k, v in values.items()})
        layers = [previous, current] if previous is not None else [current]
        started = time.perf_counter()
        system, index, decrease = attacker_system(layers)
        shrank = shrank or decrease > 0
        if everything:
            # A suppression may have lowered the least decrease, and so narrowed a cell
            # checked before: look at them all once more.
            check = {("current", k) for k in suppressed} | {
                ("previous", k) for k, v in (previous.published.items()
                                             if previous is not None else ()) if v is None}
            check -= set(unprotected)
        bounds = ranges(system, [index[c] for c in check], enough=PROTECTION_WIDTH + 1) \
            if check else {}
        seconds += time.perf_counter() - started
        bad = sorted(c for c in check if width(*bounds[index[c]]) < PROTECTION_WIDTH)
        added: set[str] = set()
        for name, key in bad:
            found = _candidate(key, near, suppressed, values, layout.totals)
            if found is None:
                unprotected.append((name, key))
            else:
                added.add(found)
        for key in added:
            suppressed[key] = Reason.SECONDARY
        if not added:
            if everything or not shrank:
                break
            everything = True  # the decrease was lowered on the way: look at them all
            continue
        everything = False
        check = {c for c in bad if c not in unprotected} | {("current", k) for k in added}
    return Outcome(reasons=suppressed, solver_seconds=seconds,
                   unprotected=tuple(unprotected))
