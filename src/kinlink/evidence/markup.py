"""The text of documents written in markup: HTML, MHTML captures, DOCX, plain text.

Only the standard library: ``html.parser`` reads the words a browser shows (scripts,
styles and the head dropped, the title and images' alternative texts kept, blocks on
their own lines); ``email`` unpacks an MHTML capture; ``zipfile`` and ElementTree read a
Word document's ``word/document.xml`` (and its headers, footers and notes). Bytes are
decoded as the list readers decode them (:mod:`kinlink.listfiles.encoding`), after any
byte-order mark or declared charset.
"""

from __future__ import annotations

import codecs
import email
import email.policy
import re
import zipfile
from dataclasses import dataclass
from email.message import Message as MimeMessage
from html.parser import HTMLParser
from io import BytesIO
from xml.etree import ElementTree

from kinlink.errors import FileRefusedError
from kinlink.i18n import N_, Message, Wording
from kinlink.listfiles.encoding import decode_text

__all__ = ["Decoded", "decode", "docx_text", "html_text", "mhtml_parts"]

ENCODING_GUESSED = Wording("evidence.text.encoding_guessed", N_(
    "the text's encoding was not recognised: read as UTF-8, unreadable characters replaced"))
_NOT_DOCX = Wording("evidence.docx.not_docx", N_(
    "the file is not a Word document (DOCX): save it again as DOCX or PDF"))
_DOCX_TOO_LARGE = Wording("evidence.docx.too_large", N_(
    "the Word document's text is larger than {megabytes} MB unpacked: it was not read"))

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)",
                           re.IGNORECASE)
_DOCX_LIMIT_MB = 200
_SPACES = re.compile(r"\s+")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class Decoded:
    """A text, the encoding it was read with, and a warning when that was a guess."""

    text: str
    encoding: str
    warnings: tuple[Message, ...] = ()


def decode(data: bytes, declared: str | None = None) -> Decoded:
    """Decode a document's bytes: a byte-order mark first, then a ``declared`` charset
    Python knows, then UTF-8 or Windows-1251 as the list readers tell them; anything
    else as UTF-8 with the unreadable characters replaced, and a warning saying so."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return Decoded(data.decode(encoding, errors="replace"), encoding)
    codec = _codec(declared)
    if codec is not None:
        try:
            return Decoded(data.decode(codec), codec)
        except UnicodeDecodeError:
            pass
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        found = decode_text(data)
    except FileRefusedError:
        return Decoded(data.decode("utf-8", errors="replace"), "utf-8",
                       (ENCODING_GUESSED(),))
    return Decoded(found.text, found.encoding)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip()).name
    except LookupError:
        return None


def html_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` near its start, if any."""
    found = _META_CHARSET.search(data[:4096])
    return found.group(1).decode("ascii") if found else None


class _Words(HTMLParser):
    """Collect the text a browser shows, a new line at each block."""

    SKIP = frozenset({"script", "style", "noscript", "template", "head", "svg", "object"})
    BLOCKS = frozenset({
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl",
        "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tr",
        "ul", "title", "td", "th", "body"})
    VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "wbr", "area", "base",
                      "col", "embed", "source", "track", "param"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []
        self.in_title = False
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        if tag == "pre":
            self.pre += 1
        if tag == "body":  # a head left open ends where the body starts
            self.skipping.clear()
        if tag in self.SKIP and tag not in self.VOID:
            self.skipping.append(tag)
        if self.skipping and not self.in_title:
            return
        if tag in self.BLOCKS:
            self.parts.append("\n")
        if tag == "img":
            alt = dict(attrs).get("alt")
            if alt and alt.strip():
                self.parts.append(f" {alt.strip()} ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag == "pre":
            self.pre = max(0, self.pre - 1)
        if tag in self.skipping:
            while self.skipping and self.skipping.pop() != tag:
                pass
        if tag in self.BLOCKS and not self.skipping:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title or not self.skipping:
            self.parts.append(data if self.pre else _SPACES.sub(" ", data))

    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line)


def html_text(markup: str) -> str:
    """The words of an HTML page, one block a line, spaces collapsed."""
    words = _Words()
    words.feed(markup)
    words.close()
    return words.text()


def html_bytes_text(data: bytes, declared: str | None = None) -> Decoded:
    """An HTML page's bytes (charset from the transport, else from its ``<meta>``)."""
    decoded = decode(data, declared or html_charset(data))
    return Decoded(html_text(decoded.text), decoded.encoding, decoded.warnings)


def mhtml_parts(data: bytes) -> list[tuple[str | None, Decoded]]:
    """The text of each HTML (or, when none, plain-text) part of an MHTML capture, in
    order, with the address it was captured from."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    parts = [p for p in message.walk() if not p.is_multipart()]
    html = [p for p in parts if p.get_content_type() in ("text/html",
                                                          "application/xhtml+xml")]
    if html:
        return [(_location(p), html_bytes_text(_payload(p), p.get_content_charset()))
                for p in html]
    plain = [p for p in parts if p.get_content_type() == "text/plain"]
    return [(_location(p), decode(_payload(p), p.get_content_charset())) for p in plain]


def _payload(part: MimeMessage) -> bytes:
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def _location(part: MimeMessage) -> str | None:
    location = part.get("Content-Location")
    return str(location).strip() if location else None


def docx_text(data: bytes) -> str:
    """The text of a Word document: the body, then headers, footers, foot- and endnotes;
    a paragraph a line, tabs and breaks kept."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                raise FileRefusedError(_NOT_DOCX())
            extra = sorted(n for n in names if re.fullmatch(
                r"word/(header|footer)\d*\.xml|word/(footnotes|endnotes)\.xml", n))
            texts = [_part_text(archive, name) for name in ["word/document.xml", *extra]]
    except (zipfile.BadZipFile, ElementTree.ParseError, EOFError):
        raise FileRefusedError(_NOT_DOCX()) from None
    return "\n".join(t for t in texts if t)


def _part_text(archive: zipfile.ZipFile, name: str) -> str:
    if archive.getinfo(name).file_size > _DOCX_LIMIT_MB * 1_000_000:
        raise FileRefusedError(_DOCX_TOO_LARGE(megabytes=_DOCX_LIMIT_MB))
    xml = archive.read(name)
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:  # Word never writes one: refuse bombs
        raise FileRefusedError(_NOT_DOCX())
    root = ElementTree.fromstring(xml)  # noqa: S314 - no DTD, checked just above
    return "\n".join(_paragraph(p) for p in root.iter(f"{_W}p")).strip()


def _paragraph(paragraph: ElementTree.Element) -> str:
    out: list[str] = []
    _collect(paragraph, out)
    return "".join(out)


def _collect(node: ElementTree.Element, out: list[str]) -> None:
    """The runs of one paragraph; a paragraph nested in it (a text box) is its own."""
    for child in node:
        if child.tag == f"{_W}p":
            continue
        if child.tag == f"{_W}t" and child.text:
            out.append(child.text)
        elif child.tag == f"{_W}tab":
            out.append("\t")
        elif child.tag in (f"{_W}br", f"{_W}cr"):
            out.append("\n")
        _collect(child, out)
