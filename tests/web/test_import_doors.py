"""Importing a list is one use case whatever the door: the same two lists imported at the
command line, through ``POST /api/v1/imports`` and through the Imports page leave three
fresh stores with the same candidate pairs (same decisions), automatic links and cases.

The lists: the families' reports of ``webhelpers.FAMILY_LIST`` (Ukrainian Cyrillic) and a
camp list with the same children in Russian Cyrillic (Петренко Александр) and in Latin
letters (Boiko Anna, Kovalenko Dmytro), and a child nobody reported.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import aliased
from typer.testing import CliRunner
from webhelpers import FAMILY_LIST, signed_in_worker, upload_on_page

from kinlink.cli import app as cli
from kinlink.config import Settings
from kinlink.server import create_app
from kinlink.storage import open_store
from kinlink.storage.linkage_tables import CandidatePairRow
from kinlink.storage.review_tables import CaseRow
from kinlink.storage.tables import RecordRow, SourceRow
from pgdatabases import empty_databases

pytestmark = pytest.mark.slow

CAMP_LIST = (
    "record_id,surname,given_name,birth_date,sex,birth_place\n"
    "C-1,Петренко,Александр,2014-03-12,F,Мариуполь\n"
    "C-2,Boiko,Anna,2015-03,M,Kherson\n"
    "C-3,Kovalenko,Dmytro,2013-06-05,M,Berdiansk\n"
    "C-4,Шевченко,Тарас,2012,M,Мелитополь\n"
)
LISTS = (("family.csv", FAMILY_LIST, "family_reports", "Family reports"),
         ("camp.csv", CAMP_LIST, "camp_list", "Camp list"))
EXPECTED_PAIRS = {
    ("F-1", "Family reports", "C-1", "Camp list", "review"),
    ("F-2", "Family reports", "C-2", "Camp list", "review"),
    ("F-3", "Family reports", "C-3", "Camp list", "match"),
}
EXPECTED_CASES = {("F-1", "reported"), ("F-2", "reported"), ("F-3", "reported")}
EXPECTED_COUNTS = [  # per list: records, rejected, pairs, automatic links, for review, cases
    (3, 0, 0, 0, 0, 3),
    (4, 0, 3, 1, 2, 0),
]
COUNTED = ("imported", "rejected", "pairs", "matches", "reviews", "cases_opened")


@contextmanager
def _fresh_stores(settings: Settings, tmp_path: Path) -> Iterator[list[Settings]]:
    """Three empty stores on the backend of ``settings`` (PostgreSQL: three databases)."""
    dirs = [tmp_path / f"door-{n}" for n in range(3)]
    if settings.database_url is None:
        yield [Settings(data_dir=d, database_url=None, cookie_secure=False) for d in dirs]
        return
    with empty_databases("kinlink_doors", len(dirs)) as urls:
        yield [Settings(data_dir=d, database_url=url, cookie_secure=False)
               for d, url in zip(dirs, urls, strict=True)]


def _files(tmp_path: Path) -> list[tuple[Path, str, str]]:
    paths = []
    for name, text, kind, title in LISTS:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        paths.append((path, kind, title))
    return paths


def _by_command_line(config: Settings, files: list[tuple[Path, str, str]]
                     ) -> list[tuple[int, ...]]:
    env = {"KINLINK_DATA_DIR": str(config.data_dir), "KINLINK_DATABASE_URL":
           config.database_url, "KINLINK_USER": "door-test", "KINLINK_ROLE": "case_worker"}
    counts = []
    for path, kind, title in files:
        done = CliRunner().invoke(cli, ["import", str(path), "--kind", kind, "--title", title,
                                        "--json"], env=env)
        assert done.exit_code == 0, done.output
        summary = json.loads(done.stdout)
        counts.append(tuple(summary[key] for key in COUNTED))
    return counts



def _by_web(config: Settings, files: list[tuple[Path, str, str]], *, api: bool
            ) -> list[tuple[int, ...]]:
    app = create_app(config)
    counts = []
    try:
        person = signed_in_worker(app, "door-tester")
        for path, kind, title in files:
            upload = {"file": (path.name, path.read_bytes(), "text/csv")}
            if api:
                sent = person.client.post("/api/v1/imports", headers=person.headers,
                                          files=upload, data={"kind": kind, "title": title})
                assert sent.status_code == 202, sent.text
                job = f"/api/v1/imports/jobs/{sent.json()['id']}"
            else:
                job = "/api/v1" + upload_on_page(
                    person, upload, {"kind": kind, "title": title, "link": "1"})
            app.state.services.jobs.wait()
            state = person.client.get(job).json()
            assert (state["status"], state["stage"]) == ("completed", "opening_cases"), state
            counts.append(tuple(state[key] for key in COUNTED))
    finally:
        app.state.services.jobs.shutdown()
        app.state.services.store.dispose()
    return counts


def _what_was_linked(config: Settings) -> tuple[set[tuple[str, ...]], set[tuple[str, str]]]:
    """Candidate pairs (record ids and list titles, decision) and cases (sought record,
    status) of a store."""
    store = open_store(config)
    low, high = aliased(RecordRow), aliased(RecordRow)
    low_source, high_source = aliased(SourceRow), aliased(SourceRow)
    try:
        with store.transaction() as session:
            pairs = session.execute(
                select(low.record_id, low_source.title, high.record_id, high_source.title,
                       CandidatePairRow.decision)
                .join(low, low.id == CandidatePairRow.record_low)
                .join(high, high.id == CandidatePairRow.record_high)
                .join(low_source, low_source.id == low.source_id)
                .join(high_source, high_source.id == high.source_id)).all()
            cases = session.execute(
                select(RecordRow.record_id, CaseRow.status)
                .join(RecordRow, RecordRow.id == CaseRow.sought_record_pk)).all()
    finally:
        store.dispose()
    return {tuple(p) for p in pairs}, {(c[0], c[1]) for c in cases}


def test_the_command_line_the_api_and_the_page_link_alike(settings: Settings,
                                                         tmp_path: Path) -> None:
    files = _files(tmp_path)
    with _fresh_stores(settings, tmp_path) as (by_cli, by_api, by_page):
        counted = [_by_command_line(by_cli, files), _by_web(by_api, files, api=True),
                   _by_web(by_page, files, api=False)]
        found = [_what_was_linked(config) for config in (by_cli, by_api, by_page)]
    assert counted == [EXPECTED_COUNTS] * 3, "the doors report different counts"
    assert found[0] == (EXPECTED_PAIRS, EXPECTED_CASES)
    assert found[1] == found[0], "the API linked otherwise than the command line"
    assert found[2] == found[0], "the Imports page linked otherwise than the command line"
