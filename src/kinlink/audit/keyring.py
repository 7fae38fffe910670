"""The audit log's HMAC keys: which one signs new events, and every one that verifies.

Keys never enter the database. They come from two places:

* **files** ``data_dir/keys/audit-hmac-NNNN.key`` (mode 0600), made by kinlink: the first
  when the first event is written after keyed auditing began, the next ones by
  ``kinlink audit rotate-key``. The file with the highest number signs; all verify. The
  first file also records the chain's head when it was made ("keyed after"): every
  event after that one must carry a MAC, so stripping the MACs off the newer events to
  pass them off as older, unkeyed ones is caught.
* **the environment** ``KINLINK_AUDIT_KEY``: one or more keys of 64 hex digits (32
  bytes), separated by commas; the first signs, the others (older ones) only verify.
  It takes precedence over the files, whose keys still verify.

A key's id is ``NNNN-xxxxxxxx`` (file number and a fingerprint) or ``env-xxxxxxxx``; each
event records the id of the key it was made with. A key's *rank* orders the keys of one
source (the files, or the environment's list) by age: an event made with a key older
than one of the same source already used before it in the chain is a sign that a
retired (perhaps stolen) key is being used again. Moving from one source to the other
is not a rotation and is not judged.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass, field

from kinlink.errors import ConfigurationError
from kinlink.i18n import N_, Wording
from kinlink.storage import Session
from kinlink.storage.keyfiles import KeyFiles, Secrets, secrets_of

_FIRST_AUDIT_KEY_COULD = Wording("audit.keyring.first_audit_key_could", N_(
    "the first audit key could not be made in {directory}"))
_AUDIT_KEY_FILE_DAMAGED = Wording("audit.keyring.audit_key_file_damaged", N_(
    "the audit key file {name} is damaged: restore it from the keys' backup"))
_KINLINK_AUDIT_KEY_KEY = Wording("audit.keyring.kinlink_audit_key_key", N_(
    "KINLINK_AUDIT_KEY: key {position} of {value} is not at least 64 hex digits (32 bytes);"
    " make one with `python -c 'import secrets; print(secrets.token_hex(32))'`"))

__all__ = ["Anchor", "AuditKey", "KeyRing", "create_file_key", "event_mac", "key_ring",
           "signing_key"]

FILE_PREFIX = "audit-hmac-"
_FILE_NAME = re.compile(r"^audit-hmac-(\d{4,})\.key$")
_KIND = "kinlink-audit-hmac"
_KEY_BYTES = 32
_MAC_CONTEXT = b"kinlink-audit-mac-v1"


@dataclass(frozen=True)
class Anchor:
    """The chain's head when keyed auditing began: events after it must carry a MAC.
    ``event_id`` is None when the chain was empty then."""

    event_id: int | None
    hash: str


@dataclass(frozen=True)
class AuditKey:
    """One HMAC key: its id (recorded in events), its secret bytes (never shown in a
    repr or a traceback) and its age rank."""

    id: str
    secret: bytes = field(repr=False)
    rank: int
    from_environment: bool = False
    _keyed: hmac.HMAC = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The key's inner and outer pads, hashed once: each MAC copies them.
        keyed = hmac.new(self.secret, digestmod=hashlib.sha256)
        keyed.update(b"|".join((_MAC_CONTEXT, self.id.encode("ascii"), b"")))
        object.__setattr__(self, "_keyed", keyed)

    def mac(self, chained_hash: str) -> str:
        """HMAC-SHA256 with this key of its id and ``chained_hash``."""
        keyed = self._keyed.copy()
        keyed.update(chained_hash.encode("ascii"))
        return keyed.hexdigest()


@dataclass(frozen=True)
class KeyRing:
    """Every audit key this machine knows, the one that signs, and the anchor."""

    keys: dict[str, AuditKey]
    current: AuditKey | None
    anchor: Anchor | None
    from_environment: bool
    next_number: int


def event_mac(key: AuditKey, chained_hash: str) -> str:
    """HMAC-SHA256, with ``key``, of an event's chained hash and the key's id.

    The chained hash covers the event's content and the hash before it, so each MAC
    vouches for the whole chain up to its event."""
    return key.mac(chained_hash)


def _fingerprint(secret: bytes) -> str:
    return hashlib.sha256(b"kinlink-audit-key-id|" + secret).hexdigest()[:8]


@functools.lru_cache(maxsize=64)
def _parse_file(name: str, content: bytes) -> tuple[AuditKey, Anchor | None]:
    match = _FILE_NAME.match(name)
    try:
        if match is None:
            raise ValueError(name)
        data = json.loads(content.decode("utf-8"))
        secret = bytes.fromhex(data["secret"])
        number = int(match.group(1))
        key_id = f"{number:04d}-{_fingerprint(secret)}"
        if data["kind"] != _KIND or data["id"] != key_id or len(secret) < _KEY_BYTES:
            raise ValueError(name)
        after = data.get("keyed_after")
        anchor = (Anchor(None if after["event_id"] is None else int(after["event_id"]),
                         str(after["hash"])) if after is not None else None)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise ConfigurationError(_AUDIT_KEY_FILE_DAMAGED(name=str(name))) from None
    return AuditKey(key_id, secret, number), anchor


def _environment_keys(value: str) -> list[AuditKey]:
    parts = [part.strip() for part in value.split(",") if part.strip()]
    keys = []
    for position, part in enumerate(parts, start=1):
        try:
            secret = bytes.fromhex(part)
        except ValueError:
            secret = b""
        if len(secret) < _KEY_BYTES:
            raise ConfigurationError(
                _KINLINK_AUDIT_KEY_KEY(position=str(position), value=str(len(parts))))
        keys.append(AuditKey(f"env-{_fingerprint(secret)}", secret, len(parts) - position,
                             from_environment=True))
    return keys


def _ring(source: Secrets) -> KeyRing:
    keys: dict[str, AuditKey] = {}
    anchor: Anchor | None = None
    newest_file: AuditKey | None = None
    for name in source.files.names(FILE_PREFIX):
        if not name.endswith(".key"):
            continue
        key, key_anchor = _parse_file(name, source.files.read(name))
        keys[key.id] = key
        if key_anchor is not None:  # only the first file has one
            anchor = key_anchor
        if newest_file is None or key.rank > newest_file.rank:
            newest_file = key
    next_number = (newest_file.rank + 1) if newest_file else 1
    environment = _environment_keys(source.audit_key) if source.audit_key else []
    for key in environment:
        keys[key.id] = key
    current = environment[0] if environment else newest_file
    return KeyRing(keys, current, anchor, bool(environment), next_number)


def key_ring(session: Session) -> KeyRing:
    """The keys of the store ``session`` belongs to, read now (files are cached)."""
    return _ring(secrets_of(session))


def create_file_key(session: Session, ring: KeyRing, head: tuple[int, str] | None,
                    genesis: str) -> AuditKey | None:
    """Make key file number ``ring.next_number`` and return its key, or None when another
    process made that number first (read the ring again). The first file records
    ``head`` (id and hash of the chain's newest event, None for an empty chain) as the
    point after which every event carries a MAC. Call it holding the chain's lock."""
    files: KeyFiles = secrets_of(session).files
    secret = secrets.token_bytes(_KEY_BYTES)
    number = ring.next_number
    key = AuditKey(f"{number:04d}-{_fingerprint(secret)}", secret, number)
    content: dict[str, object] = {
        "kind": _KIND, "id": key.id, "secret": secret.hex(),
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    if number == 1:
        content["keyed_after"] = ({"event_id": head[0], "hash": head[1]} if head
                                  else {"event_id": None, "hash": genesis})
    made = files.create(f"{FILE_PREFIX}{number:04d}.key",
                        (json.dumps(content, indent=2) + "\n").encode("utf-8"))
    return key if made else None


def signing_key(session: Session, head: tuple[int, str] | None, genesis: str) -> AuditKey:
    """The key new events are made with; the first key file is made now when there is
    none (``head`` is then recorded in it, see :func:`create_file_key`). Call it holding
    the chain's lock."""
    ring = key_ring(session)
    if ring.current is not None:
        return ring.current
    made = create_file_key(session, ring, head, genesis)
    if made is not None:
        return made
    current = key_ring(session).current  # another process made the first key just now
    if current is None:
        raise ConfigurationError(_FIRST_AUDIT_KEY_COULD(
            directory=str(secrets_of(session).files.directory)))
    return current
