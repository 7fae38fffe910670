"""Our port to the linear-programming solver: the only module that imports it.

Disclosure control asks one question many times: given linear equalities and
inequalities over non-negative counts with bounds, what is the least and the greatest value
one of them can take? :func:`ranges` answers it with HiGHS through
``scipy.optimize.linprog`` (BSD-3-Clause; HiGHS is MIT).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["LinearSystem", "ranges"]


@dataclass(frozen=True)
class LinearSystem:
    """Variables ``0 .. n-1`` with ``lower[i] <= x[i] <= upper[i]`` (``None``: no upper
    bound); each of ``equal`` says ``sum(coef * x[var]) == 0``, each of ``at_most`` says
    ``sum(coef * x[var]) <= 0``."""

    lower: tuple[float, ...]
    upper: tuple[float | None, ...]
    equal: tuple[tuple[tuple[int, float], ...], ...] = ()
    at_most: tuple[tuple[tuple[int, float], ...], ...] = ()


def ranges(system: LinearSystem, variables: Sequence[int]) -> dict[int, tuple[float, float]]:
    """For each of ``variables``, the least and greatest value it takes over the system's
    solutions (``inf`` when unbounded above)."""
    raise NotImplementedError
