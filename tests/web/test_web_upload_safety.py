"""Uploads that would exhaust the server are refused, stopped or reported, never left to
run or lost: bombs refused naming the limit; a running import cancelled from the API
keeps nothing; the time and memory budgets stop an import and free the queue; a restart
after a crash removes the upload's copy, ends the run left running and reports the lost
uploads."""

from __future__ import annotations

import dataclasses
import datetime as dt
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from webhelpers import Person, SignIn, signed_in_worker

import hostile
from kinlink.config import Settings
from kinlink.domain.imports import ImportStatus
from kinlink.domain.jobs import JobState
from kinlink.domain.limits import ImportLimits
from kinlink.domain.progress import Stage
from kinlink.domain.records import Role
from kinlink.domain.users import UserRole
from kinlink.server import create_app
from kinlink.storage.accounts import begin_write
from kinlink.storage.import_jobs import ImportJobRepository
from kinlink.storage.imports import ImportRepository, SourceDraft
from kinlink.storage.tables import AuditEventRow, ImportRunRow, RecordRow, SourceRow

pytestmark = pytest.mark.slow

BIG_ROWS = 120_000


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory,
          gigabyte_string_workbook: Path) -> dict[str, bytes]:
    """The drill's files: a 1 MB workbook expanding to a 1 GiB shared string, a workbook
    of a few megabytes with more rows than a sheet can hold, a CSV with one 5 MB cell."""
    folder = tmp_path_factory.mktemp("bombs")
    return {
        "string.xlsx": gigabyte_string_workbook.read_bytes(),
        "rows.xlsx": hostile.many_rows(folder / "r.xlsx", 1_100_000).read_bytes(),
        "cell.csv": hostile.csv_cell(folder / "c.csv", 5 * 2**20).read_bytes(),
    }


