"""The linkage specification: what to compare, how to block, when to link. Data, not code.

A :class:`LinkageSpec` says, independently of any backend, which candidate pairs to
generate (:class:`BlockingRule`), how to compare each field of a pair
(:class:`Comparison` with ordered :class:`Level` s, each a :data:`Predicate` over the
precomputed feature columns of :mod:`kinlink.linkage.features`), how to train the
Fellegi–Sunter model (:class:`Training`) and where the two decision thresholds lie
(:class:`Thresholds`). It round-trips through JSON with a format number, and its
:meth:`LinkageSpec.digest` identifies it in every trained model and every stored pair.

Predicates are a small closed vocabulary (equal, equal across two columns, arrays
overlap, Jaro–Winkler at least, numeric difference at most, a flag on either side,
and their combinations) so that each backend can render them in its own SQL: DuckDB
today, Spark later, from the same spec.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "FORMAT",
    "AllOf",
    "AnyOf",
    "BlockingRule",
    "Comparison",
    "CrossEqual",
    "Either",
    "EmRule",
    "Exact",
    "Level",
    "LinkageSpec",
    "Not",
    "Null",
    "Overlap",
    "Predicate",
    "Similar",
    "Thresholds",
    "Training",
    "Veto",
    "Within",
    "predicate_columns",
]

FORMAT = 1
"""Version of the JSON layout of a spec; bumped when the layout changes."""


@dataclass(frozen=True)
class Null:
    """The column is empty on either side of the pair (nothing to compare)."""

    column: str
    kind: Literal["null"] = "null"


@dataclass(frozen=True)
class Exact:
    """Both sides have the column and the values are equal."""

    column: str
    kind: Literal["exact"] = "exact"


@dataclass(frozen=True)
class CrossEqual:
    """The left record's ``left`` column equals the right record's ``right`` column.

    Used for a day/month swap: ``birth_swap`` of one record equals ``birth_date`` of the
    other. The swap is its own inverse, so one direction covers both orders of a pair.
    """

    left: str
    right: str
    kind: Literal["cross_equal"] = "cross_equal"


@dataclass(frozen=True)
class Overlap:
    """Two array columns share at least one element (canonical name ids)."""

    column: str
    kind: Literal["overlap"] = "overlap"


@dataclass(frozen=True)
class Similar:
    """Jaro–Winkler similarity of the column's two values is at least ``threshold``."""

    column: str
    threshold: float
    kind: Literal["similar"] = "similar"


@dataclass(frozen=True)
class Within:
    """The absolute difference of a numeric column is at most ``distance``."""

    column: str
    distance: int
    kind: Literal["within"] = "within"


@dataclass(frozen=True)
class Either:
    """A boolean column is true on either side (for example: one name is a diminutive)."""

    column: str
    kind: Literal["either"] = "either"


@dataclass(frozen=True)
class AllOf:
    """Every part holds."""

    parts: tuple[Predicate, ...]
    kind: Literal["all_of"] = "all_of"


@dataclass(frozen=True)
class AnyOf:
    """At least one part holds."""

    parts: tuple[Predicate, ...]
    kind: Literal["any_of"] = "any_of"


@dataclass(frozen=True)
class Not:
    """The part does not hold."""

    part: Predicate
    kind: Literal["not"] = "not"


Predicate = Null | Exact | CrossEqual | Overlap | Similar | Within | Either | AllOf | AnyOf | Not


def predicate_columns(predicate: Predicate) -> tuple[str, ...]:
    """The feature columns a predicate reads, in order of first use."""
    match predicate:
        case AllOf(parts) | AnyOf(parts):
            found = [c for part in parts for c in predicate_columns(part)]
        case Not(part):
            found = list(predicate_columns(part))
        case CrossEqual(left, right):
            found = [left, right]
        case _:
            found = [predicate.column]
    return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class Level:
    """One outcome of a comparison, tested in order; the first that holds applies.

    ``when`` is ``None`` for the last, catch-all level. A ``null`` level means "nothing
    to compare" and carries no weight. ``words`` is what a case worker reads.
    ``tf_column`` turns on term-frequency adjustment (a common name agreeing is
    weaker evidence than a rare one); the baseline is the level's own u, so the level
    should mean "this column agrees". ``min_m`` is a lower bound on the share of true
    pairs that fall into the level, for outcomes the law makes possible but that
    training on the data cannot see (see :class:`Training`).
    """

    name: str
    when: Predicate | None
    words: str
    null: bool = False
    tf_column: str | None = None
    min_m: float | None = None


