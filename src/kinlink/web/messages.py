"""Say a service's :class:`~kinlink.i18n.Message` in the reader's language.

The wording's English template is the catalogue's ``msgid``; its parameters are filled
in after translation, those that are codes (``terms``: a status, an evidence kind, a
role) through their labels in :mod:`kinlink.web.labels`, translated too. A translation
that does not fit its parameters (a typing error in the catalogue) falls back to the
English text rather than failing the page.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from kinlink.i18n import Message, Param
from kinlink.web.labels import LABELLED

__all__ = ["say"]

_TABLES: dict[type[StrEnum], dict[str, str]] = dict(LABELLED)


def say(message: str, gettext: Callable[[str], str]) -> str:
    """``message`` in the language of ``gettext``; a plain text stays as it is."""
    if not isinstance(message, Message):
        return message
    wording = message.wording
    values = {name: _value(value, wording.terms.get(name), gettext)
              for name, value in message.params.items()}
    try:
        return gettext(wording.template).format_map(values)
    except (KeyError, IndexError, ValueError):
        return str(message)


def _value(value: Param, term: type[StrEnum] | None, gettext: Callable[[str], str]) -> str:
    if isinstance(value, Message):
        return say(value, gettext)  # a message within a message: said in turn
    if term is None:
        return ", ".join(str(v) for v in value) if isinstance(value, tuple) else str(value)
    table = _TABLES.get(term, {})
    codes = value if isinstance(value, tuple) else (str(value),)
    return ", ".join(gettext(table[c]) if c in table else str(c) for c in codes)
