"""Evidence bundles a prosecutor can verify: a BagIt 1.0 bag packed as one ZIP file.

The bag (RFC 8493) holds the originals byte for byte, their working copies, extracted
texts, collection records, the custody log, the case history and the audit events that
concern them::

    kinlink-bundle/
      bagit.txt  bag-info.txt  manifest-sha256.txt  manifest-sha512.txt
      tagmanifest-sha256.txt  tagmanifest-sha512.txt  [timestamp.tsr]
      data/originals/…  data/working/…  data/text/…  data/collection/*.json
      data/custody.jsonl  data/case-history.jsonl  data/audit.jsonl

Every file is listed twice, by SHA-256 and by SHA-512. The two manifests are made apart,
so a changed byte in one of them is told from a change to the file it lists: the file
was altered when both disagree with it, the manifest when only that manifest does. Any
BagIt tool (the Library of Congress's ``bagit``, which the tests use) validates the bag
once unpacked; :func:`verify_bundle` is stricter and never unpacks to disk: it also
names a tag file that was added, a manifest that was edited, a payload count that no
longer adds up and a time-stamp token that does not cover the tag manifest.

The bag is written by hand, in memory, rather than with ``bagit.make_bag``: that works
on a folder on disk, which would leave a child's documents unencrypted in a temporary
folder even for an encrypted bundle.

An encrypted bundle is that ZIP inside the AES ZIP of the mediation exports
(:mod:`kinlink.encryption`): the names of the files inside are then hidden too.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from kinlink import __version__
from kinlink.encryption import decrypt_files, encrypt_files
from kinlink.errors import InputRefusedError
from kinlink.evidence import bundlewords as words
from kinlink.evidence.timestamps import TimestampAuthority, check_token
from kinlink.i18n import Message

__all__ = [
    "BundleFile",
    "BundleReceipt",
    "Finding",
    "TimestampAuthority",
    "Verification",
    "verify_bundle",
    "write_bundle",
]

BAG_ROOT = "kinlink-bundle"
BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
TOKEN = "timestamp.tsr"  # noqa: S105 - a file name
"""The RFC 3161 token over the SHA-256 of ``tagmanifest-sha256.txt``."""
TOKEN_MANIFESTS = ("timestamp-sha256.txt", "timestamp-sha512.txt")
"""The token's own digests (its unsigned parts are covered by nothing else)."""
TSA_LABEL = "Kinlink-Timestamp-Authority"
UNSTAMPED_LABEL = "Kinlink-Timestamp-Missing"
"""Why a bundle made while a time-stamp authority was configured has no stamp (the
English message; its code is in the audit event of the bundle)."""
_INNER = "evidence-bundle.zip"
"""The one file inside an encrypted bundle."""
ALGORITHMS = ("sha256", "sha512")
_SAFE = r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}"
_PAYLOAD_PATH = re.compile(
    rf"(?:(?:originals|working|text)/{_SAFE}|collection/{_SAFE}\.json"
    r"|custody\.jsonl|case-history\.jsonl|audit\.jsonl)")
_LABEL = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,63}")
_MAX_TAG_FILE = 64 << 20
_CHUNK = 1 << 20


@dataclass(frozen=True)
class BundleFile:
    """One file of the payload: ``path`` under ``data/`` (``originals/NAME``,
    ``working/NAME``, ``text/NAME``, ``collection/NAME.json``, ``custody.jsonl``,
    ``case-history.jsonl`` or ``audit.jsonl``) and its bytes, written unchanged.

    Names are plain ASCII (letters, digits, ``.``, ``_``, ``-``): an unencrypted ZIP shows
    them to anyone, so name originals by their SHA-256, never by what they show."""

    path: str
    content: bytes


@dataclass(frozen=True)
class BundleReceipt:
    """What was written: the bundle file, its SHA-256 (for the audit chain), its size,
    when it was made, the SHA-256 of its tag manifest (what a time stamp covers)."""

    path: Path
    sha256: str
    size: int
    files: int
    made_at: datetime
    tagmanifest_sha256: str
    encrypted: bool
    timestamped: bool
    timestamp_problem: Message | None = None
    """Why a stamp was asked and the bundle has none (then also in its bag-info)."""


