"""Matching: run the linkage engine on lists (files) and on the store.

:func:`link_files` and :func:`dedupe_file` read lists as the importer does and write
the record list format's outputs; :func:`match_store` links everything in the store,
incrementally, and keeps the candidate pairs with their scores and explanations.
"""

from kinlink.matching.files import (
    DedupeResult,
    LinkResult,
    ListRead,
    ReadOptions,
    dedupe_file,
    link_files,
)
from kinlink.matching.store import (
    MatchResult,
    StoredModel,
    match_store,
    model_in_use,
    origin_words,
    stored_model,
)

__all__ = [
    "DedupeResult",
    "LinkResult",
    "ListRead",
    "MatchResult",
    "ReadOptions",
    "StoredModel",
    "dedupe_file",
    "link_files",
    "match_store",
    "model_in_use",
    "origin_words",
    "stored_model",
]
