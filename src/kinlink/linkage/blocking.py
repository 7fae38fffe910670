"""One record's blocking keys, from the same rules the linkage engine blocks on.

The engine (:mod:`kinlink.linkage.splink_engine`) makes a pair of two records when all
columns of one of the spec's :class:`~kinlink.linkage.spec.BlockingRule` are equal (and
not empty) on both. The same rule, read here, gives each record a *key* per rule: the
values of the rule's columns. Two records make a pair under the rule exactly when their
keys are equal, so a store that keeps every record's keys (``linkage_keys``) finds one
record's candidates with an index lookup instead of blocking the whole store again:
one definition (the spec) serves both.

A rule across two columns (``cross``: the left record's ``birth_swap`` equals the right
record's ``birth_date``) gives two keys, the record's value as a left side (``rule:l``)
and as a right side (``rule:r``); a record meets another when its ``l`` key equals the
other's ``r`` key, or the other way round (the pair's orientation is not chosen here).
A rule on no column at all (every pair) cannot be looked up: :func:`indexable` says so.

Besides the keys, a record keeps the values the engine counts term frequencies of
(``tf:given_id``, ``tf:place_key``), so a record linked alone is scored with frequencies
counted over the store, and its sibling signature (``siblings``): computed within a
whole list, it cannot be recomputed from one record.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from kinlink.linkage.spec import BlockingRule, LinkageSpec

__all__ = ["MAX_VALUE", "SIBLINGS", "encoded", "indexable", "probes", "record_keys", "tf_columns",
           "tf_name"]

MAX_VALUE = 200
"""Longest key value kept as it is; a longer one is kept as its digest."""
SIBLINGS = "siblings"
"""The key name of the elements of a record's sibling signature."""
_SEPARATOR = "\x1f"


def tf_columns(spec: LinkageSpec) -> list[str]:
    """The feature columns some level adjusts by term frequency (sorted)."""
    return sorted({level.tf_column for c in spec.comparisons for level in c.levels
                   if level.tf_column})


def tf_name(column: str) -> str:
    """The key name of a term-frequency column's values."""
    return f"tf:{column}"


def indexable(rule: BlockingRule) -> bool:
    """Whether a record's candidates under ``rule`` can be found by key (not a rule on
    no column, which pairs everything with everything)."""
    return bool(rule.on or rule.cross)


def _value(values: Sequence[Any]) -> str | None:
    """The key of some column values; ``None`` when any is empty (the engine's ``=`` is
    never true on an empty value)."""
    if any(v is None or v == "" for v in values):
        return None
    text = _SEPARATOR.join(str(v) for v in values)
    if len(text) > MAX_VALUE:
        return "#" + hashlib.sha256(text.encode("utf-8")).hexdigest()
    return text


def _sides(rule: BlockingRule, row: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """The record's key as the left and as the right side of a pair under ``rule``."""
    left = [row[c] for c in rule.on] + [row[a] for a, _b in rule.cross]
    right = [row[c] for c in rule.on] + [row[b] for _a, b in rule.cross]
    return _value(left), _value(right)


def record_keys(spec: LinkageSpec, row: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every (name, value) to keep for a record's feature row: a key per indexable
    blocking rule whose columns it has, its term-frequency values and its siblings."""
    keys: list[tuple[str, str]] = []
    for rule in spec.blocking:
        if not indexable(rule):
            continue
        left, right = _sides(rule, row)
        if not rule.cross:
            if left is not None:
                keys.append((rule.name, left))
            continue
        if left is not None:
            keys.append((f"{rule.name}:l", left))
        if right is not None:
            keys.append((f"{rule.name}:r", right))
    for column in tf_columns(spec):
        value = _value([row[column]])
        if value is not None:
            keys.append((tf_name(column), value))
    keys += [(SIBLINGS, element) for element in sorted(set(row.get(SIBLINGS) or ()))
             if len(element) <= MAX_VALUE]
    return list(dict.fromkeys(keys))


def probes(spec: LinkageSpec, row: Mapping[str, Any], rules: Iterable[BlockingRule]
           ) -> list[tuple[str, str]]:
    """The (name, value) keys another record must have to make a pair with this one
    under one of ``rules``: the same key for a rule on equal columns, the other side's
    key for a rule across two columns."""
    found: list[tuple[str, str]] = []
    for rule in rules:
        if not indexable(rule):
            continue
        left, right = _sides(rule, row)
        if not rule.cross:
            if left is not None:
                found.append((rule.name, left))
            continue
        if left is not None:
            found.append((f"{rule.name}:r", left))
        if right is not None:
            found.append((f"{rule.name}:l", right))
    return list(dict.fromkeys(found))


def encoded(value: Any) -> str | None:
    """A single feature value as it is kept as a key value (``None`` if empty)."""
    return _value([value])
