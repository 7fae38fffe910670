"""Score chosen pairs in this process: one child against a few thousand records.

The linkage engine (:mod:`kinlink.linkage.engine`) generates pairs by blocking and scores
them in a database engine, which pays off for whole lists and costs a second of start-up
for one child. :func:`score_pairs` applies the same :class:`~kinlink.linkage.spec.
LinkageSpec` and :class:`~kinlink.linkage.model.TrainedModel` to pairs chosen by the
caller, in Python, and returns the engine's result table (``left_uid``, ``right_uid``,
``match_weight``, ``match_probability``, ``gamma_c``, ``weight_c``), so vetoes,
decisions and explanations (:func:`~kinlink.linkage.tasks.finish`,
:func:`~kinlink.linkage.tasks.explanations`) work on it unchanged; :func:`score_rows`
gives the same as one dict per pair, from feature rows, without Arrow (whose first
table built from Python values loads pandas: half a second for one child).

It computes what the Splink engine computes (tests/linkage compare the two on generated
lists): the levels as :mod:`kinlink.linkage.levels` reads the spec's predicates (SQL's
three-valued logic, DuckDB's Jaro–Winkler), each level's weight log2(m/u), and
term-frequency adjustments:
a level with a ``tf_column`` adds log2(u / tf), u being its own u and tf the larger
share of the two records' values among the non-empty values of both tables (a common
name agreeing weighs less than a rare one).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import Any

import pyarrow as pa

from kinlink.linkage.features import COLUMNS, FeatureTable
from kinlink.linkage.levels import level_of, level_tests
from kinlink.linkage.model import TrainedModel
from kinlink.linkage.spec import (
    Comparison,
    LinkageSpec,
    predicate_columns,
)

__all__ = ["Frequencies", "Row", "VectorScorer", "every_pair", "level_vectors", "score_pairs",
           "score_rows"]

Row = dict[str, Any]


def leveller(comparison: Comparison) -> Callable[[Row, Row], int]:
    """A function giving the comparison's level for a pair in the engine's numbering:
    -1 for the null level, then n-1 for the first scored level down to 0 for the last.
    The level itself is decided by :func:`kinlink.linkage.levels.level_of`, the one
    Python reading of the spec's predicates."""
    scored = [level for level in comparison.levels if not level.null]
    gammas = {level.name: -1 if level.null else len(scored) - 1 - scored.index(level)
              for level in comparison.levels}

    def gamma_of(left: Row, right: Row) -> int:
        return gammas[level_of(comparison, left, right).name]
    return gamma_of


def _term_frequencies(spec: LinkageSpec, rows: Sequence[Row]) -> dict[str, dict[Any, float]]:
    """For each term-frequency column: each value's share among the non-empty values."""
    columns = {level.tf_column for c in spec.comparisons for level in c.levels
               if level.tf_column}
    shares: dict[str, dict[Any, float]] = {}
    for column in sorted(columns):
        counts = Counter(row[column] for row in rows if row[column] is not None)
        total = sum(counts.values())
        shares[column] = {value: n / total for value, n in counts.items()}
    return shares


class _Weights:
    """Each comparison's levels (in gamma order) with their weights and tf baselines."""

    def __init__(self, spec: LinkageSpec, model: TrainedModel) -> None:
        self.by_gamma: dict[str, dict[int, tuple[float, str | None, float | None]]] = {}
        for comparison in spec.comparisons:
            learned = model.levels.get(comparison.name, {})
            scored = [level for level in comparison.levels if not level.null]
            table: dict[int, tuple[float, str | None, float | None]] = {-1: (0.0, None, None)}
            for position, level in enumerate(scored):
                parameters = learned.get(level.name)
                weight = parameters.weight if parameters else 0.0
                u = parameters.u if parameters else None
                table[len(scored) - 1 - position] = (
                    weight, level.tf_column if level.when is not None else None, u)
            self.by_gamma[comparison.name] = table


_UNKNOWN = -2
"""No level yet (levels run from -1 up)."""


def _reads_lists(comparison: Comparison) -> bool:
    """Whether the comparison reads a list column (not usable as a key as it is)."""
    return any(COLUMNS.get(column, "").startswith("list")
               for column in comparison.columns())


def _hashable(value: Any) -> Any:
    """A feature value as a dictionary key (a list column as a tuple)."""
    return tuple(value) if isinstance(value, list) else value


