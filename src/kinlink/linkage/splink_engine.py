"""The linkage engine on Splink 5 and DuckDB: the only module that imports either.

It binds kinlink's backend-neutral :class:`~kinlink.linkage.spec.LinkageSpec` to Splink:
each spec predicate becomes a Splink comparison level (Splink renders it in the
backend's SQL dialect), each blocking rule a Splink blocking rule, and a
:class:`~kinlink.linkage.model.TrainedModel` the m, u and prior of Splink's settings.
Splink's API churn stops here: a Spark engine would implement the same four methods
with ``SparkAPI`` in place of ``DuckDBAPI``.

Results come back as an Arrow table with one row per scored pair: ``left_uid``,
``right_uid``, ``match_weight``, ``match_probability`` and, per comparison ``c``,
``gamma_c`` (the level's index, Splink's comparison vector value; -1 for the null
level) and ``weight_c`` (the level's weight, term-frequency adjustment included).
"""

from __future__ import annotations

import logging
import math
import statistics
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import splink.blocking_rule_library as brl
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator
from splink.internals.exceptions import EMTrainingException

from kinlink.linkage.engine import Scored, Task
from kinlink.linkage.features import FeatureTable
from kinlink.linkage.model import LevelParameters, TrainedModel
from kinlink.linkage.spec import (
    AllOf,
    AnyOf,
    BlockingRule,
    Comparison,
    CrossEqual,
    Either,
    EmRule,
    Exact,
    Level,
    LinkageSpec,
    Not,
    Null,
    Overlap,
    Predicate,
    Similar,
    Within,
)

__all__ = ["SplinkEngine"]

_SIDES = ("side_left", "side_right")

# -- spec → Splink --------------------------------------------------------------------


def _null_sql(column: str) -> str:
    return f"({column}_l IS NULL OR {column}_r IS NULL)"


def _creator(predicate: Predicate) -> ComparisonLevelCreator:
    """A Splink comparison level that holds exactly when ``predicate`` does."""
    match predicate:
        case Null(column):
            return cll.CustomLevel(_null_sql(column))
        case Exact(column):
            return cll.ExactMatchLevel(column)
        case CrossEqual(left, right):
            return cll.CustomLevel(f"{left}_l = {right}_r")
        case Overlap(column):
            return cll.ArrayIntersectLevel(column, min_intersection=1)
        case Similar(column, threshold):
            return cll.JaroWinklerLevel(column, threshold)
        case Within(column, distance):
            return cll.AbsoluteDifferenceLevel(column, distance)
        case Either(column):
            return cll.CustomLevel(f"({column}_l OR {column}_r)")
        case AllOf(parts):
            return cll.And(*(_creator(p) for p in parts))
        case AnyOf(parts):
            return cll.Or(*(_creator(p) for p in parts))
        case Not(part):
            return cll.Not(_creator(part))
    raise TypeError(f"unknown predicate {predicate!r}")


def _level(level: Level, parameters: LevelParameters | None, fix_m: bool = False
           ) -> ComparisonLevelCreator:
    creator = cll.ElseLevel() if level.when is None else _creator(level.when)
    options: dict[str, Any] = {"label_for_charts": level.name, "is_null_level": level.null}
    if fix_m and parameters is not None and not level.null:
        options["fix_m_probability"] = True
    if level.tf_column:
        options["tf_adjustment_column"] = level.tf_column
        if level.when != Exact(level.tf_column):  # the level's own u is the baseline
            options["disable_tf_exact_match_detection"] = True
    if parameters is not None and not level.null:
        options["m_probability"] = parameters.m
        options["u_probability"] = parameters.u
    return creator.configure(**options)


def _comparison(comparison: Comparison, model: TrainedModel | None, fix_m: bool = False
                ) -> ComparisonCreator:
    learned = model.levels.get(comparison.name, {}) if model else {}
    levels: list[ComparisonLevelCreator | dict[str, Any]] = [
        _level(level, learned.get(level.name), fix_m) for level in comparison.levels]
    return cl.CustomComparison(levels, output_column_name=comparison.name,
                               comparison_description=comparison.title)


def _blocking(rule: BlockingRule) -> BlockingRuleCreator:
    if not rule.on and not rule.cross:
        return brl.CustomRule("1 = 1")  # every pair: for a small set chosen beforehand
    if not rule.cross:
        return block_on(*rule.on)
    conditions = [f"l.{c} = r.{c}" for c in rule.on]
    conditions += [f"l.{left} = r.{right}" for left, right in rule.cross]
    return brl.CustomRule(" AND ".join(conditions))


