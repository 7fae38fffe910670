"""A list file uploaded through the web: refused early when kinlink cannot import it.

The checks every upload door shares (lists to import, a mediation channel's answers):
the size, the extension, the XLSX signature, a file that is empty; and the file's own
name without folders or odd characters, since it is shown and recorded.
"""

from __future__ import annotations

import re
from pathlib import Path

from kinlink.domain.limits import MIB, ImportLimits
from kinlink.errors import FILE_EMPTY, InputRefusedError
from kinlink.i18n import N_, Wording

_FILE_LARGER_THAN_MB = Wording("listfiles.uploads.file_larger_than_mb", N_(
    "the file is larger than {upload_mb} MB; the limit is {limit} MB "
    "(KINLINK_LIMITS__UPLOAD_MB)"))
_ONLY_CSV_XLSX_LISTS = Wording("listfiles.uploads.only_csv_xlsx_lists", N_(
    "only CSV and XLSX lists can be imported"))
_FILE_NAMED_XLSX_BUT = Wording("listfiles.uploads.file_named_xlsx_but", N_(
    "the file is named .xlsx but is not a workbook"))

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
        raise InputRefusedError(
            _FILE_LARGER_THAN_MB(upload_mb=str(limits.upload_mb), limit=f"{limits.upload_mb:,}"),
            "too_large",
        )
    clean = safe_name(name)
    suffix = Path(clean).suffix.casefold()
    if suffix not in _EXTENSIONS:
        raise InputRefusedError(_ONLY_CSV_XLSX_LISTS(), "unsupported_type")
    if suffix == ".xlsx" and not data.startswith(b"PK\x03\x04"):
        raise InputRefusedError(_FILE_NAMED_XLSX_BUT(), "unsupported_type")
    if not data:
        raise InputRefusedError(FILE_EMPTY(), "empty_file")
    return clean
