"""A list file uploaded through the web: refused early when kinlink cannot import it.

The checks every upload door shares (lists to import, a mediation channel's answers):
the size, the extension, the XLSX signature, a file that is empty; and the file's own
name without folders or odd characters, since it is shown and recorded.
"""

from __future__ import annotations

import re
from pathlib import Path

from kinlink.domain.limits import MIB, ImportLimits, limit_words
from kinlink.errors import InputRefusedError

__all__ = ["MAX_UPLOAD_BYTES", "check_upload", "safe_name"]

MAX_UPLOAD_BYTES = ImportLimits().upload_mb * MIB
"""The default largest upload (``KINLINK_LIMITS__UPLOAD_MB`` changes it)."""
_EXTENSIONS = (".csv", ".xlsx")
_UNSAFE = re.compile(r"[^\w .()\[\]-]+", re.UNICODE)


def safe_name(name: str) -> str:
    """The file's own name without folders or odd characters (it is shown and recorded)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _UNSAFE.sub("_", base).strip(" .") or "list"
    return cleaned[-150:]


def check_upload(name: str, data: bytes, limits: ImportLimits | None = None) -> str:
    """Refuse a file kinlink cannot import (too large, another type); return its safe name."""
    limits = limits or ImportLimits()
    if len(data) > limits.upload_mb * MIB:
        raise InputRefusedError(f"the file is larger than {limits.upload_mb} MB; "
                                + limit_words("upload_mb", limits.upload_mb, "MB"),
                                "too_large")
    clean = safe_name(name)
    suffix = Path(clean).suffix.casefold()
    if suffix not in _EXTENSIONS:
        raise InputRefusedError("only CSV and XLSX lists can be imported", "unsupported_type")
    if suffix == ".xlsx" and not data.startswith(b"PK\x03\x04"):
        raise InputRefusedError("the file is named .xlsx but is not a workbook",
                                "unsupported_type")
    if not data:
        raise InputRefusedError("the file is empty", "empty_file")
    return clean
