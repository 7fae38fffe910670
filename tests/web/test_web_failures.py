"""Failures kinlink did not foresee, on the web: a background import whose database fails
mid-way, and a request that raises. Neither the answer, the job's page nor any log line
carries the row's values; each names the step and a reference whose detail file (in
``DATA_DIR/errors``, mode 0600) has none either.

The import's worker runs in this process here (its conversation with the server through
a pipe as in its own process), so that its fault is armed from its own progress after the
first chunk (:mod:`faults`):
PostgreSQL terminates the import's connection while its INSERT waits; SQLite refuses the
next chunk's oversized cell ("string or blob too big").
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy.exc import IntegrityError
from webhelpers import SignIn

from faults import (
    GIVEN,
    PLACE,
    SURNAME,
    PostgresTerminator,
    SqliteLengthLimit,
    hostile_list,
    leaks,
    with_fault,
)
from kinlink.config import Settings
from kinlink.domain.progress import StageProgress
from kinlink.domain.users import UserRole
from kinlink.usecases import import_worker
from kinlink.usecases.jobs import ImportJobs

REFERENCE = re.compile(r"[Rr]eference (E-\d{8}-[0-9a-f]{8})")


def _detail(settings: Settings, text: str) -> str:
    found = REFERENCE.search(text)
    assert found, text
    path = settings.errors_dir / f"{found.group(1)}.txt"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    return path.read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_database_failure_in_an_import_job_names_the_stage_and_a_reference(
    app: FastAPI, sign_in: SignIn, web_settings: Settings, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    on_sqlite = web_settings.database_url is None
    url = str(web_settings.database_url)
    fault = SqliteLengthLimit(2000) if on_sqlite else PostgresTerminator(url)
    real = import_worker.import_list

    def faulty(*args: Any, progress: Callable[[StageProgress], None] | None = None,
               **kwargs: Any) -> Any:
        return real(*args, progress=with_fault(progress, fault), **kwargs)

    def in_process(self: ImportJobs, job_id: str, pending: Any) -> None:
        # the command pipe stays open: a closed one means "the server is gone" to the worker
        read, write = os.pipe()
        os.write(write, (json.dumps(self._job_line(pending)) + "\n").encode())
        out = io.StringIO()
        import_worker.run(os.fdopen(read, encoding="utf-8"), out)
        self._conclude(job_id, json.loads(out.getvalue().splitlines()[-1]))

    monkeypatch.setattr(import_worker, "import_list", faulty)
    monkeypatch.setattr(import_worker, "_cap_address_space", lambda _mb: None)
    monkeypatch.setattr(ImportJobs, "_watch", in_process)
    person = sign_in(UserRole.CASE_WORKER)
    data = hostile_list(tmp_path / "children.csv", oversized=on_sqlite).read_bytes()
    try:
        answer = person.client.post("/api/v1/imports", headers=person.headers,
                                    files={"file": ("children.csv", data, "text/csv")},
                                    data={"kind": "camp_list"})
        assert answer.status_code == 202, answer.text
        app.state.services.jobs.wait(timeout=180)
    finally:
        if isinstance(fault, SqliteLengthLimit):
            fault.remove()
    assert fault.fired.is_set()
    job = person.client.get(f"/api/v1/imports/jobs/{answer.json()['id']}").json()
    assert job["status"] == "failed"
    message = job["message"]
    assert leaks(message) == []
    assert message.startswith("kinlink stopped unexpectedly during the import of an uploaded "
                              "list, reading it into the store (")
    assert ("DataError" if on_sqlite else "OperationalError") in message
    assert "Nothing of the list is seen; upload it again." in message
    assert str(web_settings.data_dir) not in message  # the server's folders stay its own
    page = person.client.get(f"/imports/jobs/{job['id']}").text
    assert REFERENCE.search(page)
    assert leaks(page) == []
    detail = _detail(web_settings, message)
    assert leaks(detail) == []
    assert "in add_records" in detail
    assert leaks(caplog.text) == []
    assert "import job stopped" in caplog.text
    assert REFERENCE.search(message).group(1) in caplog.text  # type: ignore[union-attr]


def _raise_with_values(*_args: object, **_kwargs: object) -> None:
    driver = ValueError(f"Key (surname)=({SURNAME}) already exists")
    error = IntegrityError("SELECT …", {"given_name": GIVEN, "place": PLACE}, driver)
    error.add_note(f"while reading {SURNAME}")
    raise error from driver


@pytest.mark.parametrize("address", ["/api/v1/search?q=x", "/search?q=x"])
def test_an_unexpected_error_in_a_request_answers_500_with_a_reference_and_no_value(
    app: FastAPI, sign_in: SignIn, web_settings: Settings, address: str,
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    person = sign_in(UserRole.CASE_WORKER)
    monkeypatch.setattr(app.state.services.search, "search", _raise_with_values)
    # the test client raises what reaches the server: nothing may (uvicorn would log it
    # whole, with the exception's text)
    answer = person.client.get(address)
    assert answer.status_code == 500
    assert leaks(answer.text) == []
    assert answer.headers["x-content-type-options"] == "nosniff"  # still behind the headers
    if address.startswith("/api/"):
        error = answer.json()["error"]
        assert error["code"] == "internal"
        assert error["reference"] in error["message"]
    else:
        assert "Something went wrong" in answer.text
    text = answer.text
    assert "IntegrityError" not in text  # the person gets plain words; the type is logged
    assert leaks(caplog.text) == []
    route = "/api/v1/search" if address.startswith("/api/") else "/search"
    assert f"unexpected IntegrityError ← ValueError during GET {route}, reference" \
        in caplog.text
    detail = _detail(web_settings, text)
    assert leaks(detail) == []
    assert "step: GET " + route in detail
