"""What PPRL refuses, in coded words without personal data (a key, a file's name, a
parameter — never a value from a list)."""

from __future__ import annotations

from kinlink.errors import FileRefusedError
from kinlink.i18n import N_, Wording

__all__ = [
    "BAD_LINE",
    "BAD_PARAMETERS",
    "ENCODED_UNREADABLE",
    "KEY_MISMATCH",
    "KEY_UNREADABLE",
    "NOT_ENCODED",
    "PARAMETERS_DIFFER",
    "TOO_MANY",
    "TOO_MANY_PAIRS",
    "VERSION_UNKNOWN",
    "PprlRefusedError",
]


class PprlRefusedError(FileRefusedError):
    """A key file or an encoded file PPRL cannot use, or two files it cannot compare."""


KEY_UNREADABLE = Wording("pprl.key_unreadable", N_(
    "{name}: not a kinlink PPRL key file (one line of {digits} hexadecimal digits; "
    "make one with `kinlink pprl keygen`)"))
NOT_ENCODED = Wording("pprl.not_encoded", N_(
    "{name}: not a kinlink PPRL encoded file (the first line is not its header)"))
ENCODED_UNREADABLE = Wording("pprl.encoded_unreadable", N_("{name}: cannot be read"))
BAD_PARAMETERS = Wording("pprl.bad_parameters", N_(
    "{name}: the header's parameters are not valid"))
BAD_LINE = Wording("pprl.bad_line", N_(
    "{name}: line {line} is not an encoded record, or does not fit the header's parameters"))
TOO_MANY = Wording("pprl.too_many", N_("{name}: more than {limit} records"))
VERSION_UNKNOWN = Wording("pprl.version_unknown", N_(
    "{name}: encoded with format version {found}; this kinlink reads version {expected}"))
KEY_MISMATCH = Wording("pprl.key_mismatch", N_(
    "{left} and {right} were encoded with different keys: the two parties must encode "
    "with the same key file, or nothing can link"))
PARAMETERS_DIFFER = Wording("pprl.parameters_differ", N_(
    "{left} and {right} were encoded with different parameters ({names}): both parties "
    "must encode with the same kinlink version and settings"))
TOO_MANY_PAIRS = Wording("pprl.too_many_pairs", N_(
    "{left} and {right}: the blocking keys make {pairs} pairs of records to compare, "
    "which would need about {need} GB of memory; {have} GB are free. Nothing was "
    "linked. Skip the most common keys with a smaller --max-block (now {max_block}: "
    "a key held by more records on either side is not used; fewer pairs, and a true "
    "pair only such a key finds is missed), or link on a machine with more memory"))
