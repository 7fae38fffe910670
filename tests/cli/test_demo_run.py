"""``kinlink demo run``: the generated lists import completely, and only once."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from kinlink.cli import app
from kinlink.config import Settings
from kinlink.storage import open_store
from kinlink.storage.tables import ImportRunRow, RecordRow, SourceRow

runner = CliRunner()


def test_demo_run_imports_every_generated_row_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    monkeypatch.delenv("KINLINK_DATABASE_URL", raising=False)
    monkeypatch.setenv("KINLINK_DATA_DIR", str(data_dir))
    monkeypatch.setenv("COLUMNS", "200")
    first = runner.invoke(app, ["demo", "run", "--children", "150"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(app, ["demo", "run", "--children", "150"])
    assert second.exit_code == 0
    assert second.stdout.count("already imported") == 4
    with (data_dir / "demo" / "truth.csv").open(encoding="utf-8") as handle:
        truth = {(row["file"], row["record_id"]) for row in csv.DictReader(handle)}
    store = open_store(Settings(data_dir=data_dir))
    with store.transaction() as session:
        stored = set(session.execute(
            select(SourceRow.original_filename, RecordRow.record_id)
            .join(SourceRow, SourceRow.id == RecordRow.source_id)).all())
        runs = session.execute(select(ImportRunRow)).scalars().all()
    store.dispose()
    assert {tuple(row) for row in stored} == truth
    assert all(run.rejected == 0 and run.field_errors == 0 for run in runs if run.source_id)
