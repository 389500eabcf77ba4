"""Screening's name route in whichever Redline checkout is first on PYTHONPATH: distinct names per CPU second.

    PYTHONPATH=TREE/src REDLINE_HOME=DIR python bench/resolve/name_route.py NAMES.csv

`pairs.py speed --baseline-tree TREE` runs this file once per checkout, alternating, so that "N x the tree before"
is measured in one run on one machine state, not against a figure remembered from another day. It reads the
`name` column of NAMES.csv, resolves every name once through `RowResolver` (the per-name cache is cold: the names
are distinct) after the warm-up queries (`WARM_UP`), and prints the rate. Where the tree's `RowResolver` has
`prefetch`, the names are first resolved together through it, as screening does with each batch of a book. It
imports nothing from the bench and only the screening API both trees have: the current one (a catalog from
`StatusService`) and the wave-1 one (cc74bea: `RowResolver()` over the bundled lookup).
"""

from __future__ import annotations

import csv
import sys
import time
from typing import Any

# The name index is loaded or built once per process, and the Chinese dictionaries (CC-CEDICT, pypinyin's tables)
# are read on the first Han name: 0.3-0.7 s, paid once per process, not per name, in either tree.
WARM_UP = ("warm up", "小米集团")


def _resolver() -> Any:
    from redline.screen.resolution import RowResolver

    try:
        from redline.services.status import StatusService
    except ImportError:  # a tree from before the services layer (wave 1)
        resolver = RowResolver()
        for query in WARM_UP:
            resolver.lookup.resolve(query)
        return resolver
    catalog = StatusService.bundled().catalog
    for query in WARM_UP:
        catalog.resolver.resolve(query)
    return RowResolver(catalog)


def names_per_second(names: list[str]) -> float:
    """Each of `names` once through screening's name route, after the warm-up queries: names per CPU second
    (`pairs.py speed` also calls this in its own process)."""
    from redline.screen.rows import ScreenRow

    resolver = _resolver()
    started = time.process_time()
    rows = [ScreenRow(number + 2, name=name) for number, name in enumerate(names)]
    if hasattr(resolver, "prefetch"):  # as a batch of a book does (`ColumnarPlan.screen`, the row pipeline's batches)
        resolver.prefetch(rows)
    for row in rows:
        resolver.resolve(row)
    return round(len(names) / (time.process_time() - started), 1)


def main(path: str) -> None:
    with open(path, encoding="utf-8", newline="") as handle:
        print(names_per_second([row["name"] for row in csv.DictReader(handle)]))


if __name__ == "__main__":
    main(sys.argv[1])
