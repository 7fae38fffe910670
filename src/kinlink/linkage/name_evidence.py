"""What the linkage model makes of two names: the one name similarity kinlink shows.

Linkage compares names with levels of its spec ("the same name", "similar spelling,
possibly a typo", "different surnames") and weighs each level with the trained model;
the name engine (:func:`kinlink.names.compare_names`) says more precisely why two forms
go together ("same name, Ukrainian and Russian forms of Олександр"). Where kinlink shows
a name comparison outside a scored pair — ``kinlink names explain``, search — it shows
the first as the finding and the second as its detail, so that what a person reads is
what a pair of these records would score.

:func:`name_evidence` compares two names; a :class:`NameScorer` compares many (search)
with the spec and model chosen once. Names become feature rows exactly as records do in
linkage (:class:`~kinlink.linkage.features.FeatureBuilder`), and the level of each name
comparison (those shown as ``given`` and ``family``) is decided by
:func:`~kinlink.linkage.levels.level_of`, the engine's semantics in Python.

A weight is in bits, as in pair explanations. The weight of a level with
term-frequency adjustment (the same given name) is the level's own: in a scored pair a
common name weighs somewhat less and a rare one more, depending on the lists.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kinlink.linkage.defaults import default_spec
from kinlink.linkage.features import FeatureBuilder
from kinlink.linkage.levels import Row, level_of
from kinlink.linkage.model import TrainedModel, packaged_model
from kinlink.linkage.spec import Comparison, LinkageSpec
from kinlink.names import NameComparison, NameParts, compare_names

__all__ = ["NAME_PARTS", "NameEvidence", "NameField", "NameRow", "NameScorer",
           "name_evidence", "name_reason"]

NAME_PARTS: dict[str, tuple[str, ...]] = {"given": ("given name",),
                                          "family": ("surname", "patronymic")}
"""Name comparisons (by what they display) and the name engine's parts each covers."""

NameInput = NameParts | str
"""A name in parts, or as one string to be parsed."""


@dataclass(frozen=True)
class NameRow:
    """One name as linkage reads it: its parts as parsed, the feature columns the name
    comparisons read (as a record's row has them), and their values as one hashable
    ``key`` (two names with the same key compare alike)."""

    parts: NameParts
    row: Row
    key: tuple[object, ...]


@dataclass(frozen=True)
class NameField:
    """One name comparison of two names: the level, its words and weight, and the name
    engine's precise reason (when it was asked for)."""

    comparison: str
    title: str
    level: str
    words: str
    weight: float
    null: bool
    frequency_adjusted: bool
    """In a scored pair this level's weight is adjusted for how common the value is."""
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"comparison": self.comparison, "title": self.title, "level": self.level,
                "words": self.words, "weight": round(self.weight, 2), "reason": self.reason}


@dataclass(frozen=True)
class NameEvidence:
    """Every name comparison of two names, their total weight, and the name engine's own
    comparison as the detail."""

    fields: tuple[NameField, ...]
    engine: NameComparison | None = None

    @property
    def weight(self) -> float:
        """The names' share of a pair's match weight, in bits."""
        return sum(f.weight for f in self.fields)

    @property
    def levels(self) -> tuple[str, ...]:
        """The level of each comparison, in the spec's order."""
        return tuple(f.level for f in self.fields)

    def field(self, comparison: str) -> NameField:
        """The field of the comparison called ``comparison``."""
        return next(f for f in self.fields if f.comparison == comparison)


def name_reason(display: str, compared: NameComparison) -> str | None:
    """The name engine's reason for the parts a name comparison shown as ``display``
    covers (``surname: …; patronymic: …`` when it covers several), if both names have
    any of them."""
    parts = NAME_PARTS.get(display)
    if parts is None:
        return None
    reasons = [f"{p.part}: {p.reason}" if len(parts) > 1 else p.reason
               for name in parts if (p := compared.part(name)) is not None]
    return "; ".join(reasons) or None


_REMEMBERED = 50_000
"""Names, and pairs of names, a scorer remembers the rows and fields of (then it
starts again)."""