def every_pair(left: int, right: int) -> list[tuple[int, int]]:
    """Every (left uid, right uid) of two tables of ``left`` and ``right`` records."""
    return [(i, j) for i in range(left) for j in range(right)]


PER_RECORD = frozenset({"name_pair"})
"""Feature columns whose value is all but unique to a record (its given name and surname
together): a level remembered by them is never met again."""

_Test = Callable[[Row, Row], bool | None]


class _Segmented:
    """A comparison that reads a :data:`PER_RECORD` column, levelled in runs: the
    levels before (and after) those that read it are remembered by the columns they
    read alone, and the few that read it are tested for every pair. A child's window
    holds a few hundred given names and surnames but a distinct name pair per record,
    so remembering whole comparisons by every column missed for almost every record
    (the given name and family name comparisons: two thirds of the levels computed for
    a child's window at 100k records, issue 15). The level is the first that holds, as
    :func:`~kinlink.linkage.levels.level_of` gives it."""

    def __init__(self, comparison: Comparison) -> None:
        scored = [level for level in comparison.levels if not level.null]
        runs: list[tuple[bool, list[tuple[int, _Test | None]], list[str]]] = []
        for level, test in level_tests(comparison):
            columns = predicate_columns(level.when) if level.when is not None else ()
            gamma = -1 if level.null else len(scored) - 1 - scored.index(level)
            direct = bool(PER_RECORD.intersection(columns))
            if not runs or runs[-1][0] != direct or direct:
                runs.append((direct, [], []))
            runs[-1][1].append((gamma, test))
            runs[-1][2].extend(c for c in columns if c not in runs[-1][2])
        self._runs: list[tuple[tuple[tuple[int, _Test | None], ...], tuple[str, ...], bool,
                               dict[tuple[Any, ...], int] | None]] = [
            (tuple(tests), tuple(columns),
             any(COLUMNS.get(c, "").startswith("list") for c in columns),
             None if direct else {})
            for direct, tests, columns in runs]

    def gamma(self, i: int, left: Row, right: Row) -> int:
        """The level of left row ``i`` (``left``) against ``right``, engine-numbered."""
        for tests, columns, lists, known in self._runs:
            if known is None:
                for gamma, test in tests:
                    if test is None or test(left, right) is True:
                        return gamma
                continue
            key = (i, *[_hashable(right[c]) if lists else right[c] for c in columns])
            found: int = known.get(key, _UNKNOWN)
            if found == _UNKNOWN:
                found = known[key] = next(
                    (gamma for gamma, test in tests
                     if test is None or test(left, right) is True), _NONE)
            if found != _NONE:
                return found
        raise ValueError("no level holds and the comparison has no catch-all level")


_NONE = -3
"""No level of a run holds (the next run decides)."""


Frequencies = Mapping[str, Mapping[Any, float]]
"""For a term-frequency column, each value's share among the non-empty values."""


def level_vectors(spec: LinkageSpec, left: Sequence[Row], right: Sequence[Row],
                  pairs: Sequence[tuple[int, int]]) -> list[tuple[int, ...]]:
    """Each pair's comparison vector: the level of every comparison of the spec, in the
    engine's numbering (see :func:`leveller`), by position in ``pairs``.

    A level depends only on the columns its comparison reads, so each left record's
    level for each right value met before is remembered: one child against thousands of
    records meets the same names and dates again and again (on the 100k casework store,
    three in ten levels of a child's window are computed, issue 15). A comparison that
    reads a :data:`PER_RECORD` column is remembered run by run instead
    (:class:`_Segmented`)."""
    known: list[dict[tuple[Any, ...], int]] = [{} for _ in spec.comparisons]
    levels = [(leveller(comparison), comparison.columns(),
               itemgetter(*comparison.columns()), _reads_lists(comparison), known[n],
               _Segmented(comparison) if PER_RECORD.intersection(comparison.columns())
               else None)
              for n, comparison in enumerate(spec.comparisons)]
    vectors: list[tuple[int, ...]] = []
    for i, j in pairs:
        a, b = left[i], right[j]
        vector: list[int] = []
        for gamma_of, columns, read, lists, levels_known, segmented in levels:
            if segmented is not None:
                vector.append(segmented.gamma(i, a, b))
                continue
            key = (i, *[_hashable(b[column]) for column in columns]) if lists else (
                i, read(b))
            value = levels_known.get(key, _UNKNOWN)
            if value == _UNKNOWN:
                value = levels_known[key] = gamma_of(a, b)
            vector.append(value)
        vectors.append(tuple(vector))
    return vectors


