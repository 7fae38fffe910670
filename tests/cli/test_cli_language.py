"""The commands speak the reader's language (``KINLINK_LANGUAGE``, else the locale):
their errors, the import summary and the search results' headings come from the pages'
catalogue; ``en`` keeps them in English."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kinlink.cli import app
from kinlink.config import Settings, locale_language

runner = CliRunner()

LIST = ("record_id,прізвище,ім'я,дата народження,стать\n"
        "F-1,Петренко,Олександр,12.03.2014,ч\n"
        "F-2,Бойко,Ганна,31.02.2015,ж\n")
"""Two reported children, the second with an impossible date (a field not understood)."""


@pytest.fixture
def family(tmp_path: Path) -> Path:
    path = tmp_path / "family.csv"
    path.write_text(LIST, encoding="utf-8")
    return path


def _import(family: Path) -> str:
    result = runner.invoke(app, ["import", str(family), "--kind", "family_reports",
                                 "--no-link"])
    assert result.exit_code == 0, result.output
    return result.output


def test_import_summary_and_error_in_ukrainian(data_dir: Path, family: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINLINK_LANGUAGE", "uk")
    said = _import(family)
    assert "Імпортовано family.csv як джерело" in said
    assert "прочитано рядків" in said
    assert "незрозумілих полів" in said
    assert "рядок 3" in said
    assert "rows read" not in said
    assert "line 3" not in said
    refused = runner.invoke(app, ["records", "show", "999"])
    assert refused.exit_code == 2
    assert "Помилка:" in refused.output
    assert "запису 999 немає" in refused.output
    assert "Error" not in refused.output


def test_the_same_in_english(data_dir: Path, family: Path) -> None:
    said = _import(family)
    assert "Imported family.csv as source" in said
    assert "rows read" in said
    assert "line 3" in said
    refused = runner.invoke(app, ["records", "show", "999"])
    assert "Error: there is no record 999" in " ".join(refused.output.split())


def test_search_headings_and_refusal_in_ukrainian(data_dir: Path, family: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _import(family)
    monkeypatch.setenv("KINLINK_LANGUAGE", "uk")
    found = runner.invoke(app, ["search", "Олександр Петренко"])
    assert found.exit_code == 0, found.output
    assert "Прочитано як:" in found.output
    assert "ім’я як записано" in found.output
    assert "name as written" not in found.output
    empty = runner.invoke(app, ["search", " "])
    assert "Помилка:" in empty.output
    assert "вкажіть ім’я" in empty.output


@pytest.mark.parametrize(("environ", "language"), [
    ({"LANG": "uk_UA.UTF-8"}, "uk"),
    ({"LC_ALL": "uk_UA.UTF-8", "LANG": "en_US.UTF-8"}, "uk"),
    ({"LC_ALL": "C.UTF-8", "LANG": "uk_UA.UTF-8"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "en"),
    ({}, "en"),
])
def test_the_default_follows_the_locale(environ: dict[str, str], language: str) -> None:
    assert locale_language(environ) == language


def test_language_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINLINK_LANGUAGE", "uk")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert Settings().language == "uk"
    monkeypatch.delenv("KINLINK_LANGUAGE")
    monkeypatch.setenv("LC_ALL", "uk_UA.UTF-8")
    assert Settings().language == "uk"
    monkeypatch.setenv("KINLINK_LANGUAGE", "fr")
    with pytest.raises(ValueError, match="language"):
        Settings()
