"""Several server processes on one PostgreSQL store (``kinlink serve --workers N``): an
export's one-time download made through one process is given out by another, and once
only; SQLite refuses ``--workers`` above 1 with a clear message.

Real processes: ``kinlink serve`` started as a person starts it, on free ports of
127.0.0.1, one with a single process and one with two uvicorn workers; a request to the
second lands on either of its workers, so the download is tried from each server."""

from __future__ import annotations

import functools
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
import requests
from typer.testing import CliRunner
from webhelpers import own_password

from kinlink.cli import app as cli_app
from kinlink.config import Settings
from kinlink.domain.access import Actor
from kinlink.domain.mediation import ChannelKind, ListField
from kinlink.domain.users import UserRole
from kinlink.encryption import decrypt_files
from kinlink.server import create_app
from kinlink.usecases.channels import create_channel
from kinlink.usecases.lists import add_to_list, new_list
from mediationcases import CHANNEL_FIELDS, verified_cases
from pgdatabases import empty_databases

pytestmark = pytest.mark.slow

_SRC = Path(__file__).resolve().parents[2] / "src"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "kinlink", "serve", "--port", str(port)]
    if workers > 1:
        command += ["--workers", str(workers)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def _wait_until_up(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 300  # a busy machine loads the name tables slowly
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server stopped while starting"
        try:
            if requests.get(f"http://127.0.0.1:{port}/api/openapi.json", timeout=10).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise AssertionError("the server did not start")


def _children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(p) for p in found]


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@pytest.fixture
def shared_store(tmp_path: Path) -> Iterator[tuple[dict[str, str], int, str, str]]:
    """A PostgreSQL store with a list of six verified children on it and a mediator
    liaison with a second factor: the environment to serve it, the list's id, the
    person's name, generated password and authenticator secret."""
    with empty_databases("kinlink_workers") as (url,):
        settings = Settings(data_dir=tmp_path / "data", database_url=url, user="tester",
                            cookie_secure=False)
        app = create_app(settings)
        try:
            store = app.state.services.store
            cases = verified_cases(store, tmp_path)
            boss = Actor("maria", UserRole.SUPERVISOR)
            channel = create_channel(store, boss, "ICRC",
                                     ChannelKind.INTERNATIONAL_ORGANISATION,
                                     [ListField(f) for f in CHANNEL_FIELDS])
            listed = new_list(store, boss, channel.id).list
            add_to_list(store, boss, listed.id, cases.values())
            made = app.state.services.admin.create_user(
                "test", "liaison-workers", UserRole.MEDIATOR_LIAISON, 1, "en",
                with_second_factor=True)
        finally:
            app.state.services.jobs.shutdown()
            app.state.services.store.dispose()
        env = {**os.environ, "KINLINK_DATA_DIR": str(settings.data_dir),
               "KINLINK_DATABASE_URL": url, "KINLINK_COOKIE_SECURE": "false",
               "KINLINK_LANGUAGE": "en",
               "PYTHONPATH": os.pathsep.join(p for p in (str(_SRC),
                                                         os.environ.get("PYTHONPATH")) if p)}
        yield env, listed.id, made.user.username, f"{made.password}\n{made.totp_secret}"


def _signed_in(base: str, username: str, secrets: str) -> tuple[requests.Session, str]:
    password, totp = secrets.split("\n")
    client = requests.Session()
    client.request = functools.partial(client.request, timeout=60)  # type: ignore[method-assign]
    first = client.post(f"{base}/api/v1/auth/login",
                        json={"username": username, "password": password})
    assert first.status_code == 200, first.text
    second = client.post(f"{base}/api/v1/auth/second-factor",
                         json={"code": pyotp.TOTP(totp).now()},
                         headers={"X-CSRF-Token": first.json()["csrf_token"]})
    assert second.status_code == 200, second.text
    csrf = second.json()["csrf_token"]
    changed = client.post(f"{base}/api/v1/me/password",
                          json={"current": password, "new": own_password()},
                          headers={"X-CSRF-Token": csrf})
    assert changed.status_code == 204, changed.text
    return client, csrf


def test_a_download_made_through_one_process_is_given_once_by_another(
        shared_store: tuple[dict[str, str], int, str, str]) -> None:
    env, list_id, username, secrets = shared_store
    one_port, two_port = _free_port(), _free_port()
    single = _serve(env, one_port, 1)
    double = _serve(env, two_port, 2)
    try:
        _wait_until_up(one_port, single)
        _wait_until_up(two_port, double)
        assert len(_children(double.pid)) >= 2  # two uvicorn workers (and no more for 1)
        one, two = f"http://127.0.0.1:{one_port}", f"http://127.0.0.1:{two_port}"
        client, csrf = _signed_in(one, username, secrets)  # the session is in the store
        for made_on, taken_on in ((one, two), (two, one)):
            exported = client.post(f"{made_on}/api/v1/lists/{list_id}/exports",
                                   headers={"X-CSRF-Token": csrf}, json={"formats": ["csv"]})
            assert exported.status_code == 201, exported.text
            export = exported.json()
            download = client.get(f"{taken_on}{export['download']}")
            assert download.status_code == 200
            assert download.headers["content-type"] == "application/zip"
            assert decrypt_files(download.content, export["passphrase"])
            for again in (one, two, two):  # once only, whichever process is asked
                assert client.get(f"{again}{export['download']}").status_code == 404
        client.close()
    finally:
        _stop(single)
        _stop(double)


def test_sqlite_refuses_several_workers(tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KINLINK_DATABASE_URL", raising=False)
    monkeypatch.setenv("KINLINK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KINLINK_LANGUAGE", "en")
    monkeypatch.setenv("COLUMNS", "250")
    result = CliRunner().invoke(cli_app, ["serve", "--workers", "2"])
    assert result.exit_code == 2
    assert "--workers 2 needs PostgreSQL" in result.output
    assert not (tmp_path / "data" / "kinlink.sqlite3").exists()  # nothing was opened
