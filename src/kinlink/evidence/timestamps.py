"""RFC 3161 time stamps of a bundle's tag manifest: asked of a time-stamp authority over
HTTP when one is configured, checked offline in the bundle.

The check verifies that the token stamps this digest (its message imprint), that the
signed attributes carry the digest of the token's content, and that the signature
verifies with the signing certificate the token carries (RSA PKCS #1 v1.5 or ECDSA).
Whether that certificate belongs to a time-stamp authority the reader trusts is for the
reader to judge (the certificate is in the token); kinlink does not hold a list of
authorities.
"""

from __future__ import annotations

import hashlib
import http.client
import secrets
import urllib.error
import urllib.request
from datetime import datetime

from asn1crypto import cms, tsp, x509
from Cryptodome.Hash import SHA256, SHA384, SHA512
from Cryptodome.PublicKey import ECC, RSA
from Cryptodome.Signature import DSS, pkcs1_15

from kinlink.errors import InputRefusedError
from kinlink.evidence import bundlewords as words
from kinlink.i18n import N_, Message, Wording

__all__ = ["TimestampAuthority", "check_token", "request_for", "token_from_response"]

_REFUSED = Wording("bundle.timestamp_refused",
                   N_("the time-stamp authority did not grant a time stamp"))
_HASHES = {"sha256": SHA256, "sha384": SHA384, "sha512": SHA512}


def request_for(digest: bytes, nonce: int) -> bytes:
    """The DER of an RFC 3161 request to stamp the SHA-256 ``digest``."""
    request: bytes = tsp.TimeStampReq({
        "version": 1,
        "message_imprint": {"hash_algorithm": {"algorithm": "sha256"},
                            "hashed_message": digest},
        "nonce": nonce,
        "cert_req": True,
    }).dump()
    return request


def token_from_response(response: bytes, digest: bytes, nonce: int) -> bytes:
    """The token (DER ContentInfo) of an authority's answer, refused unless it was
    granted and stamps ``digest`` with ``nonce``."""
    try:
        parsed = tsp.TimeStampResp.load(response)
        status = parsed["status"]["status"].native
        token = parsed["time_stamp_token"]
        info = token["content"]["encap_content_info"]["content"].parsed
        imprint = info["message_imprint"]["hashed_message"].native
        granted = status in ("granted", "granted_with_mods") and imprint == digest
        granted = granted and info["nonce"].native == nonce
    except (ValueError, TypeError, KeyError) as error:
        raise InputRefusedError(_REFUSED(), code="timestamp_refused") from error
    if not granted:
        raise InputRefusedError(_REFUSED(), code="timestamp_refused")
    return bytes(token.dump())


class TimestampAuthority:
    """A time-stamp authority reached over HTTP at ``url`` (RFC 3161 section 3.4)."""

    def __init__(self, url: str, *, timeout: float = 30.0) -> None:
        if not url.startswith(("https://", "http://")):
            raise ValueError("a time-stamp authority's URL starts with https:// or http://")
        self.url = url
        self.timeout = timeout

    def stamp(self, digest: bytes) -> bytes:
        """The authority's token over the SHA-256 ``digest``."""
        nonce = secrets.randbits(63)
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
            self.url, data=request_for(digest, nonce), method="POST",
            headers={"Content-Type": "application/timestamp-query"})
        with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
            response: bytes = answer.read()
        return token_from_response(response, digest, nonce)

    def attempt(self, digest: bytes) -> bytes | Message:
        """The token over ``digest``, or the message saying why there is none: the
        authority could not be reached (no answer, refused connection, an HTTP error,
        no answer in :attr:`timeout` seconds) or did not grant a stamp. A bundle is still
        worth making without one; the caller says so."""
        try:
            return self.stamp(digest)
        except InputRefusedError:
            return words.TIMESTAMP_NOT_GRANTED(url=self.url)
        except (OSError, http.client.HTTPException) as error:
            return words.TIMESTAMP_UNREACHABLE(url=self.url, reason=_reason(error))


def _reason(error: Exception) -> str:
    """Why the authority could not be reached, in a few technical words (no secrets: the
    URL is configuration, the rest is the kind of failure)."""
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code}"
    cause = error.reason if isinstance(error, urllib.error.URLError) else error
    if isinstance(cause, TimeoutError):
        return "no answer in time"
    return type(cause).__name__ if isinstance(cause, BaseException) else str(cause)[:80]


def _signer_certificate(signed: cms.SignedData, signer: cms.SignerInfo) -> x509.Certificate:
    wanted = signer["sid"]
    for choice in signed["certificates"]:
        certificate = choice.chosen
        if not isinstance(certificate, x509.Certificate):
            continue
        if wanted.name == "issuer_and_serial_number":
            if (certificate.issuer == wanted.chosen["issuer"]
                    and certificate.serial_number == wanted.chosen["serial_number"].native):
                return certificate
        elif certificate.key_identifier == wanted.chosen.native:
            return certificate
    raise ValueError("the token does not carry its signing certificate")


def _signature_verifies(certificate: x509.Certificate, signer: cms.SignerInfo,
                        signed_bytes: bytes) -> bool:
    digest = _HASHES[signer["digest_algorithm"]["algorithm"].native].new(signed_bytes)
    signature = signer["signature"].native
    key = certificate.public_key
    try:
        if key.algorithm == "rsa":
            pkcs1_15.new(RSA.import_key(key.dump())).verify(digest, signature)
        elif key.algorithm == "ec":
            DSS.new(ECC.import_key(key.dump()), "fips-186-3", "der").verify(digest, signature)
        else:
            return False
    except ValueError:
        return False
    return True


def check_token(token: bytes, digest: bytes) -> datetime | Message:
    """The time the token attests for the SHA-256 ``digest``, or what is wrong with it."""
    try:
        signed = cms.ContentInfo.load(token, strict=True)["content"]
        content = signed["encap_content_info"]["content"]
        info = content.parsed
        signer = signed["signer_infos"][0]
        algorithm = signer["digest_algorithm"]["algorithm"].native
        attributes = {a["type"].native: a["values"][0] for a in signer["signed_attrs"]}
        content_digest = hashlib.new(algorithm, content.contents).digest()
        certificate = _signer_certificate(signed, signer)
        signed_attrs = b"\x31" + signer["signed_attrs"].dump()[1:]  # signed as a SET OF
        sound = (attributes["message_digest"].native == content_digest
                 and _signature_verifies(certificate, signer, signed_attrs))
        imprint = info["message_imprint"]
        stamps = (imprint["hash_algorithm"]["algorithm"].native == "sha256"
                  and imprint["hashed_message"].native == digest)
        when: datetime = info["gen_time"].native
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return words.BAD_TIMESTAMP()
    if not sound:
        return words.BAD_TIMESTAMP()
    return when if stamps else words.TIMESTAMP_OTHER_FILE()

