"""A child's possible identities level the family name only where it can change the
answer (issue 15): the ranking, the explanations and the count of listed candidates are
those of levelling every candidate, for windows with siblings (whom a veto drops),
namesakes, undated records and ties."""

from __future__ import annotations

import random
from collections.abc import Collection
from typing import Any

import pytest

from kinlink.domain.records import RecordView, Role, Sex
from kinlink.linkage import default_spec
from kinlink.linkage.features import FeatureBuilder
from kinlink.linkage.model import TrainedModel, packaged_model
from kinlink.linkage.ranking import DEFERRED, Ranking, Records, rank_candidates

GIVEN = {Sex.MALE: ("Олександр", "Александр", "Oleksandr", "Петро", "Сашко", "Данило",
                    "Богдан", "Ярослав", "Максим"),
         Sex.FEMALE: ("Марія", "Мария", "Ганна", "Анна", "Софія", "Злата", "Дарина")}
SURNAMES = ("Петренко", "Петренка", "Petrenko", "Коваленко", "Коваль", "Бойко", "Бойка",
            "Шевчук", "Шевчуков", "Мельник", "Мельников", "Ткаченко", "Кравець")
FATHERS = ("Іванович", "Иванович", "Сергійович", "Петрович", None)
PLACES = ("Херсон", "Маріуполь", "Мариуполь", "Олешки", None)


def _model() -> TrainedModel:
    found = packaged_model()
    assert found is not None
    return found


def _record(pk: int, rng: random.Random, role: Role) -> RecordView:
    sex = rng.choice((Sex.MALE, Sex.FEMALE))
    dated = rng.random() < 0.85
    month = rng.choice((None, 1, 2, 3, 4)) if dated else None
    return RecordView(
        id=pk, source_id=1 + pk % 3, record_id=f"R-{pk}", line=pk + 1, role=role,
        given_name=rng.choice(GIVEN[sex]), surname=rng.choice(SURNAMES),
        patronymic=rng.choice(FATHERS), full_name=None, sex=sex,
        birth_year=2014 if dated else None, birth_month=month,
        birth_day=rng.randint(1, 28) if month and rng.random() < 0.8 else None,
        birth_place=rng.choice(PLACES), last_known_place=rng.choice(PLACES),
        event_year=2022, event_month=10, event_day=14, notes=None)


def _records(rows: list[RecordView]) -> Records:
    builder = FeatureBuilder(display=True)
    for uid, r in enumerate(rows):
        builder.add_stored(uid, r)
    features, display = builder.finish_rows(siblings=True)
    return Records(features, display)


def _rank(child: RecordView, rows: list[RecordView], limit: int | None) -> Ranking:
    return rank_candidates(default_spec(), _model(), _records([child]), _records(rows),
                           child_birth=child.birth,
                           candidate_births=[r.birth for r in rows], limit=limit)


def _shown(ranking: Ranking) -> list[tuple[object, ...]]:
    return [(r.uid, r.weight, r.probability, r.listed_for, r.explanation)
            for r in ranking.ranked]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("limit", [1, 3, 25])
def test_the_same_ranking_as_levelling_everyone(seed: int, limit: int) -> None:
    rng = random.Random(seed)
    child = _record(0, rng, Role.SOUGHT)
    rows = [_record(pk, rng, Role.FOUND) for pk in range(1, 400)]
    whole = _rank(child, rows, None)
    first = _rank(child, rows, limit)
    assert first.listed == whole.listed
    by_date = [r for r in whole.ranked if r.by_date][:limit]
    undated = [r for r in whole.ranked if not r.by_date][:limit]
    assert _shown(first) == _shown(Ranking(by_date + undated, whole.listed))


def test_some_candidates_are_left_unlevelled() -> None:
    """The shortcut is taken: on a window like these, most candidates' family names are
    never levelled (counted through the leveller of the deferred comparison)."""
    import kinlink.linkage.ranking as ranking

    calls: list[int] = []
    real = ranking.level_vectors
    deferred = _deferred()

    def counting(*args: Any, only: Collection[int] | None = None) -> list[tuple[int, ...]]:
        found = real(*args, only=only)
        if only is not None and set(only) <= deferred:
            calls.append(len(found))
        return found

    rng = random.Random(11)
    child = _record(0, rng, Role.SOUGHT)
    rows = [_record(pk, rng, Role.FOUND) for pk in range(1, 1500)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ranking, "level_vectors", counting)
        _rank(child, rows, 25)
    assert 0 < sum(calls) < len(rows) / 2


def _deferred() -> set[int]:
    return {n for n, c in enumerate(default_spec().comparisons) if c.name in DEFERRED}
