"""A served kinlink for the benchmarks that measure over HTTP: start ``kinlink serve`` on a
free port, and sign a person in as they would (password, authenticator code, then their
own password in place of the generated one, which nothing else is open before)."""

from __future__ import annotations

import secrets
import socket
import subprocess
import sys
import time

import httpx2 as httpx
import pyotp

__all__ = ["serve", "sign_in"]


def serve(env: dict[str, str], *, stderr: int = subprocess.DEVNULL, workers: int = 1
          ) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``kinlink serve`` with ``env`` on a free port (``--workers`` processes);
    return it and its address once it answers."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = subprocess.Popen([sys.executable, "-m", "kinlink", "serve", "--port", str(port),
                               "--workers", str(workers)],
                              env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                return server, base
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def sign_in(base: str, name: str, password: str, secret: str, *, timeout: float = 120.0
            ) -> tuple[httpx.Client, str]:
    """Sign ``name`` in with a generated password and replace it; return the session's
    client and its CSRF token."""
    client = httpx.Client(base_url=base, timeout=timeout)
    login = client.post("/api/v1/auth/login", json={"username": name, "password": password})
    login.raise_for_status()
    second = client.post("/api/v1/auth/second-factor", json={"code": pyotp.TOTP(secret).now()},
                         headers={"X-CSRF-Token": login.json()["csrf_token"]})
    second.raise_for_status()
    csrf = str(second.json()["csrf_token"])
    changed = client.post("/api/v1/me/password", headers={"X-CSRF-Token": csrf},
                          json={"current": password, "new": f"own-{secrets.token_urlsafe(18)}"})
    changed.raise_for_status()
    return client, csrf
