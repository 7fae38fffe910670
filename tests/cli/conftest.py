"""What command-line tests share: an embedded store of their own, acted on by one user.

Creating a store (every migration) took about a second of each test on a loaded machine,
and several modules start each test from the same small world built with the commands
(a list imported, its case opened, people added), a few seconds more. So a test starts
from a copy (:mod:`storecopies`, :mod:`cliworlds`): ``data_dir`` from an empty store
migrated once per worker, ``cli_world`` from a world built once per worker by the same
commands. A copy is the real store as it was made (its SQLite file, its key files, its
content store) and each test changes its own. A test of what a first run does takes
``fresh_data_dir``: no store yet, the first command creates it.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from cliworlds import CliWorld, StartWorld, command_line, store_world
from storecopies import StoreTemplates, copy_folder


@pytest.fixture
def fresh_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data directory with no store yet, for the commands: the first one creates the
    store (schema, key files) as on a new server."""
    command_line(monkeypatch, tmp_path / "data")
    return tmp_path / "data"


@pytest.fixture
def data_dir(fresh_data_dir: Path, tmp_path: Path, store_templates: StoreTemplates) -> Path:
    """The commands' data directory, holding a copy of an empty store migrated once per
    worker."""
    copy_folder(store_templates.get("sqlite", None).folder, tmp_path)
    return fresh_data_dir


@pytest.fixture
def cli_world(data_dir: Path, tmp_path: Path, store_templates: StoreTemplates) -> StartWorld:
    """Starts this test's data directory (and ``tmp_path``) from a copy of a world built
    once per worker by a :data:`cliworlds.CliWorld`, in place of the empty store
    (``data_dir`` is made first whichever order a test names the fixtures in); returns a
    copy of what the builder returned."""

    def start(builder: CliWorld) -> Any:
        template = store_templates.get("sqlite", store_world(builder))
        shutil.rmtree(data_dir)
        copy_folder(template.folder, tmp_path)
        return store_templates.result(template)

    return start
