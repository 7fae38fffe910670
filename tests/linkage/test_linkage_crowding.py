"""Records with hundreds of look-alikes keep only their strongest review candidates.

A list whose children share a given name, a birth month and little else once produced
seven million review pairs for 20,000 records and ran for hours; the cap keeps the queue
and the run usable, and says how much it left out.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pyarrow as pa
import pytest
from sqlalchemy import select

from kinlink.domain.records import SourceKind
from kinlink.ingest import ImportRequest, import_file
from kinlink.linkage import (
    LinkageSpec,
    Scored,
    Thresholds,
    TrainedModel,
    default_spec,
    finish,
    packaged_model,
)
from kinlink.linkage.engine import level_for_gamma
from kinlink.matching import match_store
from kinlink.storage import Store
from kinlink.storage.linkage import LinkageRepository
from kinlink.storage.tables import AuditEventRow

CAP = 3


def _model() -> TrainedModel:
    model = packaged_model()
    assert model is not None
    return model


def _spec(cap: int = CAP) -> LinkageSpec:
    spec = default_spec()
    thresholds = dataclasses.replace(spec.thresholds, review_per_record=cap)
    return dataclasses.replace(spec, thresholds=thresholds)


def _scored(rows: list[tuple[int, int, float, float]]) -> Scored:
    spec = default_spec()
    table = {"left_uid": [r[0] for r in rows], "right_uid": [r[1] for r in rows],
             "match_weight": [r[2] for r in rows], "match_probability": [r[3] for r in rows]}
    for comparison in spec.comparisons:  # gammas that no veto fires on: nothing to
        table[f"gamma_{comparison.name}"] = [-1] * len(rows)  # compare but the birth day
    birth = spec.comparison("birth_date")
    exact = next(g for g in range(len(birth.levels)) if level_for_gamma(birth, g).name == "exact")
    table["gamma_birth_date"] = [exact] * len(rows)
    return Scored(pa.table(table), (), (), {})


def test_only_the_strongest_review_pairs_of_a_crowded_record_are_kept() -> None:
    rows = [(1, 10 + i, float(i), 0.5) for i in range(6)]  # record 1: six reviews
    rows += [(2, 10, 9.0, 0.5), (4, 10, 8.0, 0.5), (5, 10, 7.0, 0.5)]  # 10: four
    rows += [(3, 97 + i, 18.0 + i, 0.9999) for i in range(3)]  # matches: always kept
    pairs = finish(_spec(cap=2), _model(), _scored(rows))
    kept = {(r["left_uid"], r["right_uid"]) for r in pairs.table.to_pylist()}
    # (1, 10) is neither among record 1's two strongest (15, 14) nor among record
    # 10's (2, 4); every other pair is the strongest of at least one of its records.
    assert kept == {(a, b) for a, b, _, _ in rows} - {(1, 10)}
    assert pairs.crowded.records == 2
    assert pairs.crowded.dropped == 1
    assert pairs.crowded.words().startswith("2 records each had more than 2 look-alike")


def test_no_crowding_changes_nothing() -> None:
    rows = [(1, 10, 3.0, 0.5), (2, 11, 4.0, 0.6)]
    pairs = finish(default_spec(), _model(), _scored(rows))
    assert pairs.table.num_rows == 2
    assert pairs.crowded.records == 0
    assert pairs.crowded.words() == ""


def test_thresholds_refuse_a_cap_below_one() -> None:
    with pytest.raises(ValueError, match="review_per_record"):
        Thresholds(match=0.999, review=0.2, review_per_record=0)


@pytest.mark.slow
def test_a_list_of_look_alikes_is_linked_with_a_capped_queue(store: Store,
                                                              tmp_path: Path) -> None:
    path = tmp_path / "alike.csv"
    rows = [f"A{i},Петренко{i % 3},Олександр,{1 + i % 4:02d}.03.2014,ч" for i in range(240)]
    path.write_text("record_id,surname,given_name,birth_date,sex\n" + "\n".join(rows) + "\n",
                    encoding="utf-8")
    import_file(store, ImportRequest(path=path, imported_by="tester",
                                     kind=SourceKind.ADOPTION_REGISTRY))
    result = match_store(store, actor="tester", spec=_spec())
    assert result.crowded.records > 0
    assert result.crowded.dropped > 0
    with store.transaction() as session:
        stored = LinkageRepository(session).pairs("review")
        audit = session.execute(select(AuditEventRow.details).where(
            AuditEventRow.action == "linkage.match")).scalar_one()
    # uncapped, the shared birth dates and surnames give thousands of review pairs
    assert 0 < len(stored) <= 2 * CAP * 240
    assert len(stored) == result.reviews
    assert audit["crowded_records"] == result.crowded.records
    assert audit["crowded_pairs_dropped"] == result.crowded.dropped
