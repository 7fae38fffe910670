"""The command line: import with --json, refusals, browsing, audited reads, --help."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import typer
from sqlalchemy import select, text
from typer.core import TyperGroup
from typer.testing import CliRunner

from kinlink.cli import app
from kinlink.config import Settings
from kinlink.storage import open_store
from kinlink.storage.tables import AuditEventRow

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]

LIST = ("record_id,прізвище,ім'я,дата народження,стать,reporter_contact\n"
        "1,Петренко,Олександр,12.03.2014,ч,+380501112233\n"
        "2,Бойко,Ганна,31.02.2015,ж,\n"
        "3,,,2014,ч,\n")



def _list(tmp_path: Path) -> Path:
    path = tmp_path / "reports.csv"
    path.write_text(LIST, encoding="utf-8")
    return path


def test_import_json_reports_counts_and_writes_the_error_report(
    data_dir: Path, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["import", str(_list(tmp_path)), "--kind", "family_reports",
                                 "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["imported"], summary["rejected"], summary["field_errors"]) == (2, 1, 1)
    assert summary["role"] == "sought"
    errors = Path(summary["error_report"]).read_text(encoding="utf-8-sig").splitlines()
    assert errors[0] == "file,line,column,severity,code,problem,value"
    assert any(",3,дата народження,field,bad_date," in line for line in errors)
    rejected = Path(summary["rejected_rows_file"]).read_text(encoding="utf-8-sig")
    assert rejected.splitlines() == [LIST.splitlines()[0], "3,,,2014,ч,"]
    assert Path(summary["error_report"]).is_relative_to(data_dir)


def test_reimport_is_refused_with_exit_code_2(data_dir: Path, tmp_path: Path) -> None:
    path = _list(tmp_path)
    assert runner.invoke(app, ["import", str(path), "--json"]).exit_code == 0
    again = runner.invoke(app, ["import", str(path), "--json"])
    assert again.exit_code == 2
    answer = json.loads(again.stdout)
    assert answer["status"] == "refused"
    assert answer["error"].startswith(f"{path.name} was already imported on ")
    assert answer["error"].endswith("; to import it again anyway, run the same command with "
                                    "--force")
    assert "tick" not in answer["error"]  # the web's way is the web's
    forced = runner.invoke(app, ["import", str(path), "--force", "--json"])
    assert json.loads(forced.stdout)["imported"] == 2


def test_human_summary_and_missing_file(data_dir: Path, tmp_path: Path) -> None:
    shown = runner.invoke(app, ["import", str(_list(tmp_path))])
    assert shown.exit_code == 0
    assert "records imported" in shown.stdout
    assert "day 31 does not exist in month 2" in shown.stdout
    missing = runner.invoke(app, ["import", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 2
    assert "cannot be read" in missing.output


def test_sources_records_and_an_audited_read(data_dir: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    runner.invoke(app, ["import", str(_list(tmp_path)), "--title", "Звернення родин"])
    sources = runner.invoke(app, ["sources"])
    assert "Звернення родин" in sources.stdout
    listed = runner.invoke(app, ["records", "list", "--name", "петрен"])
    assert "Петренко" in listed.stdout
    assert "Бойко" not in listed.stdout
    shown = runner.invoke(app, ["records", "show", "1"])
    assert shown.exit_code == 0
    assert "12.03.2014" in shown.stdout
    assert "+380501112233" not in shown.stdout  # the reporter's cells are withheld
    assert "(withheld)" in shown.stdout
    assert "Reported by" not in shown.stdout
    with_reporter = runner.invoke(app, ["records", "show", "1", "--with-reporter"])
    assert "+380501112233" in with_reporter.stdout  # the raw row, verbatim
    assert "Reported by" in with_reporter.stdout
    monkeypatch.setenv("KINLINK_ROLE", "analyst")
    refused = runner.invoke(app, ["records", "show", "1", "--with-reporter"])
    assert refused.exit_code == 2
    assert "analyst may not see who reported a child" in refused.output
    store = open_store(Settings(data_dir=data_dir))
    with store.transaction() as session:
        actions = session.execute(select(AuditEventRow.action, AuditEventRow.actor)).all()
    store.dispose()
    assert ("record.read", "operator") in [tuple(a) for a in actions]
    assert runner.invoke(app, ["records", "show", "999"]).exit_code == 2


def _commands(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command under a click group, as the words that call it (the lazy top
    level imports each group's module when asked for it)."""
    context = typer.Context(group)
    found: list[tuple[str, ...]] = []
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if isinstance(command, TyperGroup):
            found += _commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


COMMANDS = _commands(typer.main.get_command(app))


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_explains_itself(command: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert len(result.stdout.split()) > 12


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_is_in_the_readme(command: tuple[str, ...]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"kinlink {re.escape(' '.join(command))}\b", readme)


def test_audit_verify_and_checkpoint(data_dir: Path, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    runner.invoke(app, ["import", str(_list(tmp_path))])
    head = tmp_path / "head.json"
    refused = runner.invoke(app, ["audit", "verify"])  # the default role: case worker
    assert refused.exit_code == 2
    assert "case worker may not verify the audit log" in refused.output
    monkeypatch.setenv("KINLINK_ROLE", "supervisor")
    assert runner.invoke(app, ["audit", "checkpoint", str(head)]).exit_code == 0
    intact = runner.invoke(app, ["audit", "verify", "--checkpoint", str(head)])
    assert intact.exit_code == 0
    assert "intact" in intact.stdout
    store = open_store(Settings(data_dir=data_dir))
    with store.transaction() as session:
        session.execute(text("UPDATE audit_events SET actor = 'x' WHERE id = 1"))
    store.dispose()
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1
    assert "event 1 (import.completed): its content was changed" in broken.stdout
