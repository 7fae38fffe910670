"""The name engine: Ukrainian, Russian and Latin spellings of one child's name.

Pure text, no storage: normalisation (:mod:`.normalise`), script and language per token
(:mod:`.scripts`), transliteration under the systems of real documents (:mod:`.translit`),
given-name equivalence across languages and diminutives (:mod:`.equivalence`),
patronymics (:mod:`.patronymic`), script-independent keys for blocking (:mod:`.keys`),
full-name parsing (:mod:`.parse`), explained comparison (:mod:`.compare`), the
features linkage precomputes per record (:mod:`.features`), the Russian spelling rules
for surnames and patronymics (:mod:`.russify`) and the four forms of a name a
mediator's list shows (:mod:`.forms`).
"""

from kinlink.names.compare import NameComparison, PartComparison, Verdict, compare_names
from kinlink.names.equivalence import Match, Relation, lookup_given
from kinlink.names.features import NameFeatures, name_features
from kinlink.names.forms import NameForms, name_forms
from kinlink.names.keys import latin_skeleton, loose_key, surname_key
from kinlink.names.normalise import fold, normalise
from kinlink.names.parse import NameParts, parse_full_name
from kinlink.names.patronymic import patronymic_key
from kinlink.names.scripts import Script, TokenScript, detect
from kinlink.names.translit import System, transliterate

__all__ = [
    "Match",
    "NameComparison",
    "NameFeatures",
    "NameForms",
    "NameParts",
    "PartComparison",
    "Relation",
    "Script",
    "System",
    "TokenScript",
    "Verdict",
    "compare_names",
    "detect",
    "fold",
    "given_name_ids",
    "latin_skeleton",
    "lookup_given",
    "loose_key",
    "name_features",
    "name_forms",
    "normalise",
    "parse_full_name",
    "patronymic_key",
    "surname_key",
    "transliterate",
]


def given_name_ids(text: str) -> frozenset[str]:
    """Canonical ids (Ukrainian forms) of the given names ``text`` can be."""
    return frozenset(m.name_id for m in lookup_given(text))
