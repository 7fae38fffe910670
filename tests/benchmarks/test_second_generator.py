"""The second test-list generator (``benchmarks/second_generator.py``) writes what it says.

Linkage accuracy measured on its lists is only worth something if the lists are what the
truth file claims: every record has a truth row, the files are valid lists in kinlink's
format, the change tags describe what the record really shows, and the world has the
shape the brief asks for (about 70 % of reported children found, siblings, twins,
namesakes). The benchmark scripts are not a package, so the module is loaded from its
file, with its folder on the path while it imports its sibling modules.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from types import ModuleType

import pytest

from kinlink.domain.records import ParsedRecord
from kinlink.listfiles import read_list

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
CYRILLIC = re.compile(r"[\u0400-\u052f]")
LATIN = re.compile(r"[A-Za-z]")
PARTIAL = re.compile(r"\d{4}|\d{2}\.\d{4}|\d{4}-\d{2}")
NAME_CELLS = ("given_name", "surname", "patronymic", "full_name")


def _load() -> ModuleType:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec = importlib.util.spec_from_file_location(
            "second_generator", BENCHMARKS / "second_generator.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["second_generator"] = module
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCHMARKS))


gen = _load()


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One generated folder of 2,000 reported children, shared by the content tests."""
    folder = tmp_path_factory.mktemp("gen2")
    gen.generate(folder, 2000, 3)
    return folder


@pytest.fixture(scope="module")
def records(world: Path) -> dict[str, list[dict[str, str]]]:
    """Rows of both files, each with its truth row's child_id, identity and tags."""
    truth = {(r["file"], r["record_id"]): r for r in _rows(world / "truth.csv")}
    out: dict[str, list[dict[str, str]]] = {}
    for name in ("left.csv", "right.csv"):
        out[name] = []
        for row in _rows(world / name):
            t = truth[(name, row["record_id"])]
            out[name].append({**row, "child_id": t["child_id"], "identity": t["identity"],
                              "changes": t["changes"]})
    return out


def _tags(row: dict[str, str]) -> set[str]:
    return set(filter(None, row["changes"].split(";")))


def _names(row: dict[str, str]) -> str:
    return " ".join(row[c] for c in NAME_CELLS if c in row)


