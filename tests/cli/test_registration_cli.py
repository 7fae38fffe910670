"""``kinlink records add``, ``withdraw-consent``, ``correct`` and ``versions``: a report
typed at the command line, linked to the Russian list already imported, corrected with a
reason, its earlier version shown, its consent withdrawn."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from kinlink.cli import app
from kinlink.config import Settings
from kinlink.storage import open_store
from kinlink.storage.casework_tables import ConsentRow
from kinlink.storage.tables import RecordRow
from registerworld import FOUND_RU, REPORT_UK

runner = CliRunner()


def _record(data_dir: Path, pk: int) -> tuple[int, int | None]:
    store = open_store(Settings(data_dir=data_dir))
    try:
        with store.transaction() as session:
            row = session.get(RecordRow, pk)
            assert row is not None
            return row.version, row.birth_year
    finally:
        store.dispose()


def test_register_correct_and_withdraw_at_the_command_line(
        data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINLINK_ROLE", "case_worker")
    monkeypatch.setenv("KINLINK_AGENCY", "1")
    found = tmp_path / "found-ru.csv"
    found.write_text(FOUND_RU, encoding="utf-8")
    assert runner.invoke(app, ["import", str(found), "--kind", "camp_list"]).exit_code == 0

    bad = runner.invoke(app, ["records", "add", "--surname", "Коваленко",
                              "--birth-date", "31.02.2015", "--reporter-name", "Ганна"])
    assert bad.exit_code == 2
    assert "date of birth:" in bad.output

    added = runner.invoke(app, [
        "records", "add", "--surname", REPORT_UK["surname"],
        "--given-name", REPORT_UK["given_name"], "--patronymic", REPORT_UK["patronymic"],
        "--sex", "ч", "--birth-date", "2011", "--birth-place", REPORT_UK["birth_place"],
        "--reporter-name", REPORT_UK["reporter_name"], "--reporter-relationship", "мати",
        "--language", "uk", "--channel", "hotline"])
    assert added.exit_code == 0, added.output
    assert "cases opened: 1" in added.output
    pk = int(added.output.split("Registered record ")[1].split()[0])

    corrected = runner.invoke(app, ["records", "correct", str(pk), "--set",
                                    "birth_date=12.03.2015", "--reason",
                                    "birth certificate seen"])
    assert corrected.exit_code == 0, corrected.output
    assert "version 2; changed: date of birth" in corrected.output
    assert _record(data_dir, pk) == (2, 2015)
    stale = runner.invoke(app, ["records", "correct", str(pk), "--set", "sex=ж",
                                "--reason", "typo", "--version", "1"])
    assert stale.exit_code == 2
    assert "corrected by someone else" in stale.output

    listed = runner.invoke(app, ["records", "versions", str(pk)])
    assert listed.exit_code == 0, listed.output
    assert "birth certificate seen" in listed.output
    shown = runner.invoke(app, ["records", "versions", str(pk), "--show", "1"])
    assert shown.exit_code == 0, shown.output
    assert "2011" in shown.output

    withdrawn = runner.invoke(app, ["records", "withdraw-consent", str(pk), "--reason",
                                    "the mother asked"])
    assert withdrawn.exit_code == 0, withdrawn.output
    store = open_store(Settings(data_dir=data_dir))
    with store.transaction() as session:
        consent = session.execute(select(ConsentRow)).scalar_one()
        assert consent.withdrawn_reason == "the mother asked"
    store.dispose()


def test_a_found_child_from_json(data_dir: Path, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINLINK_ROLE", "case_worker")
    body = tmp_path / "found.json"
    body.write_text(json.dumps({"role": "found", "channel": "visit", "fields": {
        "surname": "Сидоренко", "given_name": "Марія", "birth_date": "07.2013"}}),
        encoding="utf-8")
    added = runner.invoke(app, ["records", "add", "--from-json", str(body)])
    assert added.exit_code == 0, added.output
    assert "cases opened: 0" in added.output