@dataclass(frozen=True)
class Finding:
    """One thing wrong with a bundle: the file it concerns (relative to the bag) and the
    message saying what."""

    path: str
    message: Message


@dataclass(frozen=True)
class Verification:
    """The result of :func:`verify_bundle`: every finding (none: intact), the number of
    payload files checked, the bag's description and the time the token attests."""

    findings: tuple[Finding, ...]
    payload_files: int
    bag_info: Mapping[str, str] = field(default_factory=dict)
    timestamp: datetime | None = None

    @property
    def intact(self) -> bool:
        """Whether nothing is missing, added or altered."""
        return not self.findings


# --- writing ----------------------------------------------------------------------------


def _digests(content: bytes) -> dict[str, str]:
    return {name: hashlib.new(name, content).hexdigest() for name in ALGORITHMS}


def _manifest(files: Mapping[str, bytes], algorithm: str) -> bytes:
    lines = (f"{hashlib.new(algorithm, files[p]).hexdigest()}  {p}\n" for p in sorted(files))
    return "".join(lines).encode("ascii")


def _label(key: str) -> str:
    label = "Kinlink-" + "-".join(part.capitalize() for part in key.split("_"))
    if not _LABEL.fullmatch(label):
        raise ValueError(f"metadata key {key!r} cannot be a bag-info label")
    return label


def _bag_info(metadata: Mapping[str, object], made_at: datetime, payload: Mapping[str, bytes],
              tsa: str | None, unstamped: str | None = None) -> bytes:
    for required in ("made_by", "case"):
        if not str(metadata.get(required, "")).strip():
            raise ValueError(f"the bundle's metadata needs {required!r}")
    fields = {
        "Bag-Software-Agent": f"kinlink {__version__}",
        "Bagging-Date": made_at.date().isoformat(),
        "Kinlink-Made-At": made_at.isoformat(timespec="seconds"),
        "External-Identifier": str(metadata["case"]),
        "Payload-Oxum": f"{sum(len(c) for c in payload.values())}.{len(payload)}",
    }
    for key in sorted(metadata):
        value = metadata[key]
        fields[_label(key)] = value.isoformat() if isinstance(value, datetime) else str(value)
    if tsa is not None:
        fields[TSA_LABEL] = tsa
    if unstamped is not None:
        fields[UNSTAMPED_LABEL] = unstamped
    if any("\n" in v or "\r" in v for v in fields.values()):
        raise ValueError("a bag-info value must be one line")
    return "".join(f"{k}: {v}\n" for k, v in fields.items()).encode("utf-8")


def _payload(files: Iterable[BundleFile]) -> dict[str, bytes]:
    payload: dict[str, bytes] = {}
    for item in files:
        if not _PAYLOAD_PATH.fullmatch(item.path) or ".." in item.path:
            raise ValueError(f"{item.path!r} is not a place in a bundle's data folder")
        if item.path in payload:
            raise ValueError(f"{item.path!r} is given twice")
        payload[item.path] = item.content
    return payload


def _bag(payload: Mapping[str, bytes], bag_info: bytes) -> dict[str, bytes]:
    data = {f"data/{p}": c for p, c in payload.items()}
    tags = {"bagit.txt": BAGIT_TXT, "bag-info.txt": bag_info}
    tags |= {f"manifest-{a}.txt": _manifest(data, a) for a in ALGORITHMS}
    tags |= {f"tagmanifest-{a}.txt": _manifest(tags, a) for a in ALGORITHMS}
    return tags | data


