"""``kinlink users``: the first administrator once, users, resets."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from kinlink.cli import app

runner = CliRunner()



def test_create_admin_once_and_manage_users(data_dir: Path) -> None:
    first = runner.invoke(app, ["users", "create-admin"])
    assert first.exit_code == 0, first.output
    assert re.search(r"Password:\s+\S{20,}", first.stdout)
    assert "otpauth://totp/kinlink:admin?secret=" in first.stdout
    again = runner.invoke(app, ["users", "create-admin"])
    assert again.exit_code == 0
    assert "exists already" in again.stdout
    made = runner.invoke(app, ["users", "create", "olena", "--role", "supervisor"])
    assert made.exit_code == 0
    assert "TOTP" not in made.stdout
    listed = runner.invoke(app, ["users", "list"])
    assert "olena" in listed.stdout
    assert "at next sign-in" in listed.stdout
    for command in ("reset-password", "reset-second-factor", "unlock"):
        assert runner.invoke(app, ["users", command, "olena"]).exit_code == 0
    missing = runner.invoke(app, ["users", "unlock", "nobody"])
    assert missing.exit_code == 2
    bad = runner.invoke(app, ["users", "create", "x", "--agency", "Nowhere"])
    assert bad.exit_code == 2
