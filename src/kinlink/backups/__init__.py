"""Backups of the whole store: a sealed file with the database and documents' bytes.

:mod:`.sealed` encrypts (AES-256-GCM, scrypt or a key file), :mod:`.archive` packs and
checks the files against :mod:`.manifest`, :mod:`.rotation` names and prunes scheduled
backups. Copying the database itself is :mod:`kinlink.storage.backup`'s work; the user
actions (back up, restore, verify) are :mod:`kinlink.usecases.backups`.
"""

from kinlink.backups.archive import read_archive, write_archive
from kinlink.backups.manifest import FORMAT, AuditHead, FileEntry, Manifest
from kinlink.backups.rotation import backup_name, prune, rotated
from kinlink.backups.sealed import SealKey, new_key_file, read_key

__all__ = ["FORMAT", "AuditHead", "FileEntry", "Manifest", "SealKey", "backup_name",
           "new_key_file", "prune", "read_archive", "read_key", "rotated", "write_archive"]