def _em_blocking(spec: LinkageSpec, em: EmRule) -> BlockingRuleCreator:
    """The EM rule, with an always-true condition naming a column of each comparison
    it implies: Splink leaves comparisons whose columns the rule reads untrained."""
    conditions = [f"l.{c} = r.{c}" for c in em.rule.on]
    conditions += [f"l.{left} = r.{right}" for left, right in em.rule.cross]
    for name in em.implies:
        column = spec.comparison(name).columns()[0]
        conditions.append(f"(l.{column} IS NULL OR l.{column} IS NOT NULL)")
    return brl.CustomRule(" AND ".join(conditions))


def _settings(spec: LinkageSpec, task: Task, model: TrainedModel | None,
              rules: Sequence[BlockingRule], fixed: frozenset[str] = frozenset()
              ) -> SettingsCreator:
    return SettingsCreator(
        link_type="link_only" if task == "link" else "dedupe_only",
        comparisons=[_comparison(c, model, c.name in fixed) for c in spec.comparisons],
        blocking_rules_to_generate_predictions=[_blocking(r) for r in rules],
        probability_two_random_records_match=model.prior if model else 0.0001,
        unique_id_column_name="uid",
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
    )


# -- Splink → model ---------------------------------------------------------------------


def _parameters(spec: LinkageSpec, settings: dict[str, Any], floor: float) -> TrainedModel:
    """Prior, m and u from Splink's saved settings, kept off zero by ``floor``."""
    by_name = {c["output_column_name"]: c for c in settings["comparisons"]}
    levels: dict[str, dict[str, LevelParameters]] = {}
    for comparison in spec.comparisons:
        saved = {lv["label_for_charts"]: lv for lv in by_name[comparison.name]["comparison_levels"]}
        levels[comparison.name] = {
            level.name: LevelParameters(None, None) if level.null else LevelParameters(
                _floored(saved[level.name].get("m_probability"), floor),
                _floored(saved[level.name].get("u_probability"), floor))
            for level in comparison.levels}
    prior = float(settings["probability_two_random_records_match"])
    return TrainedModel(spec.version, spec.model_digest(), prior, levels)


def _trained_by(spec: LinkageSpec, em: EmRule) -> list[str]:
    """The comparisons an EM rule trains: those reading none of its columns (Splink's
    own test), the columns of the comparisons it implies included."""
    columns = set(em.rule.on) | {c for pair in em.rule.cross for c in pair}
    columns |= {spec.comparison(name).columns()[0] for name in em.implies}
    return [c.name for c in spec.comparisons if not columns & set(c.columns())]


def _with_levels(model: TrainedModel, levels: dict[str, dict[str, LevelParameters]]
                 ) -> TrainedModel:
    """``model`` with some comparisons' levels replaced."""
    return TrainedModel(model.spec_version, model.spec_digest, model.prior,
                        model.levels | levels)


def _median(base: dict[str, LevelParameters], rounds: list[dict[str, LevelParameters]]
            ) -> dict[str, LevelParameters]:
    """Each level's m as the median over the rounds that trained it (u from ``base``)."""
    if not rounds:
        return base
    return {name: LevelParameters(None if p.m is None else statistics.median(
                r[name].m or 0.0 for r in rounds), p.u)
            for name, p in base.items()}


def _with_minimums(comparison: Comparison, learned: dict[str, LevelParameters]
                   ) -> dict[str, LevelParameters]:
    """Raise m to each level's ``min_m`` and scale the other levels' m to sum to one.

    Scaling the others down can take another floored level below its floor (one learned
    at its floor exactly, as a level these lists never show keeps the packaged model's
    value): it is raised too, until none is below."""
    raised: set[str] = set()
    scale = 1.0
    while True:
        below = {lv.name for lv in comparison.levels
                 if lv.min_m is not None and lv.name not in raised
                 and (learned[lv.name].m or 0.0) * scale < lv.min_m}
        if not below:
            break
        raised |= below
        fixed = sum(comparison.level(name).min_m or 0.0 for name in raised)
        rest = sum(p.m or 0.0 for name, p in learned.items() if name not in raised)
        scale = (1.0 - fixed) / rest if rest else 0.0
    if not raised:
        return learned
    return {name: (LevelParameters(comparison.level(name).min_m, p.u) if name in raised
                   else LevelParameters(None if p.m is None else p.m * scale, p.u))
            for name, p in learned.items()}


