"""``kinlink users``: the first administrator once, users, resets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kinlink.cli import app

runner = CliRunner()



def test_create_admin_once_and_manage_users(fresh_data_dir: Path) -> None:
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


def test_the_first_administrator_replaces_the_printed_password_at_first_sign_in(
        fresh_data_dir: Path) -> None:
    """The `make run` path: create-admin prints a password and a second factor; signing
    in with them opens nothing but the password change."""
    import pyotp
    from fastapi.testclient import TestClient

    from kinlink.config import Settings
    from kinlink.server import create_app

    first = runner.invoke(app, ["users", "create-admin"])
    assert "to be replaced by one of the person's own at the first sign-in" in first.stdout
    password = re.search(r"Password:\s+(\S{20,})", first.stdout)
    secret = re.search(r"TOTP secret: (\S+)", first.stdout)
    assert password is not None
    assert secret is not None
    assert "to change" in runner.invoke(app, ["users", "list"]).stdout
    web = create_app(Settings(data_dir=fresh_data_dir, cookie_secure=False))
    try:
        client = TestClient(web)
        login = client.post("/api/v1/auth/login", json={"username": "admin",
                                                        "password": password.group(1)})
        second = client.post("/api/v1/auth/second-factor",
                             json={"code": pyotp.TOTP(secret.group(1)).now()},
                             headers={"X-CSRF-Token": login.json()["csrf_token"]})
        assert second.json()["stage"] == "change_password"
        headers = {"X-CSRF-Token": second.json()["csrf_token"]}
        assert client.get("/api/v1/admin/users").status_code == 403
        assert client.post("/api/v1/me/password", headers=headers, json={
            "current": password.group(1), "new": "Cherry orchard by the Desna, 1987"}
                           ).status_code == 204
        assert client.get("/api/v1/admin/users").status_code == 200
    finally:
        web.state.services.jobs.shutdown()
        web.state.services.store.dispose()
    listed = runner.invoke(app, ["users", "list"]).stdout
    assert "to change" not in listed
    assert " own " in listed


def test_serve_believes_forwarded_addresses_only_from_named_proxies(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sign-in throttling counts by the client's address: by default uvicorn must not
    take it from X-Forwarded-For (its own default believes any local process)."""
    import uvicorn

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(uvicorn, "run", lambda _app, **options: calls.append(options))
    assert runner.invoke(app, ["serve"]).exit_code == 0
    monkeypatch.setenv("KINLINK_TRUSTED_PROXIES", "10.0.0.5, 10.0.1.0/24")
    assert runner.invoke(app, ["serve"]).exit_code == 0
    assert [(c["proxy_headers"], c["forwarded_allow_ips"]) for c in calls] == [
        (False, None), (True, "10.0.0.5, 10.0.1.0/24")]


def test_create_demo_prints_each_account_once_and_then_nothing(
        fresh_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`make run` after create-admin: the demo supervisor and case worker of the demo
    agency, each with password, TOTP secret and otpauth URI — each secret whole on one
    line in a 60-column terminal, to be copied; a second run makes nothing; both must
    change the printed password at their first sign-in."""
    from kinlink.cli.context import out

    with monkeypatch.context() as narrow:
        narrow.setattr(out, "width", 60)
        first = runner.invoke(app, ["users", "create-demo"])
    assert first.exit_code == 0, first.output
    assert "Demo supervisor created (agency: Home agency)" in first.stdout
    assert "Demo case worker created (agency: Home agency)" in first.stdout
    assert len(re.findall(r"Password:\s+\S{20,}", first.stdout)) == 2
    for name in ("demo-supervisor", "demo-caseworker"):
        assert re.search(rf"^User name:\s+{name}$", first.stdout, re.MULTILINE)
        uri = re.search(rf"^TOTP URI:    (otpauth://totp/kinlink:{name}\?secret=\S+)$",
                        first.stdout, re.MULTILINE)
        assert uri is not None, first.stdout
        assert len(uri.group(0)) > 60
        assert "issuer=" in uri.group(1)
    assert len(re.findall(r"TOTP secret: [A-Z2-7]{16,}", first.stdout)) == 2
    again = runner.invoke(app, ["users", "create-demo"])
    assert again.exit_code == 0
    assert "exist already; nothing was created" in again.stdout
    assert "Password" not in again.stdout
    listed = runner.invoke(app, ["users", "list"]).stdout
    for line in (row for row in listed.splitlines() if "demo-" in row):
        assert "to change" in line
        assert "set up" in line
    assert "supervisor" in listed
    assert "case worker" in listed  # the role in words
