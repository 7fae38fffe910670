"""Issue 15's done-means at the command line: the same day as the browser walk
(:mod:`test_case_workers_day_browser`), acted on as the demo case worker — register the
mother's report, confirm its Russian candidate, take the case, log the call, set a task,
correct the birth date and find the case by "Petrenko" on page 3."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dayworld import BIRTH_DATE, LATIN, REPORT, build_day, demo_worker
from kinlink.cli import app

pytestmark = pytest.mark.slow
runner = CliRunner()


def _run(*args: str) -> str:
    done = runner.invoke(app, list(args))
    assert done.exit_code == 0, done.output
    return done.output


def test_the_demo_case_workers_day_at_the_command_line(
        data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, accounts = build_day(tmp_path)
    assert data_dir == tmp_path / "data"
    username = demo_worker(accounts)[0]
    monkeypatch.setenv("KINLINK_USER", username)
    monkeypatch.setenv("KINLINK_ROLE", "case_worker")
    monkeypatch.setenv("KINLINK_AGENCY", "1")

    added = _run("records", "add", "--surname", REPORT["surname"],
                 "--given-name", REPORT["given_name"], "--patronymic", REPORT["patronymic"],
                 "--sex", "ч", "--birth-date", REPORT["birth_date"],
                 "--birth-place", REPORT["birth_place"],
                 "--reporter-name", REPORT["reporter_name"],
                 "--reporter-relationship", REPORT["reporter_relationship"],
                 "--reporter-contact", REPORT["reporter_contact"],
                 "--language", "uk", "--channel", "hotline")
    assert "cases opened: 1" in added
    pk = int(added.split("Registered record ")[1].split()[0])

    waiting = _run("review", "next", "--record", str(pk))
    assert "Ярослав" in waiting
    decide = re.search(r"kinlink review decide (\d+) (\d+)", waiting)
    assert decide is not None
    other = ({int(decide[1]), int(decide[2])} - {pk}).pop()
    _run("review", "decide", str(pk), str(other), "same", "--note", "мати впізнала сина")
    assert "Nothing to review" in _run("review", "next", "--record", str(pk))

    listed = _run("cases", "list", "--name", f"{LATIN} Yaroslav")
    row = next(line for line in listed.splitlines() if "Петренко Ярослав" in line)
    case_id = int(re.findall(r"\d+", row)[0])
    assert "is yours now" in _run("cases", "claim", str(case_id))
    _run("contacts", "add", str(case_id), "--with", "мати", "--channel", "phone",
         "--summary", "Мати підтвердила: на фото її син.")
    due = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=7)).isoformat()
    _run("tasks", "add", str(case_id), "--title", "попросити копію свідоцтва", "--due", due)
    corrected = _run("records", "correct", str(pk), "--set", f"birth_date={BIRTH_DATE}",
                     "--reason", "свідоцтво про народження")
    assert "version 2; changed: date of birth" in corrected

    third = _run("cases", "list", "--name", LATIN, "--per-page", "10", "--page", "3")
    assert "page 3 of 3" in third
    row = next(line for line in third.splitlines() if "Петренко Ярослав" in line)
    assert username in row
    assert "2014-05-14" in row
    assert "попросити копію свідоцтва" in _run("tasks", "list")
    assert "Мати підтвердила" in _run("contacts", "list", str(case_id))
