"""``kinlink names explain`` and ``kinlink names compare``."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kinlink.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")


def test_explain_shows_both_analyses_and_the_reasons() -> None:
    result = runner.invoke(app, ["names", "explain", "Олександр Петренко", "Aleksandr Petrenko"])
    assert result.exit_code == 0
    text = result.stdout
    assert "Russian form of Олександр" in text
    assert "Ukrainian form of Олександр" in text
    assert "same name, Ukrainian and Russian forms of Олександр" in text
    assert "Verdict: same" in text


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
