"""Warming a serving process: the catalog's name index loaded, not built, before the first request.

`redline serve` calls `warm` once in the parent (which builds the index if the catalog changed and saves it beside
the catalog, `Catalog.resolver`) and asks every worker to call it while starting (REDLINE_WARM=1), so each worker
loads the saved index and the Chinese dictionaries before it accepts a connection: the first name queries after a
start answer as fast as later ones.
"""

from __future__ import annotations

import os
import time

from redline.services.status import StatusService

WARM_ENV = "REDLINE_WARM"
# one Latin and one Han name: the second loads pypinyin, jieba and CC-CEDICT, read on the first Han query
_WARM_QUERIES = ("Xiaomi Corporation", "小米集团")


def warm(service: StatusService) -> float:
    """Load the name index and the dictionaries names need; the seconds it took."""
    started = time.perf_counter()
    resolver = service.catalog.resolver
    for query in _WARM_QUERIES:
        resolver.resolve(query)
    return time.perf_counter() - started


def warm_requested() -> bool:
    return os.environ.get(WARM_ENV, "") == "1"