def _underflowed(exc: BaseException) -> str | None:
    """The comparison whose m Splink refused as underflowed, named in the frame that
    raised (Splink says only the value); ``None`` if no frame names one."""
    found = None
    trace = exc.__traceback__
    while trace is not None:
        name = trace.tb_frame.f_locals.get("output_column_name")
        found = name if isinstance(name, str) else found
        trace = trace.tb_next
    return found


def _floored(value: Any, floor: float) -> float:
    if value is None or not isinstance(value, int | float) or math.isnan(value):
        return floor
    return max(float(value), floor)


@dataclass
class SplinkEngine:
    """Splink 5 on an embedded DuckDB; one connection per call, nothing kept between.

    ``threads`` and ``memory_limit`` (e.g. ``"6GB"``) bound DuckDB; ``temp_dir`` is where
    it may spill to disk when a large run needs more than the memory limit.
    """

    threads: int | None = None
    memory_limit: str | None = None
    temp_dir: Path | None = None
    quiet: bool = True
    """Keep Splink's narration of every step off the terminal (kinlink reports progress)."""

    @property
    def description(self) -> str:
        """Engine and versions, recorded with every trained model."""
        return f"splink {version('splink')} on duckdb {duckdb.__version__}"

    @contextmanager
    def _linker(self, spec: LinkageSpec, tables: Sequence[FeatureTable], task: Task,
                model: TrainedModel | None, *, guard: bool = False,
                fixed: frozenset[str] = frozenset()
                ) -> Iterator[tuple[Linker, DuckDBAPI, _Blocking]]:
        con = duckdb.connect(":memory:")
        try:
            self._configure(con)
            db_api = DuckDBAPI(connection=con)
            inputs = [db_api.register(t.arrow, dataset_display_name=name)
                      for t, name in zip(tables, _SIDES, strict=False)]
            names = [i.physical_name for i in inputs]
            blocking = _plan_blocking(con, spec, names, task) if guard else _Blocking(
                spec.blocking, (), {})
            settings = _settings(spec, task, model, blocking.rules, fixed)
            linker = Linker(inputs if task == "link" else inputs[0], settings,
                            log_level=logging.ERROR if self.quiet else logging.INFO)
            yield linker, db_api, blocking
        finally:
            con.close()

    def _configure(self, con: duckdb.DuckDBPyConnection) -> None:
        con.execute("SET preserve_insertion_order = false")
        if self.threads:
            con.execute(f"SET threads = {int(self.threads)}")
        if self.memory_limit:
            con.execute("SET memory_limit = ?", [self.memory_limit])
        if self.temp_dir:
            con.execute("SET temp_directory = ?", [str(self.temp_dir)])

    # -- training ----------------------------------------------------------------------

    def train(self, spec: LinkageSpec, tables: Sequence[FeatureTable], task: Task,
              start: TrainedModel | None = None) -> TrainedModel:
        """Learn prior, u and m from ``tables`` themselves (unsupervised).

        The prior comes from pairs agreeing on the spec's prior rules, u from random
        pairs, m from one round of expectation maximisation per EM rule, each round in
        a fresh Splink session starting from the m learned so far (at first ``start``'s,
        the packaged model) and training the comparisons its blocking leaves free; a
        comparison trained in several rounds gets the median, as Splink does. A round
        that fails on these data (Splink refuses an m that underflows to zero, which
        happens on small or lopsided lists, or the round's blocking finds no pair, as in
        lists without birthplaces) is recorded and leaves the starting values.
        """
        training = spec.training
        with self._linker(spec, tables, task, start) as (linker, _db, _rules):
            self._estimate_prior(linker, spec)
            linker.training.estimate_u_using_random_sampling(
                max_pairs=training.u_max_pairs, seed=training.seed)
            base = _parameters(spec, linker.misc.save_model_to_json(), training.m_floor)
        learned: dict[str, list[dict[str, LevelParameters]]] = {}
        rounds: dict[str, str] = {}
        current = base
        for em in training.em_rules:
            rounds[em.rule.name] = self._em_round(spec, tables, task, current, em, learned)
            current = _with_levels(current, {name: _median(base.levels[name], found)
                                             for name, found in learned.items()})
        levels = {name: _with_minimums(spec.comparison(name), current.levels[name])
                  for name in base.levels}
        return TrainedModel(
            spec.version, spec.model_digest(), base.prior, levels,
            {"task": task, "records": [len(t) for t in tables], "em_rounds": rounds,
             "started_from": start.version if start else None}, self.description)

    def _em_round(self, spec: LinkageSpec, tables: Sequence[FeatureTable], task: Task,
                  base: TrainedModel, em: EmRule,
                  learned: dict[str, list[dict[str, LevelParameters]]]) -> str:
        """Run one EM round; add what it learned to ``learned``; say how it went.

        A level these pairs show only among clear non-matches (a move from the same
        institution on other days, where no child is on both lists twice) has its m
        underflow to zero, which Splink refuses: the round is run again with that
        comparison's m held at its starting values, so that the others are still
        learned."""
        fixed: set[str] = set()
        while True:
            try:
                with self._linker(spec, tables, task, base, fixed=frozenset(fixed)) as (
                        linker, _db, _rules):
                    linker.training.estimate_parameters_using_expectation_maximisation(
                        _em_blocking(spec, em), max_pairs=spec.training.em_max_pairs,
                        estimate_without_term_frequencies=True)
                    found = _parameters(spec, linker.misc.save_model_to_json(),
                                        spec.training.m_floor)
                break
            except ValueError as exc:  # Splink: an m or u underflowed to zero
                name = _underflowed(exc)
                if name is None or name in fixed:
                    return f"failed ({type(exc).__name__}); starting values kept"
                fixed.add(name)
            except EMTrainingException:  # the round's blocking found no pairs in these lists
                return "no pairs to learn from; starting values kept"
        for name in _trained_by(spec, em):
            if name not in fixed:
                learned.setdefault(name, []).append(found.levels[name])
        if fixed:
            return f"trained; starting m kept for {', '.join(sorted(fixed))}"
        return "trained"

    def estimate_prior(self, spec: LinkageSpec, model: TrainedModel,
                       tables: Sequence[FeatureTable], task: Task) -> TrainedModel:
        """``model`` with its prior re-estimated on ``tables`` (m and u kept); ``model`` as
        it is when the tables are too few for an estimate (one child and one answer that
        agree: more pairs agree on the rules than the recall allows)."""
        with self._linker(spec, tables, task, model) as (linker, _db, _rules):
            try:
                self._estimate_prior(linker, spec)
            except ValueError as exc:
                if "more observed matches than is consistent" not in str(exc):
                    raise
                return model
            prior = float(linker.misc.save_model_to_json()["probability_two_random_records_match"])
        return model.with_prior(prior)

    @staticmethod
    def _estimate_prior(linker: Linker, spec: LinkageSpec) -> None:
        linker.training.estimate_probability_two_random_records_match(
            [_blocking(r) for r in spec.training.prior_rules],
            recall=spec.training.prior_recall)

    # -- prediction ----------------------------------------------------------------------

    def predict(self, spec: LinkageSpec, model: TrainedModel, tables: Sequence[FeatureTable],
                task: Task, threshold: float) -> Scored:
        """Score every blocked pair of ``tables`` at or above ``threshold`` probability."""
        with self._linker(spec, tables, task, model, guard=True) as (linker, db_api, plan):
            scored = linker.inference.predict(threshold_match_probability=threshold,
                                              warning_mode="never")
            pairs = self._result(db_api, spec, scored.physical_name, task)
        return Scored(pairs, tuple(r.name for r in plan.rules), plan.skipped, plan.counts)

    def predict_new(self, spec: LinkageSpec, model: TrainedModel, existing: FeatureTable,
                    new: FeatureTable, threshold: float) -> Scored:
        """Dedupe-style scoring of ``new`` against itself and against ``existing`` only.

        Pairs among ``existing`` are not generated again: this is what makes a store's
        linkage incremental. Term frequencies come from both tables together.
        """
        combined = FeatureTable(pa.concat_tables([existing.arrow, new.arrow]))
        with self._linker(spec, [combined], "dedupe", model, guard=True) as (
                linker, db_api, plan):
            for column in _tf_columns(spec):
                linker.table_management.compute_tf_table(column)
            old_df = db_api.register(existing.arrow, dataset_display_name="existing")
            new_df = db_api.register(new.arrow, dataset_display_name="new")
            parts = []
            if len(new):
                within = linker.inference.predict_within(
                    new_df, threshold_match_probability=threshold, warning_mode="never")
                parts.append(self._result(db_api, spec, within.physical_name, "dedupe"))
            if len(new) and len(existing):
                between = linker.inference.predict_between(
                    old_df, new_df, threshold_match_probability=threshold,
                    warning_mode="never")
                parts.append(self._result(db_api, spec, between.physical_name, "dedupe"))
        pairs = pa.concat_tables(parts) if parts else _empty(spec)
        return Scored(pairs, tuple(r.name for r in plan.rules), plan.skipped, plan.counts)

    @staticmethod
    def _result(db_api: DuckDBAPI, spec: LinkageSpec, table: str, task: Task) -> pa.Table:
        con = db_api.duckdb_con
        if task == "link":
            left = "CASE WHEN source_dataset_l = 'side_left' THEN uid_l ELSE uid_r END"
            right = "CASE WHEN source_dataset_l = 'side_left' THEN uid_r ELSE uid_l END"
        else:
            left, right = "least(uid_l, uid_r)", "greatest(uid_l, uid_r)"
        present = {row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()}
        columns = [f"{left} AS left_uid", f"{right} AS right_uid",
                   "match_weight", "match_probability", "match_key"]
        for comparison in spec.comparisons:
            name = comparison.name
            tf = f"mw_tf_adj_{name}"
            adjust = f" + coalesce({tf}, 0)" if tf in present else ""
            columns += [f"gamma_{name}", f"mw_{name}{adjust} AS weight_{name}"]
        # Identifiers come from the spec and from Splink, never from the records.
        query = f"SELECT {', '.join(columns)} FROM {table}"  # noqa: S608
        return con.sql(query).to_arrow_table()


