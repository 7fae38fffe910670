"""Which level of a comparison two feature rows fall into, decided in Python.

The engine decides levels in SQL (:mod:`kinlink.linkage.splink_engine` renders each
:data:`~kinlink.linkage.spec.Predicate` for DuckDB); whatever shows a person a level
without running the engine — ``kinlink names explain``, search — decides it here, with
the same semantics, so that what a person is shown is what a pair would score:

- SQL's three-valued logic: a comparison with an empty (``None``) value is *unknown*,
  not false; ``Not`` of unknown is unknown, ``AllOf``/``AnyOf`` follow Kleene's tables
  (false wins an AND, true wins an OR), and a level applies only when its predicate is
  true. ``Null`` itself is never unknown: the column is empty on either side.
- ``Exact`` and ``CrossEqual`` are ``=`` (``CrossEqual`` in the one direction the engine
  renders: the left record's ``left`` column against the right record's ``right``);
  ``Overlap`` is an array intersection of at least one element, empty elements ignored;
  ``Within`` is ``abs(a - b) <= distance``; ``Either`` is ``a OR b``.
- ``Similar`` is DuckDB's ``jaro_winkler_similarity`` (:func:`jaro_winkler`), which
  works on code points, gives 0 for two empty strings and rounds Winkler's prefix step
  once (a fused multiply-add). Comparing against the threshold as DuckDB does, on the
  double it computes, keeps even exact ties (a Jaro–Winkler of exactly 0.88) on the
  engine's side of the line.

A feature row is a mapping of every feature column to its value for one record, as
:class:`~kinlink.linkage.features.FeatureBuilder` computes it (``None`` for empty); any
column a predicate names must be in it, as it must be in the engine's table.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from rapidfuzz.distance import JaroWinkler

from kinlink.linkage.spec import (
    AllOf,
    AnyOf,
    Comparison,
    CrossEqual,
    Either,
    Exact,
    Level,
    Not,
    Null,
    Overlap,
    Predicate,
    Similar,
    Within,
)

__all__ = ["Row", "holds", "jaro_winkler", "level_of", "level_tests"]

Row = Mapping[str, Any]
"""The feature columns of one record."""

_PREFIX_MAX = 4
_PREFIX_WEIGHT = 0.1
_BOOST_ABOVE = 0.7
_BUILT_MAX = 1024
_HAIR = 1e-9
"""Far more than the last-bit differences between two roundings of one similarity."""


def level_of(comparison: Comparison, left: Row, right: Row) -> Level:
    """The first level of ``comparison`` whose predicate holds for the pair (the last,
    catch-all level when none does), as the engine's ``CASE WHEN`` picks it."""
    for level, test in _tests(comparison):
        if test is None or test(left, right) is True:
            return level
    raise ValueError(f"no level of {comparison.name} holds and it has no catch-all level")


def level_tests(comparison: Comparison) -> tuple[tuple[Level, Callable[[Row, Row],
                                                                      bool | None] | None], ...]:
    """Each level of ``comparison`` with its predicate as a function of the two rows
    (``None`` for the catch-all level), in order: what :func:`level_of` runs, for a
    caller that runs part of them (built once per comparison)."""
    return _tests(comparison)


def holds(predicate: Predicate, left: Row, right: Row) -> bool | None:
    """Whether ``predicate`` holds for the pair: ``True``, ``False`` or ``None`` for SQL's
    unknown (a value compared with an empty one)."""
    return _test(predicate)(left, right)


_Test = Callable[[Row, Row], bool | None]


_Tests = tuple[tuple[Level, _Test | None], ...]
_BUILT: dict[int, tuple[Comparison, _Tests]] = {}
"""Built tests by the comparison's identity (hashing a comparison costs microseconds);
the comparison is kept with them, so its identity is not reused while they are."""


def _tests(comparison: Comparison) -> _Tests:
    """Each level with its predicate as a function, built once per comparison."""
    built = _BUILT.get(id(comparison))
    if built is None or built[0] is not comparison:
        if len(_BUILT) >= _BUILT_MAX:
            _BUILT.clear()
        built = _BUILT[id(comparison)] = (comparison, tuple(
            (level, None if level.when is None else _test(level.when))
            for level in comparison.levels))
    return built[1]


