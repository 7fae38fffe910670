"""A killed import (SIGKILL at any moment) leaves the whole file seen, or nothing of it.

The import runs in a real subprocess (the ``kinlink import`` command line, through
:mod:`faults` run as a script) that is killed with SIGKILL at several moments: before it
has written anything, after its first chunk, in the middle, and after its last chunk but
before the source is made visible. Each moment is signalled by the import itself: its
progress callback writes a marker file once so many rows are stored and holds there; the
test waits for the marker and kills — no fixed delay, so a loaded machine cannot make a
kill land elsewhere. It writes in chunks, so a kill may leave some of them in the store,
but never seen: after each kill the store shows no record of the file (sources and
records as every reader gets them, through :mod:`kinlink.storage.visibility`). A final
run completes the import and removes what the killed runs had left.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kinlink.config import Settings
from kinlink.domain.imports import ImportStatus
from kinlink.storage import Store
from kinlink.storage.import_views import ImportViews
from kinlink.storage.tables import ImportRunRow, RecordRow, SourceRow

ROWS = 20_000
KILL_AFTER_ROWS = (0, 2_000, 10_000, ROWS)
"""Where the kills land: at the start (nothing written), after the first chunk, in the
middle, after the last chunk (all rows stored, the source not yet visible)."""
FAULTS = Path(__file__).parents[1] / "faults.py"


def _big_file(path: Path) -> Path:
    lines = ["record_id,surname,given_name,birth_date,sex"]
    lines += [f"R{i},Петренко{i % 97},Олександр,{1 + i % 28:02d}.03.2014,ч" for i in range(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINLINK_")}
    env["KINLINK_DATA_DIR"] = str(settings.data_dir)
    env["KINLINK_USER"] = "kill-test"
    if settings.database_url:
        env["KINLINK_DATABASE_URL"] = settings.database_url
    return env


def _state(store: Store) -> tuple[int, int, list[str]]:
    """Records and sources as readers see them, and the runs' statuses."""
    with store.transaction() as session:
        seen = ImportViews(session).sources(None)
        runs = session.execute(select(ImportRunRow.status).order_by(ImportRunRow.id)
                               ).scalars().all()
    return sum(s.records for s in seen), len(seen), list(runs)


def _stored(store: Store) -> tuple[int, int]:
    """Every record and source row in the store, seen or not."""
    with store.transaction() as session:
        records = session.execute(select(func.count()).select_from(RecordRow)).scalar_one()
        sources = session.execute(select(func.count()).select_from(SourceRow)).scalar_one()
    return records, sources


def _wait_for(marker: Path, process: subprocess.Popen[bytes]) -> None:
    """Until the import says it reached its point (it then holds there)."""
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert process.poll() is None, "the import ended before reaching its kill point"
        assert time.monotonic() < deadline, "the import never reached its kill point"
        time.sleep(0.02)


@pytest.mark.slow
def test_kill_9_leaves_all_or_nothing_and_rerun_completes(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    path = _big_file(tmp_path / "big.csv")
    # --no-link: this test is about the import's atomicity, not the linking after it
    arguments = ["--", "import", str(path), "--json", "--no-link"]
    left_unseen = 0
    for number, rows in enumerate(KILL_AFTER_ROWS):
        marker = tmp_path / f"reached-{number}"
        process = subprocess.Popen(
            [sys.executable, str(FAULTS), "marker", f"{marker}:{rows}", *arguments],
            env=_env(settings), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_for(marker, process)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        records, sources, runs = _state(store)
        assert (records, sources) == (0, 0), (rows, records, sources)
        stored = _stored(store)[0]
        if rows:
            assert stored >= min(rows, ROWS), (rows, stored)  # the chunks are there, unseen
            assert runs[-1] == ImportStatus.RUNNING  # killed while it ran
            left_unseen += 1
        else:
            assert stored == 0
    assert left_unseen == 3
    final = subprocess.run([sys.executable, "-m", "kinlink", *arguments[1:]],
                           env=_env(settings), capture_output=True, text=True, timeout=120,
                           check=False)
    assert final.returncode == 0, final.stderr[-2000:]
    assert json.loads(final.stdout)["imported"] == ROWS
    records, sources, runs = _state(store)
    assert (records, sources) == (ROWS, 1)
    assert _stored(store) == (ROWS, 1), "the killed runs' chunks were not removed"
    assert ImportStatus.RUNNING not in runs
    assert runs.count(ImportStatus.COMPLETED) == 1
    assert runs.count(ImportStatus.INTERRUPTED) == 3