def _zipped(bag: Mapping[str, bytes], made_at: datetime) -> bytes:
    buffer = io.BytesIO()
    stamp = made_at.timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(bag):
            info = zipfile.ZipInfo(f"{BAG_ROOT}/{path}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, bag[path])
    return buffer.getvalue()


def _write_private(out: Path, content: bytes) -> None:
    """Write ``content`` to ``out`` whole or not at all, readable by its owner only."""
    handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=".bundle-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_bundle(out: Path, files: Iterable[BundleFile], metadata: Mapping[str, object], *,
                 password: str | None = None, timestamp: TimestampAuthority | None = None,
                 now: datetime | None = None) -> BundleReceipt:
    """Write the bundle of ``files`` to ``out`` and say what was written.

    ``metadata`` becomes the bag's description (bag-info.txt); it needs ``made_by`` (who
    made the bundle) and ``case`` (the case reference), and may add other one-line
    values (``agency``, ``purpose`` …), each written as ``Kinlink-Key``. The time made
    (``now``, by default the present, with its UTC offset) and kinlink's version are
    added. With ``password`` the bundle is AES-encrypted (:mod:`kinlink.encryption`);
    with ``timestamp`` the SHA-256 of the tag manifest is stamped by that authority. An
    authority that cannot be reached or grants no stamp does not stop the bundle: it is
    made without a stamp, its bag-info says why (:data:`UNSTAMPED_LABEL`), and so does
    the receipt's ``timestamp_problem``.
    """
    made_at = (now or datetime.now()).astimezone()
    payload = _payload(files)
    tsa = timestamp.url if timestamp is not None else None
    bag = _bag(payload, _bag_info(metadata, made_at, payload, tsa))
    tagmanifest = hashlib.sha256(bag["tagmanifest-sha256.txt"]).digest()
    problem: Message | None = None
    if timestamp is not None:
        stamped = timestamp.attempt(tagmanifest)
        if isinstance(stamped, Message):
            problem = stamped
            bag = _bag(payload, _bag_info(metadata, made_at, payload, None, str(problem)))
            tagmanifest = hashlib.sha256(bag["tagmanifest-sha256.txt"]).digest()
        else:
            bag[TOKEN] = stamped
            token = {TOKEN: stamped}
            bag |= {m: _manifest(token, a)
                    for m, a in zip(TOKEN_MANIFESTS, ALGORITHMS, strict=True)}
    content = _zipped(bag, made_at)
    if password is not None:
        content = encrypt_files({_INNER: content}, password)
    _write_private(out, content)
    return BundleReceipt(path=out, sha256=hashlib.sha256(content).hexdigest(),
                         size=len(content), files=len(payload), made_at=made_at,
                         tagmanifest_sha256=tagmanifest.hex(),
                         encrypted=password is not None,
                         timestamped=timestamp is not None and problem is None,
                         timestamp_problem=problem)


# --- verifying --------------------------------------------------------------------------


def _opened(path: Path, password: str | None) -> zipfile.ZipFile:
    """The bag's ZIP, decrypted first when it is an encrypted bundle."""
    data = path.read_bytes()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise InputRefusedError(words.NOT_A_BUNDLE(), code="not_a_bundle") from error
    entries = archive.infolist()
    if not any(entry.flag_bits & 0x1 for entry in entries):
        return archive
    if password is None:
        raise InputRefusedError(words.ENCRYPTED(), code="encrypted")
    inner = decrypt_files(data, password)
    if list(inner) != [_INNER]:
        raise InputRefusedError(words.NOT_A_BUNDLE(), code="not_a_bundle")
    try:
        return zipfile.ZipFile(io.BytesIO(inner[_INNER]))
    except zipfile.BadZipFile as error:
        raise InputRefusedError(words.NOT_A_BUNDLE(), code="not_a_bundle") from error


@dataclass
class _Contents:
    """What the ZIP holds: each file's digests and size, the tag files' bytes, findings
    about the ZIP itself (names outside the bag, a name twice, an unreadable part)."""

    digests: dict[str, dict[str, str]] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    tags: dict[str, bytes] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def _read_member(archive: zipfile.ZipFile, entry: zipfile.ZipInfo,
                 keep: bool) -> tuple[dict[str, str], bytes]:
    hashes = {name: hashlib.new(name) for name in ALGORITHMS}
    kept = bytearray()
    with archive.open(entry) as stream:
        while chunk := stream.read(_CHUNK):
            for h in hashes.values():
                h.update(chunk)
            if keep and len(kept) <= _MAX_TAG_FILE:
                kept += chunk
    return {name: h.hexdigest() for name, h in hashes.items()}, bytes(kept)


