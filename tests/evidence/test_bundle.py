"""Evidence bundles: a bundle verifies; any single changed byte of any file, a removed
file or an added one fails verification naming that file; encryption and time stamps."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fake_tsa import GEN_TIME, FakeAuthority, serving
from kinlink.errors import InputRefusedError, WrongPassphraseError
from kinlink.evidence.bundle import BAG_ROOT, BundleFile, verify_bundle, write_bundle
from kinlink.evidence.timestamps import TimestampAuthority, check_token

ORIGINAL = bytes(range(256)) * 40 + b"%PDF-1.7 not really"
FILES = [
    BundleFile("originals/" + hashlib.sha256(ORIGINAL).hexdigest() + ".pdf", ORIGINAL),
    BundleFile("working/page-1.png", b"\x89PNG\r\n\x1a\nworking copy"),
    BundleFile("text/page-1.txt", "вивезли Олександра Петренка".encode()),
    BundleFile("collection/doc-1.json", b'{"collected_by": "u-3", "how": "scan"}'),
    BundleFile("custody.jsonl", b'{"event": "view"}\n{"event": "download"}\n'),
    BundleFile("case-history.jsonl", b'{"status": "located"}\n'),
    BundleFile("audit.jsonl", b'{"id": 1}\n'),
]
META = {"made_by": "demo-caseworker", "case": "C-0003", "agency": "home"}
NOW = datetime(2026, 3, 1, 14, 0, 0, tzinfo=UTC)
PASSWORD = "7KQF-M2XH-9TRB-C4WN"


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist()}


def _rewrite(path: Path, members: dict[str, bytes]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    path.write_bytes(buffer.getvalue())


def _named(path: Path) -> set[str]:
    return {finding.path for finding in verify_bundle(path).findings}


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    out = tmp_path / "bundle.zip"
    write_bundle(out, FILES, META, now=NOW)
    return out


def test_a_bundle_verifies_and_keeps_the_original_bytes(bundle: Path) -> None:
    result = verify_bundle(bundle)
    assert result.intact, result.findings
    assert result.payload_files == len(FILES)
    members = _members(bundle)
    for item in FILES:
        assert members[f"{BAG_ROOT}/data/{item.path}"] == item.content
    assert result.bag_info["External-Identifier"] == "C-0003"
    assert result.bag_info["Kinlink-Made-By"] == "demo-caseworker"
    assert result.bag_info["Kinlink-Made-At"] == "2026-03-01T14:00:00+00:00"
    assert result.bag_info["Bag-Software-Agent"].startswith("kinlink ")


def test_the_receipt_carries_the_bundle_files_hash(tmp_path: Path) -> None:
    receipt = write_bundle(tmp_path / "b.zip", FILES, META, now=NOW)
    data = (tmp_path / "b.zip").read_bytes()
    assert receipt.sha256 == hashlib.sha256(data).hexdigest()
    assert receipt.size == len(data)
    assert receipt.files == len(FILES)
    assert (tmp_path / "b.zip").stat().st_mode & 0o077 == 0


def test_a_bundle_validates_with_the_library_of_congress_bagit(
        bundle: Path, tmp_path: Path) -> None:
    bagit = pytest.importorskip("bagit")
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(tmp_path / "unpacked")
    bag = bagit.Bag(str(tmp_path / "unpacked" / BAG_ROOT))
    assert bag.validate()


@pytest.fixture
def stamped(tmp_path: Path) -> Path:
    out = tmp_path / "stamped.zip"
    with serving(FakeAuthority()) as url:
        write_bundle(out, FILES, META, timestamp=TimestampAuthority(url), now=NOW)
    return out


def test_any_single_changed_byte_of_any_file_is_named(bundle: Path) -> None:
    assert len(_members(bundle)) == len(FILES) + 6
    _flip_every_member(bundle)


def test_any_single_changed_byte_of_any_file_of_a_stamped_bundle_is_named(
        stamped: Path) -> None:
    assert len(_members(stamped)) == len(FILES) + 9
    _flip_every_member(stamped)


def _flip_every_member(bundle: Path) -> None:
    members = _members(bundle)
    for name, content in members.items():
        relative = name.removeprefix(f"{BAG_ROOT}/")
        for position in sorted({0, len(content) // 2, len(content) - 1}):
            for flip in (0x01, 0x20, 0xFF):
                changed = bytearray(content)
                changed[position] ^= flip
                _rewrite(bundle, {**members, name: bytes(changed)})
                named = _named(bundle)
                assert relative in named, (relative, position, flip, named)


def test_a_removed_file_is_named(bundle: Path) -> None:
    members = _members(bundle)
    for name in members:
        _rewrite(bundle, {n: c for n, c in members.items() if n != name})
        assert name.removeprefix(f"{BAG_ROOT}/") in _named(bundle)


@pytest.mark.parametrize("added", ["data/originals/extra.pdf", "data/extra.txt", "notes.txt",
                                   "manifest-md5.txt"])
def test_an_added_file_is_named(bundle: Path, added: str) -> None:
    _rewrite(bundle, {**_members(bundle), f"{BAG_ROOT}/{added}": b"planted"})
    result = verify_bundle(bundle)
    assert [(f.path, f.message.code) for f in result.findings] == [(added, "bundle.added")]


def test_a_file_outside_the_bag_is_named(bundle: Path) -> None:
    _rewrite(bundle, {**_members(bundle), "elsewhere.txt": b"planted"})
    assert "elsewhere.txt" in _named(bundle)


def test_a_changed_description_is_said_so(bundle: Path) -> None:
    members = _members(bundle)
    info = f"{BAG_ROOT}/bag-info.txt"
    _rewrite(bundle, {**members, info: members[info].replace(b"C-0003", b"C-0004")})
    codes = {f.message.code for f in verify_bundle(bundle).findings}
    assert codes == {"bundle.bag_info_changed"}


def test_an_encrypted_bundle_verifies_with_its_password_only(tmp_path: Path) -> None:
    out = tmp_path / "sealed.zip"
    receipt = write_bundle(out, FILES, META, password=PASSWORD, now=NOW)
    assert receipt.encrypted
    assert b"originals" not in out.read_bytes()
    assert verify_bundle(out, password=PASSWORD).intact
    with pytest.raises(InputRefusedError) as refused:
        verify_bundle(out)
    assert refused.value.code == "encrypted"
    with pytest.raises(WrongPassphraseError):
        verify_bundle(out, password="WRONG-WRONG-WRONG-WRONG")


def test_not_a_bundle_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.zip").write_bytes(b"hello")
    with pytest.raises(InputRefusedError):
        verify_bundle(tmp_path / "x.zip")


@pytest.mark.parametrize("path", ["../x", "originals/a/b", "elsewhere/x", "originals/ä.pdf"])
def test_unsafe_places_are_refused(tmp_path: Path, path: str) -> None:
    with pytest.raises(ValueError, match="not a place"):
        write_bundle(tmp_path / "b.zip", [BundleFile(path, b"x")], META)


def test_a_time_stamped_bundle_verifies_and_any_changed_byte_of_its_token_is_named(
        tmp_path: Path) -> None:
    authority = FakeAuthority()
    out = tmp_path / "stamped.zip"
    with serving(authority) as url:
        receipt = write_bundle(out, FILES, META, timestamp=TimestampAuthority(url), now=NOW)
    assert receipt.timestamped
    result = verify_bundle(out)
    assert result.intact, result.findings
    assert result.timestamp == GEN_TIME
    members = _members(out)
    token_name = f"{BAG_ROOT}/timestamp.tsr"
    token = members[token_name]
    for position in range(0, len(token), 7):
        changed = bytearray(token)
        changed[position] ^= 0x01
        _rewrite(out, {**members, token_name: bytes(changed)})
        assert "timestamp.tsr" in _named(out), position
    _rewrite(out, {n: c for n, c in members.items() if n != token_name})
    assert "timestamp.tsr" in _named(out)


def test_a_token_over_another_digest_is_told(tmp_path: Path) -> None:
    token = FakeAuthority().token(b"\x00" * 32).dump()
    assert check_token(token, b"\x00" * 32) == GEN_TIME
    assert check_token(token, b"\x01" * 32).code == "bundle.timestamp_other_file"  # type: ignore[union-attr]


def test_the_verify_command_on_real_files(bundle: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kinlink.cli import app

    runner = CliRunner()
    intact = runner.invoke(app, ["evidence", "verify", str(bundle)])
    assert intact.exit_code == 0, intact.output
    assert "intact" in intact.output
    members = _members(bundle)
    name = next(n for n in members if "/data/originals/" in n)
    _rewrite(bundle, {**members, name: members[name] + b"x"})
    altered = runner.invoke(app, ["evidence", "verify", str(bundle)])
    assert altered.exit_code == 1
    assert "data/originals/" in altered.output
    sealed = tmp_path / "sealed.zip"
    write_bundle(sealed, FILES, META, password=PASSWORD, now=NOW)
    (tmp_path / "pw").write_text(PASSWORD + "\n")
    opened = runner.invoke(app, ["evidence", "verify", str(sealed),
                                 "--password-file", str(tmp_path / "pw")])
    assert opened.exit_code == 0, opened.output
    refused = runner.invoke(app, ["evidence", "verify", str(sealed)])
    assert refused.exit_code == 2
