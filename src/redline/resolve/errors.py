"""The resolver's error, importable without loading the matcher (rapidfuzz, anyascii, word lists)."""


class QueryError(ValueError):
    """The query cannot be matched (empty, blank, or made of nothing but symbols)."""
