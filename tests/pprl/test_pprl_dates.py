"""Format version 3 (layout ``fields3``): a birth year written one off, a date known to
the year or the month only, and day and month written the other way round still link
the child — and namesakes born in other years with the same day and month do not take
its place."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from kinlink.pprl import Parameters, read_encoded
from kinlink.pprl.keys import write_key
from kinlink.pprl.link import (
    DAY_NOT_YEAR,
    LEVELS,
    PART_OF,
    REVIEW,
    YEAR_AGREE,
    _words,
    field_levels,
    held_for_review,
)
from kinlink.pprl.params import SEGMENTS3
from kinlink.usecases.pprl import encode_list, link_lists, make_key

from .test_pprl import CHILDREN, DECOY_SHIFTS, HEADER, SCRIPTS, _best_pairs

YEAR_OFF, YEAR_ONLY, MONTH_ONLY, SWAPPED = 0, 1, 2, 4
"""Which child the found list writes how (child 4 is born 9 May: day and month swap)."""


def _born(n: int, date: str, found: bool) -> str:
    year, month, day = date.split("-")
    if not found:
        return date
    return {YEAR_OFF: f"{int(year) + 1}-{month}-{day}", YEAR_ONLY: year,
            MONTH_ONLY: f"{month}.{year}", SWAPPED: f"{year}-{day}-{month}"}.get(n, date)


def _write(path: Path, script: str, *, found: bool) -> None:
    """The children; on the found list (``found``) written with the changes above and two
    namesakes of each, born years apart on the same day and month, in another town."""
    at = SCRIPTS[script]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n, child in enumerate(CHILDREN):
            given, surname, patronymic = child[at]  # type: ignore[misc,str-unpack,unused-ignore]
            date = str(child[4])
            writer.writerow([f"{script}-{n}", given, surname, patronymic, child[3],
                             _born(n, date, found), child[5][at]])
            for shift in DECOY_SHIFTS if found else ():
                writer.writerow([f"{script}-{n}-x{shift}", given, surname, "", child[3],
                                 f"{int(date[:4]) - shift}{date[4:]}",
                                 CHILDREN[(n + shift) % 6][5][at]])


@pytest.fixture
def encoded(tmp_path: Path) -> tuple[Path, Path]:
    key = tmp_path / "shared.key"
    write_key(key, bytes(range(32)))  # fixed: which bits collide when folded is the key's
    _write(tmp_path / "uk.csv", "uk", found=False)
    _write(tmp_path / "ru.csv", "ru", found=True)
    for side in ("uk", "ru"):
        encode_list(tmp_path / f"{side}.csv", key, tmp_path / f"{side}.clk", seed=3)
    return tmp_path / "uk.clk", tmp_path / "ru.clk"


def test_a_year_off_a_partial_date_and_a_swapped_date_still_link(
        tmp_path: Path, encoded: tuple[Path, Path]) -> None:
    link_lists(*encoded, tmp_path / "pairs.csv")
    best = _best_pairs(tmp_path / "pairs.csv")
    assert {left: right for left, (_p, right) in best.items()} == {
        f"uk-{n}": f"ru-{n}" for n in range(len(CHILDREN))}
    assert all(p >= REVIEW for p, _right in best.values())


def test_the_date_levels_say_year_off_and_part_of(encoded: tuple[Path, Path]) -> None:
    """What the linker reads of the birth date: the day and month agreeing with the year
    one off is a level of its own (not so for the namesakes born years before); so is
    a date known to the year or month only that a full date contains; the day segment
    is not read apart (one date, one field)."""
    left, right = (read_encoded(p) for p in encoded)
    names = list(left.params.segments())
    at = {rid: n for n, rid in enumerate(right.ids)}
    pairs = [(n, at[f"ru-{n}"]) for n in range(len(CHILDREN))] + [
        (0, at[f"ru-0-x{DECOY_SHIFTS[0]}"])]
    i, j = (np.array(side) for side in zip(*pairs, strict=True))
    levels = field_levels(_words(left.bits), _words(right.bits), i, j, left.params)
    year = levels[:, names.index("year")].tolist()
    assert year[YEAR_OFF] == DAY_NOT_YEAR
    assert year[-1] < YEAR_AGREE  # the namesake: same day and month, three years before
    assert year[YEAR_ONLY] == PART_OF
    assert year[MONTH_ONLY] == PART_OF
    assert year[3] >= YEAR_AGREE
    assert year[3] != PART_OF
    assert (levels[:, names.index("day")] == 0).all()


def test_version_2_files_are_still_linked_by_their_own_rules(tmp_path: Path) -> None:
    """A version-2 pair of files (layout ``fields``) links as before: the full dates
    agree, the namesakes stay apart."""
    key = make_key(tmp_path / "shared.key")
    _write(tmp_path / "uk.csv", "uk", found=False)
    _write(tmp_path / "ru.csv", "ru", found=False)
    for side in ("uk", "ru"):
        encode_list(tmp_path / f"{side}.csv", key, tmp_path / f"{side}.clk",
                    params=Parameters.fields2(), seed=3)
    result = link_lists(tmp_path / "uk.clk", tmp_path / "ru.clk", tmp_path / "pairs.csv")
    found = {(p.left_id, p.right_id) for p in result.pairs()}
    assert {(f"uk-{n}", f"ru-{n}") for n in range(len(CHILDREN))} <= found


def test_a_year_off_or_a_partial_date_is_never_an_automatic_link(
        tmp_path: Path, encoded: tuple[Path, Path]) -> None:
    """As plain kinlink's date vetoes: a child found with its birth year one off, or with a
    date known to the year or the month only, is linked for a person to decide, whatever
    the model says; the children written the same on both lists stay automatic."""
    link_lists(*encoded, tmp_path / "pairs.csv")
    with (tmp_path / "pairs.csv").open(encoding="utf-8") as handle:
        decision = {(row["left_id"], row["right_id"]): row["decision"]
                    for row in csv.DictReader(handle)}
    for n in (YEAR_OFF, YEAR_ONLY, MONTH_ONLY):
        assert decision[(f"uk-{n}", f"ru-{n}")] == "review"
    assert decision[("uk-3", "ru-3")] == "match"


def test_dates_patronymics_and_a_like_name_from_another_town_hold_for_review() -> None:
    """Whatever the model says: a birth date under the top band (here a year one off),
    a patronymic present on both sides that differs (siblings), names agreeing less than
    in full with the places disagreeing (a like name from another town). A missing place
    holds nothing; a pair agreeing on everything is not held."""
    names = [name for name, _size in SEGMENTS3]
    top = len(LEVELS) + 1
    rows = np.full((5, len(names)), top, dtype=np.uint8)
    rows[:, names.index("day")] = 0
    rows[2, names.index("names")] = top - 1
    rows[2, names.index("place")] = 1
    rows[3, names.index("names")] = top - 1
    rows[3, names.index("place")] = 0
    rows[4, names.index("year")] = DAY_NOT_YEAR
    father = np.array([False, True, False, False, False])
    assert held_for_review(rows, names, father).tolist() == [False, True, True, False, True]
