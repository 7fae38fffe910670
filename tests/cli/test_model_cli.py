"""``kinlink model show``: the packaged model, a saved one, the store's, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kinlink.cli import app
from kinlink.demo import DemoConfig, generate
from kinlink.linkage import default_spec, packaged_model

runner = CliRunner()



def test_show_prints_every_comparison_and_the_thresholds(data_dir: Path) -> None:
    model = packaged_model()
    assert model is not None
    result = runner.invoke(app, ["model", "show"])
    assert result.exit_code == 0, result.output
    assert model.version in result.stdout
    for comparison in default_spec().comparisons:
        assert comparison.title in result.stdout
    assert "Linked without review at probability ≥ 0.999" in result.stdout
    assert "47× more likely the same child" in result.stdout  # the same given name


def test_show_json_of_a_saved_model(data_dir: Path, tmp_path: Path) -> None:
    model = packaged_model()
    assert model is not None
    saved = tmp_path / "model.json"
    saved.write_text(model.to_json(), encoding="utf-8")
    result = runner.invoke(app, ["model", "show", str(saved), "--json"])
    assert result.exit_code == 0, result.output
    card = json.loads(result.stdout)
    assert card["version"] == model.version
    assert card["origin"] == "read from model.json"
    given = {lv["level"]: lv for lv in card["levels"] if lv["comparison"] == "given name"}
    assert given["same"]["m"] == model.levels["given_name"]["same"].m


def test_a_file_that_is_not_a_model_is_refused_in_words(data_dir: Path,
                                                        tmp_path: Path) -> None:
    bad = tmp_path / "pairs.csv"
    bad.write_text("left_id,right_id\n", encoding="utf-8")
    result = runner.invoke(app, ["model", "show", str(bad)])
    assert result.exit_code == 2
    assert "pairs.csv: not a kinlink linkage model" in result.output


@pytest.mark.slow
def test_store_model_and_score_check_before_and_after_match(data_dir: Path,
                                                           tmp_path: Path) -> None:
    before = runner.invoke(app, ["model", "show", "--store"])
    assert before.exit_code == 2
    assert "`kinlink match` trains one" in before.output
    empty = runner.invoke(app, ["model", "check"])
    assert empty.exit_code == 0, empty.output
    assert "No candidate pairs in the store yet" in empty.stdout
    kept: dict[str, int] = {}
    for item in generate(tmp_path / "demo", DemoConfig(children=300, seed=5)):
        imported = runner.invoke(app, ["import", str(item.path), "--kind", item.kind,
                                       "--json"])
        assert imported.exit_code == 0, imported.output
        kept = json.loads(imported.stdout)["linking"]["pairs_kept"]  # import links too
    pairs = sum(kept.values())
    assert pairs > 0
    after = runner.invoke(app, ["model", "show", "--store", "--json"])
    assert after.exit_code == 0, after.output
    card = json.loads(after.stdout)
    assert card["trained_by"] == "operator"
    assert card["fits_spec"]
    assert "kept in the store, trained by operator" in card["origin"]

    check = json.loads(runner.invoke(app, ["model", "check", "--json"]).stdout)
    assert sum(band["pairs"] for band in check["bands"]) == pairs
    assert check["automatic_confirmed"] == check["automatic_reversed"] == 0
    assert all(band["consistent"] is None for band in check["bands"])
    shown = runner.invoke(app, ["model", "check"])
    assert shown.exit_code == 0, shown.output
    assert "The model's scores against people's decisions" in shown.stdout
    assert "none has been checked by a person" in shown.stdout
