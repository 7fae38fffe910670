"""``kinlink names explain`` and ``kinlink names compare``."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kinlink.cli import app
from kinlink.domain.dates import PartialDate
from kinlink.linkage import (
    Explanation,
    FeatureBuilder,
    default_spec,
    packaged_model,
)
from kinlink.linkage.ranking import Records, rank_candidates
from kinlink.linkage.tasks import Side

runner = CliRunner()


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")


def _row(text: str, title: str) -> str:
    """The line of the comparison table (printed last) that starts with ``title``."""
    return [line for line in text.splitlines() if line.strip("│ ").startswith(title)][-1]


def test_explain_shows_both_analyses_and_the_levels_linkage_finds() -> None:
    result = runner.invoke(app, ["names", "explain", "Олександр Петренко", "Aleksandr Petrenko"])
    assert result.exit_code == 0
    text = result.stdout
    assert "Russian form of Олександр" in text
    assert "Ukrainian form of Олександр" in text
    given = _row(text, "given name")
    assert "same: the same name" in given
    assert "+5.6*" in given  # the packaged model's weight, adjusted for frequency in a pair
    assert "same name, Ukrainian and Russian forms of Олександр" in given  # the detail
    family = _row(text, "surname and patronymic")
    assert "same_surname: the same surname" in family
    assert "adjusted for how common the name is" in text
    assert re.search(r"Names together: \+\d+\.\d bits", text)
    assert "Verdict" not in text  # no second, disagreeing similarity


def _linked(first: dict[str, object], second: dict[str, object]) -> Explanation:
    """The explanation of the pair of two records as linkage scores it."""
    sides = []
    for fields in (first, second):
        builder = FeatureBuilder()
        builder.add(0, **({"given": None, "surname": None, "patronymic": None,
                           "full_name": None, "sex": None, "birth": None,
                           "birth_place": None, "last_known_place": None,
                           "event": None} | fields))  # type: ignore[arg-type]
        sides.append(Side(("0",), builder.finish()))
    model = packaged_model()
    assert model is not None
    ranking = rank_candidates(default_spec(), model, Records.of(sides[0]),
                              Records.of(sides[1]), child_birth=first.get("birth"),  # type: ignore[arg-type]
                              candidate_births=[second.get("birth")])  # type: ignore[list-item]
    return ranking.ranked[0].explanation


@pytest.mark.slow
def test_explain_weighs_the_names_as_a_linked_pair_does() -> None:
    born = PartialDate(2014, 3, 12)
    linked = _linked({"full_name": "Fedor Sevchenko", "birth": born},
                     {"full_name": "Федір Шевченко", "birth": born})
    result = runner.invoke(app, ["names", "explain", "Fedor Sevchenko", "Федір Шевченко"])
    assert result.exit_code == 0
    for verdict in linked.fields[:2]:
        row = _row(result.stdout, verdict.field)
        level = f"{verdict.level}: "
        assert level in row
        if verdict.field == "surname and patronymic":  # no frequency adjustment
            assert f"{verdict.weight:+.1f}" in row
    family = next(f for f in linked.fields if f.field == "surname and patronymic")
    assert family.level == "fuzzy"  # somewhat similar: Sevchenko is not Shevchenko
    assert family.weight < 0  # and names explain says so, not "similar surname 0.80"


def test_compare_writes_one_row_per_input_row_in_order(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("id,a,b\n1,Олександр Петренко,Aleksandr Petrenko\n"
                     "2,Олександр Петренко,Олександра Петренко\n3,,Petrenko\n"
                     "4,Коля Шевченко,Микола Шевченко\n", encoding="cp1251", errors="replace")
    output = tmp_path / "out.csv"
    result = runner.invoke(app, ["names", "compare", str(pairs), "-o", str(output)])
    assert result.exit_code == 0, result.output
    with output.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["verdict"] for r in rows] == ["same", "different", "unsure", "same"]
    assert [r["a"] for r in rows] == ["Олександр Петренко"] * 2 + ["", "Коля Шевченко"]
    assert all(0.0 <= float(r["score"]) <= 1.0 for r in rows)
    assert list(rows[0]) == ["a", "b", "verdict", "score"]


def test_compare_refuses_a_file_without_a_and_b(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("left,right\nx,y\n", encoding="utf-8")
    result = runner.invoke(app, ["names", "compare", str(pairs), "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 2
    assert "needs columns a and b" in result.output
