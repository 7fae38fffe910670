"""Words broken over two lines, read whole, with the way back to the text as shown.

A document's text keeps its line ends (a person reads it beside the original), so a
name may be broken by a hyphen at a line's end: «Петрен-⏎ко», «ДМИТ-⏎РУКА». A web page
may carry soft hyphens (U+00AD) inside words, and a text kept before PDF extraction
restored PDFium's line-end marks may still hold U+0002 or U+FFFE where a word was broken.
:func:`join_broken_words` gives the text the screening reads — the marks dropped, the
broken words joined — and a map from every offset of it back to the text as shown, so a
mention found in «Петренко» marks «Петрен-⏎ко» on the document's page.

A hyphen at a line's end joins the two halves when the next line goes on in lower case
(«Петрен-⏎ко») or both halves are in capitals («ДМИТ-⏎РУКА»: orders write surnames so);
before a capital after lower case («Петренко-⏎Коваль») the hyphen is a double name's and
stays, only the line end goes. A double surname in capitals broken at its own hyphen
(«ПЕТРЕНКО-⏎КОВАЛЬ») is read joined: rarer than a hyphenated surname in an order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Joined", "join_broken_words"]

_MARKS = "\u00ad\u0002\ufffe"
_BREAK = re.compile(
    r"(?P<left>[^\W\d_]+)(?P<hyphen>[-\u2010\u00ad\u0002\ufffe])[ \t]*\n[ \t]*"
    r"(?P<right>[^\W\d_]+)")
_MARK = re.compile(f"[{_MARKS}]")


@dataclass(frozen=True)
class Joined:
    """The text the screening reads and, for each of its characters, where that
    character is in the text as shown."""

    text: str
    origin: tuple[int, ...]
    shown_length: int

    def shown(self, start: int, end: int) -> tuple[int, int]:
        """The span of the shown text that ``text[start:end]`` was read from."""
        if start >= end:
            at = self.origin[start] if start < len(self.origin) else self.shown_length
            return at, at
        return self.origin[start], self.origin[end - 1] + 1


def _joins(left: str, right: str) -> bool:
    return right[0].islower() or (left.isupper() and right.isupper())


def join_broken_words(text: str) -> Joined:
    """``text`` with soft-hyphen marks dropped and words broken at a line's end joined.

    A text without any is given back as it is (its map is the identity)."""
    if not _MARK.search(text) and "\n" not in text:
        return Joined(text, tuple(range(len(text))), len(text))
    dropped: set[int] = set()
    for match in _BREAK.finditer(text):
        line_end = range(match.end("hyphen"), match.start("right"))
        dropped.update(line_end)
        hyphen, left, right = match.group("hyphen", "left", "right")
        if hyphen not in "-\u2010" or _joins(left, right):
            dropped.add(match.start("hyphen"))
    dropped.update(m.start() for m in _MARK.finditer(text))
    if not dropped:
        return Joined(text, tuple(range(len(text))), len(text))
    origin = tuple(i for i in range(len(text)) if i not in dropped)
    return Joined("".join(text[i] for i in origin), origin, len(text))