@dataclass(frozen=True)
class Comparison:
    """How one field of two records is compared: a title, the field shown, the levels."""

    name: str
    title: str
    display: str
    levels: tuple[Level, ...]

    def level(self, name: str) -> Level:
        """The level called ``name``."""
        return next(level for level in self.levels if level.name == name)

    def columns(self) -> tuple[str, ...]:
        """The feature columns the comparison reads."""
        found = [c for level in self.levels if level.when is not None
                 for c in predicate_columns(level.when)]
        return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class BlockingRule:
    """Pairs whose columns are all equal (and not empty) become candidates.

    ``cross`` adds conditions between two different columns (left column, right
    column), as for a swapped day and month. A rule with ``max_pairs`` is a wide net
    that is only cast when it would generate at most that many pairs: at a national
    scale it is skipped, and the run records that it was.
    """

    name: str
    on: tuple[str, ...] = ()
    cross: tuple[tuple[str, str], ...] = ()
    max_pairs: int | None = None


@dataclass(frozen=True)
class EmRule:
    """Pairs to run one round of expectation maximisation on.

    ``implies`` names comparisons whose outcome the rule fixes without using their
    columns (blocking on the canonical given name makes every given name agree, and
    the sex with it): they must not be learned from these pairs.
    """

    rule: BlockingRule
    implies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Veto:
    """A combination of levels that the model's score alone must not override.

    Fellegi–Sunter treats fields as independent given the truth, which siblings
    defeat: twins agree on everything but the given name. When every ``(comparison,
    level)`` in ``when`` holds, ``effect`` applies: ``review`` keeps the pair from an
    automatic link, ``drop`` removes it from the candidates. ``words`` says why. The
    veto does not apply when any ``(comparison, level)`` in ``unless`` holds: a sibling
    veto drops two brothers' records, unless their birth dates are the same day, when
    they may be twins or one renamed child and a person must look.
    """

    name: str
    when: tuple[tuple[str, str], ...]
    effect: Literal["review", "drop"]
    words: str
    unless: tuple[tuple[str, str], ...] = ()

    def applies(self, levels: dict[str, str]) -> bool:
        """Whether the veto applies to a pair whose comparisons reached ``levels``."""
        return (all(levels.get(c) == level for c, level in self.when)
                and not any(levels.get(c) == level for c, level in self.unless))


@dataclass(frozen=True)
class Training:
    """How the model learns from the data itself (unsupervised).

    The prior (the chance that two random records are the same child) is estimated
    from pairs agreeing on ``prior_rules``, assumed to find ``prior_recall`` of all
    true pairs; the u probabilities from ``u_max_pairs`` random pairs; the m
    probabilities by expectation maximisation on pairs blocked by each of ``em_rules``
    (at most ``em_max_pairs`` each). ``m_floor`` keeps a level the training sample
    never saw among true pairs from weighing minus infinity.

    Expectation maximisation learns what true pairs look like from pairs that agree on
    a blocking key, and an adopted child's records agree on almost none: the surname
    and patronymic are replaced, the birth date moved by up to three months, the
    birthplace changed (Russian Family Code art. 134–135). A level's ``min_m`` keeps
    such outcomes possible: after training, m is raised to it and the comparison's
    other levels are scaled down to keep the total at one. Inputs smaller than
    ``min_records`` are too small to learn from: the packaged model is used, with
    only the prior re-estimated.
    """

    prior_rules: tuple[BlockingRule, ...]
    prior_recall: float
    em_rules: tuple[EmRule, ...]
    u_max_pairs: int = 10_000_000
    em_max_pairs: int = 500_000
    m_floor: float = 1e-5
    seed: int = 42
    min_records: int = 2000


@dataclass(frozen=True)
class Thresholds:
    """Match probabilities at which a pair is linked automatically, or shown to a person."""

    match: float
    review: float
    review_per_record: int = 25
    """At most this many ``review`` candidates are kept for one record (its strongest,
    on either side of the pair); ``match`` pairs are always kept. A record with hundreds
    of equally plausible look-alikes (a list of children who share a name, a birth
    month and nothing else) would otherwise flood the queue with pairs no person can
    tell apart, and take hours to explain."""

    def __post_init__(self) -> None:
        if not 0.0 < self.review <= self.match <= 1.0:
            raise ValueError("thresholds need 0 < review <= match <= 1")
        if self.review_per_record < 1:
            raise ValueError("review_per_record must be at least 1")

    def decide(self, probability: float) -> str | None:
        """``match``, ``review``, or ``None`` below the review threshold."""
        if probability >= self.match:
            return "match"
        if probability >= self.review:
            return "review"
        return None


