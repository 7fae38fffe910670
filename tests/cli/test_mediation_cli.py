"""``kinlink channels``, ``lists`` and ``answers`` at the command line, on a real store."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kinlink.cli import app
from kinlink.encryption import decrypt_files

runner = CliRunner()

REPORTS = ("record_id,surname,given_name,patronymic,birth_date,sex,birth_place,notes\n"
           "R1,Петренко,Олександр,Сергійович,12.03.2014,ч,Херсон,Мама шукає сина\n")
FOUND = ("record_id,full_name,birth_date,sex,birth_place\n"
         "F1,ПЕТРЕНКО Александр Сергеевич,2014-03-12,м,Херсон\n")


@pytest.fixture
def env(data_dir: Path) -> Path:
    """The folder the lists are written to, beside the store."""
    return data_dir.parent


def _ok(args: list[str], role: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("KINLINK_ROLE", role)
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.slow
def test_a_list_round_trip_at_the_command_line(env: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    (env / "reports.csv").write_text(REPORTS, encoding="utf-8")
    (env / "found.csv").write_text(FOUND, encoding="utf-8")
    _ok(["import", str(env / "reports.csv"), "--kind", "family_reports"], "case_worker",
        monkeypatch)
    _ok(["import", str(env / "found.csv"), "--kind", "adoption_registry"], "case_worker",
        monkeypatch)
    _ok(["review", "decide", "1", "2", "same"], "case_worker", monkeypatch)
    _ok(["cases", "advance", "1", "--to", "located", "--version", "1", "--reason", "found"],
        "case_worker", monkeypatch)
    _ok(["cases", "advance", "1", "--to", "identity_verified", "--version", "2", "--reason",
         "certificate", "--evidence", "documents", "--evidence-ref", "BC-1"], "case_worker",
        monkeypatch)

    monkeypatch.setenv("KINLINK_ROLE", "mediator_liaison")
    refused = runner.invoke(app, ["channels", "add", "Qatar", "--fields", "name_ru"])
    assert refused.exit_code != 0
    assert "may not define" in refused.output
    added = _ok(["channels", "add", "Qatar", "--fields", "name_ru,birth_date"], "supervisor",
                monkeypatch)
    assert "receives: name_ru, birth_date" in added
    _ok(["lists", "new", "--channel", "1"], "mediator_liaison", monkeypatch)
    assert "Петренко" in _ok(["lists", "candidates"], "mediator_liaison", monkeypatch)
    reference = re.search(r"KL-\w{4}-\w{4}", _ok(["lists", "add", "1", "1"],
                                                 "mediator_liaison", monkeypatch))
    assert reference is not None
    shown = _ok(["lists", "show", "1"], "mediator_liaison", monkeypatch)
    assert "Петренко Александр Сергеевич" in shown
    assert "Херсон" not in shown  # birthplace is not this channel's

    result = runner.invoke(app, ["lists", "export", "1", "-o", str(env / "list.zip"),
                                 "--format", "csv"])
    assert result.exit_code == 0, result.output
    passphrase = re.search(r"not stored\):\s+(\S+)", result.stderr)
    assert passphrase is not None
    files = decrypt_files((env / "list.zip").read_bytes(), passphrase.group(1))
    (text,) = (data.decode("utf-8-sig") for data in files.values())
    assert reference.group(0) in text
    assert "Мама" not in text

    version = re.search(r"version (\d+)", shown)
    assert version is not None
    sent = _ok(["lists", "send", "1", "--version", version.group(1)], "mediator_liaison",
               monkeypatch)
    assert "1 case now return requested" in sent

    answer = env / "answer.csv"
    answer.write_text(f"номер,статус\n{reference.group(0)},к возвращению\n", encoding="utf-8")
    assert "matched 1" in _ok(["answers", "import", "1", str(answer)], "mediator_liaison",
                              monkeypatch)
    assert "reference" in _ok(["answers", "show", "1"], "mediator_liaison", monkeypatch)
    applied = _ok(["answers", "apply", "1"], "mediator_liaison", monkeypatch)
    assert "to in return" in applied
    tracked = _ok(["channels", "track", "1"], "mediator_liaison", monkeypatch)
    assert "L-0001" in tracked
