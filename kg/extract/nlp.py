"""Build the spaCy pipeline from `pipelines/config.cfg`."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import TYPE_CHECKING

from ..datafiles import pipelines_dir

if TYPE_CHECKING:
    from spacy.language import Language


@lru_cache(maxsize=4)
def pipeline(incident_prefixes: tuple[str, ...] | None = None) -> Language:
    """The extraction pipeline; `incident_prefixes` overrides the configured ones."""
    # Imported here: spaCy takes 1-4 s to import, and only extraction needs it.
    import spacy

    from . import components  # noqa: F401  (registers the kg_* factories)

    config = spacy.util.load_config(pipelines_dir() / "config.cfg")
    if incident_prefixes:
        config["components"]["kg_mentions"]["incident_prefixes"] = list(incident_prefixes)
    nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    # spaCy's 1M-character guard is for parser/NER memory; a rule-only pipeline on
    # chunked prose is linear, and one very long line must not stop a build.
    nlp.max_length = 10**9
    return nlp


def pipeline_fingerprint() -> str:
    """A hash of every pipeline data file: part of the incremental-build cache key."""
    digest = hashlib.sha256()
    for path in sorted(pipelines_dir().iterdir()):
        if path.is_file() and path.suffix in (".cfg", ".json", ".jsonl", ".txt"):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
