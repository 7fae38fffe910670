"""Settings: one object, read from the environment (prefix ``KINLINK_``), passed down.

Nothing here is a module-level global that code mutates; callers build a
:class:`Settings` once (the CLI or the server) and hand it to what they create.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kinlink.domain.limits import ImportLimits
from kinlink.domain.users import UserRole

__all__ = ["DEFAULT_DUCKDB_MEMORY", "Settings", "duckdb_memory"]

DEFAULT_DUCKDB_MEMORY = "3GB"
"""DuckDB's memory limit for a linkage run unless ``KINLINK_DUCKDB_MEMORY`` says
otherwise (why 3 GB: :data:`kinlink.linkage.engine.MEMORY_LIMIT`)."""

_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)
_UNITS = {unit.lower(): unit for unit in ("B", "KB", "MB", "GB", "TB", "KiB", "MiB", "GiB",
                                          "TiB")}


def duckdb_memory(text: str) -> str:
    """``text`` as a DuckDB memory size ("3GB", "500 MiB", "1.5gb" -> "1.5GB"), or a
    :class:`ValueError` saying what is expected: DuckDB would refuse anything else only
    once a linkage run opens its first connection, after the lists were read."""
    found = _SIZE.fullmatch(text.strip())
    if found is None or float(found.group(1)) <= 0:
        raise ValueError("must be a size above zero with its unit, such as 3GB, 1.5GB "
                         "or 500MB (units B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)")
    return f"{found.group(1)}{_UNITS[found.group(2).lower()]}"



Language = Literal["uk", "en"]


def locale_language(environ: Mapping[str, str] | None = None) -> Language:
    """The language of the operating system's locale: Ukrainian when the first of
    ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set starts with ``uk``, else English."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip()
        if value:
            return "uk" if value.casefold().startswith("uk") else "en"
    return "en"


def _default_data_dir() -> Path:
    return Path(user_data_dir("kinlink", appauthor=False))


class Settings(BaseSettings):
    """Where kinlink keeps its data and which database it uses.

    ``KINLINK_DATA_DIR`` holds the embedded SQLite store, import error reports and
    generated demo lists. ``KINLINK_DATABASE_URL`` (for example
    ``postgresql+psycopg://user@host/kinlink``) replaces the embedded store.
    ``KINLINK_USER`` names the person at the command line in the audit log (default: the
    operating-system account) and ``KINLINK_ROLE`` the role they act in at the command
    line (default ``case_worker``); ``KINLINK_AGENCY`` (an agency's id) keeps their
    commands to what that agency sees, as its people see it on the web (default: none,
    the operator on the server, who sees every agency's lists). ``KINLINK_COOKIE_SECURE``
    (default true) marks the web session cookie Secure; set it to false only to sign in
    over plain http on this machine (http://127.0.0.1). ``KINLINK_TIMEZONE`` is the time
    zone the web pages show times in.
    ``KINLINK_BUSY_TIMEOUT`` is how many seconds a request waits for the store while
    another transaction holds it before it is answered "busy, try again" (default 5).
    ``KINLINK_TRUSTED_PROXIES`` names the reverse proxies (comma-separated addresses or
    networks, as uvicorn's ``forwarded_allow_ips``) whose ``X-Forwarded-For`` header
    ``kinlink serve`` believes for the client's address, which sign-in throttling counts
    failures by; empty (the default), no forwarded header is believed.
    ``KINLINK_AUDIT_KEY`` (64 hex digits; several separated by commas, the first signing)
    authenticates audit events instead of the key files in ``data_dir/keys``.
    ``KINLINK_DUCKDB_MEMORY`` bounds the memory DuckDB may take in a linkage run (default
    3GB; a run that needs more spills to disk), so that linking a large list does not take
    the memory of everything else on the server.
    ``KINLINK_LANGUAGE`` (``uk`` or ``en``) is the language the commands speak: their
    errors, summaries and headings (default: Ukrainian when the locale, ``LC_ALL`` or
    ``LANG``, starts with ``uk``, else English); ``--help`` stays in English.
    ``KINLINK_TSA_URL`` (``https://…``) is an RFC 3161 time-stamp authority that stamps
    every evidence bundle made on the pages, the API and the command line (``kinlink
    evidence bundle --tsa`` overrides it for one bundle); one that cannot be reached does
    not stop a bundle: it is made without a stamp and says why. Default: none, no stamp.
    ``KINLINK_LIMITS__<NAME>`` sets one of the limits of a list file and of an import
    (:class:`~kinlink.domain.limits.ImportLimits`), for example
    ``KINLINK_LIMITS__IMPORT_SECONDS=3600``.
    """

    model_config = SettingsConfigDict(env_prefix="KINLINK_", extra="ignore",
                                      env_nested_delimiter="__")

    data_dir: Path = Field(default_factory=_default_data_dir)
    backup_dir: Path | None = None
    database_url: str | None = None
    user: str | None = None
    role: UserRole = UserRole.CASE_WORKER
    agency: int | None = Field(default=None, ge=1, le=2**31 - 1)
    cookie_secure: bool = True
    timezone: str = "Europe/Kyiv"
    language: Language = Field(default_factory=locale_language)
    busy_timeout: float = Field(default=5.0, gt=0, le=600)
    trusted_proxies: str = ""
    audit_key: SecretStr | None = None
    limits: ImportLimits = Field(default_factory=ImportLimits)
    duckdb_memory: str = DEFAULT_DUCKDB_MEMORY
    tsa_url: str | None = Field(default=None, max_length=2000)

    @field_validator("duckdb_memory")
    @classmethod
    def _duckdb_memory(cls, value: str) -> str:
        return duckdb_memory(value)

    @field_validator("tsa_url")
    @classmethod
    def _tsa_url(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        if not value:
            return None
        if not value.startswith(("https://", "http://")) or any(c.isspace() for c in value):
            raise ValueError("must be the URL of a time-stamp authority, starting with "
                             "https:// (or http://)")
        return value

    @property
    def effective_backup_dir(self) -> Path:
        """The folder of scheduled backups the admin page lists: ``KINLINK_BACKUP_DIR``,
        else ``backups`` in the data folder."""
        return self.backup_dir or self.data_dir / "backups"

    @property
    def effective_database_url(self) -> str:
        """The configured database URL, or the embedded SQLite file in the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'kinlink.sqlite3'}"

    @property
    def reports_dir(self) -> Path:
        """Where import error reports are written (inside the data dir: they hold rows)."""
        return self.data_dir / "reports"

    @property
    def errors_dir(self) -> Path:
        """Where the details of unexpected failures go (:mod:`kinlink.incidents`): files
        readable by their owner only, free of personal data, named by reference."""
        return self.data_dir / "errors"

    @property
    def keys_dir(self) -> Path:
        """Where the audit log's keys are kept (never in the database): mode 0700."""
        return self.data_dir / "keys"

    @property
    def demo_dir(self) -> Path:
        """Where ``kinlink demo`` writes its generated lists."""
        return self.data_dir / "demo"