class VectorScorer:
    """A comparison vector's weights, total and probability without term frequencies,
    as :func:`score_rows` gives them (the same additions in the same order): the
    vectors of one child's candidates repeat, and each is scored once."""

    def __init__(self, spec: LinkageSpec, model: TrainedModel) -> None:
        self._names = [(f"gamma_{c.name}", f"weight_{c.name}", c.name)
                       for c in spec.comparisons]
        self._weights = _Weights(spec, model)
        self._prior = math.log2(model.prior / (1 - model.prior))

    def weight(self, vector: tuple[int, ...]) -> float:
        """The match weight of a pair with this vector."""
        total = self._prior
        for (_gamma, _weight, name), value in zip(self._names, vector, strict=True):
            total += self._weights.by_gamma[name][value][0]
        return total

    def row(self, vector: tuple[int, ...], left_uid: int, right_uid: int) -> Row:
        """The engine's result row of a pair with this vector (as :func:`score_rows`
        without term frequencies)."""
        row: Row = {"left_uid": left_uid, "right_uid": right_uid}
        total = self._prior
        for (gamma, weight_column, name), value in zip(self._names, vector, strict=True):
            weight = self._weights.by_gamma[name][value][0]
            row[gamma] = value
            row[weight_column] = weight
            total += weight
        row["match_weight"] = total
        row["match_probability"] = _probability(total)
        return row


def score_rows(spec: LinkageSpec, model: TrainedModel, left: Sequence[Row],
               right: Sequence[Row], pairs: Sequence[tuple[int, int]], *,
               frequencies: Frequencies | None = None) -> list[Row]:
    """One row of the engine's result per pair of ``pairs`` (positions in ``left`` and
    ``right``, feature rows as :meth:`FeatureBuilder.finish_rows
    <kinlink.linkage.features.FeatureBuilder.finish_rows>` gives them). Term
    frequencies are measured on the two tables, as the engine does, unless given
    (a column without them gets the level's own weight)."""
    tf = _term_frequencies(spec, [*left, *right]) if frequencies is None else frequencies
    weights = _Weights(spec, model)
    prior = math.log2(model.prior / (1 - model.prior))
    names = [(c.name, f"gamma_{c.name}", f"weight_{c.name}") for c in spec.comparisons]
    scored: list[Row] = []
    for (i, j), vector in zip(pairs, level_vectors(spec, left, right, pairs), strict=True):
        a, b = left[i], right[j]
        total = prior
        row: Row = {"left_uid": i, "right_uid": j}
        for (name, gamma_column, weight_column), value in zip(names, vector, strict=True):
            weight, tf_column, u = weights.by_gamma[name][value]
            if tf_column is not None and u and tf_column in tf:
                shares = tf[tf_column]
                share_a, share_b = shares.get(a[tf_column]), shares.get(b[tf_column])
                if share_a is not None or share_b is not None:
                    weight += math.log2(u) - math.log2(max(share_a or 0.0, share_b or 0.0))
            row[gamma_column] = value
            row[weight_column] = weight
            total += weight
        row["match_weight"] = total
        row["match_probability"] = _probability(total)
        scored.append(row)
    return scored


def score_pairs(spec: LinkageSpec, model: TrainedModel, left: FeatureTable,
                right: FeatureTable, pairs: Sequence[tuple[int, int]]) -> pa.Table:
    """The engine's result table for ``pairs`` (left uid, right uid) of two tables."""
    return pa.Table.from_pylist(
        score_rows(spec, model, left.arrow.to_pylist(), right.arrow.to_pylist(), pairs),
        schema=_schema(spec))


def _probability(weight: float) -> float:
    if weight > 1000:
        return 1.0
    odds: float = 2.0 ** weight
    return odds / (1.0 + odds)


def _schema(spec: LinkageSpec) -> pa.Schema:
    fields = [("left_uid", pa.int64()), ("right_uid", pa.int64()),
              ("match_weight", pa.float64()), ("match_probability", pa.float64())]
    for comparison in spec.comparisons:
        fields += [(f"gamma_{comparison.name}", pa.int32()),
                   (f"weight_{comparison.name}", pa.float64())]
    return pa.schema(fields)
