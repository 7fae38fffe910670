"""``kinlink backup`` and ``kinlink restore`` at the command line: the short form, the
key file, verify, restore and what `kinlink audit verify` says afterwards."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kinlink.cli import app

runner = CliRunner()


def test_backup_verify_restore_and_audit(data_dir: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINLINK_ROLE", "admin")
    key, file = tmp_path / "backup.key", tmp_path / "store.kbk"
    assert runner.invoke(app, ["backup", "new-key", str(key)]).exit_code == 0
    assert runner.invoke(app, ["backup", "new-key", str(key)]).exit_code == 2
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0
    made = runner.invoke(app, ["backup", str(file), "--key-file", str(key)])
    assert made.exit_code == 0, made.output
    assert "SHA-256 of the file" in made.output
    both = runner.invoke(app, ["backup", str(file), "--key-file", str(key),
                               "--to-dir", str(tmp_path)])
    assert both.exit_code == 2
    checked = runner.invoke(app, ["backup", "verify", str(file), "--key-file", str(key)])
    assert checked.exit_code == 0, checked.output
    assert "The backup is intact" in checked.output

    target = tmp_path / "new"
    shutil.copytree(data_dir / "keys", target / "keys")
    monkeypatch.setenv("KINLINK_DATA_DIR", str(target))
    url = f"sqlite:///{target / 'kinlink.sqlite3'}"
    restored = runner.invoke(app, ["restore", str(file), "--key-file", str(key),
                                   "--into", url])
    assert restored.exit_code == 0, restored.output
    assert "0 sessions ended" in restored.output
    again = runner.invoke(app, ["restore", str(file), "--key-file", str(key), "--into", url])
    assert again.exit_code == 2
    assert "not empty" in again.output
    verified = runner.invoke(app, ["audit", "verify"])
    assert verified.exit_code == 0, verified.output
    assert "intact" in verified.output
