"""Entity resolution: names in any script, acronyms, translations and identifiers to list entities."""

from redline.resolve.resolver import (
    DEFAULT_THRESHOLD,
    Candidate,
    Explanation,
    PairScore,
    QueryError,
    Record,
    Resolver,
    score_pair,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "Candidate",
    "Explanation",
    "PairScore",
    "QueryError",
    "Record",
    "Resolver",
    "score_pair",
]
