"""``kinlink import`` refuses hostile files quickly, naming the limit, with nothing stored;
Ctrl+C stops an import cleanly: its run ``cancelled``, its chunks removed, exit 130."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

import hostile
from kinlink.cli import app
from kinlink.config import Settings
from kinlink.storage import Store, open_store
from kinlink.storage.tables import AuditEventRow, ImportRunRow, RecordRow, SourceRow

pytestmark = pytest.mark.slow

runner = CliRunner()


def _stored(store: Store) -> tuple[int, int, list[str]]:
    with store.transaction() as session:
        sources = session.execute(select(func.count()).select_from(SourceRow)).scalar_one()
        records = session.execute(select(func.count()).select_from(RecordRow)).scalar_one()
        runs = session.execute(select(ImportRunRow.status).order_by(ImportRunRow.id)
                               ).scalars().all()
    return sources, records, list(runs)


def _gigabyte_string(folder: Path, request: pytest.FixtureRequest) -> Path:
    """The session's 1 GiB shared string workbook, copied into ``folder``."""
    made: Path = request.getfixturevalue("gigabyte_string_workbook")
    return Path(shutil.copy(made, folder / "bomb.xlsx"))


@pytest.mark.parametrize(("build", "limit"), [
    (_gigabyte_string, "(KINLINK_LIMITS__XLSX_UNCOMPRESSED_MB)"),
    (lambda p, _: hostile.far_row(p / "far.xlsx"), "(KINLINK_LIMITS__ROWS)"),
    (lambda p, _: hostile.csv_cell(p / "cell.csv", 5 * 2**20),
     "(KINLINK_LIMITS__CELL_CHARS)"),
], ids=["gigabyte-string", "far-row", "long-cell"])
def test_a_bomb_is_refused_naming_the_limit(fresh_data_dir: Path, tmp_path: Path,
                                             request: pytest.FixtureRequest, build: object,
                                             limit: str) -> None:
    assert callable(build)
    path = build(tmp_path, request)
    started = time.monotonic()
    done = runner.invoke(app, ["import", str(path), "--json"])
    assert time.monotonic() - started < 30  # the store's creation included
    assert done.exit_code == 2, done.output
    answer = json.loads(done.stdout)
    assert answer["status"] == "refused"
    assert limit in answer["error"]
    store = open_store(Settings())
    try:
        assert _stored(store) == (0, 0, ["refused"])
    finally:
        store.dispose()


def test_a_limit_set_in_the_environment_applies(data_dir: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = hostile.csv_rows(tmp_path / "rows.csv", 50)
    monkeypatch.setenv("KINLINK_LIMITS__ROWS", "20")
    done = runner.invoke(app, ["import", str(path), "--no-link"])
    assert done.exit_code == 2
    assert "the file has 51 lines; the limit is 20 rows (KINLINK_LIMITS__ROWS)" in done.output


def test_ctrl_c_stops_the_import_cleanly(data_dir: Path, tmp_path: Path) -> None:
    rows = 60_000
    lines = ["record_id,surname,given_name,birth_date,sex"]
    lines += [f"R{i},Петренко{i % 97},Олена,{1 + i % 28:02d}.03.2014,ж" for i in range(rows)]
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = open_store(Settings())
    env = dict(os.environ)
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "kinlink", "import", str(path), "--no-link"], env=env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 90
        while process.poll() is None and time.monotonic() < deadline:
            if 0 < _stored(store)[1] < rows:
                break
            time.sleep(0.02)
        assert process.poll() is None, "the import ended before Ctrl+C could be pressed"
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=90)
        assert process.returncode == 130, (out, err[-2000:])
        assert "cancelled by operator (Ctrl+C); nothing of the list was kept" in err
        assert _stored(store) == (0, 0, ["cancelled"])
        with store.transaction() as session:
            actions = session.execute(select(AuditEventRow.actor, AuditEventRow.action)
                                      ).all()
        assert ("operator", "import.cancelled") in [tuple(a) for a in actions]
    finally:
        store.dispose()


def test_link_reads_within_the_configured_file_limit(data_dir: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """``kinlink link`` holds a list file to the limit ``KINLINK_LIMITS__FILE_MB`` sets
    (the limit its refusal names), not to the built-in default."""
    rows = "".join(f"r{i},Петренко,Олександр,2014-03-{i % 28 + 1:02d}\n" for i in range(40_000))
    for side in ("left", "right"):
        (tmp_path / f"{side}.csv").write_text("record_id,surname,given_name,birth_date\n"
                                              + rows, encoding="utf-8")
    assert (tmp_path / "left.csv").stat().st_size > 2**20
    monkeypatch.setenv("KINLINK_LIMITS__FILE_MB", "1")
    done = runner.invoke(app, ["link", str(tmp_path / "left.csv"), str(tmp_path / "right.csv"),
                               "-o", str(tmp_path / "pairs.csv"), "--json"])
    assert done.exit_code != 0
    assert "the limit is 1 MiB (KINLINK_LIMITS__FILE_MB)" in done.output
    assert not (tmp_path / "pairs.csv").exists()
