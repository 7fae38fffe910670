"""The shortcuts that make a child's possible identities fast (issue 15) give what the
plain computation gives: a remembered record's features, the comparison vectors scored
once, a family key read without building the record, and the sibling signatures left
out only where no score can read them."""

from __future__ import annotations

from kinlink.domain.dates import PartialDate
from kinlink.domain.records import RecordView, Role, Sex
from kinlink.linkage import default_spec
from kinlink.linkage.engine import level_for_gamma
from kinlink.linkage.features import FeatureBuilder, family_keys
from kinlink.linkage.model import TrainedModel, packaged_model
from kinlink.linkage.pairwise import (
    PER_RECORD,
    VectorScorer,
    every_pair,
    level_vectors,
    leveller,
    score_rows,
)
from kinlink.linkage.ranking import siblings_matter


def _record(pk: int, given: str, surname: str, sex: Sex, birth: tuple[int, ...], *,
            source: int = 1, patronymic: str | None = "Іванович",
            place: str | None = "Маріуполь") -> RecordView:
    year, month, day = (*birth, None, None)[:3]
    return RecordView(id=pk, source_id=source, record_id=f"R-{pk}", line=pk + 1,
                      role=Role.FOUND, given_name=given, surname=surname,
                      patronymic=patronymic, full_name=None, sex=sex, birth_year=year,
                      birth_month=month, birth_day=day, birth_place=place,
                      last_known_place="Маріуполь", event_year=2022, event_month=4,
                      event_day=2, notes=None)


RECORDS = (
    _record(1, "Петро", "Коваленко", Sex.MALE, (2012, 3, 14)),
    _record(2, "Марія", "Коваленко", Sex.FEMALE, (2014, 7, 1), patronymic="Іванівна"),
    _record(3, "Олег", "Коваленко", Sex.MALE, (2013, 5)),
    _record(4, "Олександр", "Бойко", Sex.MALE, (2012, 3, 20), source=2, patronymic=None,
            place=None),
    _record(5, "Саша", "Бойко", Sex.MALE, (2012, 6, 2), source=2, patronymic=None),
)
"""A brother and sister (the same surname, father and place in one list), a brother
known to the month only, and two boys of another list."""


def _model() -> TrainedModel:
    found = packaged_model()
    assert found is not None
    return found


def _rows(*, remember: bool, siblings: bool = True) -> list[dict[str, object]]:
    builder = FeatureBuilder(display=True, remember=remember)
    for uid, record in enumerate(RECORDS):
        builder.add_stored(uid, record)
    return builder.finish_rows(siblings=siblings)[0]


def test_remembered_features_are_the_computed_ones() -> None:
    plain = _rows(remember=False)
    assert _rows(remember=True) == plain
    assert _rows(remember=True) == plain  # now read from the memo
    remembered = FeatureBuilder(display=True, remember=True)
    computed = FeatureBuilder(display=True)
    for builder in (remembered, computed):
        builder.add_stored(0, RECORDS[0])
    assert remembered.finish_rows()[1] == computed.finish_rows()[1]


def test_family_keys_are_the_builders_families() -> None:
    rows = _rows(remember=False)
    brother, sister, stranger = RECORDS[0], RECORDS[1], RECORDS[3]
    assert set(family_keys(brother)) & set(family_keys(sister))
    assert rows[0]["siblings"]
    assert rows[1]["siblings"]
    assert not set(family_keys(brother)) & set(family_keys(stranger))
    assert family_keys(RECORDS[2]) == []  # no full birth date: nobody's sibling


def test_a_child_without_siblings_reads_nobodys_signature() -> None:
    spec = default_spec()
    rows = _rows(remember=False)
    assert siblings_matter(spec, rows[0])
    assert not siblings_matter(spec, rows[3])
    blind = _rows(remember=False, siblings=False)
    scorer_model = _model()
    with_families = score_rows(spec, scorer_model, [rows[3]], rows, every_pair(1, len(rows)),
                               frequencies={})
    without = score_rows(spec, scorer_model, [blind[3]], blind, every_pair(1, len(blind)),
                         frequencies={})
    assert with_families == without


def test_a_vector_scores_as_its_pair() -> None:
    spec = default_spec()
    rows = _rows(remember=False)
    trained = _model()
    pairs = every_pair(len(rows), len(rows))
    scored = score_rows(spec, trained, rows, rows, pairs, frequencies={})
    scorer = VectorScorer(spec, trained)
    for (i, j), vector, row in zip(pairs, level_vectors(spec, rows, rows, pairs), scored,
                                   strict=True):
        assert scorer.row(vector, i, j) == row
        assert scorer.weight(vector) == row["match_weight"]


def test_dates_are_kept_whole_in_the_memo() -> None:
    rows = _rows(remember=True)
    assert rows[2]["birth_year"] == 2013
    assert rows[2]["birth_days"] is None
    assert RECORDS[2].birth == PartialDate(2013, 5)


def test_levels_remembered_run_by_run_are_the_plain_ones() -> None:
    """A comparison that reads a record's name pair is remembered by the runs of levels
    around the pair's own (:class:`~kinlink.linkage.pairwise._Segmented`): the same
    level as the plain reading, for names swapped, shared, similar and different, met
    again and again."""
    swapped = (
        _record(6, "Коваленко", "Петро", Sex.MALE, (2012, 3, 14)),
        _record(7, "Петро", "Коваленко", Sex.MALE, (2012, 3, 15), source=2),
        _record(8, "Петя", "Коваленко", Sex.MALE, (2012, 3, 14), patronymic=None),
        _record(9, "Петро", "Коваленка", Sex.MALE, (2012, 4, 1), place=None),
        _record(10, "Pетро", "Kovalenko", Sex.MALE, (2012, 3, 14), source=3),
    )
    builder = FeatureBuilder(display=False)
    for uid, record in enumerate((*RECORDS, *swapped, *RECORDS, *swapped)):
        builder.add_stored(uid, record)
    rows = builder.finish_rows()[0]
    spec = default_spec()
    read = {c for comparison in spec.comparisons for c in comparison.columns()}
    assert read >= PER_RECORD
    pairs = every_pair(len(rows), len(rows))
    plain = [leveller(comparison) for comparison in spec.comparisons]
    assert level_vectors(spec, rows, rows, pairs) == [
        tuple(gamma_of(rows[i], rows[j]) for gamma_of in plain) for i, j in pairs]
    levels = {level_for_gamma(comparison, vector[n]).name
              for vector in level_vectors(spec, rows, rows, pairs)
              for n, comparison in enumerate(spec.comparisons)
              if comparison.name in ("given_name", "family_name")}
    assert {"swapped", "same", "different"} <= levels