@pytest.fixture(scope="module")
def big_list(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A list long enough to be caught while it is read (chunk after chunk)."""
    lines = ["record_id,surname,given_name,birth_date,sex"]
    lines += [f"R{i},Петренко{i % 997},Олена,{1 + i % 28:02d}.03.2014,ж" for i in range(BIG_ROWS)]
    return ("\n".join(lines) + "\n").encode()


def _send(person: Person, name: str, data: bytes, link: bool = False) -> str:
    answer = person.client.post("/api/v1/imports", headers=person.headers,
                                files={"file": (name, data)},
                                data={"link": str(link).lower(), "kind": "camp_list"})
    assert answer.status_code == 202, answer.text
    return str(answer.json()["id"])


def _job(person: Person, job_id: str) -> dict[str, Any]:
    found = person.client.get(f"/api/v1/imports/jobs/{job_id}")
    assert found.status_code == 200, found.text
    job = found.json()
    assert isinstance(job, dict)
    return job


def _until(person: Person, job_id: str, ready: Any, timeout: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = _job(person, job_id)
        if ready(job):
            return job
        time.sleep(0.05)
    raise AssertionError(f"the job never got there: {_job(person, job_id)}")


def _stored(app: FastAPI) -> tuple[int, int, list[str]]:
    """Every source and record row, seen or not, and the runs' statuses."""
    with app.state.services.store.transaction() as session:
        sources = session.execute(select(func.count()).select_from(SourceRow)).scalar_one()
        records = session.execute(select(func.count()).select_from(RecordRow)).scalar_one()
        runs = session.execute(select(ImportRunRow.status).order_by(ImportRunRow.id)
                               ).scalars().all()
    return sources, records, list(runs)


def _actions(app: FastAPI) -> list[tuple[str, str, str]]:
    with app.state.services.store.transaction() as session:
        rows = session.execute(select(AuditEventRow.actor, AuditEventRow.action,
                                      AuditEventRow.entity_type).order_by(AuditEventRow.id))
        return [(r.actor, r.action, r.entity_type) for r in rows if r.action.startswith(
            "import.")]


def test_bombs_are_refused_naming_the_limit_and_nothing_is_kept(
        app: FastAPI, sign_in: SignIn, bombs: dict[str, bytes]) -> None:
    person = sign_in(UserRole.CASE_WORKER)
    expected = {"string.xlsx": "(KINLINK_LIMITS__XLSX_UNCOMPRESSED_MB)",
                "rows.xlsx": "(KINLINK_LIMITS__ROWS)", "cell.csv": "(KINLINK_LIMITS__CELL_CHARS)"}
    jobs = {name: _send(person, name, data) for name, data in bombs.items()}
    app.state.services.jobs.wait()
    for name, job_id in jobs.items():
        job = _job(person, job_id)
        assert (job["status"], job["imported"]) == ("refused", 0), job
        assert expected[name] in job["message"]
    assert _stored(app) == (0, 0, ["refused"] * 3)
    assert person.client.get("/api/v1/sources").json() == []
    page = person.client.get("/imports").text
    assert "(KINLINK_LIMITS__ROWS)" in page  # the latest uploads, with what happened


def test_cancel_from_the_api_stops_the_import_and_a_queued_one_at_once(
        app: FastAPI, sign_in: SignIn, big_list: bytes) -> None:
    person = sign_in(UserRole.CASE_WORKER)
    running = _send(person, "big.csv", big_list)
    queued = _send(person, "small.csv", b"record_id,surname\nS1,Petrenko\n")
    _until(person, running, lambda job: job["status"] == "running" and job["done"] > 0)
    assert _job(person, queued)["status"] == "queued"
    headers = person.headers
    gone = person.client.post(f"/api/v1/imports/jobs/{queued}/cancel", headers=headers)
    assert (gone.status_code, gone.json()["status"]) == (202, "cancelled")
    asked = person.client.post(f"/api/v1/imports/jobs/{running}/cancel", headers=headers)
    assert asked.status_code == 202
    assert asked.json()["cancel_requested"] is True
    job = _until(person, running, lambda job: job["status"] != "running")
    assert job["status"] == "cancelled"
    assert job["message"] == (f"the import was cancelled by {person.username}; nothing of it "
                              "was kept")
    again = person.client.post(f"/api/v1/imports/jobs/{running}/cancel", headers=headers)
    assert again.status_code == 409
    app.state.services.jobs.wait()
    assert _stored(app) == (0, 0, ["cancelled"])  # the chunks written were removed
    assert person.client.get("/api/v1/sources").json() == []
    assert _actions(app) == [(person.username, "import.cancelled", "import_job"),
                             (person.username, "import.cancelled", "import_run")]
    # the queue goes on
    after = _send(person, "after.csv", b"record_id,surname\nA1,Petrenko\n")
    app.state.services.jobs.wait()
    assert _job(person, after)["status"] == "completed"


def test_another_worker_follows_and_cancels_a_job_through_the_store(
        app: FastAPI, web_settings: Settings, sign_in: SignIn, big_list: bytes) -> None:
    """Two applications on one store, as two processes of ``kinlink serve --workers 2``:
    the one that does not run the jobs shows the running one's progress, ends the queued
    one at once and has the running one stopped by the process that runs it."""
    person = sign_in(UserRole.CASE_WORKER)
    other_app = create_app(web_settings)
    try:
        client = TestClient(other_app)
        client.cookies.update(person.client.cookies)
        other = dataclasses.replace(person, client=client)
        running = _send(person, "big.csv", big_list)
        queued = _send(person, "small.csv", b"record_id,surname\nS1,Petrenko\n")
        seen = _until(other, running, lambda job: job["status"] == "running"
                      and job["done"] > 0)
        assert seen["total"] >= seen["done"]
        assert _job(other, queued)["status"] == "queued"
        gone = client.post(f"/api/v1/imports/jobs/{queued}/cancel", headers=person.headers)
        assert (gone.status_code, gone.json()["status"]) == (202, "cancelled")
        asked = client.post(f"/api/v1/imports/jobs/{running}/cancel", headers=person.headers)
        assert asked.status_code == 202
        assert asked.json()["cancel_requested"] is True
        job = _until(person, running, lambda job: job["status"] != "running")
        assert job["status"] == "cancelled"
        assert job["message"] == (f"the import was cancelled by {person.username}; nothing "
                                  "of it was kept")
        app.state.services.jobs.wait()
        assert _job(person, queued)["status"] == "cancelled"  # never started by its owner
        assert _stored(app) == (0, 0, ["cancelled"])
        again = client.post(f"/api/v1/imports/jobs/{running}/cancel", headers=person.headers)
        assert again.status_code == 409
    finally:
        other_app.state.services.jobs.shutdown()
        other_app.state.services.store.dispose()


def test_another_agency_cannot_cancel(app: FastAPI, sign_in: SignIn,
                                      second_agency: int) -> None:
    owner = sign_in(UserRole.CASE_WORKER)
    job_id = _send(owner, "a.csv", b"record_id,surname\nA1,Petrenko\n")
    stranger = sign_in(UserRole.CASE_WORKER, agency_id=second_agency)
    refused = stranger.client.post(f"/api/v1/imports/jobs/{job_id}/cancel",
                                   headers=stranger.headers)
    assert refused.status_code == 404
    admin = sign_in(UserRole.ADMIN)  # sees imports, does not import: may not cancel
    assert admin.client.post(f"/api/v1/imports/jobs/{job_id}/cancel",
                             headers=admin.headers).status_code == 403
    app.state.services.jobs.wait()
    assert _job(owner, job_id)["status"] == "completed"


@pytest.fixture
def budget_app(web_settings: Settings, request: pytest.FixtureRequest) -> Iterator[FastAPI]:
    limits: ImportLimits = request.param
    application = create_app(web_settings.model_copy(update={"limits": limits}))
    yield application
    application.state.services.jobs.shutdown()
    application.state.services.store.dispose()


@pytest.mark.parametrize("budget_app", [ImportLimits(import_seconds=4)], indirect=True)
def test_the_time_budget_stops_a_long_import_and_frees_the_queue(
        budget_app: FastAPI, big_list: bytes, web_settings: Settings) -> None:
    person = signed_in_worker(budget_app, "budget")
    slow = _send(person, "big.csv", big_list)
    quick = _send(person, "quick.csv", b"record_id,surname\nQ1,Petrenko\n")
    budget_app.state.services.jobs.wait(timeout=180)
    job = _job(person, slow)
    assert job["status"] == "interrupted"
    assert job["message"].startswith("the import ran longer than its time budget of 4 "
                                     "seconds (KINLINK_LIMITS__IMPORT_SECONDS)")
    assert _job(person, quick)["status"] == "completed"
    sources, records, runs = _stored(budget_app)
    assert (sources, records, runs) == (1, 1, ["interrupted", "completed"])


@pytest.mark.parametrize("budget_app", [ImportLimits(import_memory_mb=60)], indirect=True)
def test_the_memory_budget_stops_an_import(budget_app: FastAPI, big_list: bytes) -> None:
    person = signed_in_worker(budget_app, "budget")
    job_id = _send(person, "big.csv", big_list)
    budget_app.state.services.jobs.wait(timeout=180)
    job = _job(person, job_id)
    assert job["status"] == "interrupted"
    assert job["message"] == ("the import used more than its memory budget of 60 MiB "
                              "(KINLINK_LIMITS__IMPORT_MEMORY_MB) and was stopped; nothing "
                              "of it was kept")
    sources, records, runs = _stored(budget_app)
    assert (sources, records) == (0, 0)
    assert "running" not in runs



def _dead_process() -> str:
    """``host:pid`` of a process that has ended."""
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    return f"{socket.gethostname()}:{gone.pid}"


def test_a_restart_after_a_crash_clears_what_it_left_and_reports_the_lost_uploads(
        app: FastAPI, sign_in: SignIn, web_settings: Settings) -> None:
    person = sign_in(UserRole.CASE_WORKER)
    dead = _dead_process()
    uploads = web_settings.data_dir / "uploads"
    store = app.state.services.store
    # what kill -9 of a server left: a job running (its worker's run and a chunk unseen,
    # its upload's copy), a job queued behind it (its copy too)
    with store.transaction() as session:
        begin_write(session)
        repo = ImportRepository(session)
        run_id = repo.start_run("children.csv", "ab" * 32, "iryna", 1, worker=dead)
        source_id = repo.create_source(SourceDraft(
            "list", Role.SOUGHT, "children.csv", None, None, "children.csv", "ab" * 32,
            "csv", "utf-8", ["record_id"], {}, "iryna", 1))
        session.execute(RecordRow.__table__.insert().values(  # type: ignore[attr-defined]
            source_id=source_id, import_run_id=run_id, record_id="R1", line=2,
            role=Role.SOUGHT, raw=["R1"], extra={}))
        jobs = ImportJobRepository(session)
        for job_id, status in (("crashedjob", ImportStatus.RUNNING),
                               ("queuedjob", ImportStatus.QUEUED)):
            jobs.add(JobState(job_id, 1, f"{job_id}.csv", True, status, Stage.READING, 0, 0,
                              None, None, 0, 0, 0, 0, 0, 0, 0, None, _now(), None,
                              started_by=person.username), dead)
            (uploads / job_id).mkdir(parents=True)
            (uploads / job_id / f"{job_id}.csv").write_text("record_id,surname\nR1,Бойко\n")
    restarted = create_app(web_settings)
    try:
        assert not any(uploads.iterdir()), "an upload's copy outlived its job"
        sources, records, runs = _stored(restarted)
        assert (sources, records, runs) == (0, 0, ["interrupted"])
        person = Person(TestClient(restarted, cookies=dict(person.client.cookies)),
                        person.username, person.password, person.secret, person.csrf,
                        person.user_id, person.role)
        crashed, waiting = _job(person, "crashedjob"), _job(person, "queuedjob")
        assert (crashed["status"], waiting["status"]) == ("interrupted", "interrupted")
        assert crashed["message"].startswith("the server stopped while this upload was being "
                                             "imported; nothing of it was kept")
        assert waiting["message"].startswith("the server stopped before this upload was "
                                             "imported")
        page = person.client.get("/imports").text
        assert "queuedjob.csv" in page
        assert "the server stopped before this upload was imported" in page
        assert [a for _, a, _ in _actions(restarted)] == ["import.interrupted"] * 3
    finally:
        restarted.state.services.jobs.shutdown()
        restarted.state.services.store.dispose()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
