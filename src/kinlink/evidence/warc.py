"""The pages a web archive (WARC, gzipped or not) holds, through ``warcio``, the only
module that imports it.

Each response (or resource) record whose content is HTML or plain text gives one page:
the address it was captured from, its body (transfer and content encodings undone) and
the charset its headers declare.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import version
from io import BytesIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from kinlink.errors import FileRefusedError
from kinlink.i18n import N_, Wording

__all__ = ["WarcPage", "warc_pages", "warcio_version"]

_DAMAGED = Wording("evidence.warc.damaged", N_(
    "the web archive cannot be read: it is damaged or not a WARC file"))
_TEXT_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
_CONTENT_RECORDS = frozenset({"response", "resource"})


@dataclass(frozen=True)
class WarcPage:
    """One captured page: where from, its media type, declared charset and body."""

    url: str | None
    media_type: str
    charset: str | None
    body: bytes


def warcio_version() -> str:
    """The installed ``warcio``'s version."""
    return version("warcio")


def warc_pages(data: bytes) -> list[WarcPage]:
    """The HTML and plain-text pages of a WARC file, in the archive's order."""
    pages: list[WarcPage] = []
    try:
        for record in ArchiveIterator(BytesIO(data)):
            if record.rec_type not in _CONTENT_RECORDS:
                continue
            media_type, charset = _content_type(record)
            if media_type in _TEXT_TYPES:
                pages.append(WarcPage(record.rec_headers.get_header("WARC-Target-URI"),
                                      media_type, charset, record.content_stream().read()))
    except (ArchiveLoadFailed, ValueError, OSError, EOFError):
        raise FileRefusedError(_DAMAGED()) from None
    return pages


def _content_type(record: object) -> tuple[str, str | None]:
    http = getattr(record, "http_headers", None)
    headers = http if http is not None else getattr(record, "rec_headers")  # noqa: B009
    value = headers.get_header("Content-Type") or ""
    media_type, _, rest = value.partition(";")
    charset = None
    for parameter in rest.split(";"):
        name, _, found = parameter.partition("=")
        if name.strip().lower() == "charset" and found.strip():
            charset = found.strip().strip("\"'")
    return media_type.strip().lower(), charset
