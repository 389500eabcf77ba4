"""Locust users for bench/service/run.py's paced runs: a fixed offered rate, a fixed number of requests.

wrk (Debian) only saturates; wrk2, which paces, is not packaged. Locust's `constant_throughput` paces each user,
so U users at R/U tasks per second offer R requests per second while every answer comes back within U/R
seconds. It stays a closed loop per user: a stall longer than that lowers the offered rate instead of queueing
more requests (run.py reports the rate achieved next to the one asked for). Every latency is kept and the
percentiles are exact, not Locust's rounded buckets.

Environment (set by run.py): BENCH_REQUESTS (a file of METHOD<tab>PATH[<tab>JSON] lines), BENCH_KEY, BENCH_RATE
(requests per second, all users together), BENCH_USERS, BENCH_LIMIT (stop after this many), BENCH_RESULT (JSON).
"""

from __future__ import annotations

import itertools
import json
import os
import time
from pathlib import Path
from typing import Any

import gevent
from locust import FastHttpUser, constant_throughput, events, task
from locust.env import Environment

REQUESTS = [line.split("\t") for line in Path(os.environ["BENCH_REQUESTS"]).read_text("utf-8").splitlines() if line]
KEY = os.environ["BENCH_KEY"]
RATE = float(os.environ["BENCH_RATE"])
USERS = int(os.environ["BENCH_USERS"])
LIMIT = int(os.environ["BENCH_LIMIT"])

_next = itertools.count()
_latencies_ms: list[float] = []
_counts = {"non2xx": 0, "socket_errors": 0}
_window = {"first_start": 0.0, "last_end": 0.0}


class ServiceUser(FastHttpUser):
    wait_time = constant_throughput(RATE / USERS)

    @task
    def one_request(self) -> None:
        number = next(_next)
        if number >= LIMIT:
            return
        method, path, *body = REQUESTS[number % len(REQUESTS)]
        headers = {"X-API-Key": KEY}
        if body:
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        if not _window["first_start"]:
            _window["first_start"] = started
        with self.client.request(
            method, path, data=body[0].encode() if body else None, headers=headers, name=path.split("?")[0],
            catch_response=True,
        ) as response:  # fmt: skip
            ended = time.perf_counter()
            _window["last_end"] = max(_window["last_end"], ended)
            _latencies_ms.append((ended - started) * 1000)
            if response.status_code == 0:
                _counts["socket_errors"] += 1
                response.failure(f"socket error: {response.error}")
            elif not 200 <= response.status_code < 300:
                _counts["non2xx"] += 1
                response.failure(f"HTTP {response.status_code}")
            else:
                response.success()
        if len(_latencies_ms) >= LIMIT:
            gevent.spawn(self.environment.runner.quit)


def _percentile(ordered: list[float], share: float) -> float:
    """Nearest rank: the smallest latency at or above `share` of all answers."""
    if not ordered:
        return float("nan")
    rank = max(1, round(share * len(ordered) + 0.4999999))
    return ordered[min(rank, len(ordered)) - 1]


@events.quitting.add_listener
def write_result(environment: Environment, **_: Any) -> None:
    ordered = sorted(_latencies_ms)
    elapsed = _window["last_end"] - _window["first_start"]
    result = {
        "requests": len(ordered),
        "offered_rate": RATE,
        "users": USERS,
        "seconds": round(elapsed, 3),
        "achieved_rate": round(len(ordered) / elapsed, 1) if elapsed else None,
        **_counts,
        "latency_ms": {
            "p50": _percentile(ordered, 0.50),
            "p90": _percentile(ordered, 0.90),
            "p95": _percentile(ordered, 0.95),
            "p99": _percentile(ordered, 0.99),
            "p999": _percentile(ordered, 0.999),
            "max": ordered[-1] if ordered else None,
            "mean": sum(ordered) / len(ordered) if ordered else None,
        },
    }
    Path(os.environ["BENCH_RESULT"]).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
