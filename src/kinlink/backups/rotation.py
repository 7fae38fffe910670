"""Scheduled backups in a folder: each named by the moment it was made, the newest kept.

``kinlink backup --to-dir DIR --keep N`` writes ``kinlink-20260314T020000Z.kbk`` and then
deletes the oldest backups beyond the newest ``N``. Only files named the way this module
names them are ever counted or deleted: whatever else the folder holds stays.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

__all__ = ["SUFFIX", "backup_name", "prune", "rotated"]

SUFFIX = ".kbk"
_NAME = re.compile(r"kinlink-(\d{8}T\d{6}Z)\.kbk")


def backup_name(moment: dt.datetime) -> str:
    """The file name of a backup made at ``moment`` (UTC): names sort as times do."""
    return f"kinlink-{moment.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}{SUFFIX}"


def rotated(folder: Path) -> list[Path]:
    """The backups this module named in ``folder``, oldest first."""
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if _NAME.fullmatch(p.name) and p.is_file()),
                  key=lambda p: p.name)


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` (at least one) backups in ``folder``; returns
    those deleted."""
    found = rotated(folder)
    doomed = found[:max(0, len(found) - max(1, keep))]
    for path in doomed:
        path.unlink()
    return doomed
