"""Locust users for bench/service/run.py's paced runs: Poisson arrivals at a fixed rate, a fixed number of requests.

wrk (Debian) only saturates; wrk2, which paces, is not packaged. Each of U users sends on its own Poisson schedule
(exponential gaps, mean U/R seconds, seeded), so together they offer R requests per second with random phases,
as independent clients do. Fixed pacing (Locust's constant_throughput, or wrk's delay()) keeps users in step:
they then arrive in bursts, and the burst, not the rate, sets the tail. A request is sent at its scheduled time,
or as soon as the user's previous answer is in if that came later; its latency is counted from the scheduled time
(so a slow answer also delays the ones queued behind it, as with wrk2's corrected latency) and, separately, from
the moment it was sent. Every latency is kept and the percentiles are exact, not Locust's rounded buckets.

Environment (set by run.py): BENCH_REQUESTS (a file of METHOD<tab>PATH[<tab>JSON] lines), BENCH_KEY, BENCH_RATE
(requests per second, all users together), BENCH_USERS, BENCH_LIMIT (stop after this many), BENCH_RESULT (JSON).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from pathlib import Path
from typing import Any

import gevent
from locust import FastHttpUser, constant, events, task
from locust.env import Environment

REQUESTS = [line.split("\t") for line in Path(os.environ["BENCH_REQUESTS"]).read_text("utf-8").splitlines() if line]
KEY = os.environ["BENCH_KEY"]
RATE = float(os.environ["BENCH_RATE"])
USERS = int(os.environ["BENCH_USERS"])
LIMIT = int(os.environ["BENCH_LIMIT"])

_next = itertools.count()
_users = itertools.count()
_scheduled_ms: list[float] = []  # from the scheduled send time
_sent_ms: list[float] = []  # from the actual send time
_counts = {"non2xx": 0, "socket_errors": 0, "late_sends": 0}
_window = {"first_start": 0.0, "last_end": 0.0}


class ServiceUser(FastHttpUser):
    wait_time = constant(0)  # the task paces itself

    def on_start(self) -> None:
        self.rng = random.Random(1000 + next(_users))
        self.gap = USERS / RATE
        self.next_at = time.perf_counter() + self.rng.expovariate(1 / self.gap)

    @task
    def one_request(self) -> None:
        number = next(_next)
        if number >= LIMIT:
            gevent.sleep(1)
            return
        scheduled = self.next_at
        self.next_at = scheduled + self.rng.expovariate(1 / self.gap)
        wait = scheduled - time.perf_counter()
        if wait > 0:
            gevent.sleep(wait)
        else:
            _counts["late_sends"] += 1
        method, path, *body = REQUESTS[number % len(REQUESTS)]
        headers = {"X-API-Key": KEY}
        if body:
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        if not _window["first_start"]:
            _window["first_start"] = scheduled
        with self.client.request(
            method, path, data=body[0].encode() if body else None, headers=headers, name=path.split("?")[0],
            catch_response=True,
        ) as response:  # fmt: skip
            ended = time.perf_counter()
            _window["last_end"] = max(_window["last_end"], ended)
            _scheduled_ms.append((ended - scheduled) * 1000)
            _sent_ms.append((ended - started) * 1000)
            if response.status_code == 0:
                _counts["socket_errors"] += 1
                response.failure(f"socket error: {response.error}")
            elif not 200 <= response.status_code < 300:
                _counts["non2xx"] += 1
                response.failure(f"HTTP {response.status_code}")
            else:
                response.success()
        if len(_sent_ms) >= LIMIT:
            gevent.spawn(self.environment.runner.quit)


def _percentile(ordered: list[float], share: float) -> float:
    """Nearest rank: the smallest latency at or above `share` of all answers."""
    if not ordered:
        return float("nan")
    rank = max(1, round(share * len(ordered) + 0.4999999))
    return ordered[min(rank, len(ordered)) - 1]


def _summary(latencies: list[float]) -> dict[str, float | None]:
    ordered = sorted(latencies)
    return {
        "p50": _percentile(ordered, 0.50),
        "p90": _percentile(ordered, 0.90),
        "p95": _percentile(ordered, 0.95),
        "p99": _percentile(ordered, 0.99),
        "p999": _percentile(ordered, 0.999),
        "max": ordered[-1] if ordered else None,
        "mean": sum(ordered) / len(ordered) if ordered else None,
    }


@events.quitting.add_listener
def write_result(environment: Environment, **_: Any) -> None:
    elapsed = _window["last_end"] - _window["first_start"]
    result = {
        "requests": len(_sent_ms),
        "offered_rate": RATE,
        "users": USERS,
        "seconds": round(elapsed, 3),
        "achieved_rate": round(len(_sent_ms) / elapsed, 1) if elapsed else None,
        **_counts,
        "latency_ms": _summary(_scheduled_ms),
        "latency_from_send_ms": _summary(_sent_ms),
    }
    Path(os.environ["BENCH_RESULT"]).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
