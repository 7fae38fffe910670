"""Words a person reads, marked for translation wherever they are written.

``N_`` marks a message for extraction (``scripts/translations``) without translating
it; the web pages translate it where they show it (:mod:`kinlink.web.i18n` holds the
catalogues and the reader's formats). Any layer may mark its words this way, so that
the linkage specification's verdicts ("the same name …") reach a Ukrainian case worker
in Ukrainian, while files and logs keep the English they were written in.
"""

from __future__ import annotations

__all__ = ["N_"]


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark a message for extraction; it is translated where it is shown."""
    return message