@dataclass(frozen=True)
class _Blocking:
    """The rules a run uses, those it skips, and the pairs each would generate."""

    rules: tuple[BlockingRule, ...]
    skipped: tuple[str, ...]
    counts: dict[str, int]


def _plan_blocking(con: duckdb.DuckDBPyConnection, spec: LinkageSpec, tables: list[str],
                   task: Task) -> _Blocking:
    """Count each rule's pairs (cheap: grouped counts) and leave out wide rules that
    would generate more than their ``max_pairs``."""
    counts = {rule.name: _count_pairs(con, rule, tables, task) for rule in spec.blocking}
    rules = tuple(r for r in spec.blocking if r.max_pairs is None or counts[r.name] <= r.max_pairs)
    skipped = tuple(r.name for r in spec.blocking if r not in rules)
    return _Blocking(rules, skipped, counts)


def _count_pairs(con: duckdb.DuckDBPyConnection, rule: BlockingRule, tables: list[str],
                 task: Task) -> int:
    """How many pairs an equality rule generates (before removing repeats across rules)."""
    left_cols = list(rule.on) + [a for a, _b in rule.cross]
    right_cols = list(rule.on) + [b for _a, b in rule.cross]
    left_table, right_table = tables[0], tables[-1]
    if not left_cols:
        return _every_pair(con, left_table, right_table, task)

    def grouped(table: str, cols: list[str]) -> str:
        keys = ", ".join(f"{c} AS k{i}" for i, c in enumerate(cols))
        present = " AND ".join(f"{c} IS NOT NULL" for c in cols)
        group = ", ".join(f"k{i}" for i in range(len(cols)))
        return (f"SELECT {keys}, count(*) AS n FROM {table} "  # noqa: S608
                f"WHERE {present} GROUP BY {group}")

    join = " AND ".join(f"a.k{i} = b.k{i}" for i in range(len(left_cols)))
    total = ("sum(a.n * b.n)" if task == "link" or rule.cross
             else "sum(a.n * (a.n - 1) / 2)")
    query = (f"SELECT coalesce({total}, 0) FROM ({grouped(left_table, left_cols)}) a "  # noqa: S608
             f"JOIN ({grouped(right_table, right_cols)}) b ON {join}")
    rows = con.execute(query).fetchall()
    count = int(rows[0][0]) if rows else 0
    return count // 2 if task == "dedupe" and rule.cross else count


def _every_pair(con: duckdb.DuckDBPyConnection, left_table: str, right_table: str,
                task: Task) -> int:
    """How many pairs a rule on no column generates: all of them."""
    def size(table: str) -> int:
        rows = con.execute(f"SELECT count(*) FROM {table}").fetchall()  # noqa: S608
        return int(rows[0][0])

    left = size(left_table)
    return left * size(right_table) if task == "link" else left * (left - 1) // 2


def _tf_columns(spec: LinkageSpec) -> list[str]:
    return sorted({lv.tf_column for c in spec.comparisons for lv in c.levels if lv.tf_column})


def _empty(spec: LinkageSpec) -> pa.Table:
    fields = [("left_uid", pa.int64()), ("right_uid", pa.int64()),
              ("match_weight", pa.float64()), ("match_probability", pa.float64())]
    for comparison in spec.comparisons:
        fields += [(f"gamma_{comparison.name}", pa.int32()),
                   (f"weight_{comparison.name}", pa.float64())]
    return pa.schema(fields).empty_table()
