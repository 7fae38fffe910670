"""Reconcile an answer with the list that was sent: which answer speaks of which child.

Answers are linked to the children on the list in two passes:

1. **By reference.** A valid reference (check character right) that is on the list
   links its answer to that child for certain — unless the answer itself disagrees:
   a given name that is clearly another name, a birth date more than a year away, or
   a status nobody can read. Such a link is kept but marked not ``sure`` and reported
   as a contradiction, because a mistyped reference would otherwise apply one child's
   answer to another child.
2. **By names.** Answers without a usable reference (none, a mistyped one, or a valid
   one that is not on this list) are linked to the children no answer has spoken of
   yet, with the real linkage engine: the same features, spec and packaged model as
   ``kinlink link``, so Олександр Петренко on the list and ``ПЕТРЕНКО Александр
   Сергеевич`` or ``Oleksandr Petrenko`` on the answer are compared as the same name.
   A ``match`` decision is ``sure``; a ``review`` one needs a person to confirm it
   before the answer is applied. An answer that could be two or more children is a
   contradiction, never a guess (and those children are not counted as missing). A
   valid reference that is not on this list, on an answer whose names match a child
   who is, is a contradiction as well. Answers whose names match none of the children
   waiting are then compared with the children already answered by reference: one
   about such a child (a second row about it, its reference mistyped) is linked to it,
   never ``sure``, rather than counted as a child not on the list.

Finally, every linked answer whose status could not be read, and every pair of answers
about one child with different statuses, is a contradiction too (and not ``sure``).
Children no answer speaks of are ``missing``; answers that speak of no child on the
list are ``unknown``. The words of a contradiction name references and line numbers
only — never names or dates — because they are counted in logs and audit records.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from kinlink.domain.dates import PartialDate
from kinlink.domain.mediation import AnswerHow
from kinlink.i18n import N_, Wording
from kinlink.linkage import (
    Engine,
    FeatureBuilder,
    LinkageSpec,
    Side,
    TrainedModel,
    choose_model,
    default_engine,
    default_spec,
    packaged_model,
    score,
)
from kinlink.linkage.engine import MEMORY_LIMIT
from kinlink.mediation.answers import AnswerRow
from kinlink.names import NameParts, Verdict, compare_names, parse_full_name

_GIVEN_DIFFERS = Wording("mediation.reconcile.given_differs", N_(
    "reference says {reference}, but the given name on the answer (line {line}) is "
    "different: check the reference"))
_BIRTH_DIFFERS = Wording("mediation.reconcile.birth_differs", N_(
    "reference says {reference}, but the birth date on the answer (line {line}) is "
    "different: check the reference"))
_AMBIGUOUS = Wording("mediation.reconcile.ambiguous", N_(
    "answer on line {line} could be any of {count} children on the list ({references})"))
_NOT_ON_LIST = Wording("mediation.reconcile.not_on_list", N_(
    "answer on line {line} gives reference {given}, which is not on this list, but its "
    "names match {reference}: check the reference"))
_STATUS_UNREADABLE = Wording("mediation.reconcile.status_unreadable", N_(
    "answer on line {line} (about {reference}) has a status that was not understood"))
_STATUSES_DIFFER = Wording("mediation.reconcile.statuses_differ", N_(
    "answers on lines {lines} and {last} give different statuses for {reference}"))

__all__ = ["AnswerMatch", "Contradiction", "ContradictionKind", "Reconciliation",
           "SentChild", "reconcile"]

ContradictionKind = Literal[
    "statuses_differ",
    "given_name_differs",
    "birth_date_differs",
    "status_unreadable",
    "ambiguous",
    "reference_not_on_list",
]
"""A stable code for each kind of contradiction (for counts in audit records)."""


@dataclass(frozen=True)
class SentChild:
    """One child on the list that was sent, with what linkage needs to find them."""

    reference: str
    case_id: int
    given_name: str | None
    surname: str | None
    patronymic: str | None
    sex: str | None
    birth: PartialDate | None
    birth_place: str | None


@dataclass(frozen=True)
class AnswerMatch:
    """An answer linked to a child: ``how`` it was linked, the linkage probability (for
    a link by names) and whether it is ``sure`` enough to apply without a person."""

    answer: AnswerRow
    child: SentChild
    how: AnswerHow
    probability: float | None
    sure: bool


@dataclass(frozen=True)
class Contradiction:
    """Something a person must settle: the answers and children involved, and ``what``
    is wrong in plain words (references and line numbers only)."""

    kind: ContradictionKind
    what: str
    answers: tuple[AnswerRow, ...]
    children: tuple[SentChild, ...]

    @property
    def child(self) -> SentChild | None:
        """The child this is about, when it is about exactly one (not an ambiguous answer)."""
        return self.children[0] if len(self.children) == 1 else None


@dataclass(frozen=True)
class Reconciliation:
    """Every answer and every child of the list, each in the place it belongs.

    ``model_version`` names the linkage model that scored the links by names (``None``
    when no answer needed one).
    """

    matched: tuple[AnswerMatch, ...]
    missing: tuple[SentChild, ...]
    unknown: tuple[AnswerRow, ...]
    contradictions: tuple[Contradiction, ...]
    model_version: str | None = None


_YEAR = 366


def _latest(date: PartialDate) -> dt.date:
    """The last calendar day a partial date can mean."""
    if date.day is not None:
        return date.earliest()
    if date.month is None:
        return dt.date(date.year, 12, 31)
    first_of_next = dt.date(date.year + date.month // 12, date.month % 12 + 1, 1)
    return first_of_next - dt.timedelta(days=1)


def _years_apart(a: PartialDate | None, b: PartialDate | None) -> bool:
    """True when two birth dates are more than a year apart, whatever their precision."""
    if a is None or b is None:
        return False
    gap = max((a.earliest() - _latest(b)).days, (b.earliest() - _latest(a)).days, 0)
    return gap > _YEAR


def _answer_given(answer: AnswerRow) -> str | None:
    if answer.given_name:
        return answer.given_name
    if answer.full_name and not answer.surname:
        return parse_full_name(answer.full_name).given
    return None


def _given_differs(answer: AnswerRow, child: SentChild) -> bool:
    given = _answer_given(answer)
    if not given or not child.given_name:
        return False
    verdict = compare_names(NameParts(given=given), NameParts(given=child.given_name)).verdict
    return verdict is Verdict.DIFFERENT


class _Outcome:
    """The result being built: matches, contradictions and what is left over."""

    def __init__(self) -> None:
        self.matches: list[AnswerMatch] = []
        self.contradictions: list[Contradiction] = []
        self.unknown: list[AnswerRow] = []
        self.ambiguous_children: set[str] = set()

    def contradict(self, kind: ContradictionKind, what: str, answers: Sequence[AnswerRow],
                   children: Sequence[SentChild]) -> None:
        self.contradictions.append(Contradiction(kind, what, tuple(answers), tuple(children)))

    def unsure(self, answer: AnswerRow) -> None:
        """Mark the match of ``answer`` as needing a person's confirmation."""
        self.matches = [replace(m, sure=False) if m.answer is answer else m
                        for m in self.matches]


