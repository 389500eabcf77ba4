"""Rich consoles sized for people and for pipes alike."""

from __future__ import annotations

import os
import sys

from rich.console import Console


def console(stderr: bool = False) -> Console:
    """A console that does not squeeze tables to 80 columns when output goes to a file or a pipe."""
    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else int(os.environ.get("COLUMNS", "160"))
    plain = Console(stderr=stderr, width=width, soft_wrap=True, highlight=False)
    if plain.color_system is None:
        # Uncoloured output (a pipe, a file, NO_COLOR) is the same without highlighting, whose regular expressions
        # cost a cold `redline status` about 0.05 s to compile.
        return plain
    return Console(stderr=stderr, width=width, soft_wrap=True)
