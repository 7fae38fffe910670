"""Evidence: documents kept as they were found, with a chain of custody, their text,
the names of sought children found in them, and bundles a prosecutor can verify.

* :mod:`~kinlink.evidence.filetypes` tells a file's type from its bytes (never from its
  name), and refuses every type kinlink does not keep;
* :mod:`~kinlink.evidence.content` keeps originals and derived artefacts content-addressed
  by SHA-256 under the data directory, written once and checked on every read;
* :mod:`~kinlink.evidence.collection` validates the collection record;
* :mod:`~kinlink.evidence.working` makes the working copy of an image: re-encoded, with no
  metadata (EXIF, GPS, XMP, comments) left.
* :mod:`~kinlink.evidence.text` extracts a document's text (born-digital or by OCR,
  :mod:`~kinlink.evidence.ocr`);
* :mod:`~kinlink.evidence.screening` finds the names of sought children in a text, in any
  script, transliteration and grammatical case;
* :mod:`~kinlink.evidence.bundle` writes and verifies evidence bundles (BagIt).

The tables and the custody log live in :mod:`kinlink.storage.documents`; the user actions
in :mod:`kinlink.usecases.documents`.
"""

from kinlink.evidence.collection import CollectionIn, check_collection
from kinlink.evidence.content import ContentStore
from kinlink.evidence.filetypes import detect_type
from kinlink.evidence.working import WorkingCopy, working_copy

__all__ = ["CollectionIn", "ContentStore", "WorkingCopy", "check_collection", "detect_type",
           "working_copy"]
