"""Blank text as both the server and its OpenAPI clients read it."""

from __future__ import annotations

import re

# Free text must hold more than white space; the route checks it (with its own message) using the very class the
# schema documents. It is white space as Python's str.isspace() and as JSON Schema's regex dialect (ECMA 262) read
# it: `\S` alone would differ between them (U+001C-U+001F, U+FEFF), so server and clients could disagree.
BLANK_CLASS = r"\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_NOT_BLANK = re.compile(f"[^{BLANK_CLASS}]")


def is_blank(text: str) -> bool:
    return _NOT_BLANK.search(text) is None
