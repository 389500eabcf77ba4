"""Warming a worker's request path while it starts, before it accepts a connection (`redline serve`).

`redline.services.warmup` loads the name index; this sends the app a few /match and /status requests through its
own ASGI interface (no socket), so the first clients of a new worker do not pay for what FastAPI, pydantic and the
services build on first use. Measured in-process (bench/service/cpu.py): FastAPI builds each router's routes
(their dependencies and pydantic validators) on the first request routed through it, 15-60 ms; the first status and
match answers import and build the rest. Then the garbage collector's generations are frozen: the index is a few
hundred thousand long-lived objects, and the first full collection after a start, which scans all of them, took
150-175 ms: one such pause per worker, in its first seconds of traffic.

The requests are made as a viewer without a key (the key dependency is overridden for their duration only): no
key is created, nothing is written, and the override is gone before the worker listens (uvicorn runs the lifespan
before it starts serving). The key lookup itself is warmed with a well-formed key that matches no key.
"""

from __future__ import annotations

import gc
import logging
import time
from typing import Any

import httpx
from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from redline.model.keys import ApiKey, Role
from redline.server.shared.deps import current_key
from redline.services.keys import KeyService

log = logging.getLogger("redline.server.api")

# A path no route has: routing it builds the routes of every router (FastAPI builds them on first use).
_NO_ROUTE = "/.warm-up/no-such-route"
# What the first clients ask most (bench/service's mix): names in both scripts, identifiers, an unknown name,
# with and without an instant.
_REQUESTS: tuple[tuple[str, str, dict[str, Any] | None], ...] = (
    ("GET", _NO_ROUTE, None),
    ("POST", "/match", {"query": "Xiaomi Corporation"}),
    ("POST", "/match", {"query": "小米集团"}),
    ("POST", "/match", {"query": "Toyota Motor Corporation", "limit": 3}),
    ("GET", "/status?q=1810.HK&on=2021-03-16", None),
    ("GET", "/status?q=Hangzhou%20Hikvision%20Digital%20Technology", None),
    ("GET", "/status?q=%E4%B8%AD%E8%8A%AF%E5%9B%BD%E9%99%85&known_at=2024-01-31", None),
    ("GET", "/status?q=US0378331005", None),
)
# Well-formed (the store looks it up) and no key's: the lookup runs and finds nothing.
_NO_KEY = "rl_00000000_" + "0" * 43
_WARM_KEY = ApiKey("warm-up", "redline serve warm-up", Role.VIEWER, "", "redline serve", None, None)


async def warm_requests(app: FastAPI) -> float:
    """Send the warm-up requests through `app`, then freeze the collector's generations; the seconds it took.
    A warm-up answer that is not 2xx (the no-route 404 aside) is logged, not fatal: the worker still serves."""
    started = time.perf_counter()
    keys: KeyService = app.state.keys
    await run_in_threadpool(keys.authenticate, _NO_KEY)
    app.dependency_overrides[current_key] = lambda: _WARM_KEY
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://warm-up") as client:
            for method, path, body in _REQUESTS:
                answer = await client.request(method, path, json=body)
                if answer.status_code >= 300 and path != _NO_ROUTE:
                    log.warning("warm-up %s %s answered %d", method, path, answer.status_code)
    finally:
        del app.dependency_overrides[current_key]
    # Everything alive now lives as long as the worker: collect once, then keep it out of every later collection.
    gc.collect()
    gc.freeze()
    return time.perf_counter() - started
