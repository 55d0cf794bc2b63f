"""Keyed pseudonyms (HMAC-SHA256) for raw exports that still hold direct identifiers.

`pseudonymise_export(source, target, key)` turns a raw export (docs/raw-export.md) into the
export format (export-format.md); `pseudonymise_tree` does so for a folder of them;
`load_key` reads the secret key from a file or the environment and refuses a missing or
short one; `load_linkage_key` reads the optional national linkage key (never the centre's key)
and `linkage_key` computes a person's national linkage pseudonym.
"""

from pipelines.pseudonymise.convert import PseudonymisationSummary, pseudonymise_export, pseudonymise_tree
from pipelines.pseudonymise.keys import KEY_ENV, LINKAGE_KEY_ENV, MIN_KEY_BYTES, load_key, load_linkage_key, pseudonym
from pipelines.pseudonymise.linkage import linkage_key

__all__ = [
    "KEY_ENV", "LINKAGE_KEY_ENV", "MIN_KEY_BYTES", "PseudonymisationSummary", "linkage_key", "load_key",
    "load_linkage_key", "pseudonym", "pseudonymise_export", "pseudonymise_tree",
]
