"""What command-line tests share: an embedded store of their own, acted on by one user."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh SQLite data directory for the commands (never the PostgreSQL of the
    environment), acted on by ``operator``, in English, wide output so that tables are not
    folded."""
    monkeypatch.delenv("KINLINK_DATABASE_URL", raising=False)
    monkeypatch.setenv("KINLINK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KINLINK_USER", "operator")
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.setenv("KINLINK_LANGUAGE", "en")  # whatever the developer's locale
    return tmp_path / "data"
