"""The commands print times as the pages do (issue 16: ``kinlink imports`` showed UTC,
the pages Kyiv time): in the configured zone (``KINLINK_TIMEZONE``, Europe/Kyiv by
default), with the offset shown."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from kinlink.cli import app
from kinlink.cli.context import local_day, local_time
from kinlink.config import Settings
from kinlink.storage import open_store
from kinlink.storage.tables import ImportRunRow, SourceRow

runner = CliRunner()
STARTED = dt.datetime(2026, 12, 1, 22, 30, tzinfo=dt.UTC)  # 2 December, 00:30 in Kyiv


def test_a_moment_is_printed_in_the_configured_zone_with_its_offset() -> None:
    kyiv = Settings(timezone="Europe/Kyiv")
    assert local_time(STARTED, kyiv) == "2026-12-02 00:30 +02:00"
    assert local_time(STARTED.replace(tzinfo=None), kyiv) == "2026-12-02 00:30 +02:00"
    assert local_time(dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC), kyiv) \
        == "2026-07-01 12:00 +03:00"  # summer time
    assert local_time(STARTED, Settings(timezone="UTC")) == "2026-12-01 22:30 +00:00"
    assert local_day(STARTED, kyiv) == "2026-12-02"


def test_kinlink_imports_and_sources_show_kyiv_time(data_dir: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    listed = tmp_path / "family.csv"
    listed.write_text("record_id,surname,given_name,birth_date\nF-1,Петренко,Олена,2014\n",
                      encoding="utf-8")
    imported = runner.invoke(app, ["import", str(listed), "--kind", "family_reports",
                                   "--no-link"])
    assert imported.exit_code == 0, imported.output
    store = open_store(Settings())
    try:
        with store.transaction() as session:
            session.execute(update(ImportRunRow).values(started_at=STARTED))
            session.execute(update(SourceRow).values(imported_at=STARTED))
    finally:
        store.dispose()
    runs = runner.invoke(app, ["imports"])
    assert runs.exit_code == 0, runs.output
    assert "2026-12-02 00:30 +02:00" in runs.stdout
    assert not re.search(r"2026-12-01 22:30", runs.stdout)
    sources = runner.invoke(app, ["sources"])
    assert "2026-12-02 00:30 +02:00" in sources.stdout
    monkeypatch.setenv("KINLINK_TIMEZONE", "UTC")
    assert "2026-12-01 22:30 +00:00" in runner.invoke(app, ["imports"]).stdout
