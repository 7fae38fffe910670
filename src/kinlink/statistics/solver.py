"""Our port to the linear-programming solver: the only module that imports it.

Disclosure control asks one question many times: given linear equalities and
inequalities over non-negative counts with bounds, what is the least and the greatest value
one of them can take? :func:`ranges` answers it with HiGHS (MIT licence) through its
own Python binding, ``highspy``: the model is built once per connected part and only the
objective changes between questions, so each answer starts from the last one's basis
(``scipy.optimize.linprog`` runs the same HiGHS but rebuilds the model for every
question, 10-20 times slower here).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import highspy
import numpy as np

__all__ = ["LinearSystem", "SolverError", "ranges"]


@dataclass(frozen=True)
class LinearSystem:
    """Variables ``0 .. n-1`` with ``lower[i] <= x[i] <= upper[i]`` (``None``: no upper
    bound); each of ``equal`` says ``sum(coef * x[var]) == 0``, each of ``at_most`` says
    ``sum(coef * x[var]) <= 0``."""

    lower: tuple[float, ...]
    upper: tuple[float | None, ...]
    equal: tuple[tuple[tuple[int, float], ...], ...] = ()
    at_most: tuple[tuple[tuple[int, float], ...], ...] = ()


def ranges(system: LinearSystem, variables: Sequence[int], *,
           enough: float | None = None) -> dict[int, tuple[float, float]]:
    """For each of ``variables``, the least and greatest value it takes over the system's
    solutions (``inf`` when unbounded above).

    With ``enough``, a variable shown to vary by at least ``enough`` (two solutions found
    that far apart, by pushing all the open variables up, then down, together) gets those
    two values instead of its exact range: a sub-interval at least ``enough`` wide, which
    is all a check of a minimum width needs, for a few programmes instead of two per
    variable. The others are solved exactly.

    The system is cut into its connected parts first (variables that share no constraint
    cannot bound each other), so each question is asked of a small programme.
    """
    parts = _components(system)
    answers: dict[int, tuple[float, float]] = {}
    for part_vars in _group(variables, parts):
        answers.update(_solve_part(system, part_vars, parts, enough))
    return answers


class SolverError(RuntimeError):
    """The solver failed on a programme that has a solution (a bug, never the data)."""


def _components(system: LinearSystem) -> list[int]:
    parent = list(range(len(system.lower)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for row in (*system.equal, *system.at_most):
        first = find(row[0][0])
        for var, _ in row[1:]:
            other = find(var)
            if other != first:
                parent[other] = first
    return [find(i) for i in range(len(parent))]


def _group(variables: Sequence[int], parts: list[int]) -> list[list[int]]:
    groups: dict[int, list[int]] = {}
    for v in variables:
        groups.setdefault(parts[v], []).append(v)
    return list(groups.values())


def _solve_part(system: LinearSystem, targets: list[int], parts: list[int],
                enough: float | None) -> dict[int, tuple[float, float]]:
    root = parts[targets[0]]
    members = [i for i, p in enumerate(parts) if p == root]
    index = {v: k for k, v in enumerate(members)}
    h = highspy.Highs()  # type: ignore[no-untyped-call]  # the binding is untyped
    h.setOptionValue("output_flag", False)
    h.setOptionValue("simplex_strategy", 4)  # primal: a new objective keeps the basis
    inf = highspy.kHighsInf
    h.addVars(len(members), np.array([system.lower[v] for v in members], dtype=np.float64),
              np.array([inf if system.upper[v] is None else system.upper[v]
                        for v in members], dtype=np.float64))
    for rows, low in ((system.equal, 0.0), (system.at_most, -inf)):
        mine = [r for r in rows if parts[r[0][0]] == root]
        for r in mine:
            h.addRow(low, 0.0, len(r), np.array([index[v] for v, _ in r], dtype=np.int32),
                     np.array([c for _, c in r], dtype=np.float64))
    everything = np.arange(len(members), dtype=np.int32)

    def solve(costs: np.ndarray, sense: highspy.ObjSense) -> bool:
        h.changeColsCost(len(members), everything, costs)
        h.changeObjectiveSense(sense)
        h.run()
        status = h.getModelStatus()
        if status in (highspy.HighsModelStatus.kUnbounded,
                      highspy.HighsModelStatus.kUnboundedOrInfeasible) \
                and sense == highspy.ObjSense.kMaximize:
            return False  # only ever upwards: counts are >= 0
        if status != highspy.HighsModelStatus.kOptimal:
            raise SolverError(f"the solver stopped: {h.modelStatusToString(status)}")
        return True

    out: dict[int, tuple[float, float]] = {}
    open_ = list(targets)
    if enough is not None and len(open_) > 2:
        seen: dict[int, tuple[float, float]] = {}
        for sense in (highspy.ObjSense.kMaximize, highspy.ObjSense.kMinimize):
            costs = np.zeros(len(members))
            costs[[index[t] for t in open_]] = 1.0
            if not solve(costs, sense):
                break
            values = h.getSolution().col_value
            for t in open_:
                v = float(values[index[t]])
                low, high = seen.get(t, (v, v))
                seen[t] = (min(low, v), max(high, v))
            out.update({t: seen[t] for t in open_ if seen[t][1] - seen[t][0] >= enough})
            open_ = [t for t in open_ if t not in out]
    for target in open_:
        costs = np.zeros(len(members))
        costs[index[target]] = 1.0
        low = float(h.getInfo().objective_function_value) \
            if solve(costs, highspy.ObjSense.kMinimize) else 0.0
        high = float(h.getInfo().objective_function_value) \
            if solve(costs, highspy.ObjSense.kMaximize) else math.inf
        out[target] = (low, high)
    return out
