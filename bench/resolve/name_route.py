"""Screening's name route in whichever Redline checkout is first on PYTHONPATH: distinct names per CPU second.

    PYTHONPATH=TREE/src REDLINE_HOME=DIR python bench/resolve/name_route.py NAMES.csv

`pairs.py speed --baseline-tree TREE` runs this file once per checkout, alternating, so that "N x the tree before"
is measured in one run on one machine state, not against a figure remembered from another day. It reads the
`name` column of NAMES.csv, resolves every name once through `RowResolver` (the per-name cache is cold: the names
are distinct) after one warm-up query, and prints the rate. It imports nothing from the bench and only the
screening API both trees have: the current one (a catalog from `StatusService`) and the wave-1 one (cc74bea:
`RowResolver()` over the bundled lookup).
"""

from __future__ import annotations

import csv
import sys
import time
from typing import Any


def _resolver() -> Any:
    from redline.screen.resolution import RowResolver

    try:
        from redline.services.status import StatusService
    except ImportError:  # a tree from before the services layer (wave 1)
        resolver = RowResolver()
        resolver.lookup.resolve("warm up")
        return resolver
    catalog = StatusService.bundled().catalog
    catalog.resolver.resolve("warm up")  # the name index is loaded or built once per process, not per name
    return RowResolver(catalog)


def names_per_second(names: list[str]) -> float:
    """Each of `names` once through screening's name route, after one warm-up query: names per CPU second
    (`pairs.py speed` also calls this in its own process)."""
    from redline.screen.rows import ScreenRow

    resolver = _resolver()
    started = time.process_time()
    for number, name in enumerate(names):
        resolver.resolve(ScreenRow(number + 2, name=name))
    return round(len(names) / (time.process_time() - started), 1)


def main(path: str) -> None:
    with open(path, encoding="utf-8", newline="") as handle:
        print(names_per_second([row["name"] for row in csv.DictReader(handle)]))


if __name__ == "__main__":
    main(sys.argv[1])