def _by_reference(answer: AnswerRow, child: SentChild, outcome: _Outcome) -> None:
    """Link by reference, and say so when the answer disagrees with the child."""
    line, reference = answer.line, child.reference
    doubts: list[tuple[ContradictionKind, str]] = []
    if _given_differs(answer, child):
        doubts.append(("given_name_differs", _GIVEN_DIFFERS(reference=reference, line=line)))
    if _years_apart(answer.birth, child.birth):
        doubts.append(("birth_date_differs", _BIRTH_DIFFERS(reference=reference, line=line)))
    outcome.matches.append(AnswerMatch(answer, child, AnswerHow.REFERENCE, None,
                                       sure=not doubts))
    for kind, what in doubts:
        outcome.contradict(kind, what, [answer], [child])


def _children_side(children: Sequence[SentChild]) -> Side:
    builder = FeatureBuilder(display=False)
    for uid, child in enumerate(children):
        builder.add(uid, given=child.given_name, surname=child.surname,
                    patronymic=child.patronymic, full_name=None, sex=child.sex,
                    birth=child.birth, birth_place=child.birth_place, last_known_place=None,
                    event=None)
    return Side(tuple(c.reference for c in children), builder.finish())


def _answers_side(answers: Sequence[AnswerRow]) -> Side:
    builder = FeatureBuilder(display=False)
    for uid, answer in enumerate(answers):
        builder.add(uid, given=answer.given_name, surname=answer.surname,
                    patronymic=answer.patronymic, full_name=answer.full_name, sex=None,
                    birth=answer.birth, birth_place=None, last_known_place=None, event=None)
    return Side(tuple(f"line-{a.line}" for a in answers), builder.finish())


def _model(engine: Engine, spec: LinkageSpec, sides: Sequence[Side]) -> TrainedModel:
    """The packaged model with its prior re-estimated on these lists (as ``kinlink link``
    does for small lists), or the packaged model as it is.

    The re-estimate counts pairs with the same surname, given name and full birth date.
    When an answer re-types no birth date there are none, and the estimate falls to
    almost nothing — which would hide every answer found by names alone. A prior below
    the packaged one therefore means "no evidence", and the packaged prior is kept.

    An answer comes back for a list that was sent: it is about one of the ``n`` children
    on it more often than not, so the chance that an answer and a child are one is at
    least ``1 / (2n)``, far above any prior for two unrelated national lists. Without
    it a full name with its patronymic and no birth date could fall below review.
    """
    chosen = choose_model(engine, spec, [s.features for s in sides], "link")
    packaged = packaged_model()
    if packaged is not None and packaged.fits(spec) and chosen.prior < packaged.prior:
        chosen = packaged
    on_list = 1 / (2 * max(len(sides[0]), 1))
    return chosen if chosen.prior >= on_list else replace(chosen, prior=on_list)


