"""A time-stamp authority for tests: RFC 3161 answers signed with a throw-away RSA key and
a self-signed certificate, built with asn1crypto and pycryptodomex (no network)."""

from __future__ import annotations

import hashlib
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import algos, cms, keys, tsp, x509
from Cryptodome.Hash import SHA256
from Cryptodome.PublicKey import RSA
from Cryptodome.Signature import pkcs1_15

GEN_TIME = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)


class FakeAuthority:
    """Signs time stamps the way a real authority does."""

    def __init__(self) -> None:
        self.key = RSA.generate(2048)
        self.name = x509.Name.build({"common_name": "kinlink test TSA"})
        self.certificate = self._certificate()

    def _sign(self, data: bytes) -> bytes:
        return pkcs1_15.new(self.key).sign(SHA256.new(data))

    def _certificate(self) -> x509.Certificate:
        public = keys.PublicKeyInfo.load(self.key.public_key().export_key("DER"))
        algorithm = algos.SignedDigestAlgorithm({"algorithm": "sha256_rsa"})
        tbs = x509.TbsCertificate({
            "version": "v3", "serial_number": 7, "signature": algorithm,
            "issuer": self.name, "subject": self.name, "subject_public_key_info": public,
            "validity": {"not_before": x509.Time({"utc_time": GEN_TIME - timedelta(days=1)}),
                         "not_after": x509.Time({"utc_time": GEN_TIME + timedelta(days=365)})},
        })
        return x509.Certificate({"tbs_certificate": tbs, "signature_algorithm": algorithm,
                                 "signature_value": self._sign(tbs.dump())})

    def token(self, digest: bytes, nonce: int | None = None) -> cms.ContentInfo:
        info = tsp.TSTInfo({
            "version": "v1", "policy": "1.2.3.4", "serial_number": 1, "gen_time": GEN_TIME,
            "message_imprint": {"hash_algorithm": {"algorithm": "sha256"},
                                "hashed_message": digest},
            "nonce": nonce,
        })
        content = info.dump()
        attrs = cms.CMSAttributes([
            {"type": "content_type", "values": ["tst_info"]},
            {"type": "message_digest", "values": [hashlib.sha256(content).digest()]},
        ])
        signer = cms.SignerInfo({
            "version": "v1",
            "sid": {"issuer_and_serial_number": {"issuer": self.name, "serial_number": 7}},
            "digest_algorithm": {"algorithm": "sha256"},
            "signed_attrs": attrs,
            "signature_algorithm": {"algorithm": "rsassa_pkcs1v15"},
            "signature": self._sign(attrs.dump()),
        })
        signed = cms.SignedData({
            "version": "v3", "digest_algorithms": [{"algorithm": "sha256"}],
            "encap_content_info": {"content_type": "tst_info",
                                   "content": cms.ParsableOctetString(content)},
            "certificates": [self.certificate], "signer_infos": [signer],
        })
        return cms.ContentInfo({"content_type": "signed_data", "content": signed})

    def answer(self, request: bytes) -> bytes:
        asked = tsp.TimeStampReq.load(request)
        token = self.token(asked["message_imprint"]["hashed_message"].native,
                           asked["nonce"].native)
        return tsp.TimeStampResp({"status": {"status": "granted"},
                                  "time_stamp_token": token}).dump()


class RefusingAuthority(FakeAuthority):
    """An authority that answers every request with a rejection (RFC 3161 status 2)."""

    def answer(self, request: bytes) -> bytes:
        tsp.TimeStampReq.load(request)
        status = tsp.PKIStatusInfo({"status": "rejection"}).dump()
        return b"\x30" + bytes([len(status)]) + status  # TimeStampResp without a token


def unreachable_url() -> str:
    """The URL of a port on 127.0.0.1 that nothing listens on (taken, then let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/tsa"


@contextmanager
def serving(authority: FakeAuthority) -> Iterator[str]:
    """An HTTP time-stamp service on 127.0.0.1 answering with ``authority``; its URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            answer = authority.answer(body)
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/tsa"
    finally:
        server.shutdown()
        server.server_close()
