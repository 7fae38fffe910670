"""Worlds built with the commands once per worker and copied for each command-line test
(:mod:`storecopies`), the fixtures being in ``tests/cli/conftest.py``.

A module of its own because a test cannot import ``conftest`` by name.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kinlink.config import Settings
from kinlink.storage import Store
from storecopies import WorldBuilder

__all__ = ["COMMAND_LINE", "CliWorld", "StartWorld", "command_line", "store_world"]

CliWorld = Callable[[Path], Any]
"""Builds a world with the commands into ``folder``: the commands' data directory is
``folder / "data"`` (in the environment :func:`command_line` gives, and no other
``KINLINK_`` setting), its other files go to ``folder`` (a test finds them in its
``tmp_path``); returns what the tests need to know of it, which each test gets a copy of.
A module-level function: its module and name key the template."""

StartWorld = Callable[[CliWorld], Any]
"""The ``cli_world`` fixture: starts the test from a copy of a :data:`CliWorld`'s world
and returns a copy of what it returned."""

COMMAND_LINE = {"KINLINK_USER": "operator", "COLUMNS": "250", "KINLINK_LANGUAGE": "en"}
"""Acted on by ``operator``, in English whatever the developer's locale, wide output so
that tables are not folded."""


def command_line(monkeypatch: pytest.MonkeyPatch, data: Path) -> None:
    """The commands' environment: the SQLite store in ``data`` (never the PostgreSQL of
    the environment) and :data:`COMMAND_LINE`."""
    monkeypatch.delenv("KINLINK_DATABASE_URL", raising=False)
    monkeypatch.setenv("KINLINK_DATA_DIR", str(data))
    for name, value in COMMAND_LINE.items():
        monkeypatch.setenv(name, value)


def store_world(builder: CliWorld) -> WorldBuilder:
    """``builder`` as a template's builder, run in the commands' environment on the
    template's data directory; named as ``builder``, which keys the template."""

    @functools.wraps(builder)
    def build(_store: Store, settings: Settings, folder: Path) -> Any:
        with pytest.MonkeyPatch.context() as patch:
            for name in [name for name in os.environ if name.startswith("KINLINK_")]:
                patch.delenv(name)  # the world must not depend on the first test's settings
            command_line(patch, settings.data_dir)
            return builder(folder)

    return build