def _by_names(children: Sequence[SentChild], answers: Sequence[AnswerRow], outcome: _Outcome,
              engine: Engine | None, memory_limit: str) -> str | None:
    """Link answers to children by names; return the model version used."""
    spec = default_spec()
    engine = engine or default_engine(memory_limit=memory_limit)
    sides = (_children_side(children), _answers_side(answers))
    model = _model(engine, spec, sides)
    pairs = score(engine, spec, sides, "link", model).table.to_pylist()
    candidates: dict[int, list[tuple[float, str, int]]] = defaultdict(list)
    for pair in pairs:
        candidates[pair["right_uid"]].append(
            (pair["match_probability"], pair["decision"], pair["left_uid"]))
    for uid, answer in enumerate(answers):
        found = sorted(candidates.get(uid, []), reverse=True)
        if not found:
            outcome.unknown.append(answer)
            continue
        if len(found) > 1:
            involved = [children[c] for c in sorted(c for _p, _d, c in found)]
            outcome.ambiguous_children.update(c.reference for c in involved)
            outcome.contradict("ambiguous", _AMBIGUOUS(
                line=answer.line, count=len(involved),
                references=", ".join(c.reference for c in involved)), [answer], involved)
            continue
        probability, decision, left = found[0]
        child = children[left]
        outcome.matches.append(AnswerMatch(answer, child, AnswerHow.NAMES, probability,
                                           sure=decision == "match"))
        if answer.reference is not None:  # valid, but not on this list
            outcome.unsure(answer)
            outcome.contradict("reference_not_on_list", _NOT_ON_LIST(
                line=answer.line, given=answer.reference, reference=child.reference),
                [answer], [child])
    return model.version


def _answered_again(sent: Sequence[SentChild], answered: set[str], outcome: _Outcome,
                    engine: Engine | None, memory_limit: str) -> str | None:
    """Rows whose names match no child still waiting are compared with the children
    already answered by reference: a row about one of them (a mistyped reference on a
    second row about the child, say) lands with that child, for a person to confirm —
    never under "not on the list". Returns the model version, if the engine ran."""
    again = [a for a in outcome.unknown if a.has_name]
    children = [child for child in sent if child.reference in answered]
    if not again or not children:
        return None
    outcome.unknown = [a for a in outcome.unknown if not a.has_name]
    before = len(outcome.matches)
    version = _by_names(children, again, outcome, engine, memory_limit)
    for match in outcome.matches[before:]:
        outcome.unsure(match.answer)
    return version


def _check_statuses(outcome: _Outcome) -> None:
    """Unreadable statuses, and answers about one child that say different things."""
    per_child: dict[str, list[AnswerMatch]] = defaultdict(list)
    for match in list(outcome.matches):  # a snapshot: unsure() replaces the list
        per_child[match.child.reference].append(match)
        if match.answer.status is None:
            outcome.unsure(match.answer)
            outcome.contradict("status_unreadable", _STATUS_UNREADABLE(
                line=match.answer.line, reference=match.child.reference),
                [match.answer], [match.child])
    for reference, matches in per_child.items():
        statuses = {m.answer.status for m in matches if m.answer.status is not None}
        if len(statuses) < 2:
            continue
        lines = [m.answer.line for m in matches]
        for match in matches:
            outcome.unsure(match.answer)
        outcome.contradict("statuses_differ", _STATUSES_DIFFER(
            lines=", ".join(map(str, lines[:-1])), last=lines[-1], reference=reference),
            [m.answer for m in matches], [matches[0].child])


def reconcile(sent: Sequence[SentChild], answers: Sequence[AnswerRow], *,
              engine: Engine | None = None, memory_limit: str = MEMORY_LIMIT
              ) -> Reconciliation:
    """Place every answer and every child: matched, missing, unknown or contradictory.

    ``engine`` is the linkage backend for the links by names (by default Splink on DuckDB
    bounded by ``memory_limit``, ``KINLINK_DUCKDB_MEMORY``); it is not started when every
    answer carries a reference on the list.
    """
    on_list = {child.reference: child for child in sent}
    outcome = _Outcome()
    by_name: list[AnswerRow] = []
    for answer in answers:
        child = on_list.get(answer.reference) if answer.reference else None
        if child is not None:
            _by_reference(answer, child, outcome)
        elif answer.has_name:
            by_name.append(answer)
        else:
            outcome.unknown.append(answer)  # a reference not on this list, and no name
    answered = {m.child.reference for m in outcome.matches}
    waiting = [child for child in sent if child.reference not in answered]
    version = None
    if by_name and waiting:
        version = _by_names(waiting, by_name, outcome, engine, memory_limit)
    else:
        outcome.unknown.extend(by_name)
    version = _answered_again(sent, answered, outcome, engine, memory_limit) or version
    _check_statuses(outcome)
    spoken_of = {m.child.reference for m in outcome.matches} | outcome.ambiguous_children
    return Reconciliation(
        matched=tuple(sorted(outcome.matches, key=lambda m: m.answer.line)),
        missing=tuple(child for child in sent if child.reference not in spoken_of),
        unknown=tuple(sorted(outcome.unknown, key=lambda a: a.line)),
        contradictions=tuple(sorted(outcome.contradictions,
                                    key=lambda c: min(a.line for a in c.answers))),
        model_version=version,
    )
