"""Which process runs an import: ``host:pid``, written with the run, so that a run left
``running`` by a process that is gone can be told from one still at work."""

from __future__ import annotations

import os
import socket

__all__ = ["process_gone", "this_host", "this_process"]


def this_process() -> str:
    """``host:pid`` of this process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def this_host() -> str:
    """The name of this machine, as :func:`this_process` writes it."""
    return socket.gethostname()


def process_gone(worker: str) -> bool:
    """Whether the process ``host:pid`` (of this host) no longer exists. A process of
    another host is never taken for gone: only its own host can tell."""
    host, _, pid = worker.rpartition(":")
    if host != this_host() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, under another account
        return False
    return False
