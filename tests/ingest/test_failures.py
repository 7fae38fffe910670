"""A database failing in the middle of ``kinlink import`` shows no row of the list.

The real command line runs in a subprocess (:mod:`faults` run as a script) with a fault
armed from the import's own progress, after the first chunk: on PostgreSQL the import's
connection is terminated while its next INSERT waits (``pg_terminate_backend``); on
SQLite the length limit is lowered so the next chunk's oversized cell is "string or blob
too big". Before issue 13 the traceback on stderr ended with the INSERT's parameters:
the child's names, birth date and place. Now stderr names the step and a reference, and
the detail file (mode 0600) holds types and frames only.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from faults import hostile_list, leaks
from kinlink.config import Settings
from kinlink.domain.imports import ImportStatus
from kinlink.storage import Store
from kinlink.storage.import_views import ImportViews

pytestmark = pytest.mark.slow

FAULTS = Path(__file__).parents[1] / "faults.py"
REFERENCE = re.compile(r"Reference (E-\d{8}-[0-9a-f]{8})")


def _env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINLINK_")}
    env.update(KINLINK_DATA_DIR=str(settings.data_dir), KINLINK_USER="fault-test",
               COLUMNS="250")
    if settings.database_url:
        env["KINLINK_DATABASE_URL"] = settings.database_url
    return env


def test_a_database_failure_mid_import_names_the_step_and_a_reference_never_the_row(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    on_sqlite = settings.database_url is None
    path = hostile_list(tmp_path / "children.csv", oversized=on_sqlite)
    fault = ["sqlite", "2000"] if on_sqlite else ["postgres", str(settings.database_url)]
    done = subprocess.run([sys.executable, str(FAULTS), *fault, "--", "import", str(path),
                           "--no-link"], env=_env(settings), capture_output=True, text=True,
                          timeout=180, check=False)
    said = " ".join((done.stdout + done.stderr).split())
    assert done.returncode == 1, said[-3000:]
    assert leaks(said) == [], said[-3000:]
    assert "Traceback" not in said
    assert "parameters" not in said
    assert "string or blob" not in said
    assert "during kinlink import, reading the list into the store" in said
    assert ("DataError" if on_sqlite else "OperationalError") in said
    assert "Nothing of the list is seen; run the same import again" in said
    found = REFERENCE.search(said)
    assert found, said
    detail = settings.errors_dir / f"{found.group(1)}.txt"
    assert str(detail) in said
    assert stat.S_IMODE(detail.stat().st_mode) == 0o600
    assert stat.S_IMODE(settings.errors_dir.stat().st_mode) == 0o700
    text = detail.read_text(encoding="utf-8")
    assert leaks(text) == []
    assert "reading the list" in text
    assert "in add_records" in text  # the frame, not the row
    assert "sqlalchemy.exc." in text
    with store.transaction() as session:
        runs = ImportViews(session).runs(None, 10)
        seen = ImportViews(session).sources(None)
    assert [r.status for r in runs] == [ImportStatus.FAILED]
    assert seen == []
    # the run's message shown by `kinlink imports` and the pages has no value either
    assert runs[0].message is not None
    assert leaks(runs[0].message) == []
