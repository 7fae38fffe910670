"""Use cases of evidence bundles that need no store: verifying one offline."""

from __future__ import annotations

from pathlib import Path

from kinlink.evidence.bundle import Verification, verify_bundle

__all__ = ["verify_evidence_bundle"]


def verify_evidence_bundle(path: Path, *, password: str | None = None) -> Verification:
    """Check the bundle at ``path`` offline (anyone may: it reads nothing of kinlink's
    store, and a prosecutor runs it without an account)."""
    return verify_bundle(path, password=password)
