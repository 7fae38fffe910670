"""``kinlink import`` and ``kinlink match`` act through the import use cases: the role of
``KINLINK_ROLE`` is checked, ``--no-link`` leaves linking and cases to ``kinlink match``,
which links what is new and opens the cases of the children reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kinlink.cli import app

pytestmark = pytest.mark.slow

runner = CliRunner()
FAMILY = ("record_id,прізвище,ім'я,дата народження,стать,місце народження\n"
          "F-1,Петренко,Олександр,12.03.2014,ч,Маріуполь\n"
          "F-2,Бойко,Ганна,03.2015,ж,Херсон\n"
          "F-3,Коваленко,Дмитро,05.06.2013,ч,Бердянськ\n")
CAMP = ("record_id,surname,given_name,birth_date,sex,birth_place\n"
        "C-1,Петренко,Александр,2014-03-12,F,Мариуполь\n"
        "C-2,Boiko,Anna,2015-03,M,Kherson\n"
        "C-3,Kovalenko,Dmytro,2013-06-05,M,Berdiansk\n"
        "C-4,Шевченко,Тарас,2012,M,Мелитополь\n")


def _lists(tmp_path: Path) -> tuple[Path, Path]:
    family, camp = tmp_path / "family.csv", tmp_path / "camp.csv"
    family.write_text(FAMILY, encoding="utf-8")
    camp.write_text(CAMP, encoding="utf-8")
    return family, camp


def _json(*args: str) -> dict[str, object]:
    done = runner.invoke(app, [*args, "--json"])
    assert done.exit_code == 0, done.output
    found = json.loads(done.stdout)
    assert isinstance(found, dict)
    return found


def test_no_link_leaves_linking_and_cases_to_match(data_dir: Path, tmp_path: Path) -> None:
    family, camp = _lists(tmp_path)
    first = _json("import", str(family), "--kind", "family_reports", "--no-link")
    second = _json("import", str(camp), "--kind", "camp_list", "--no-link")
    for summary in (first, second):
        assert (summary["linked"], summary["pairs"], summary["cases_opened"]) == (False, 0, 0)
    linked = _json("match")
    assert (linked["pairs"], linked["match"], linked["review"], linked["cases_opened"]) == \
        (3, 1, 2, 3)
    again = _json("match")
    assert (again["run_id"], again["cases_opened"]) == (None, 0)


def test_the_role_at_the_command_line_is_checked(data_dir: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    family, _camp = _lists(tmp_path)
    monkeypatch.setenv("KINLINK_ROLE", "viewer")
    refused = runner.invoke(app, ["import", str(family)])
    assert refused.exit_code == 2
    assert "viewer may not import lists" in refused.output
    monkeypatch.setenv("KINLINK_ROLE", "analyst")
    assert _json("import", str(family), "--kind", "family_reports")["cases_opened"] == 3
    monkeypatch.setenv("KINLINK_ROLE", "reviewer")
    refused = runner.invoke(app, ["match"])
    assert refused.exit_code == 2
    assert "reviewer may not import lists" in refused.output


def test_a_small_list_imported_after_another_is_linked_with_it(data_dir: Path,
                                                               tmp_path: Path) -> None:
    """The first small list of a store (no child twice) is no evidence that pairs are
    rare: the model kept after it must still link the next list, as `kinlink match`
    over both does (it once kept a prior of 1e-09 and linked nothing after)."""
    family, _camp = _lists(tmp_path)
    camp = tmp_path / "three.csv"  # the store grows too little for GROWTH_FOR_RETRAIN
    camp.write_text("".join(CAMP.splitlines(keepends=True)[:4]), encoding="utf-8")
    first = _json("import", str(family), "--kind", "family_reports")
    assert (first["linked"], first["pairs"]) == (True, 0)
    second = _json("import", str(camp), "--kind", "camp_list")
    assert second["linking"]["trained"] is True  # chosen again on both lists
    assert (second["pairs"], second["matches"], second["reviews"]) == (3, 1, 2)
