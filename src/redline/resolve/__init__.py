"""Entity resolution: names in any script, acronyms, translations and identifiers to list entities.

The names below are loaded on first use (PEP 562): `redline.resolve.identifiers`, `QueryError` and
`DEFAULT_THRESHOLD` are read by every identifier answer, which must not pay for the matcher's imports (rapidfuzz,
numpy, anyascii, word lists).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from redline.resolve.errors import QueryError
from redline.resolve.thresholds import DEFAULT_THRESHOLD

if TYPE_CHECKING:
    from redline.resolve.resolver import (
        Candidate,
        Explanation,
        PairScore,
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


def __getattr__(name: str) -> Any:
    if name in __all__ and name not in globals():
        from redline.resolve import resolver

        return getattr(resolver, name)
    raise AttributeError(f"module 'redline.resolve' has no attribute {name!r}")
