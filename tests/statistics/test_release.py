"""A release's tables: fixed rows, counts of cases as of a date, totals, JSON."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kinlink.statistics.facts import OBLASTS, CaseFact, oblast_code
from kinlink.statistics.release import (
    TABLE_CODES,
    TOTAL,
    CellStatus,
    PublishedCell,
    Release,
    build_release,
    percentage,
    prepare_release,
    rounded,
)
from statfacts import AS_OF, facts


def test_rounding_to_five() -> None:
    assert [rounded(n) for n in (10, 12, 13, 17, 18, 100)] == [10, 10, 15, 15, 20, 100]


def test_oblasts_by_code_or_ukrainian_name() -> None:
    assert oblast_code("Херсонська") == "UA-65"
    assert oblast_code("Херсонська область") == "UA-65"
    assert oblast_code("UA-65") == "UA-65"
    assert oblast_code("Атлантида") == "unknown"
    assert oblast_code(None) == "unknown"


def test_counts_are_cases_as_of_the_date_and_every_case_was_reported() -> None:
    day = dt.date(2024, 3, 5)
    many = [CaseFact(milestones={"located": day, "returned": day + dt.timedelta(days=30)},
                     oblast="UA-65", age_band="5-9", sex="male", return_channel="ngo")
            for _ in range(40)]
    later = [CaseFact(milestones={"reported": AS_OF + dt.timedelta(days=1)})] * 15
    preview = prepare_release(many + later, AS_OF)
    raw = preview.raw
    assert raw["milestones"][("reported", "children")] == 40  # a located case was reported
    assert raw["milestones"][("returned", "children")] == 40
    assert raw["by_month"][("2024-03", "reported")] == 40
    assert raw["by_oblast"][(TOTAL, "located")] == 40
    assert raw["returns_by_channel"][("ngo", "children")] == 40
    assert preview.release.table("milestones").cell("returned", "children") == \
        PublishedCell(40, CellStatus.ROUNDED)
    table = preview.release.table("by_oblast")
    assert table.cell("UA-14", "returned").value is None
    # 40 from one oblast and none from the others: publishing the 40 would show the
    # others to be zero, so it is hidden as well
    assert table.cell("UA-65", "returned").value is None
    assert preview.reasons["by_oblast"][("UA-65", "returned")] == "secondary"


def test_every_row_is_there_whatever_the_data() -> None:
    release = build_release([], AS_OF)
    assert tuple(t.code for t in release.tables) == TABLE_CODES
    assert release.table("by_oblast").rows == (*OBLASTS, "unknown")
    assert all(c.value is None for t in release.tables for c in t.cells.values())


def test_json_round_trip_and_no_raw_counts() -> None:
    preview = prepare_release(facts(800, seed=2), AS_OF)
    data = json.loads(json.dumps(preview.release.to_json()))
    assert Release.from_json(data) == preview.release
    assert data["unit"] == "cases"
    assert data["as_of"] == AS_OF.isoformat()
    published = {c["value"] for t in data["tables"] for c in t["cells"]}
    assert all(v is None or (v >= 10 and v % 5 == 0) for v in published)
    with pytest.raises(ValueError, match="not a kinlink statistics release"):
        Release.from_json({"format": "something else"})


def test_no_percentage_on_fewer_than_ten() -> None:
    ten, five = PublishedCell(10, CellStatus.ROUNDED), PublishedCell(5, CellStatus.ROUNDED)
    hidden = PublishedCell(None, CellStatus.SUPPRESSED)
    assert percentage(five, ten) == 50.0
    assert percentage(ten, hidden) is None
    assert percentage(hidden, ten) is None
    assert percentage(ten, PublishedCell(5, CellStatus.ROUNDED)) is None
