"""Stores made once per test session (per xdist worker) and copied for each test.

Creating the schema takes about a second, and some tests start from a world of data
(:mod:`scopeworld`: imports, linkage, cases, documents, lists) that takes ten or more
seconds to build through the use cases. Each is made once, in a folder of its own whose
``data`` subfolder is the store's data directory (key files, content store, previews),
and then copied for every test that asks for it: the folder's files byte for byte into
the test's ``tmp_path`` and, on PostgreSQL, the database with ``CREATE DATABASE …
TEMPLATE``. The copy is the store as it was built (every id, the audit chain and its
keys), and each test changes its own copy only.

A module of its own because a test cannot import ``conftest`` by name.
"""

from __future__ import annotations

import copy
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from kinlink.config import Settings
from kinlink.storage import Store, open_store
from pgdatabases import ADMIN_URL

__all__ = ["StoreTemplates", "Template", "WorldBuilder", "copy_folder"]

WorldBuilder = Callable[[Store, Settings, Path], Any]
"""Builds a world into an opened store: its store, its settings (data directory
``folder / "data"``) and the folder the world may write other files to; returns what the
tests need to know of it (ids), which each test gets a deep copy of."""

_BASE_URL = ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)


@dataclass(frozen=True)
class Template:
    """A built store: its folder, its PostgreSQL database (None on SQLite) and what its
    builder returned."""

    folder: Path
    database: str | None
    result: Any


def copy_folder(source: Path, target: Path) -> None:
    """Every file of ``source`` into ``target`` (made if missing), modes kept (the key
    folder is 0700, its files 0600)."""
    shutil.copytree(source, target, dirs_exist_ok=True)


def _url(name: str) -> str:
    return f"{_BASE_URL}/{name}"


class StoreTemplates:
    """The session's templates, one per backend and builder, made when first asked."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._made: dict[tuple[str, str], Template] = {}
        self._databases: list[str] = []

    def get(self, backend: str, builder: WorldBuilder | None) -> Template:
        """The template of ``builder``'s world (None: an empty, migrated store)."""
        key = (backend, "" if builder is None
               else f"{builder.__module__}.{builder.__qualname__}")
        if key not in self._made:
            self._made[key] = self._make(backend, builder)
        return self._made[key]

    def _make(self, backend: str, builder: WorldBuilder | None) -> Template:
        folder = self.root / uuid.uuid4().hex[:12]
        folder.mkdir(parents=True)
        database = None
        url = None
        if backend == "postgresql":
            database = f"kinlink_template_{uuid.uuid4().hex[:12]}"
            with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{database}"')
            self._databases.append(database)
            url = _url(database)
        settings = Settings(data_dir=folder / "data", database_url=url, user="tester")
        store = open_store(settings)
        try:
            result = None if builder is None else builder(store, settings, folder)
        finally:
            store.dispose()  # no connection left: a template database must have none
        return Template(folder, database, result)

    def copy_database(self, template: Template) -> tuple[str, Callable[[], None]]:
        """A SQLAlchemy URL of a new database copied from ``template``'s, and the function
        that drops it."""
        name = f"kinlink_copy_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template.database}"')

        def drop() -> None:
            with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return _url(name), drop

    @staticmethod
    def result(template: Template) -> Any:
        """What the builder returned, a copy of its own for one test."""
        return copy.deepcopy(template.result)

    def close(self) -> None:
        """Drop the templates' databases."""
        if not self._databases:  # SQLite only: no server to reach
            return
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            for name in self._databases:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
