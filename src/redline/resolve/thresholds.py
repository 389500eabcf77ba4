"""The match threshold, in a module of its own: `redline status` reads it for every answer, and must not import the
name matcher (rapidfuzz, numpy, word lists) to do so."""

from __future__ import annotations

DEFAULT_THRESHOLD = 0.80
