"""``kinlink serve``: the web application on the configured store (uvicorn).

No access log is written: addresses hold search terms, and names of children must not
reach logs. The client's address (sign-in throttling counts failures by it) is the
connection's; ``X-Forwarded-For`` is believed only from the proxies named in
``KINLINK_TRUSTED_PROXIES`` (uvicorn's own default would believe any local process).
"""

from __future__ import annotations

import ipaddress
import sys
from typing import Annotated

import typer
import uvicorn

from kinlink.cli.context import err_console, friendly_errors, out, settings, tr
from kinlink.server import create_app


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
) -> None:
    """Start the web application: search, records, imports, dashboard, administration.

    Sign in with a user name, password and the code of an authenticator app; create the
    first account with `kinlink users create-admin`. Stop with Ctrl+C.
    """
    config = settings()
    app = create_app(config, serving=True)
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
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False,
                server_header=False, proxy_headers=bool(proxies),
                forwarded_allow_ips=proxies or None)