def _contents(archive: zipfile.ZipFile) -> _Contents:
    contents = _Contents()
    roots = {entry.filename.split("/", 1)[0] for entry in archive.infolist()}
    root = BAG_ROOT if BAG_ROOT in roots or len(roots) != 1 else roots.pop()
    for entry in archive.infolist():
        if entry.is_dir():
            continue
        name = entry.filename.removeprefix(f"{root}/")
        if name == entry.filename or ".." in name.split("/"):
            contents.findings.append(Finding(entry.filename, words.ADDED(path=entry.filename)))
            continue
        if name in contents.digests:
            contents.findings.append(Finding(name, words.TWICE(path=name)))
            continue
        try:
            digests, kept = _read_member(archive, entry, keep=not name.startswith("data/"))
        except (zipfile.BadZipFile, OSError, EOFError):
            contents.findings.append(Finding(name, words.UNREADABLE(path=name)))
            continue
        contents.digests[name] = digests
        contents.sizes[name] = entry.file_size
        if not name.startswith("data/"):
            contents.tags[name] = kept
    return contents


_LINE = {a: re.compile(rf"([0-9a-f]{{{n}}})  ([A-Za-z0-9._/-]+)")
         for a, n in (("sha256", 64), ("sha512", 128))}


def _parse_manifest(text: bytes, algorithm: str) -> tuple[dict[str, str], bool]:
    """The manifest's entries (path → digest) and whether it is exactly as kinlink writes
    manifests (lines "digest  path" in lower-case hex, sorted, each ended by a newline)."""
    entries: dict[str, str] = {}
    well_formed = text.endswith(b"\n")
    try:
        lines = text.decode("ascii").split("\n")[:-1]
    except UnicodeDecodeError:
        return entries, False
    for line in lines:
        match = _LINE[algorithm].fullmatch(line)
        if match is None or match.group(2) in entries:
            well_formed = False
            continue
        entries[match.group(2)] = match.group(1)
    return entries, well_formed and list(entries) == sorted(entries)


def _cross_check(present: Mapping[str, dict[str, str]], manifests: Mapping[str, bytes | None],
                 findings: dict[str, Message]) -> None:
    """Hold the files ``present`` against the two manifests (``None``: missing), adding a
    finding per file missing, added or altered, or per manifest that was edited."""
    listed: dict[str, dict[str, str]] = {}
    for (name, text), algorithm in zip(manifests.items(), ALGORITHMS, strict=True):
        if text is None:
            continue
        listed[algorithm], well_formed = _parse_manifest(text, algorithm)
        if not well_formed:
            findings.setdefault(name, words.ALTERED(path=name))
    names = dict(zip(ALGORITHMS, manifests, strict=True))
    for path in sorted(set(present).union(*(e.keys() for e in listed.values()))):
        holding = [a for a in listed if path in listed[a]]
        if path not in present:
            if len(holding) == len(listed):
                findings.setdefault(path, words.MISSING(path=path))
            for a in holding if len(holding) < len(listed) else ():
                findings.setdefault(names[a], words.ALTERED(path=names[a]))
            continue
        if not holding:
            findings.setdefault(path, words.ADDED(path=path))
            continue
        wrong = [a for a in holding if listed[a][path] != present[path][a]]
        lacking = [a for a in listed if a not in holding]
        if wrong and len(wrong) == len(holding):
            findings.setdefault(path, words.ALTERED(path=path))
        for a in (*lacking, *(wrong if len(wrong) < len(holding) else ())):
            findings.setdefault(names[a], words.ALTERED(path=names[a]))