@dataclass(frozen=True)
class LinkageSpec:
    """Everything that defines a linkage model except the parameters it learns."""

    version: str
    comparisons: tuple[Comparison, ...]
    blocking: tuple[BlockingRule, ...]
    training: Training
    thresholds: Thresholds
    vetoes: tuple[Veto, ...] = ()
    notes: str = ""
    format: int = field(default=FORMAT)

    def comparison(self, name: str) -> Comparison:
        """The comparison called ``name``."""
        return next(c for c in self.comparisons if c.name == name)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the inverse of :meth:`from_dict`)."""
        return _encode(self)  # type: ignore[no-any-return]

    def to_json(self) -> str:
        """Canonical JSON: sorted keys, so equal specs give equal text and digest."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, indent=1)

    def digest(self) -> str:
        """SHA-256 of the canonical JSON: names this exact spec in runs and pairs."""
        return _sha256(self.to_dict())

    def model_digest(self) -> str:
        """SHA-256 of what a trained model depends on: the version and the comparisons.

        Blocking rules, thresholds and vetoes can change without retraining; a model
        keeps this digest and fits any spec that has it.
        """
        data = self.to_dict()
        return _sha256({"version": data["version"], "comparisons": data["comparisons"]})

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinkageSpec:
        """Read a spec written by :meth:`to_dict`; refuses an unknown format."""
        if data.get("format") != FORMAT:
            raise ValueError(f"linkage spec format {data.get('format')!r} is not {FORMAT}")
        return LinkageSpec(
            version=data["version"],
            comparisons=tuple(_comparison(c) for c in data["comparisons"]),
            blocking=tuple(_rule(r) for r in data["blocking"]),
            training=_training(data["training"]),
            thresholds=Thresholds(**data["thresholds"]),
            vetoes=tuple(_veto(v) for v in data.get("vetoes", ())),
            notes=data.get("notes", ""),
        )

    @classmethod
    def from_json(cls, text: str) -> LinkageSpec:
        """Read a spec written by :meth:`to_json`."""
        return cls.from_dict(json.loads(text))


# -- encoding and decoding -------------------------------------------------------------


def _sha256(data: Any) -> str:
    compact = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(compact.encode("utf-8")).hexdigest()


def _encode(value: Any) -> Any:
    if hasattr(value, "__dataclass_fields__"):
        return {name: _encode(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    return value


_SIMPLE: dict[str, type] = {
    "null": Null, "exact": Exact, "cross_equal": CrossEqual, "overlap": Overlap,
    "similar": Similar, "within": Within, "either": Either,
}


def predicate_from_dict(data: dict[str, Any]) -> Predicate:
    """Read one predicate written by :meth:`LinkageSpec.to_dict`."""
    kind = data["kind"]
    if kind == "all_of":
        return AllOf(tuple(predicate_from_dict(p) for p in data["parts"]))
    if kind == "any_of":
        return AnyOf(tuple(predicate_from_dict(p) for p in data["parts"]))
    if kind == "not":
        return Not(predicate_from_dict(data["part"]))
    if kind not in _SIMPLE:
        raise ValueError(f"unknown predicate kind {kind!r}")
    fields = {k: v for k, v in data.items() if k != "kind"}
    return _SIMPLE[kind](**fields)  # type: ignore[no-any-return]


def _level(data: dict[str, Any]) -> Level:
    when = data.get("when")
    return Level(name=data["name"], when=predicate_from_dict(when) if when else None,
                 words=data["words"], null=data.get("null", False),
                 tf_column=data.get("tf_column"), min_m=data.get("min_m"))


def _comparison(data: dict[str, Any]) -> Comparison:
    return Comparison(name=data["name"], title=data["title"], display=data["display"],
                      levels=tuple(_level(level) for level in data["levels"]))


def _rule(data: dict[str, Any]) -> BlockingRule:
    return BlockingRule(name=data["name"], on=tuple(data.get("on", ())),
                        cross=tuple((a, b) for a, b in data.get("cross", ())),
                        max_pairs=data.get("max_pairs"))


def _veto(data: dict[str, Any]) -> Veto:
    return Veto(name=data["name"], when=tuple((c, lv) for c, lv in data["when"]),
                effect=data["effect"], words=data["words"],
                unless=tuple((c, lv) for c, lv in data.get("unless", ())))


def _training(data: dict[str, Any]) -> Training:
    values = dict(data)
    values["prior_rules"] = tuple(_rule(r) for r in data["prior_rules"])
    values["em_rules"] = tuple(EmRule(_rule(r["rule"]), tuple(r.get("implies", ())))
                               for r in data["em_rules"])
    return Training(**values)
