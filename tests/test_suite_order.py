"""The suite's own schedule (``tests/suiteorder.py``) names files
that exist: a renamed or removed file would silently fall back to the default order."""

from __future__ import annotations

from pathlib import Path

from suiteorder import LONGEST_FILES

ROOT = Path(__file__).resolve().parents[1]


def test_the_longest_files_named_for_the_schedule_exist() -> None:
    missing = [name for name in LONGEST_FILES if not (ROOT / name).is_file()]
    assert not missing, f"LONGEST_FILES names files that are not there: {missing}"
    assert len(set(LONGEST_FILES)) == len(LONGEST_FILES), "a file is named twice"