def _hashable(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


def _fitting_model(spec: LinkageSpec) -> TrainedModel | None:
    packaged = packaged_model()
    return packaged if packaged is not None and packaged.fits(spec) else None


class NameScorer:
    """Compares names with the name comparisons of ``spec`` (kinlink's by default),
    weighed by ``model`` (the packaged model by default, when it was trained for
    ``spec``; a level the model does not know weighs 0)."""

    def __init__(self, spec: LinkageSpec | None = None,
                 model: TrainedModel | None = None) -> None:
        self.spec = spec or default_spec()
        self.model = model if model is not None else _fitting_model(self.spec)
        self.comparisons: tuple[Comparison, ...] = tuple(
            c for c in self.spec.comparisons if c.display in NAME_PARTS)
        self._columns = tuple(dict.fromkeys(
            column for c in self.comparisons for column in c.columns()))
        self._found: dict[tuple[tuple[object, ...], tuple[object, ...]],
                          tuple[NameField, ...]] = {}
        self._rows: dict[NameInput, NameRow] = {}

    def rows(self, names: Iterable[NameInput]) -> list[NameRow]:
        """The rows of ``names``: their features computed as linkage computes a
        record's, kept for the columns the name comparisons read (and remembered: a
        name's row depends on the name alone)."""
        names = list(names)
        missing = list(dict.fromkeys(n for n in names if n not in self._rows))
        if missing:
            if len(self._rows) + len(missing) > _REMEMBERED:
                self._rows.clear()
            self._rows.update(zip(missing, self._build(missing), strict=True))
        return [self._rows[n] for n in names]

    def _build(self, names: list[NameInput]) -> list[NameRow]:
        builder = FeatureBuilder(display=True)
        for uid, name in enumerate(names):
            parts = name if isinstance(name, NameParts) else NameParts()
            builder.add(uid, given=parts.given, surname=parts.surname,
                        patronymic=parts.patronymic,
                        full_name=name if isinstance(name, str) else None, sex=None,
                        birth=None, birth_place=None, last_known_place=None, event=None)
        # a name alone has no birth date, so no sibling signature: rows without Arrow
        every, shown = builder.finish_rows(siblings=False)
        found = []
        for display, full in zip(shown or (), every, strict=True):
            row = {c: full[c] for c in self._columns}
            found.append(NameRow(NameParts(display.given, display.surname, display.patronymic),
                                 row, tuple(_hashable(row[c]) for c in self._columns)))
        return found

    def fields(self, a: NameRow, b: NameRow) -> tuple[NameField, ...]:
        """The level and weight of each name comparison (no reasons: quick, and
        remembered for names that compare alike, as a search's candidates often do)."""
        key = (a.key, b.key)
        found = self._found.get(key)
        if found is None:
            if len(self._found) >= _REMEMBERED:
                self._found.clear()
            found = self._found[key] = tuple(self._field(c, a, b, None)
                                             for c in self.comparisons)
        return found

    def evidence(self, a: NameRow, b: NameRow) -> NameEvidence:
        """Every name comparison with the name engine's reason beside it."""
        compared = compare_names(a.parts, b.parts)
        return NameEvidence(tuple(self._field(c, a, b, compared) for c in self.comparisons),
                            compared)

    def weight(self, comparison: str, level: str) -> float:
        """The model's weight of one level (0 for a level the model does not know)."""
        learned = self.model.levels.get(comparison, {}) if self.model else {}
        found = learned.get(level)
        return found.weight if found is not None else 0.0

    def _field(self, comparison: Comparison, a: NameRow, b: NameRow,
               compared: NameComparison | None) -> NameField:
        level = level_of(comparison, a.row, b.row)
        reason = None
        if compared is not None and not level.null:
            reason = name_reason(comparison.display, compared)
        return NameField(comparison.name, comparison.title, level.name, level.words,
                         0.0 if level.null else self.weight(comparison.name, level.name),
                         level.null, level.tf_column is not None, reason)


def name_evidence(a: NameInput, b: NameInput, *, spec: LinkageSpec | None = None,
                  model: TrainedModel | None = None) -> NameEvidence:
    """What linkage makes of names ``a`` and ``b``: each name comparison's level, words
    and weight (bits), with the name engine's reason as the detail."""
    scorer = NameScorer(spec, model)
    left, right = scorer.rows((a, b))
    return scorer.evidence(left, right)

