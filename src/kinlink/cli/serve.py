"""``kinlink serve``: the web application on the configured store (uvicorn).

No access log is written: addresses hold search terms, and names of children must not
reach logs. The client's address (sign-in throttling counts failures by it) is the
connection's; ``X-Forwarded-For`` is believed only from the proxies named in
``KINLINK_TRUSTED_PROXIES`` (uvicorn's own default would believe any local process).

``--workers N`` runs N processes (uvicorn's workers) on PostgreSQL, each with the whole
application (:func:`kinlink.server.served_app`, built from the same ``KINLINK_*``
settings); what one worker makes for a later request — an export waiting for its
download, an import job's progress and its cancel — is kept in the store, so any worker
answers it. SQLite keeps one process: its writers take turns on one file, and several
processes would only wait for each other; ``--workers`` above 1 is refused there.
"""

from __future__ import annotations

import ipaddress
import sys
from typing import Annotated

import typer
import uvicorn

from kinlink.cli.context import err_console, fail, friendly_errors, out, settings, tr
from kinlink.server import create_app
from kinlink.storage import open_store

MAX_WORKERS = 64
WORKER_HEALTHCHECK_SECONDS = 120
"""How long uvicorn waits for a worker to answer its health check before it kills it as
hung (its default, 5 s, killed kinlink's workers while they loaded the name tables and
the features of the store on a busy machine, over and over)."""


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@friendly_errors
def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine "
                                      "only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Server processes (PostgreSQL only; SQLite "
                                         "serves from one).", min=1,
                                         max=MAX_WORKERS)] = 1,
) -> None:
    """Start the web application: search, records, imports, dashboard, administration.

    Sign in with a user name, password and the code of an authenticator app; create the
    first account with `kinlink users create-admin`. Stop with Ctrl+C.
    """
    config = settings()
    if workers > 1 and config.effective_database_url.startswith("sqlite"):
        raise fail(tr("--workers {count} needs PostgreSQL (KINLINK_DATABASE_URL): on SQLite "
                      "kinlink serves from one process, whose writers take turns on one "
                      "file. Start it without --workers.").format(count=workers))
    app = create_app(config, serving=True) if workers == 1 else None
    if app is None:  # each worker builds its own; the store is checked once, here
        open_store(config).dispose()
    if not config.cookie_secure and not _loopback(host):
        err_console.print("[bold red]" + tr("Warning:") + "[/] " + tr(
            "KINLINK_COOKIE_SECURE is false on an address other machines can reach; serve "
            "over TLS and set it to true."))
    out.print(tr("kinlink is running at [bold]{address}[/] on {folder}.").format(
        address=f"http://{host}:{port}/", folder=config.data_dir))
    out.print(tr("Sign in with your user name and password, then the six-digit code of your "
                 "authenticator app. Press Ctrl+C to stop."))
    sys.stdout.flush()
    proxies = config.trusted_proxies.strip()
    uvicorn.run(app if app is not None else "kinlink.server:served_app",
                factory=app is None, workers=workers if app is None else None,
                timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
                host=host, port=port, log_level="warning", access_log=False,
                server_header=False, proxy_headers=bool(proxies),
                forwarded_allow_ips=proxies or None)