def _test(predicate: Predicate) -> _Test:
    """``predicate`` as a function of the two rows (see :func:`holds`)."""
    match predicate:
        case Null(column):
            return lambda left, right: left[column] is None or right[column] is None
        case Exact(column):
            return lambda left, right: _equal(left[column], right[column])
        case CrossEqual(left_column, right_column):
            return lambda left, right: _equal(left[left_column], right[right_column])
        case Overlap(column):
            return lambda left, right: _overlap(left[column], right[column])
        case Similar(column, threshold):
            return lambda left, right: _similar(left[column], right[column], threshold)
        case Within(column, distance):
            return lambda left, right: _within(left[column], right[column], distance)
        case Either(column):
            return lambda left, right: _any((left[column], right[column]))
        case AllOf(parts):
            return _kleene(tuple(_test(p) for p in parts), decisive=False)
        case AnyOf(parts):
            return _kleene(tuple(_test(p) for p in parts), decisive=True)
        case Not(part):
            inner = _test(part)
            return lambda left, right: _not(inner(left, right))
    raise TypeError(f"unknown predicate {predicate!r}")


def _not(value: bool | None) -> bool | None:
    return None if value is None else not value


def _within(a: Any, b: Any, distance: int) -> bool | None:
    return None if a is None or b is None else abs(a - b) <= distance


def _equal(a: Any, b: Any) -> bool | None:
    return None if a is None or b is None else bool(a == b)


def _overlap(a: Any, b: Any) -> bool | None:
    if a is None or b is None:
        return None
    other = {item for item in b if item is not None}
    return any(item in other for item in a if item is not None)


def _kleene(tests: tuple[_Test, ...], decisive: bool) -> _Test:
    """Kleene AND (``decisive=False``: the first false decides) or OR (``True``: the
    first true decides) of ``tests``; else unknown if any part is, else the other value.
    A loop, not a generator: search decides tens of thousands of levels a second."""
    def test(left: Row, right: Row) -> bool | None:
        unknown = False
        for part in tests:
            value = part(left, right)
            if value is decisive:
                return decisive
            unknown |= value is None
        return None if unknown else not decisive
    return test


def _any(values: Iterable[bool | None]) -> bool | None:
    """Kleene OR: true if any part is true, else unknown if any is unknown."""
    unknown = False
    for value in values:
        if value is True:
            return True
        unknown |= value is None
    return None if unknown else False


# -- Jaro–Winkler as DuckDB computes it --------------------------------------------------


def _similar(a: str | None, b: str | None, threshold: float) -> bool | None:
    """``jaro_winkler(a, b) >= threshold``, quickly: rapidfuzz's Jaro–Winkler is the
    same algorithm in C++ and differs from DuckDB's by at most a rounding, so only a
    value within a hair of the threshold is computed again, exactly."""
    if a is None or b is None:
        return None
    fast = float(JaroWinkler.similarity(a, b)) if a or b else 0.0
    if abs(fast - threshold) > _HAIR:
        return fast >= threshold
    return jaro_winkler(a, b) >= threshold


def _fused(x: float, y: float, z: float) -> float:
    """``x * y + z`` rounded once, as a fused multiply-add does: exact in integers (a
    float is a ratio of integers), then one correctly rounded division."""
    (xn, xd), (yn, yd), (zn, zd) = (x.as_integer_ratio(), y.as_integer_ratio(),
                                    z.as_integer_ratio())
    return (xn * yn * zd + zn * xd * yd) / (xd * yd * zd)


_fma: Callable[[float, float, float], float] = getattr(math, "fma", _fused)
"""``math.fma`` from Python 3.13 on; the exact integer computation before."""


def _matches(a: str, b: str) -> tuple[int, int]:
    """Jaro's matching characters of ``a`` and ``b`` (each taken once, within half the
    longer length less one of its position) and half the transposed ones among them."""
    window = max(max(len(a), len(b)) // 2 - 1, 0)
    taken = [False] * len(b)
    matched_a: list[str] = []
    for i, char in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not taken[j] and b[j] == char:
                taken[j] = True
                matched_a.append(char)
                break
    matched_b = [char for j, char in enumerate(b) if taken[j]]
    transposed = sum(x != y for x, y in zip(matched_a, matched_b, strict=True))
    return len(matched_a), transposed // 2


def jaro_winkler(a: str, b: str) -> float:
    """DuckDB's ``jaro_winkler_similarity(a, b)``, to the last bit.

    Jaro's similarity on code points, summed in DuckDB's order; above 0.7, Winkler's
    bonus for a common prefix (at most four characters, 0.1 each) is added with a
    single rounding, as DuckDB's build does. Two empty strings give 0, as in DuckDB.
    """
    common, transpositions = _matches(a, b)
    if not common:
        return 0.0
    sim = 0.0
    sim += common / len(a)
    sim += common / len(b)
    sim += (common - transpositions) / common
    sim /= 3.0
    if sim <= _BOOST_ABOVE:
        return sim
    prefix = 0
    for x, y in zip(a[:_PREFIX_MAX], b[:_PREFIX_MAX], strict=False):
        if x != y:
            break
        prefix += 1
    return _fma(prefix * _PREFIX_WEIGHT, 1.0 - sim, sim)
