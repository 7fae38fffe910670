"""``kinlink cases list`` with names, totals and filters, ``--csv``, and ``kinlink cases
claim``/``assign`` as a case worker and a supervisor at the command line."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cliworlds import StartWorld
from kinlink.cli import app

runner = CliRunner()
FAMILY = ("record_id,прізвище,ім'я,дата народження,стать,місце народження\n"
          "F-1,Петренко,Олександр,12.03.2014,ч,Маріуполь\n"
          "F-2,Бойко,Ганна,03.2015,ж,Херсон\n"
          "F-3,Коваленко,Дмитро,05.06.2013,ч,Бердянськ\n")


def _imported(folder: Path) -> None:
    """The family reports imported and their cases opened by a supervisor, who made the
    people ``olena`` (a case worker) and ``maria`` (a supervisor)."""
    family = folder / "family.csv"
    family.write_text(FAMILY, encoding="utf-8")
    with pytest.MonkeyPatch.context() as supervisor:
        supervisor.setenv("KINLINK_ROLE", "supervisor")
        assert runner.invoke(app, ["import", str(family), "--kind", "family_reports"]
                             ).exit_code == 0
        for name, role in (("olena", "case_worker"), ("maria", "supervisor")):
            made = runner.invoke(app, ["users", "create", name, "--role", role])
            assert made.exit_code == 0, made.output


@pytest.fixture
def imported(cli_world: StartWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy of :func:`_imported`'s store (built once per worker), a supervisor at the
    command line."""
    cli_world(_imported)
    monkeypatch.setenv("KINLINK_ROLE", "supervisor")


def _as(monkeypatch: pytest.MonkeyPatch, user: str, role: str) -> None:
    monkeypatch.setenv("KINLINK_USER", user)
    monkeypatch.setenv("KINLINK_ROLE", role)
    monkeypatch.setenv("KINLINK_AGENCY", "1")


def test_list_shows_names_totals_and_filters(imported: None,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    _as(monkeypatch, "olena", "case_worker")
    listed = runner.invoke(app, ["cases", "list", "--per-page", "2"])
    assert listed.exit_code == 0, listed.output
    assert "page 1 of 2, 3 in all" in listed.output
    assert "Бойко Ганна" in listed.output
    assert "Next: --page 2." in listed.output
    found = runner.invoke(app, ["cases", "list", "--name", "Oleksandr Petrenko"])
    assert "Петренко Олександр" in found.output
    assert "1 in all" in found.output
    assert "Донецька область" in found.output
    born = runner.invoke(app, ["cases", "list", "--born-from", "2014", "--sort", "-birth"])
    assert "2 in all" in born.output
    assert born.output.index("Бойко") < born.output.index("Петренко")
    bad = runner.invoke(app, ["cases", "list", "--born-from", "2015", "--born-to", "2013"])
    assert bad.exit_code == 2
    assert "born_to" in bad.output


def test_csv_holds_every_page(imported: None, tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    _as(monkeypatch, "olena", "case_worker")
    out = tmp_path / "cases.csv"
    done = runner.invoke(app, ["cases", "list", "--per-page", "1", "--csv", str(out)])
    assert done.exit_code == 0, done.output
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    assert len(rows) == 4
    assert rows[0][2] == "name"


def test_claim_and_assign(imported: None, monkeypatch: pytest.MonkeyPatch) -> None:
    _as(monkeypatch, "olena", "case_worker")
    assert "is yours now" in runner.invoke(app, ["cases", "claim", "1"]).output
    assert "olena" in runner.invoke(app, ["cases", "list", "--owner", "me"]).output
    refused = runner.invoke(app, ["cases", "assign", "2", "olena"])
    assert refused.exit_code == 2
    assert "may not" in refused.output
    _as(monkeypatch, "maria", "supervisor")
    taken = runner.invoke(app, ["cases", "claim", "1"])
    assert taken.exit_code == 2
    assert "already works" in taken.output
    given = runner.invoke(app, ["cases", "assign", "2", "olena"])
    assert given.exit_code == 0
    assert "worked by olena" in given.output
    unknown = runner.invoke(app, ["cases", "assign", "3", "nobody-here"])
    assert unknown.exit_code == 2
    assert "has no owner" in runner.invoke(app, ["cases", "assign", "2", "nobody"]).output