def _parse_bag_info(text: bytes) -> dict[str, str]:
    info: dict[str, str] = {}
    for line in text.decode("utf-8", errors="replace").splitlines():
        label, sep, value = line.partition(": ")
        if sep:
            info[label] = value
    return info


def _payload_count(info: Mapping[str, str], contents: _Contents,
                   findings: dict[str, Message]) -> None:
    """Payload-Oxum against the payload, told only when no finding explains it already."""
    if any(p.startswith("data/") or p == "bag-info.txt" for p in findings):
        return
    data = [n for n in contents.digests if n.startswith("data/")]
    actual = f"{sum(contents.sizes[n] for n in data)}.{len(data)}"
    if info.get("Payload-Oxum", actual) != actual:
        findings.setdefault("bag-info.txt", words.OXUM(
            declared=info["Payload-Oxum"], actual=actual))


def _timestamp(info: Mapping[str, str], contents: _Contents,
               findings: dict[str, Message]) -> datetime | None:
    token = contents.tags.get(TOKEN)
    listed = {m: contents.tags.get(m) for m in TOKEN_MANIFESTS}
    if token is None and TSA_LABEL not in info and not any(listed.values()):
        return None
    present = {TOKEN: contents.digests[TOKEN]} if token is not None else {}
    for name, text in listed.items():
        if text is None:
            findings.setdefault(name, words.MISSING(path=name))
    _cross_check(present, listed, findings)
    if token is None:
        findings.setdefault(TOKEN, words.MISSING(path=TOKEN))
        return None
    tagmanifest = contents.digests.get("tagmanifest-sha256.txt", {}).get("sha256")
    checked = check_token(token, bytes.fromhex(tagmanifest) if tagmanifest else b"")
    if isinstance(checked, datetime):
        return checked
    findings[TOKEN] = checked
    return None


def verify_bundle(path: Path, *, password: str | None = None) -> Verification:
    """Check the bundle at ``path`` offline and name everything wrong with it: every
    file missing, added or altered (payload and tag files), an edited manifest, a
    changed bag-info, a payload count that does not add up, a bad time-stamp token.

    Raises :class:`~kinlink.errors.InputRefusedError` for a file that is no bundle or an
    encrypted one without ``password``, and
    :class:`~kinlink.errors.WrongPassphraseError` when ``password`` does not open it.
    """
    with _opened(path, password) as archive:
        contents = _contents(archive)
    findings: dict[str, Message] = {f.path: f.message for f in contents.findings}
    tags = {n: d for n, d in contents.digests.items()
            if not n.startswith(("data/", "tagmanifest-")) and n not in (TOKEN, *TOKEN_MANIFESTS)}
    for required in ("bagit.txt", "bag-info.txt", *(f"manifest-{a}.txt" for a in ALGORITHMS)):
        if required not in tags:
            findings.setdefault(required, words.MISSING(path=required))
    tag_manifests = {f"tagmanifest-{a}.txt": contents.tags.get(f"tagmanifest-{a}.txt")
                     for a in ALGORITHMS}
    for name, text in tag_manifests.items():
        if text is None:
            findings.setdefault(name, words.MISSING(path=name))
    _cross_check(tags, tag_manifests, findings)
    payload = {n: d for n, d in contents.digests.items() if n.startswith("data/")}
    manifests = {f"manifest-{a}.txt": contents.tags.get(f"manifest-{a}.txt")
                 for a in ALGORITHMS}
    _cross_check(payload, manifests, findings)
    info = _parse_bag_info(contents.tags.get("bag-info.txt", b""))
    if "bag-info.txt" in findings and findings["bag-info.txt"].code == words.ALTERED.code:
        findings["bag-info.txt"] = words.BAG_INFO_CHANGED()
    _payload_count(info, contents, findings)
    stamped = _timestamp(info, contents, findings)
    return Verification(
        findings=tuple(Finding(p, m) for p, m in sorted(findings.items())),
        payload_files=len(payload), bag_info=info, timestamp=stamped)

