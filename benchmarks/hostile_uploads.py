"""Hostile uploads: how fast each is refused, and what it costs the server's memory.

Builds the files of the security drill of issue 13 (``tests/hostile.py`` writes them a
megabyte at a time), then sends each one two ways:

1. ``kinlink import FILE --json --no-link`` as a process of its own: the time to the
   refusal and the process's peak resident memory (``wait4``'s ``ru_maxrss``);
2. uploaded to ``kinlink serve`` (started as its own process, a case worker signed in with
   password and authenticator code): the time from the upload to the job's end, the
   server's resident memory before, at its peak (``VmHWM``) and after, and the peak of
   the import's worker process (its ``VmRSS``, sampled every 20 ms).

The files:

- ``string.xlsx``: 1 MB, one shared string of 1 GiB once uncompressed;
- ``rows.xlsx``: a workbook whose 24 million rows are 700 MB of XML (constant rows, no
  row numbers: as compressible as the drill's 9 MB file);
- ``numbered.xlsx``: 1.1 million numbered rows in 5 MB, within the size and ratio limits:
  refused only when the sheet's rows are counted;
- ``cell.csv``: a CSV of 24 MB whose second line is one cell;
- ``rows.csv``: a CSV of 2 million short lines (12 MB).

    PYTHONPATH=src .venv/bin/python benchmarks/hostile_uploads.py [--work /tmp/kinlink-hostile]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import hostile  # noqa: E402  (the tests' builders of hostile files)
import served  # noqa: E402
from kinlink.config import Settings  # noqa: E402
from kinlink.domain.users import UserRole  # noqa: E402
from kinlink.errors import FileRefusedError  # noqa: E402
from kinlink.listfiles.readers import open_table  # noqa: E402
from kinlink.server import create_app  # noqa: E402

BUILDERS: dict[str, Callable[[Path], Path]] = {
    "string.xlsx": lambda p: hostile.huge_shared_string(p, 2**30),
    "rows.xlsx": lambda p: hostile.write_workbook(p, itertools.chain(
        [hostile._header_row()], hostile._repeat("<row><c><v>1</v></c></row>", 24_000_000))),
    "numbered.xlsx": lambda p: hostile.many_rows(p, 1_100_000),
    "cell.csv": lambda p: hostile.csv_cell(p, 24 * 2**20),
    "rows.csv": lambda p: hostile.csv_rows(p, 2_000_000),
}


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINLINK_")}
    env.update(KINLINK_DATA_DIR=str(data_dir), KINLINK_USER="bench",
               KINLINK_COOKIE_SECURE="false",
               PYTHONPATH=os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]))
    return env


def _in_process(path: Path) -> float:
    """Seconds :func:`open_table` takes to refuse the file (the bytes already read)."""
    data = path.read_bytes()
    started = time.monotonic()
    try:
        table = open_table(data)
        for _row in table.rows:
            pass
    except FileRefusedError:
        return time.monotonic() - started
    raise SystemExit(f"{path.name} was not refused")


def _cli(path: Path, data_dir: Path) -> tuple[float, float, str]:
    """Seconds to the refusal, peak resident MiB of the process (its VmHWM, sampled
    while it runs: ``ru_maxrss`` would count the parent's memory copied at fork), its
    message."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "kinlink", "import", str(path), "--json", "--no-link"],
        env=_env(data_dir), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, _status(process.pid).get("VmHWM", 0.0))
        time.sleep(0.01)
    seconds = time.monotonic() - started
    out = process.stdout.read().decode() if process.stdout else ""
    message = json.loads(out).get("error", out) if out.startswith("{") else out
    return seconds, peak, str(message)


def _status(pid: int) -> dict[str, float]:
    found: dict[str, float] = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    found[key] = int(value.split()[0]) / 1024
    except OSError:
        pass
    return found


