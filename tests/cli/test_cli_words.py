"""Every command of a case worker's day speaks the reader's language: with
``KINLINK_LANGUAGE=uk`` none prints an English sentence (no run of three Latin words
outside commands, ids and the store's own data), with ``en`` none prints Ukrainian (no
Cyrillic word that is not the store's data). The day runs against a small store: import,
link, review next/decide/undo, the child and its possible identities, the caseload, a
case shown, assigned, claimed and moved, contacts and tasks, a report registered,
corrected and its consent withdrawn, the audit log verified, the users listed."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kinlink.cli import app
from kinlink.config import Settings
from kinlink.storage import open_store
from kinlink.storage.accounts import AccountRepository

pytestmark = pytest.mark.slow
runner = CliRunner()

FAMILY = ("record_id,прізвище,ім'я,по батькові,дата народження,стать,місце народження\n"
          "F-1,Петренко,Олександр,Іванович,12.03.2014,ч,Херсон\n"
          "F-2,Бойко,Ганна,Петрівна,31.02.2015,ж,Маріуполь\n")
FOUND = ("record_id,прізвище,ім'я,по батькові,дата народження,стать,місце народження\n"
         "Z-1,Петренко,Александр,Иванович,12.03.2014,м,Херсон\n"
         "Z-2,Коваль,Марія,Олегівна,01.06.2013,ж,Бердянськ\n")
DATA = {  # what the commands are given: it may come back in any language
    "note": "мати впізнала сина", "undo": "помилково",
    "with": "мати Петренко Ірина", "summary": "Мати підтвердила фото сина.",
    "task": "попросити копію свідоцтва", "reason": "свідоцтво про народження",
    "move": "мати впізнала дитину на фото", "withdraw": "мати просить не шукати",
    "reporter": "Шевченко Оксана", "relation": "мати", "surname": "Шевченко",
    "given": "Тарас", "place": "Мелітополь",
}
CYRILLIC = re.compile(r"[А-ЯЁІЇЄҐа-яёіїєґ][А-ЯЁІЇЄҐа-яёіїєґ’'ʼ]*")
LATIN_RUN = re.compile(r"[A-Za-z]{2,}(?:[ ,;:()'’-]+[A-Za-z]{2,}){2,}")
COMMAND = re.compile(r"`[^`]*`|kinlink [^\n\"]*|--[a-z-]+|\S*/\S*|\bKL-[0-9A-Z]{4}-[0-9A-Z]{4}\b")
"""Commands, options and paths, in either language as typed, and a list's references
(random, so ``KL-DGTC-TAP7`` reads as three Latin words now and then)."""
LATIN_DATA = {"operator", "olena", "csv", "family", "found", "sha256", "kinlink", "ISO"}


def _words_of(texts: list[str]) -> set[str]:
    return {w.strip("'’ʼ").casefold() for t in texts for w in CYRILLIC.findall(t)}


DATA_WORDS = _words_of([FAMILY, FOUND, *DATA.values(),
                        "Херсонська область", "Донецька область"])
"""The data, and the oblasts the store places its birth places in."""


def _run(*args: str) -> str:
    done = runner.invoke(app, list(args))
    assert done.exit_code in (0, 1), done.output
    return done.stdout


def _day(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The day's commands, each one's output by its name."""
    said: dict[str, str] = {}
    family, found = tmp_path / "family.csv", tmp_path / "found.csv"
    family.write_text(FAMILY, encoding="utf-8")
    found.write_text(FOUND, encoding="utf-8")
    said["import"] = _run("import", str(family), "--kind", "family_reports", "--no-link")
    said["import found"] = _run("import", str(found), "--kind", "camp_list", "--role",
                                "found", "--no-link")
    said["match"] = _run("match")
    said["sources"] = _run("sources")
    said["imports"] = _run("imports")
    said["records list"] = _run("records", "list")
    said["records show"] = _run("records", "show", "1", "--with-reporter")
    said["review next"] = _run("review", "next")
    said["decide"] = _run("review", "decide", "1", "3", "same", "--note", DATA["note"])
    said["undo"] = _run("review", "undo", "1", "3", "--note", DATA["undo"])
    said["decide again"] = _run("review", "decide", "1", "3", "same", "--note", DATA["note"])
    said["children show"] = _run("children", "show", "1")
    said["identities"] = _run("children", "identities", "1")
    said["cases list"] = _run("cases", "list")
    said["cases show"] = _run("cases", "show", "1")
    said["assign"] = _run("cases", "assign", "1", "olena")
    said["unassign"] = _run("cases", "assign", "1", "nobody")
    said["claim"] = _run("cases", "claim", "1")
    said["contacts add"] = _run("contacts", "add", "1", "--with", DATA["with"], "--channel",
                                "phone", "--summary", DATA["summary"])
    said["contacts list"] = _run("contacts", "list", "1")
    said["tasks add"] = _run("tasks", "add", "1", "--title", DATA["task"], "--due",
                             _in_a_week(), "--assignee", "olena")
    said["tasks list"] = _run("tasks", "list", "--case", "1")
    said["records add"] = _run("records", "add", "--surname", DATA["surname"],
                               "--given-name", DATA["given"], "--sex", "ч",
                               "--birth-date", "01.02.2012", "--birth-place", DATA["place"],
                               "--reporter-name", DATA["reporter"],
                               "--reporter-relationship", DATA["relation"],
                               "--reporter-contact", "+380501234567")
    said["correct"] = _run("records", "correct", "5", "--set", "birth_date=02.02.2012",
                           "--reason", DATA["reason"])
    said["versions"] = _run("records", "versions", "5")
    said["withdraw"] = _run("records", "withdraw-consent", "5", "--reason", DATA["withdraw"])
    said["advance"] = _run("cases", "advance", "1", "--to", "located", "--version",
                           _version(said["cases show"]), "--reason", DATA["move"])
    said["audit"] = _run("audit", "verify")
    said["users"] = _run("users", "list")
    return said


