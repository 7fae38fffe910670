"""A killed import (SIGKILL at any moment) leaves the whole file seen, or nothing of it.

The import runs in a real subprocess (``python -m kinlink import``) that is killed with
SIGKILL at several moments. It writes in chunks, so a kill may leave some of them in the
store, but never seen: after each kill the store shows either no record of the file or
all of them (sources and records as every reader gets them, through
:mod:`kinlink.storage.visibility`). A final run completes the import and removes what
the killed runs had left.
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
DELAYS = (0.4, 0.8, 1.2, 1.6, 2.0, 2.5, 3.0, 4.0)


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


def _wait_for_a_chunk(store: Store, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        if 0 < _stored(store)[0] < ROWS:
            return
        time.sleep(0.02)


@pytest.mark.slow
def test_kill_9_leaves_all_or_nothing_and_rerun_completes(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    path = _big_file(tmp_path / "big.csv")
    # --no-link: this test is about the import's atomicity, not the linking after it
    command = [sys.executable, "-m", "kinlink", "import", str(path), "--json", "--no-link"]
    killed_mid_import = left_unseen = runs_before = 0
    # the first kill waits for a chunk in the store (surely mid-import), the others for
    # a delay (at any moment: starting, between chunks, publishing, done)
    for delay in (None, *DELAYS):
        process = subprocess.Popen(command, env=_env(settings), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        _wait_for_a_chunk(store, process) if delay is None else time.sleep(delay)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        records, sources, runs = _state(store)
        assert (records, sources) in {(0, 0), (ROWS, 1)}, (delay, records, sources)
        if records == ROWS:
            break
        left_unseen += _stored(store)[0] > 0
        if len(runs) > runs_before and runs[-1] == ImportStatus.RUNNING:
            killed_mid_import += 1  # a new run, killed while it ran
        runs_before = len(runs)
    assert killed_mid_import >= 1, "no kill landed while an import was running"
    assert left_unseen >= 1, "no kill left chunks of an import in the store"
    final = subprocess.run(command, env=_env(settings), capture_output=True, text=True,
                           timeout=120, check=False)
    records, sources, runs = _state(store)
    assert (records, sources) == (ROWS, 1)
    assert _stored(store) == (ROWS, 1), "the killed runs' chunks were not removed"
    if final.returncode == 0:
        assert json.loads(final.stdout)["imported"] == ROWS
    else:
        assert "already imported" in final.stdout, final.stderr[-2000:]
    assert ImportStatus.RUNNING not in runs
    assert runs.count(ImportStatus.COMPLETED) == 1
    assert runs.count(ImportStatus.INTERRUPTED) >= killed_mid_import
