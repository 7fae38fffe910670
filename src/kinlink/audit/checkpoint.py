"""Signed checkpoints: the chain's head at one moment, in a file kept outside the database.

A checkpoint holds the head event's id, hash, key id and MAC, the number of events and
the time, signed with Ed25519. The signing key is made at the first checkpoint and kept
in ``data_dir/keys/checkpoint-ed25519.key`` (mode 0600), never in the database; the
public key is written into every checkpoint. Reading a checkpoint refuses it when its
signature fails, and verifying with it refuses it when it was signed by another key
than the one on file here: a checkpoint cannot be forged by someone who can write the
database or the checkpoint file but has not got the signing key.

A checkpoint is worth most when a copy of it is kept where nobody with access to this
machine can change it (another machine, a sealed mailbox, a printout): see
``docs/audit.md``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from Cryptodome.PublicKey import ECC
from Cryptodome.Signature import eddsa

from kinlink.errors import ConfigurationError, FileRefusedError, KinlinkError
from kinlink.i18n import N_, Wording, os_problem
from kinlink.storage import Session
from kinlink.storage.audit_events import AuditRepository
from kinlink.storage.keyfiles import KeyFiles, secrets_of

_AUDIT_LOG_EMPTY_THERE = Wording("audit.checkpoint.audit_log_empty_there", N_(
    "the audit log is empty: there is nothing to checkpoint yet"))
_CANNOT_TRUSTED_MACHINE_HOLDS = Wording("audit.checkpoint.cannot_trusted_machine_holds", N_(
    "{name} cannot be trusted: this machine holds no checkpoint key ({value}) to check its "
    "signer against; copy the keys folder from the machine that wrote it"))
_REFUSED_WAS_SIGNED_BY = Wording("audit.checkpoint.refused_was_signed_by", N_(
    "{name} is refused: it was signed by another key than this machine's checkpoint key"))
_CHECKPOINT_KEY_FILE_DAMAGED = Wording("audit.checkpoint.checkpoint_key_file_damaged", N_(
    "the checkpoint key file {value} is damaged: restore it from the keys' backup"))
_NOT_SIGNED_AUDIT_CHECKPOINT = Wording("audit.checkpoint.not_signed_audit_checkpoint", N_(
    "{name} is not a signed audit checkpoint (an older kinlink wrote unsigned ones): write "
    "a new one with `kinlink audit checkpoint`"))
_CANNOT_READ = Wording("audit.checkpoint.cannot_read", N_("{name} cannot be read ({strerror})"))
_REFUSED_NOT_AUDIT_CHECKPOINT = Wording("audit.checkpoint.refused_not_audit_checkpoint", N_(
    "{name} is refused: it is not an audit checkpoint, or it was changed after it was "
    "signed"))

__all__ = ["FORMAT", "Checkpoint", "read_checkpoint", "trust_checkpoint", "write_checkpoint"]

FORMAT = "kinlink-audit-checkpoint/2"
_KEY_FILE = "checkpoint-ed25519.key"
_CONTEXT = b"kinlink-audit-checkpoint-v2\n"


@dataclass(frozen=True)
class Checkpoint:
    """The chain's head at one moment, signed: the last event's id, hash, key id and
    MAC, the count of events, when, and the Ed25519 public key (hex) that signed it."""

    head_id: int
    head_hash: str
    head_key_id: str | None
    head_mac: str | None
    events: int
    written_at: str
    public_key: str
    signature: str = ""

    def signed_bytes(self) -> bytes:
        """What the signature covers: every field but the signature, canonically."""
        fields = asdict(self)
        del fields["signature"]
        fields["format"] = FORMAT
        return _CONTEXT + json.dumps(fields, sort_keys=True, separators=(",", ":"),
                                     ensure_ascii=True).encode("ascii")


def _signing_key(files: KeyFiles, make: bool) -> ECC.EccKey | None:
    """This machine's checkpoint signing key; made now when ``make`` and there is none."""
    if _KEY_FILE not in files.names(_KEY_FILE):
        if not make:
            return None
        pem = ECC.generate(curve="ed25519").export_key(format="PEM")
        files.create(_KEY_FILE, pem.encode("ascii"))  # a concurrent maker's key wins
    try:
        return ECC.import_key(files.read(_KEY_FILE).decode("ascii"))
    except (ValueError, UnicodeDecodeError):
        raise ConfigurationError(
            _CHECKPOINT_KEY_FILE_DAMAGED(value=str(files.directory / _KEY_FILE))
        ) from None


def _public_hex(key: ECC.EccKey) -> str:
    raw = key.public_key().export_key(format="raw")
    assert isinstance(raw, bytes)
    return raw.hex()


def write_checkpoint(session: Session, path: Path) -> Checkpoint:
    """Sign the chain's current head and write it to ``path`` (JSON, replaced whole)."""
    repository = AuditRepository(session)
    head = repository.head()
    if head is None:
        raise KinlinkError(_AUDIT_LOG_EMPTY_THERE())
    key = _signing_key(secrets_of(session).files, make=True)
    assert key is not None
    unsigned = Checkpoint(
        head.id,
        head.hash,
        head.key_id,
        head.mac,
        repository.count(),
        dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
        _public_hex(key),
    )
    signature = eddsa.new(key, "rfc8032").sign(unsigned.signed_bytes()).hex()
    checkpoint = Checkpoint(**{**asdict(unsigned), "signature": signature})
    document = {"format": FORMAT, **asdict(checkpoint)}
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    temporary.replace(path)
    return checkpoint


def read_checkpoint(path: Path) -> Checkpoint:
    """Read a checkpoint file and check its signature against the public key in it;
    refuse (:class:`FileRefusedError`) an unreadable, unsigned or altered file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise FileRefusedError(_NOT_SIGNED_AUDIT_CHECKPOINT(name=str(path.name)))
        checkpoint = Checkpoint(
            int(data["head_id"]),
            str(data["head_hash"]),
            _optional(data["head_key_id"]),
            _optional(data["head_mac"]),
            int(data["events"]),
            str(data["written_at"]),
            str(data["public_key"]),
            str(data["signature"]),
        )
        public = eddsa.import_public_key(bytes.fromhex(checkpoint.public_key))
        eddsa.new(public, "rfc8032").verify(
            checkpoint.signed_bytes(), bytes.fromhex(checkpoint.signature)
        )
    except FileRefusedError:
        raise
    except OSError as exc:
        raise FileRefusedError(
            _CANNOT_READ(name=str(path.name), strerror=os_problem(exc))
        ) from None
    except (ValueError, KeyError, TypeError):
        raise FileRefusedError(_REFUSED_NOT_AUDIT_CHECKPOINT(name=str(path.name))) from None
    return checkpoint


def _optional(value: object) -> str | None:
    return None if value is None else str(value)


def trust_checkpoint(session: Session, checkpoint: Checkpoint, name: str) -> None:
    """Refuse ``checkpoint`` unless this machine's checkpoint key signed it (a signature
    that holds proves nothing when the forger put their own public key in the file)."""
    files = secrets_of(session).files
    key = _signing_key(files, make=False)
    if key is None:
        raise FileRefusedError(
            _CANNOT_TRUSTED_MACHINE_HOLDS(name=str(name), value=str(files.directory / _KEY_FILE))
        )
    if _public_hex(key) != checkpoint.public_key:
        raise FileRefusedError(_REFUSED_WAS_SIGNED_BY(name=str(name)))
