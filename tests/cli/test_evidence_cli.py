"""``kinlink evidence bundle`` and ``verify``: the bundle of a case holds its document's
original byte for byte and verifies; a changed byte fails verification with exit code 1;
an encrypted bundle needs its password; a case worker may not make a bundle; the bundle's
SHA-256 is in the audit log."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from cliworlds import StartWorld
from fake_tsa import FakeAuthority, serving, unreachable_url
from kinlink.cli import app
from kinlink.config import Settings
from kinlink.storage import open_store
from kinlink.storage.tables import AuditEventRow

runner = CliRunner()
LIST = ("record_id,прізвище,ім'я,по батькові,дата народження,стать\n"
        "1,Петренко,Олександр,Іванович,12.03.2014,ч\n")
ORDER = b"%PDF-1.4\n% an order\n%%EOF\n"


def _case(folder: Path) -> str:
    """One reported child, its case and an order attached to it."""
    path = folder / "reports.csv"
    path.write_text(LIST, encoding="utf-8")
    assert runner.invoke(app, ["import", str(path), "--kind", "family_reports"]).exit_code == 0
    assert runner.invoke(app, ["cases", "open"]).exit_code == 0
    order = folder / "order.pdf"
    order.write_bytes(ORDER)
    added = runner.invoke(app, ["documents", "add", str(order), "--attach-to", "case:1",
                                "--collected-at", "2026-11-30T09:15+02:00", "--collected-by",
                                "analyst", "--how", "download", "--from",
                                "https://example.org/order"])
    assert added.exit_code == 0, added.output
    return "1"


@pytest.fixture
def case(cli_world: StartWorld, monkeypatch: pytest.MonkeyPatch) -> str:
    """A copy of :func:`_case`'s store (built once per worker), a supervisor at the
    command line."""
    made: str = cli_world(_case)
    monkeypatch.setenv("KINLINK_ROLE", "supervisor")
    return made


def test_a_bundle_is_made_verified_and_its_hash_audited(case: str, tmp_path: Path) -> None:
    out = tmp_path / "bundle.zip"
    made = runner.invoke(app, ["evidence", "bundle", case, "-o", str(out)])
    assert made.exit_code == 0, made.output
    sha = hashlib.sha256(out.read_bytes()).hexdigest()
    assert sha in made.output
    with zipfile.ZipFile(out) as archive:
        name = f"kinlink-bundle/data/originals/{hashlib.sha256(ORDER).hexdigest()}.pdf"
        assert archive.read(name) == ORDER
        members = {n: archive.read(n) for n in archive.namelist()}
    checked = runner.invoke(app, ["evidence", "verify", str(out)])
    assert checked.exit_code == 0, checked.output
    assert "intact" in checked.output
    store = open_store(Settings())
    try:
        with store.transaction() as session:
            details = session.execute(select(AuditEventRow.details).where(
                AuditEventRow.action == "evidence.bundle_made")).scalars().all()
    finally:
        store.dispose()
    assert [d["sha256"] for d in details] == [sha]
    again = runner.invoke(app, ["evidence", "bundle", case, "-o", str(out)])
    assert again.exit_code == 2
    assert "exists already" in again.output
    changed = bytearray(members[name])
    changed[-3] ^= 0x20
    members[name] = bytes(changed)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    out.write_bytes(buffer.getvalue())
    broken = runner.invoke(app, ["evidence", "verify", str(out)])
    assert broken.exit_code == 1, broken.output
    assert "altered" in broken.output


def test_an_encrypted_bundle_needs_its_password(case: str, tmp_path: Path) -> None:
    secret = tmp_path / "password.txt"
    secret.write_text("a long bundle password\n", encoding="utf-8")
    out = tmp_path / "bundle.zip"
    made = runner.invoke(app, ["evidence", "bundle", case, "-o", str(out), "--password-file",
                               str(secret)])
    assert made.exit_code == 0, made.output
    assert "encrypted" in made.output
    assert runner.invoke(app, ["evidence", "verify", str(out)]).exit_code == 2
    assert runner.invoke(app, ["evidence", "verify", str(out), "--password-file",
                               str(secret)]).exit_code == 0


def test_a_case_worker_may_not_make_a_bundle(case: str, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINLINK_ROLE", "case_worker")
    out = tmp_path / "bundle.zip"
    refused = runner.invoke(app, ["evidence", "bundle", case, "-o", str(out)])
    assert refused.exit_code == 2
    assert "may not make the evidence bundle of a case" in refused.output
    assert not out.exists()


def test_kinlink_tsa_url_stamps_the_bundle_and_tsa_overrides_it(
        case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINLINK_TSA_URL", unreachable_url())
    monkeypatch.setenv("KINLINK_LANGUAGE", "en")
    plain = tmp_path / "plain.zip"
    made = runner.invoke(app, ["evidence", "bundle", case, "-o", str(plain)])
    assert made.exit_code == 0, made.output
    assert "could not be reached" in made.output
    assert "without a time stamp" in made.output
    assert "time-stamped" not in made.output.split("SHA-256")[0]
    checked = runner.invoke(app, ["evidence", "verify", str(plain)])
    assert checked.exit_code == 0, checked.output
    assert "Not time-stamped" in checked.output
    stamped = tmp_path / "stamped.zip"
    with serving(FakeAuthority()) as url:
        made = runner.invoke(app, ["evidence", "bundle", case, "-o", str(stamped),
                                   "--tsa", url])
    assert made.exit_code == 0, made.output
    assert "time-stamped" in made.output
    checked = runner.invoke(app, ["evidence", "verify", str(stamped)])
    assert checked.exit_code == 0, checked.output
    assert "Time-stamped 2026-03-01" in checked.output


def test_a_tsa_url_that_is_no_url_stops_the_command(
        case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINLINK_TSA_URL", "tsa.example.org")
    refused = runner.invoke(app, ["evidence", "bundle", case, "-o", str(tmp_path / "b.zip")])
    assert refused.exit_code != 0
    assert "KINLINK_TSA_URL" in " ".join(refused.output.split())
    assert not (tmp_path / "b.zip").exists()
