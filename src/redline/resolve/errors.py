"""The resolver's error, importable without loading the matcher (rapidfuzz, anyascii, word lists)."""

from redline.model.queries import QueryError as QueryError  # the type lives in the model: every face catches it
