"""``kinlink audit``: exit codes and words of verify, checkpoint and rotate-key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from audittamper import rewrite
from cliworlds import StartWorld
from kinlink.cli import app
from kinlink.config import Settings
from kinlink.storage import Store, open_store
from kinlink.storage.tables import AuditEventRow

runner = CliRunner()


def _verified(_folder: Path) -> None:
    """A store whose log holds the events of three checks of it by a supervisor."""
    with pytest.MonkeyPatch.context() as supervisor:
        supervisor.setenv("KINLINK_ROLE", "supervisor")
        for _ in range(3):
            assert runner.invoke(app, ["audit", "verify"]).exit_code == 0


@pytest.fixture
def supervised(cli_world: StartWorld, data_dir: Path,
               monkeypatch: pytest.MonkeyPatch) -> Store:
    """A copy of :func:`_verified`'s store (built once per worker), a supervisor at the
    command line."""
    cli_world(_verified)
    monkeypatch.setenv("KINLINK_ROLE", "supervisor")
    return open_store(Settings(data_dir=data_dir))


def _actions(store: Store) -> list[tuple[str, dict[str, object]]]:
    with store.transaction() as session:
        return [(r.action, r.details) for r in session.execute(
            select(AuditEventRow).order_by(AuditEventRow.id)).scalars()]


def test_an_intact_log_exits_0_and_names_its_key(supervised: Store) -> None:
    result = runner.invoke(app, ["audit", "verify"])
    supervised.dispose()
    assert result.exit_code == 0, result.output
    assert "The audit log is intact: 3 events checked." in result.stdout
    assert "Keys used: 0001-" in result.stdout
    assert "before keyed auditing" not in result.stdout


def test_the_drill_exits_1_and_names_the_events(supervised: Store) -> None:
    rewrite(supervised, lambda row: {"actor": "someone else"} if row.id == 2 else {})
    supervised.dispose()
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "The audit log has been tampered with (3 events checked):" in result.stdout
    for event in (2, 3):
        assert (f"event {event} (audit.verified): its MAC does not match — it was changed, "
                f"inserted or recomputed by someone without the audit key") in result.stdout


def test_events_before_keyed_auditing_are_reported_not_failed(
    supervised: Store, data_dir: Path
) -> None:
    """A store upgraded to revision 0010: its events have no MAC and no key exists yet."""
    with supervised.transaction() as session:
        session.execute(update(AuditEventRow).values(key_id=None, mac=None))
    supervised.dispose()
    (data_dir / "keys" / "audit-hmac-0001.key").unlink()
    first = runner.invoke(app, ["audit", "verify"])
    assert first.exit_code == 0, first.output
    assert "The audit log is intact: 3 events checked." in first.stdout
    assert "3 events before keyed auditing: checked by their hash only." in first.stdout
    again = runner.invoke(app, ["audit", "verify"])  # the first check was keyed
    assert again.exit_code == 0
    assert "The audit log is intact: 4 events checked." in again.stdout
    assert "3 events before keyed auditing" in again.stdout


def test_a_checkpoint_round_trip_and_a_forged_one_refused(
    supervised: Store, data_dir: Path, tmp_path: Path
) -> None:
    supervised.dispose()
    head = tmp_path / "head.json"
    written = runner.invoke(app, ["audit", "checkpoint", str(head)])
    assert written.exit_code == 0
    assert "signed" in written.stdout
    intact = runner.invoke(app, ["audit", "verify", "--checkpoint", str(head)])
    assert intact.exit_code == 0
    assert "head of the checkpoint (4) present and unchanged" in intact.stdout
    data = json.loads(head.read_text(encoding="utf-8"))
    data["events"] = 2
    head.write_text(json.dumps(data), encoding="utf-8")
    refused = runner.invoke(app, ["audit", "verify", "--checkpoint", str(head)])
    assert refused.exit_code == 2
    assert "head.json is refused: it is not an audit checkpoint, or it was changed after it " \
           "was signed" in refused.output
    store = open_store(Settings(data_dir=data_dir))
    try:
        assert _actions(store)[-1] == ("audit.verified", {"checkpoint_refused": True})
    finally:
        store.dispose()


def test_rotate_key_is_for_administrators_and_is_audited(
    supervised: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    supervised.dispose()
    refused = runner.invoke(app, ["audit", "rotate-key"])
    assert refused.exit_code == 2
    assert "supervisor may not replace the audit log's key" in refused.output
    monkeypatch.setenv("KINLINK_ROLE", "admin")
    rotated = runner.invoke(app, ["audit", "rotate-key"])
    assert rotated.exit_code == 0, rotated.output
    assert "New audit key 0002-" in rotated.stdout
    assert "(it replaces 0001-" in rotated.stdout
    verified = runner.invoke(app, ["audit", "verify"])
    assert verified.exit_code == 0
    assert "Keys used: 0001-" in verified.stdout
    assert ", 0002-" in verified.stdout