def _in_a_week() -> str:
    return (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=7)).isoformat()


def _version(shown: str) -> str:
    found = re.search(r"\((?:version|версія) (\d+)\)", shown)
    assert found is not None, shown
    return found[1]


@pytest.fixture
def day(fresh_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The store's people: ``operator`` (a supervisor at the keyboard) and ``olena`` (a
    case worker), both of the home agency."""
    runner.invoke(app, ["db", "upgrade"])
    store = open_store(Settings())
    with store.transaction() as session:
        accounts = AccountRepository(session)
        for name, role in (("operator", "supervisor"), ("olena", "case_worker")):
            accounts.add_user(username=name, password_hash="x", role=role, agency_id=1)
    store.dispose()
    monkeypatch.setenv("KINLINK_AGENCY", "1")
    monkeypatch.setenv("KINLINK_ROLE", "supervisor")
    return tmp_path


def test_the_day_in_ukrainian_holds_no_english_sentence(
        day: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINLINK_LANGUAGE", "uk")
    said = _day(day, monkeypatch)
    english = {}
    for name, output in said.items():
        runs = [run for run in LATIN_RUN.findall(COMMAND.sub(" ", output))
                if not {w.casefold() for w in re.findall(r"[A-Za-z]{2,}", run)}
                <= {w.casefold() for w in LATIN_DATA}]
        if runs:
            english[name] = runs
    assert english == {}
    assert "Відкрито справ" in said["match"]
    assert "Справу 1 тепер ведете ви." in said["claim"]
    assert "одна дитина" in said["decide"]


def test_the_day_in_english_holds_no_ukrainian_word_but_the_data(
        day: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    said = _day(day, monkeypatch)
    ukrainian = {name: sorted(words) for name, output in said.items()
                 if (words := _words_of([output]) - DATA_WORDS)}
    assert ukrainian == {}
    assert "Case 1 is yours now." in said["claim"]
    assert "the same child" in said["decide"]


DATA_WORDS_MORE = _words_of(["Катар", "доручення прокурора", "Олександр Петренко",
                             "Александр Петренко", "Біленко Беленко Гліб Глеб і и е ё о"])
"""The second day's data: a channel's name, a hold's reference, two names compared; and
the names and letters the model's outcomes give as examples (``Гліб``/``Глеб``)."""