def test_a_seed_gives_the_same_files_byte_for_byte(tmp_path: Path) -> None:
    gen.generate(tmp_path / "a", 300, 11)
    gen.generate(tmp_path / "b", 300, 11)
    for name in ("left.csv", "right.csv", "truth.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_different_seeds_give_different_lists(tmp_path: Path) -> None:
    gen.generate(tmp_path / "a", 300, 11)
    gen.generate(tmp_path / "b", 300, 12)
    for name in ("left.csv", "right.csv"):
        assert (tmp_path / "a" / name).read_bytes() != (tmp_path / "b" / name).read_bytes()


def test_the_command_line_writes_the_three_files(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    gen.main([str(tmp_path / "out"), "--children", "50", "--seed", "2"])
    assert {p.name for p in (tmp_path / "out").iterdir()} == {"left.csv", "right.csv",
                                                               "truth.csv"}
    assert "left.csv: " in capsys.readouterr().out


def test_the_truth_has_one_row_for_every_record_of_both_files(world: Path) -> None:
    with (world / "truth.csv").open(encoding="utf-8", newline="") as file:
        assert next(csv.reader(file)) == ["file", "record_id", "child_id", "identity",
                                          "changes"]
    truth = _rows(world / "truth.csv")
    keys = [(r["file"], r["record_id"]) for r in truth]
    assert len(keys) == len(set(keys))
    listed = {(name, r["record_id"]) for name in ("left.csv", "right.csv")
              for r in _rows(world / name)}
    assert set(keys) == listed
    left_ids = [r["record_id"] for r in _rows(world / "left.csv")]
    assert len(left_ids) >= 2000
    assert all(r["child_id"] for r in truth)


def test_identities_and_tags_come_from_the_fixed_vocabulary(
        records: dict[str, list[dict[str, str]]]) -> None:
    vocabulary = set(gen.CHANGE_TAGS)
    assert all(r["identity"] == "" for r in records["left.csv"])
    assert {r["identity"] for r in records["right.csv"]} == {"own", "adoptive"}
    for row in records["left.csv"] + records["right.csv"]:
        assert _tags(row) <= vocabulary
        assert (row["identity"] == "adoptive") == ("adoptive_surname" in _tags(row))
        assert "renamed" not in _tags(row) or row["identity"] == "adoptive"
    seen = Counter(t for r in records["right.csv"] for t in _tags(r))
    assert set(seen) == vocabulary  # every kind of change occurs in 2,000 children


@pytest.mark.parametrize("name", ["left.csv", "right.csv"])
def test_the_lists_read_as_kinlink_lists_without_a_rejected_row(world: Path,
                                                                name: str) -> None:
    listed = read_list(world / name)
    accepted = list(listed.records())
    assert listed.rows == len(_rows(world / name))
    assert listed.rejected == 0
    assert listed.field_errors == 0
    assert len(accepted) == listed.rows


def test_name_tags_match_the_names_written(records: dict[str, list[dict[str, str]]]) -> None:
    for row in records["left.csv"] + records["right.csv"]:
        tags, names = _tags(row), _names(row)
        if "latin" in tags:
            assert not CYRILLIC.search(names), row
        else:
            assert CYRILLIC.search(names), row
            # Latin letters inside Cyrillic only where look-alikes were typed
            assert bool(LATIN.search(names)) == ("lookalike" in tags), row
        if "russified" in tags and "latin" not in tags:
            assert not re.search("[іїєґІЇЄҐ]", names), row
        if "full_name" in tags:
            assert row["full_name"], row
            assert not any(row[c] for c in ("given_name", "surname", "patronymic")), row
            assert len(row["full_name"].split()) == (2 if "no_patronymic" in tags else 3), row
        else:
            assert not row.get("full_name"), row
            assert row["given_name"] or row["surname"], row
            assert bool(row["patronymic"]) == ("no_patronymic" not in tags), row


def test_date_tags_match_the_dates_written(records: dict[str, list[dict[str, str]]]) -> None:
    for row in records["left.csv"] + records["right.csv"]:
        tags, written = _tags(row), row["birth_date"]
        assert (written == "") == ("no_birth_date" in tags), row
        assert bool(PARTIAL.fullmatch(written)) == ("partial_date" in tags), row
        if "place_changed" in tags:
            assert row["birth_place"], row


def _parsed(world: Path, name: str) -> dict[str, ParsedRecord]:
    return {r.record_id: r for r in read_list(world / name).records()}


def test_right_records_differ_from_an_untouched_report_exactly_as_tagged(
        world: Path, records: dict[str, list[dict[str, str]]]) -> None:
    left_parsed, right_parsed = _parsed(world, "left.csv"), _parsed(world, "right.csv")
    clean: dict[str, dict[str, str]] = {}
    for row in records["left.csv"]:
        if not _tags(row):
            clean[row["child_id"]] = row
    date_tags = {"date_moved", "year_off", "swap", "partial_date", "no_birth_date"}
    name_tags = {"russified", "latin", "typo", "lookalike", "full_name", "adoptive_surname"}
    checked: Counter[str] = Counter()
    for row in records["right.csv"]:
        report = clean.get(row["child_id"])
        if report is None:
            continue
        tags = _tags(row)
        mine = right_parsed[row["record_id"]].birth_date
        theirs = left_parsed[report["record_id"]].birth_date
        assert mine is not None or "no_birth_date" in tags
        assert theirs is not None
        assert theirs.month is not None
        assert theirs.day is not None
        true_day = dt.date(theirs.year, theirs.month, theirs.day)
        if not tags & date_tags:
            assert mine == theirs, row
            checked["same date"] += 1
        elif tags & date_tags == {"swap"}:
            assert mine is not None
            assert (mine.day, mine.month) == (theirs.month, theirs.day), row
            checked["swap"] += 1
        elif tags & date_tags == {"year_off"}:
            assert mine is not None
            assert abs(mine.year - theirs.year) == 1, row
            checked["year_off"] += 1
        elif tags & date_tags == {"date_moved"}:
            assert mine is not None
            assert mine.month is not None
            assert mine.day is not None
            moved = abs((dt.date(mine.year, mine.month, mine.day) - true_day).days)
            assert 1 <= moved <= 90, row
            checked["date_moved"] += 1
        surname, their_surname = _plain(row["surname"]), _plain(report["surname"])
        if row["identity"] == "adoptive" and surname:
            assert surname != their_surname, row
            checked["adoptive"] += 1
        elif not tags & name_tags:
            assert surname == their_surname, row
            checked["same surname"] += 1
    assert len(checked) == 6, checked
    assert min(checked.values()) >= 3, checked


def _plain(surname: str) -> str:
    return surname.casefold().replace("’", "'").replace("ʼ", "'").replace("`", "'")


def test_the_world_has_the_asked_for_shape(records: dict[str, list[dict[str, str]]]) -> None:
    left, right = records["left.csv"], records["right.csv"]
    reported = {r["child_id"] for r in left}
    found = {r["child_id"] for r in right if r["child_id"] in reported}
    distractors = {r["child_id"] for r in right} - reported
    assert 0.62 <= len(found) / len(reported) <= 0.78
    assert 0.7 <= len(distractors) / len(found) <= 1.3
    twice = sum(1 for n in Counter(r["child_id"] for r in left).values() if n > 1)
    assert 0.01 <= twice / len(reported) <= 0.06
    relisted = sum(1 for n in Counter(r["child_id"] for r in right).values() if n > 1)
    assert relisted > 0.05 * len(found)
    families: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in left:
        if row["group"]:
            families[row["group"]].append(row)
    assert any(len(f) >= 3 for f in families.values())
    twins = [f for f in families.values()
             if len({r["birth_date"] for r in f if r["birth_date"]}) < len(f)
             and len({r["given_name"] for r in f}) == len(f)]
    assert twins, "no pair of twins (same birth date, different given names) in a family"
    names = {(_plain(r["surname"]), r["given_name"]) for r in left}
    namesakes = [r for r in right if r["child_id"] in distractors
                 and (_plain(r["surname"]), r["given_name"]) in names]
    assert namesakes, "no distractor carries a reported child's name"
