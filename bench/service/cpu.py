"""CPU per request of the app in-process, as a `redline serve` worker runs it: where does a request's time go?

    PYTHONPATH=src .venv/bin/python bench/service/cpu.py [--requests 200] [--profile match-first]

A temporary $REDLINE_HOME (SQLite) gets a viewer key; a child process does what `redline serve` does before its
workers start (build and save the name index); this process then starts the app as a worker does (REDLINE_WARM=1,
`create_app` and the lifespan) and sends it requests through the ASGI interface (httpx, no socket), one at a time,
in one event loop. For each kind of request it reports the CPU milliseconds (`time.process_time`: every thread of
the process, so the thread pool's work too) and the wall milliseconds of the first request and the mean over the
next ones:

- /healthz: no key, no work: the floor (FastAPI, the middleware and the in-process client);
- /match with a new query each time (nothing cached), then the same queries again (the per-worker answer cache);
- /status the same way.

Queries come from bench/service/run.py's seeded mix. No socket and no load: this measures work, not queueing
(bench/service/run.py measures latency under load). `--profile KIND` prints the cProfile of the requests of one
kind (for instance `match-first`, `match-new`, `status-repeated`, `start`). The garbage collector's pauses during
the requests are reported too, by generation.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import gc
import importlib.util
import json
import os
import pstats
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _bench_run() -> Any:
    """bench/service/run.py, for its query mix (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location("bench_service_run", HERE / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Collections:
    """The garbage collector's pauses by generation (gc.callbacks): a full collection scans every live object."""

    def __init__(self) -> None:
        self.pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.pauses[info["generation"]].append(1000 * (time.perf_counter() - self._started))

    def summary(self) -> str:
        return "; ".join(
            f"generation {g}: {len(p)} collections, {sum(p):.1f} ms in all, longest {max(p, default=0):.1f} ms"
            for g, p in self.pauses.items()
        )


class Meter:
    """CPU and wall milliseconds per kind of request; one kind may be profiled."""

    def __init__(self, profiled: str | None) -> None:
        self.rows: dict[str, list[tuple[float, float]]] = {}
        self.profiled = profiled
        self.profile = cProfile.Profile()
        self.collections = Collections()

    async def measure(self, kind: str, call: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
        profiling = kind == self.profiled
        if profiling:
            self.profile.enable()
        cpu, wall = time.process_time(), time.perf_counter()
        result = await call()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        if profiling:
            self.profile.disable()
        self.rows.setdefault(kind, []).append((1000 * cpu, 1000 * wall))
        return result

    def table(self) -> str:
        lines = ["| requests | n | CPU ms (mean) | wall ms (mean) |", "|---|---|---|---|"]
        for kind, values in self.rows.items():
            cpu = sum(v[0] for v in values) / len(values)
            wall = sum(v[1] for v in values) / len(values)
            lines.append(f"| {kind} | {len(values)} | {cpu:.2f} | {wall:.2f} |")
        return "\n".join(lines)


async def measure(count: int, profiled: str | None) -> Meter:
    import httpx

    from redline.server.app import create_app
    from redline.server.shared.deps import KEY_HEADER
    from redline.store.keys import KeyStore, Role

    rng = random.Random(6)
    run = _bench_run()
    pool = run.query_pool(rng)
    matches = list(dict.fromkeys(run.pick(pool, run.MATCH_MIX, rng) for _ in range(4 * count)))[: count + 1]
    statuses = list(dict.fromkeys(line.split("\t")[1] for line in run.status_lines(pool, 4 * count, rng)))
    statuses = statuses[: count + 1]
    key = KeyStore().create("bench", Role.VIEWER)[1]
    meter = Meter(profiled)

    async def started() -> Any:
        app = create_app()
        lifespan = contextlib.AsyncExitStack()
        await lifespan.enter_async_context(app.router.lifespan_context(app))
        return app, lifespan

    app, lifespan = await meter.measure("start (create_app and lifespan)", started)
    gc.callbacks.append(meter.collections)  # from the first request on
    headers = {KEY_HEADER: key, "content-type": "application/json"}
    async with lifespan, httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://bench") as client:

        async def get(path: str, keyed: bool = True) -> None:
            answer = await client.get(path, headers=headers if keyed else None)
            answer.raise_for_status()

        async def post(query: str) -> None:
            answer = await client.post("/match", content=json.dumps({"query": query}), headers=headers)
            answer.raise_for_status()

        for n in range(count + 1):
            await meter.measure("healthz-first" if n == 0 else "healthz", lambda: get("/healthz", keyed=False))
        for n, query in enumerate(matches):
            await meter.measure("match-first" if n == 0 else "match-new", lambda q=query: post(q))
        for query in matches[1:]:
            await meter.measure("match-repeated", lambda q=query: post(q))
        for n, path in enumerate(statuses):
            await meter.measure("status-first" if n == 0 else "status-new", lambda p=path: get(p))
        for path in statuses[1:]:
            await meter.measure("status-repeated", lambda p=path: get(p))
    return meter


def run_inline() -> None:
    """Profiling only: the thread pool's calls run in the event loop's thread, where cProfile sees them (it
    follows one thread). The figures of a profiled run include the profiler's overhead anyway."""
    import fastapi.dependencies.utils
    import fastapi.routing
    import starlette.concurrency

    async def inline(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    for module in (fastapi.routing, fastapi.dependencies.utils, starlette.concurrency):
        module.run_in_threadpool = inline  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="new queries per kind (then each once again)")
    parser.add_argument("--profile", help="print the cProfile of this kind of request (e.g. match-first)")
    parser.add_argument("--top", type=int, default=30, help="lines of the profile")
    parser.add_argument("--sort", default="cumulative", help="profile order: cumulative, tottime ...")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="redline-bench-cpu-") as home:
        os.environ["REDLINE_HOME"] = home
        os.environ.pop("REDLINE_DATABASE_URL", None)
        # What `redline serve` does before its workers start: build the name index and save it beside the catalog.
        parent = "from redline.services.status import StatusService; from redline.services.warmup import warm; "
        subprocess.run([sys.executable, "-c", parent + "warm(StatusService.current())"], check=True)
        os.environ["REDLINE_WARM"] = "1"
        if args.profile:
            run_inline()
        meter = asyncio.run(measure(args.requests, args.profile))
        print(meter.table())
        print(f"\nGarbage collection during the requests: {meter.collections.summary()}")
        if args.profile:
            stats = pstats.Stats(meter.profile)
            stats.sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
