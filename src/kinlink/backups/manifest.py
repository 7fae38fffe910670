"""A backup's manifest: what it holds, to check a restore against, without personal data.

Written first into the sealed archive (``manifest.json``): the kinlink version and schema
revision that made it, the engine, when and by whom, every table's row count, the audit
chain's head (id, hash, count), and the SHA-256 and size of the database copy and of
every document's bytes. Only names of tables, counts, hashes and the operator's account:
nothing about a child or a family, so the manifest may be shown and logged.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from kinlink.errors import BackupRefusedError
from kinlink.i18n import N_, Wording

_UNREADABLE = Wording("backup.manifest.unreadable", N_(
    "the backup's manifest cannot be read: the file is not a kinlink backup"))

__all__ = ["FORMAT", "AuditHead", "FileEntry", "Manifest"]

FORMAT = "kinlink-backup/1"


@dataclass(frozen=True)
class AuditHead:
    """The newest audit event in the copy and how many events the chain holds."""

    id: int
    hash: str
    events: int


@dataclass(frozen=True)
class FileEntry:
    """A file in the archive: its name there, SHA-256 and size in bytes."""

    name: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    """See the module's text."""

    kinlink_version: str
    schema_revision: str
    engine: str
    created_at: str
    created_by: str
    tables: dict[str, int]
    audit_head: AuditHead | None
    database: FileEntry
    documents: tuple[FileEntry, ...] = ()
    missing_documents: tuple[str, ...] = ()
    format: str = FORMAT
    notes: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> bytes:
        """The manifest as UTF-8 JSON (sorted keys, so equal manifests are equal bytes)."""
        return json.dumps(asdict(self), sort_keys=True, indent=1).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        """Read a manifest; anything that is not one is refused."""
        try:
            raw = json.loads(data.decode("utf-8"))
            head = raw["audit_head"]
            return cls(
                kinlink_version=str(raw["kinlink_version"]),
                schema_revision=str(raw["schema_revision"]), engine=str(raw["engine"]),
                created_at=str(raw["created_at"]), created_by=str(raw["created_by"]),
                tables={str(k): int(v) for k, v in raw["tables"].items()},
                audit_head=AuditHead(int(head["id"]), str(head["hash"]), int(head["events"]))
                if head else None,
                database=FileEntry(**raw["database"]),
                documents=tuple(FileEntry(**d) for d in raw["documents"]),
                missing_documents=tuple(str(m) for m in raw["missing_documents"]),
                format=str(raw["format"]), notes=dict(raw.get("notes", {})))
        except (ValueError, KeyError, TypeError, AttributeError):
            raise BackupRefusedError(_UNREADABLE()) from None

    @property
    def files(self) -> dict[str, FileEntry]:
        """Every file the archive holds besides the manifest, by its name there."""
        return {entry.name: entry for entry in (self.database, *self.documents)}