def _run_as(role: str, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    monkeypatch.setenv("KINLINK_ROLE", role)
    try:
        return _run(*args)
    finally:
        monkeypatch.setenv("KINLINK_ROLE", "supervisor")


def _other_day(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """After the day: mediation (a channel, a list), the model, names, public statistics,
    legal holds and retention, a backup made and checked. Each command's output by name."""
    said = _day(tmp_path, monkeypatch)
    more: dict[str, str] = {"audit": said["audit"]}
    more["channels add"] = _run("channels", "add", "Катар", "--fields",
                                "name_uk,birth_date,birth_place")
    more["channels list"] = _run("channels", "list")
    more["channels track"] = _run("channels", "track", "1")
    more["lists new"] = _run("lists", "new", "--channel", "1")
    more["lists candidates"] = _run("lists", "candidates", "--status", "located")
    more["lists add"] = _run("lists", "add", "1", "1")
    more["lists show"] = _run("lists", "show", "1")
    more["lists remove"] = _run("lists", "remove", "1", "1")
    more["model show"] = _run("model", "show", "--store")
    more["model check"] = _run("model", "check")
    more["names explain"] = _run("names", "explain", "Олександр Петренко",
                                 "Александр Петренко")
    more["stats release"] = _run("stats", "release")
    more["stats list"] = _run("stats", "list")
    more["holds place"] = _run("holds", "place", "case", "1", "--reference",
                               "доручення прокурора", "--reason", DATA["reason"])
    more["holds list"] = _run("holds", "list")
    more["retention add"] = _run("retention", "add", "reporter_contact", "--days", "1",
                                 "--after", "received")
    more["retention rules"] = _run("retention", "rules")
    more["retention plan"] = _run("retention", "plan", "--today", "2100-01-01")
    key, file = tmp_path / "backup.key", tmp_path / "store.kbk"
    more["backup new-key"] = _run_as("admin", monkeypatch, "backup", "new-key", str(key))
    more["backup"] = _run_as("admin", monkeypatch, "backup", str(file), "--key-file",
                             str(key))
    more["backup verify"] = _run_as("admin", monkeypatch, "backup", "verify", str(file),
                                    "--key-file", str(key))
    return more


def _english_runs(said: dict[str, str]) -> dict[str, list[str]]:
    english = {}
    for name, output in said.items():
        runs = [run for run in LATIN_RUN.findall(COMMAND.sub(" ", output))
                if not {w.casefold() for w in re.findall(r"[A-Za-z]{2,}", run)}
                <= {w.casefold() for w in LATIN_DATA}]
        if runs:
            english[name] = runs
    return english


def test_the_other_commands_in_ukrainian_hold_no_english_sentence(
        day: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINLINK_LANGUAGE", "uk")
    said = _other_day(day, monkeypatch)
    assert _english_runs(said) == {}
    assert "Канал 1" in said["channels add"]
    assert "Утримання 1 накладено" in said["holds place"]
    assert "Резервна копія ціла" in said["backup verify"]
    assert "Скільки важить кожен результат" in said["model show"]


def test_the_other_commands_in_english_hold_no_ukrainian_word_but_the_data(
        day: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    said = _other_day(day, monkeypatch)
    ukrainian = {name: sorted(words) for name, output in said.items()
                 if (words := _words_of([output]) - DATA_WORDS - DATA_WORDS_MORE)}
    assert ukrainian == {}
    assert "Channel 1" in said["channels add"]
    assert "The backup is intact" in said["backup verify"]
