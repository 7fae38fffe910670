"""The erasure ledger: what was erased, kept outside the database so a restore can't
bring it back.

A backup holds the store as it was when it was taken. Restoring it would bring back
everything erased since then. So every erasure is also written to a ledger file in the
data folder (``DATA_DIR/erasure-ledger.jsonl``, mode 0600, one JSON line per erasure,
appended and flushed to disk once the erasure is committed). Each line holds the kind
and id of what was erased, when, the basis, the rule and the tombstone's id, plus the
*lineage*: the hash of the store's first audit event, which tells this store (and its
backups) from any other. There are no names, no values and no reasons, so the ledger
holds no personal data.
After a restore, :func:`kinlink.usecases.backups.restore_backup` erases again every
entry of the restored store's lineage that has no tombstone there.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["LEDGER_NAME", "ErasureLedger", "LedgerEntry"]

LEDGER_NAME = "erasure-ledger.jsonl"


@dataclass(frozen=True)
class LedgerEntry:
    """One erasure as the ledger keeps it (see the module's text)."""

    kind: str
    target_id: int
    erased_at: str
    basis: str
    rule_id: int | None
    tombstone_id: int
    lineage: str


class ErasureLedger:
    """The ledger file of one data folder."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def in_folder(cls, data_dir: Path) -> ErasureLedger:
        """The ledger of the data folder ``data_dir``."""
        return cls(data_dir / LEDGER_NAME)

    def append(self, entries: list[LedgerEntry]) -> None:
        """Add ``entries`` at the end of the file and flush them to disk."""
        if not entries:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(descriptor, "a", encoding="utf-8") as out:
            for entry in entries:
                out.write(json.dumps(asdict(entry), sort_keys=True) + "\n")
            out.flush()
            os.fsync(out.fileno())

    def entries(self) -> list[LedgerEntry]:
        """Every entry, oldest first (an unreadable line, such as a last line cut by a
        crash, is skipped)."""
        if not self.path.is_file():
            return []
        found: list[LedgerEntry] = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                found.append(LedgerEntry(**json.loads(line)))
            except (ValueError, TypeError):
                continue
        return found
