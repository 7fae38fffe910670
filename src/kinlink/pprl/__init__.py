"""Privacy-preserving record linkage: link two parties' lists without exchanging names.

Pure code (no storage, no web). Each data holder encodes its list with a secret key the
holders share (:mod:`.keys`): every record becomes a keyed Bloom filter of the
script-independent features kinlink's name engine gives (:mod:`.tokens`,
:mod:`.encoding`), with keyed blocking keys; the file (:mod:`.fileformat`) holds record
ids, encodings and a header of parameters, never the key or a readable value. A linkage
unit without the key compares two such files (:mod:`.link`) and learns only which record
ids are probably the same child. See ``docs/pprl.md`` for the threat model.
"""

from kinlink.pprl.encoding import EncodedRecord, Encoder
from kinlink.pprl.fileformat import EncodedFile, read_encoded, write_encoded
from kinlink.pprl.keys import KEY_BYTES, key_check, new_key, read_key
from kinlink.pprl.link import LinkedPair, PprlLinkResult, link_encoded
from kinlink.pprl.params import FORMAT_VERSION, Parameters

__all__ = ["FORMAT_VERSION", "KEY_BYTES", "EncodedFile", "EncodedRecord", "Encoder",
           "LinkedPair", "Parameters", "PprlLinkResult", "key_check", "link_encoded",
           "new_key", "read_encoded", "read_key", "write_encoded"]
