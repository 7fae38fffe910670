"""``kinlink children identities``: a reported child's possible new identities."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from kinlink.cli import app
from kinlink.config import Settings
from kinlink.demo import DemoConfig, generate
from kinlink.storage import open_store
from kinlink.storage.tables import RecordRow

runner = CliRunner()
pytestmark = pytest.mark.slow


def test_identities_json_and_table(data_dir: Path, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINLINK_ROLE", "case_worker")
    for item in generate(tmp_path / "demo", DemoConfig(children=150, seed=3)):
        assert runner.invoke(app, ["import", str(item.path), "--kind", item.kind]).exit_code == 0
    store = open_store(Settings(data_dir=data_dir))
    with store.transaction() as session:
        child = session.execute(select(RecordRow).where(
            RecordRow.role == "sought", RecordRow.birth_day.is_not(None))
            .order_by(RecordRow.id)).scalars().first()
    store.dispose()
    assert child is not None
    shown = runner.invoke(app, ["children", "identities", str(child.id), "--json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert data["record"] == child.id
    assert data["considered"] == data["in_window"] == len(data["candidates"]) > 0
    weights = [c["explanation"]["match_weight"] for c in data["candidates"]]
    assert weights == sorted(weights, reverse=True)
    assert all(c["listed_for"][0]["reason"] == "born_near" for c in data["candidates"])
    table = runner.invoke(app, ["children", "identities", str(child.id), "--limit", "3",
                                "--why", "1"])
    assert table.exit_code == 0, table.output
    assert "Born within three months of the child, strongest first" in table.stdout
    assert "Why candidate 1" in table.stdout
    assert "Listed because: born within three months of the child" in table.stdout
    # probabilities are placed against the thresholds, never printed as 0.0000
    assert re.search(r"\d\.\d{4}\b", table.stdout) is None, table.stdout
    assert "review from" in table.stdout
    assert "%" in table.stdout
    missing = runner.invoke(app, ["children", "identities", "999999"])
    assert missing.exit_code == 2
    assert "there is no record 999999" in missing.output