def _children(pid: int) -> list[int]:
    """The children of every thread of ``pid`` (the workers start from a pool thread)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


class _Sampler:
    """The peak VmRSS of the server's children (the import workers), every 20 ms."""

    def __init__(self, server: int) -> None:
        self.server = server
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            for child in _children(self.server):
                try:  # a child not yet exec'd still counts the server's pages as its own
                    command = Path(f"/proc/{child}/cmdline").read_bytes()
                except OSError:
                    continue
                if b"import_worker" in command:
                    self.peak = max(self.peak, _status(child).get("VmRSS", 0.0))

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak


def _serve(data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    return served.serve(_env(data_dir))


def _sign_in(base: str, data_dir: Path) -> tuple[httpx.Client, str]:
    app = create_app(Settings(data_dir=data_dir, database_url=None, cookie_secure=False))
    made = app.state.services.admin.create_user("bench", f"bench-{time.time_ns()}",
                                                UserRole.CASE_WORKER, 1, "en",
                                                with_second_factor=True)
    app.state.services.jobs.shutdown()
    app.state.services.store.dispose()
    return served.sign_in(base, made.user.username, made.password or "",
                          made.totp_secret or "", timeout=300.0)


def _upload(client: httpx.Client, csrf: str, path: Path, server: int
            ) -> tuple[float, float, float, str]:
    """Seconds from the upload to the job's end, the worker's peak MiB, the server's
    VmRSS after, the job's status and message."""
    sampler = _Sampler(server)
    started = time.monotonic()
    sent = client.post("/api/v1/imports", headers={"X-CSRF-Token": csrf},
                       files={"file": (path.name, path.read_bytes())},
                       data={"link": "false"})
    sent.raise_for_status()
    job_id = sent.json()["id"]
    while True:
        job = client.get(f"/api/v1/imports/jobs/{job_id}").json()
        if job["status"] not in ("queued", "running"):
            break
        time.sleep(0.05)
    seconds = time.monotonic() - started
    worker_peak = sampler.stop()
    return seconds, worker_peak, _status(server).get("VmRSS", 0.0), \
        f"{job['status']}: {job['message']}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/kinlink-hostile"))
    parser.add_argument("--only", nargs="*", default=list(BUILDERS))
    args = parser.parse_args()
    files = args.work / "files"
    files.mkdir(parents=True, exist_ok=True)
    for name in args.only:
        path = files / name
        if not path.exists():
            started = time.monotonic()
            BUILDERS[name](path)
            print(f"built {name}: {path.stat().st_size / 2**20:.1f} MB "
                  f"({time.monotonic() - started:.1f} s)")
    data_dir = args.work / "data"
    shutil.rmtree(data_dir, ignore_errors=True)
    print("\n## kinlink import (a process each); open_table alone")
    print(f"{'file':<15}{'MB':>7}{'command s':>11}{'peak MiB':>10}{'open_table s':>14}"
          "  message")
    for name in args.only:
        path = files / name
        seconds, peak, message = _cli(path, data_dir)
        alone = _in_process(path)
        print(f"{name:<15}{path.stat().st_size / 2**20:>7.1f}{seconds:>11.2f}{peak:>10.0f}"
              f"{alone:>14.2f}  {message}")
    server, base = _serve(data_dir)
    try:
        client, csrf = _sign_in(base, data_dir)
        before = _status(server.pid)
        print(f"\n## kinlink serve: resident {before['VmRSS']:.0f} MiB before the uploads")
        print(f"{'file':<15}{'ended in s':>11}{'worker peak MiB':>17}{'server MiB after':>18}"
              "  job")
        for name in args.only:
            seconds, worker, after, said = _upload(client, csrf, files / name, server.pid)
            print(f"{name:<15}{seconds:>11.2f}{worker:>17.0f}{after:>18.0f}  {said}")
        print(f"server peak (VmHWM) over the whole run: {_status(server.pid)['VmHWM']:.0f} "
              "MiB")
    finally:
        server.terminate()
        server.wait(timeout=60)


if __name__ == "__main__":
    main()
