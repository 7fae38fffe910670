"""The audit key: where it lives, how it is rotated, and events older than keyed auditing."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from pydantic import SecretStr
from sqlalchemy import select, text, update

from audittamper import forge_append, rewrite, sha256_of
from kinlink.audit import (
    AuditAction,
    AuditEvent,
    ChainReport,
    append_event,
    append_events,
    key_ring,
    rotate_key,
    verify_chain,
)
from kinlink.config import Settings
from kinlink.errors import ConfigurationError
from kinlink.storage import Store, open_store
from kinlink.storage.audit_events import AuditRepository
from kinlink.storage.tables import AuditEventRow

ENV_KEY = "ab" * 32
OLD_ENV_KEY = "cd" * 32


def _read(store: Store, number: int) -> None:
    with store.transaction() as session:
        append_event(session, AuditEvent("tester", AuditAction.RECORD_READ, "record",
                                         str(number)))


def _report(store: Store) -> ChainReport:
    with store.transaction() as session:
        return verify_chain(session)


def _rows(store: Store) -> list[AuditEventRow]:
    with store.transaction() as session:
        return list(session.execute(select(AuditEventRow).order_by(AuditEventRow.id))
                    .scalars())


def test_the_first_event_makes_a_private_key_file_outside_the_database(
    store: Store, settings: Settings
) -> None:
    keys = settings.data_dir / "keys"
    assert not keys.exists()
    _read(store, 1)
    files = sorted(p.name for p in keys.iterdir())
    assert files == ["audit-hmac-0001.key"]
    assert stat.S_IMODE(keys.stat().st_mode) == 0o700
    key_file = keys / "audit-hmac-0001.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    content = json.loads(key_file.read_text(encoding="utf-8"))
    assert content["keyed_after"] == {"event_id": None, "hash": "0" * 64}
    (row,) = _rows(store)
    assert row.key_id == content["id"]
    assert str(row.key_id).startswith("0001-")
    assert row.mac is not None
    assert len(row.mac) == 64
    with store.transaction() as session:
        columns = session.execute(text("SELECT * FROM audit_events")).mappings().one()
    assert content["secret"] not in json.dumps(dict(columns), default=str)


def test_a_key_file_others_may_read_is_refused(store: Store, settings: Settings) -> None:
    _read(store, 1)
    (settings.data_dir / "keys" / "audit-hmac-0001.key").chmod(0o644)
    reopened = open_store(settings)  # a fresh process: nothing read yet
    try:
        with pytest.raises(ConfigurationError, match=r"may be read by other accounts .*644"):
            _read(reopened, 2)
    finally:
        reopened.dispose()


def test_a_rotated_key_signs_new_events_and_old_events_still_verify(store: Store) -> None:
    _read(store, 1)
    with store.transaction() as session:
        rotation = rotate_key(session, "admin")
    _read(store, 2)
    rows = _rows(store)
    assert rotation.before == rows[0].key_id
    assert rotation.after.startswith("0002-")
    assert [(r.action, r.key_id) for r in rows] == [
        ("record.read", rotation.before), ("audit.key_rotated", rotation.after),
        ("record.read", rotation.after)]
    assert rows[1].details == {"from_key": rotation.before, "to_key": rotation.after}
    report = _report(store)
    assert report.intact, report.problems
    assert report.keys == (rotation.before, rotation.after)


def test_a_retired_key_used_after_a_rotation_is_reported(store: Store) -> None:
    _read(store, 1)
    with store.transaction() as session:
        old = key_ring(session).current
        rotation = rotate_key(session, "admin")
    assert old is not None
    forged = forge_append(store, key=old)
    rotated = _rows(store)[1].id
    assert _report(store).problems == (
        f"event {forged} (record.read): made with key {old.id}, which key {rotation.after} "
        f"had replaced before it (event {rotated}) — a retired key was used again",)


def test_a_lost_old_key_leaves_its_events_unverifiable_not_passed(
    store: Store, settings: Settings
) -> None:
    _read(store, 1)
    with store.transaction() as session:
        rotation = rotate_key(session, "admin")
    (settings.data_dir / "keys" / "audit-hmac-0001.key").unlink()
    reopened = open_store(settings)
    try:
        problems = _report(reopened).problems
    finally:
        reopened.dispose()
    assert problems == (f"event {_rows(store)[0].id} (record.read): made with key "
                        f"{rotation.before}, which is not on this machine (data_dir/keys, "
                        f"KINLINK_AUDIT_KEY) — it cannot be checked, or it was forged",)


def _env_store(settings: Settings, value: str) -> Store:
    return open_store(settings.model_copy(update={"audit_key": SecretStr(value)}))


def test_a_key_from_the_environment_signs_and_older_ones_verify(settings: Settings) -> None:
    old = _env_store(settings, OLD_ENV_KEY)
    try:
        _read(old, 1)
    finally:
        old.dispose()
    store = _env_store(settings, f"{ENV_KEY}, {OLD_ENV_KEY}")
    try:
        _read(store, 2)
        rows = _rows(store)
        assert [str(r.key_id)[:4] for r in rows] == ["env-", "env-"]
        assert rows[0].key_id != rows[1].key_id
        assert _report(store).intact
        with pytest.raises(ConfigurationError, match="comes from KINLINK_AUDIT_KEY"), \
                store.transaction() as session:
            rotate_key(session, "admin")
    finally:
        store.dispose()
    assert not (settings.data_dir / "keys").exists()


def test_a_malformed_key_in_the_environment_is_refused_without_showing_it(
    settings: Settings
) -> None:
    store = _env_store(settings, f"{ENV_KEY},short-secret-xyz")
    try:
        with pytest.raises(ConfigurationError) as refused:
            _read(store, 1)
    finally:
        store.dispose()
    assert "key 2 of 2 is not at least 64 hex digits" in str(refused.value)
    assert "short-secret-xyz" not in str(refused.value)
    assert ENV_KEY not in str(refused.value)


def test_bulk_appends_are_keyed_with_one_key(store: Store) -> None:
    with store.transaction() as session:
        append_events(session, [AuditEvent("tester", AuditAction.CASE_OPENED, "case", str(n))
                                for n in range(500)])
    rows = _rows(store)
    assert len({r.key_id for r in rows}) == 1
    assert all(r.mac for r in rows)
    assert _report(store).intact


def _unkeyed(store: Store, count: int) -> None:
    """Events as kinlink wrote them before revision 0010: hash-chained, no MAC."""
    with store.transaction() as session:
        repository = AuditRepository(session)
        for number in range(count):
            head = repository.head()
            prev = head.hash if head else "0" * 64
            values = {"occurred_at": f"2025-01-01T00:00:0{number}.000000+00:00",
                      "actor": "before", "action": "record.read", "entity_type": "record",
                      "entity_id": str(number), "details": {}}
            repository.append(prev_hash=prev, hash=sha256_of(prev, values), **values)


def test_events_before_keyed_auditing_are_counted_not_failed(store: Store) -> None:
    _unkeyed(store, 3)
    _read(store, 1)
    _read(store, 2)
    report = _report(store)
    assert report.intact, report.problems
    assert (report.events, report.unkeyed) == (5, 3)


def test_an_edit_before_keyed_auditing_recomputed_is_caught_by_the_first_mac(
    store: Store
) -> None:
    _unkeyed(store, 3)
    _read(store, 1)
    first_keyed = _rows(store)[3]
    rewrite(store, lambda row: {"actor": "someone else"} if row.actor == "before" and
            row.entity_id == "1" else {})
    last_unkeyed = _rows(store)[2]
    assert _report(store).problems == (
        f"event {last_unkeyed.id} (record.read), the last event before keyed auditing began, "
        f"differs from what the first key file recorded — the events up to it were "
        f"rewritten",
        f"event {first_keyed.id} (record.read): its MAC does not match — it was changed, "
        f"inserted or recomputed by someone without the audit key")


def test_stripping_the_macs_off_newer_events_is_caught_by_the_first_key_file(
    store: Store
) -> None:
    _unkeyed(store, 2)
    _read(store, 1)
    _read(store, 2)
    with store.transaction() as session:
        session.execute(update(AuditEventRow).values(key_id=None, mac=None))
    report = _report(store)
    last_unkeyed = _rows(store)[1].id
    assert report.problems == tuple(
        f"event {r.id} (record.read): carries no MAC although keyed auditing began after "
        f"event {last_unkeyed} — its MAC was removed, or it was written without the audit key"
        for r in _rows(store)[2:])


def test_an_event_written_before_revision_0010_verifies_after_the_upgrade(
    store: Store
) -> None:
    config = Config()
    config.set_main_option("script_location", str(
        Path(__file__).parents[2] / "src" / "kinlink" / "storage" / "migrations"))
    config.attributes["engine"] = store.engine
    command.downgrade(config, "0009")
    with store.engine.begin() as conn:
        values = {"occurred_at": "2025-01-01T00:00:00.000000+00:00", "actor": "before",
                  "action": "record.read", "entity_type": "record", "entity_id": "7",
                  "details": {}}
        conn.execute(text(
            "INSERT INTO audit_events (occurred_at, actor, action, entity_type, entity_id, "
            "details, prev_hash, hash) VALUES (:occurred_at, :actor, :action, :entity_type, "
            ":entity_id, :details, :prev, :hash)"),
            {**values, "details": "{}", "prev": "0" * 64,
             "hash": sha256_of("0" * 64, values)})
    command.upgrade(config, "head")
    _read(store, 1)
    report = _report(store)
    assert report.intact, report.problems
    assert (report.events, report.unkeyed) == (2, 1)


def test_a_store_opened_without_its_keys_folder_writes_no_event(store: Store) -> None:
    bare = Store(store.engine)
    with pytest.raises(ConfigurationError, match="without the audit keys' folder"):
        _read(bare, 1)
    assert _rows(store) == []


def test_moving_from_key_files_to_the_environment_is_not_taken_for_a_retired_key(
    store: Store, settings: Settings
) -> None:
    _read(store, 1)
    moved = _env_store(settings, ENV_KEY)
    try:
        _read(moved, 2)
        report = _report(moved)
    finally:
        moved.dispose()
    assert report.intact, report.problems
    assert [k.split("-")[0] for k in report.keys] == ["0001", "env"]


def test_half_a_mac_is_tampering(store: Store) -> None:
    _read(store, 1)
    with store.transaction() as session:
        session.execute(update(AuditEventRow).values(key_id=None))
    (row,) = _rows(store)
    assert _report(store).problems == (
        f"event {row.id} (record.read): carries half of a MAC (a key id or a MAC without the "
        f"other) — it was tampered with",)
