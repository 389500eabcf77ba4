"""Load test of `redline serve --workers 2` on loopback: GET /status and POST /match, saturated and paced.

    apt-get install wrk                        # the saturating client (Debian's wrk 4.1)
    .venv/bin/pip install -e '.[bench]'        # locust: the paced client
    .venv/bin/python bench/service/run.py      # ~10 minutes; results in bench/service/results/

A temporary REDLINE_HOME (SQLite) gets a viewer key; the server starts on a free port and the run waits for
/readyz. Requests come from a fixed mix (seeded): ISINs, exchange tickers, names in Latin and Chinese script,
unlisted securities and misspellings, each with one of several `on` dates or none. Every phase sends a fixed
number of requests and stops by itself:

1. warm-up (not reported), then the RSS of each worker process (VmRSS from /proc) as the "before" figure;
2. the floor: GET /healthz at saturation (no key, no work: what uvicorn and FastAPI cost on this machine);
3. /status and /match at saturation: wrk, one thread, 16 keep-alive connections;
4. /status and /match at a fixed offered rate (200/s by default): locust, Poisson arrivals (see locustfile.py);
5. a mixed run that brings the requests since the "before" RSS to --memory-requests (100,000), then the RSS again.

The load generator runs on the same two cores as the server; the CPU seconds of each worker and of the client
are reported per phase, with the machine's load average at its start and end (other jobs share this machine).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from stdnum import isin as stdnum_isin

from redline.model import IdScheme, NameKind
from redline.store.reference import bundled_store

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
REDLINE = [sys.executable, "-c", "from redline.cli.app import main; main()"]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# Judged instants: before and after the EO 13959 effective date, in the Xiaomi/Luokung injunction window, after
# EO 14032 replaced the CCMC list, and recent 1260H updates. "" asks for now.
ON_DATES = ["", "", "2020-11-12", "2021-01-11", "2021-03-16", "2021-06-03", "2021-08-02", "2022-06-02", "2024-01-31"]
# Securities on no list, as a desk would also ask about: ISINs, tickers, names in both scripts.
UNLISTED = [
    "US0378331005",  # Apple
    "US5949181045",  # Microsoft
    "JP3633400001",  # Toyota
    "AAPL",
    "TSM",
    "Apple Inc",
    "Toyota Motor Corporation",
    "Samsung Electronics",
    "Nestlé S.A.",
    "丰田汽车",
    "台积电",
    "三星电子",
]
MISSPELLED = ["Hikvison", "Xiaomi Corp.", "China Mobil", "Semiconductor Manufacturing Intl", "Huawei Technologies Co"]


def query_pool(rng: random.Random) -> dict[str, list[str]]:
    """Queries by kind, from the bundled reference data plus the unlisted and misspelled ones above."""
    store = bundled_store()
    pool: dict[str, list[str]] = {"isin": [], "ticker": [], "latin": [], "chinese": []}
    for entity in sorted(store.entities(), key=lambda e: e.id):
        for ident in entity.identifiers:
            if ident.scheme is IdScheme.ISIN:
                pool["isin"].append(ident.value)
            elif ident.scheme is IdScheme.TICKER:
                pool["ticker"].append(f"{ident.value}.{ident.exchange}" if ident.exchange else ident.value)
        for name in entity.names:
            if name.kind is NameKind.MISSPELLING:
                continue
            pool["chinese" if name.script == "Hani" else "latin"].append(name.text)
    pool["unlisted"] = list(UNLISTED)
    pool["misspelled"] = list(MISSPELLED)
    for values in pool.values():
        rng.shuffle(values)
    return pool


# Shares of each kind of query: identifiers dominate a desk's questions, names are the expensive path.
STATUS_MIX = {"isin": 0.30, "ticker": 0.20, "latin": 0.25, "chinese": 0.10, "unlisted": 0.10, "misspelled": 0.05}
MATCH_MIX = {"latin": 0.45, "chinese": 0.25, "isin": 0.10, "ticker": 0.05, "unlisted": 0.10, "misspelled": 0.05}


def pick(pool: dict[str, list[str]], mix: dict[str, float], rng: random.Random) -> str:
    kind = rng.choices(list(mix), weights=list(mix.values()))[0]
    return rng.choice(pool[kind])


def status_lines(pool: dict[str, list[str]], count: int, rng: random.Random) -> list[str]:
    lines = []
    for _ in range(count):
        query = quote(pick(pool, STATUS_MIX, rng), safe="")
        on = rng.choice(ON_DATES)
        lines.append(f"GET\t/status?q={query}" + (f"&on={on}" if on else ""))
    return lines


LATIN_WORDS = [
    "Alpha", "Global", "Pacific", "Holdings", "Technology", "Energy", "Capital", "Group", "Systems", "Bio", "Harbour",
    "Northern", "Precision", "Materials", "Logistics", "Digital", "Medical", "Marine",
]  # fmt: skip
HAN_CHARACTERS = "中华国新东南西北海天金银科技电子信息通讯能源材料精密机械医药生物航运物流数字智能"


def unique_status_lines(count: int, rng: random.Random) -> list[str]:
    """Queries that never repeat, so no cache helps: unlisted ISINs, made-up company names in both scripts."""
    lines = []
    for number in range(count):
        kind = rng.random()
        if kind < 0.4:
            body = rng.choice(["US", "CN", "HK", "KY", "JP"]) + "".join(rng.choice("0123456789") for _ in range(9))
            query = body + stdnum_isin.calc_check_digit(body)
        elif kind < 0.8:
            query = " ".join(rng.sample(LATIN_WORDS, 3)) + f" {number}"
        else:
            query = "".join(rng.sample(HAN_CHARACTERS, rng.randint(4, 8))) + "有限公司"
        lines.append(f"GET\t/status?q={quote(query, safe='')}&on={rng.choice(ON_DATES[2:])}")
    return lines


def match_lines(pool: dict[str, list[str]], count: int, rng: random.Random) -> list[str]:
    return [
        "POST\t/match\t" + json.dumps({"query": pick(pool, MATCH_MIX, rng)}, ensure_ascii=False) for _ in range(count)
    ]


def code_version() -> str:
    """The commit of the Redline source the server runs (PYTHONPATH can point at another checkout)."""
    import redline

    source = Path(redline.__file__).resolve().parents[2]
    git = ["git", "-C", str(source)]
    try:
        head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
        dirty = subprocess.run([*git, "status", "--porcelain", "src"], capture_output=True, text=True)
    except OSError:
        return str(source)
    if head.returncode != 0:
        return str(source)
    return head.stdout.strip() + (" (modified)" if dirty.stdout.strip() else "")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def worker_pids(server: int) -> list[int]:
    """uvicorn's worker processes (spawned children of the server), not multiprocessing's resource tracker."""
    pids = []
    for pid in children(server):
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        if b"spawn_main" in command:
            pids.append(pid)
    return pids


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError(f"no VmRSS for {pid}")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


class Server:
    def __init__(self, home: Path, workers: int) -> None:
        home.mkdir(parents=True, exist_ok=True)
        self.home, self.workers, self.port = home, workers, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "REDLINE_HOME": str(home)}
        self.env.pop("REDLINE_DATABASE_URL", None)
        self.log = (home / "server.log").open("wb")
        self.process: subprocess.Popen[bytes] | None = None

    def create_key(self) -> str:
        made = subprocess.run(
            [*REDLINE, "keys", "create", "--role", "viewer", "--owner", "bench"],
            env=self.env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        return made.stdout.strip()

    def start(self) -> None:
        command = [*REDLINE, "serve", "--port", str(self.port), "--workers", str(self.workers)]
        self.process = subprocess.Popen(command, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited with {self.process.returncode}; see {self.home / 'server.log'}")
            try:
                ready = httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200
            except httpx.TransportError:
                ready = False
            if ready and len(self.workers_pids()) == self.workers:
                return
                pass
            time.sleep(0.2)
        raise SystemExit("the server was not ready after 120 s")

    def workers_pids(self) -> list[int]:
        assert self.process is not None
        return worker_pids(self.process.pid)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)  # uvicorn's supervisor stops its workers and exits
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@contextmanager
def accounting(server: Server) -> Iterator[dict[str, Any]]:
    """CPU seconds of each worker and of the load generator over a phase, and the machine's load average.

    (Machine-wide CPU from /proc/stat was tried too; in this VM it disagreed with the per-process figures.)
    """
    workers = server.workers_pids()
    before = {pid: cpu_seconds(pid) for pid in workers}
    started = time.perf_counter()
    load = os.getloadavg()[0]
    record: dict[str, Any] = {}
    yield record
    elapsed = time.perf_counter() - started
    used = {pid: cpu_seconds(pid) - before[pid] for pid in workers}
    record["cpu"] = {
        "wall_seconds": round(elapsed, 2),
        "worker_cpu_seconds": {str(pid): round(seconds, 2) for pid, seconds in used.items()},
        "server_cpu_ms_per_request": round(1000 * sum(used.values()) / record["requests"], 2),
        "client_cpu_seconds": round(record.pop("client_cpu_seconds"), 2),
        "load_average": [round(load, 2), round(os.getloadavg()[0], 2)],
    }


def run_wrk(
    url: str, lines: list[str], key: str, total: int, connections: int, work: Path, name: str
) -> dict[str, Any]:
    """Send `total` requests as fast as `connections` keep-alive connections allow."""
    requests_file = work / f"{name}.tsv"
    requests_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = work / f"{name}.wrk.json"
    env = {**os.environ, "WRK_RESULT": str(result)}
    command = ["wrk", "-t1", f"-c{connections}", "-d3600s", "--timeout", "10s", "-s", str(HERE / "wrk.lua"), url,
               "--", str(requests_file), key, str(total), "1"]  # fmt: skip
    wrk = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    marker = Path(f"{result}.stopped.0")
    while wrk.poll() is None and not marker.exists():
        time.sleep(0.01)
    wrk.send_signal(signal.SIGINT)  # ends wrk's wait: the elapsed time covers only the requests made
    _, status, usage = os.wait4(wrk.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0 or not result.exists():
        raise SystemExit(f"wrk failed: {wrk.stderr.read().decode() if wrk.stderr else ''}")
    raw = json.loads(result.read_text())
    seconds = raw["duration_us"] / 1e6
    errors = sum(raw["socket_errors"].values())
    return {
        "tool": f"wrk -t1 -c{connections}",
        "requests": raw["requests"],
        "seconds": round(seconds, 2),
        "requests_per_second": round(raw["requests"] / seconds, 1),
        "latency_ms": {k: round(v / 1000, 2) for k, v in raw["latency_us"].items()},
        "non2xx": raw["non2xx"],
        "socket_errors": errors,
        "socket_error_kinds": raw["socket_errors"],
        "client_cpu_seconds": usage.ru_utime + usage.ru_stime,
    }


def run_locust(
    url: str, lines: list[str], key: str, rate: float, total: int, users: int, work: Path, name: str
) -> dict[str, Any]:
    """Offer `rate` requests per second, Poisson arrivals, until `total` answers (Locust; see locustfile.py)."""
    requests_file = work / f"{name}.tsv"
    requests_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = work / f"{name}.locust.json"
    env = {**os.environ, "BENCH_REQUESTS": str(requests_file), "BENCH_KEY": key, "BENCH_RATE": str(rate),
           "BENCH_USERS": str(users), "BENCH_LIMIT": str(total), "BENCH_RESULT": str(result)}  # fmt: skip
    safety = int(total / rate * 3) + 60  # only if the run stalls: it normally stops itself at `total`
    command = [sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless", "-u", str(users),
               "-r", str(users), "-t", f"{safety}s", "-H", url, "--only-summary", "--loglevel", "WARNING"]  # fmt: skip
    locust = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=work)
    _, status, usage = os.wait4(locust.pid, 0)
    if not result.exists():
        raise SystemExit(f"locust failed ({status}): {locust.stderr.read().decode() if locust.stderr else ''}")
    raw = json.loads(result.read_text())
    return {
        "tool": f"locust, {users} users, Poisson arrivals",
        "requests": raw["requests"],
        "seconds": raw["seconds"],
        "offered_rate": rate,
        "requests_per_second": raw["achieved_rate"],
        "latency_ms": {k: round(v, 2) for k, v in raw["latency_ms"].items()},
        "latency_from_send_ms": {k: round(v, 2) for k, v in raw["latency_from_send_ms"].items()},
        "sent_late": raw["late_sends"],
        "non2xx": raw["non2xx"],
        "socket_errors": raw["socket_errors"],
        "client_cpu_seconds": usage.ru_utime + usage.ru_stime,
    }


def markdown(result: dict[str, Any]) -> str:
    rows = [
        "| phase | client | requests | req/s | p50 ms | p95 ms | p99 ms | non-2xx | socket errors "
        "| server CPU ms/req | CPU s per worker | load average |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, phase in result["phases"].items():
        latency = phase["latency_ms"]
        rate = f"{phase['requests_per_second']:g}"
        if "offered_rate" in phase:
            rate += f" (offered {phase['offered_rate']:g})"
        rows.append(
            f"| {name} | {phase['tool']} | {phase['requests']:,} | {rate} | {latency['p50']:.1f} | "
            f"{latency['p95']:.1f} | {latency['p99']:.1f} | {phase['non2xx']} | {phase['socket_errors']} | "
            f"{phase['cpu']['server_cpu_ms_per_request']} | "
            f"{' / '.join(f'{v:g}' for v in phase['cpu']['worker_cpu_seconds'].values())} | "
            f"{phase['cpu']['load_average'][0]:g} → {phase['cpu']['load_average'][1]:g} |"
        )
    memory = result["memory"]
    rows += ["", "| worker | RSS before (MiB) | RSS after (MiB) | growth (MiB) |", "|---|---|---|---|"]
    for pid, before in memory["rss_before_mib"].items():
        after = memory["rss_after_mib"][pid]
        rows.append(f"| {pid} | {before} | {after} | {after - before:+.1f} |")
    target = result["target"]
    verdict = "met" if target["met"] else "missed"
    lines = [
        f"# bench/service: {result['started_at']}",
        "",
        f"{result['machine']['cpus']} cores, load average {result['machine']['load_average_at_start']} at start; "
        f"Redline {result['code']}, `redline serve --workers {result['workers']}`, SQLite, "
        f"{result['distinct_status_requests']} distinct "
        f"/status and {result['distinct_match_requests']} distinct /match requests.",
        "",
        *rows,
        "",
        "Paced runs count latency from each request's scheduled send time (wrk2's corrected latency); "
        "saturated runs from the actual send (wrk).",
        "",
        f"{memory['requests_between']:,} requests between the two RSS readings.",
        "",
        f"Target for /status at {target['rate']:g} req/s: p99 < {target['p99_ms']:g} ms and no errors: **{verdict}** "
        f"(p99 {target['measured_p99_ms']:.1f} ms, {target['measured_errors']} errors, "
        f"{target['measured_rate']:g} req/s achieved).",
        "",
        *(
            f"Target for {name}: p99 < 50 ms and no errors: **{'met' if t['met'] else 'missed'}** "
            f"(p50 {t['p50_ms']:.1f} ms, p99 {t['p99_ms']:.1f} ms, {t['rate']:g} req/s)."
            for name, t in result.get("match_targets", {}).items()
        ),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16, help="wrk connections for the saturating runs")
    parser.add_argument("--saturation-requests", type=int, default=30_000)
    parser.add_argument("--rate", type=float, default=200.0, help="offered requests per second, paced runs")
    parser.add_argument("--paced-requests", type=int, default=12_000, help="per paced run (60 s at 200/s)")
    parser.add_argument("--users", type=int, default=40, help="locust users for the paced runs")
    parser.add_argument("--cold-requests", type=int, default=3000, help="/match paced, right after the start")
    parser.add_argument("--memory-requests", type=int, default=100_000)
    parser.add_argument("--output", type=Path, default=HERE / "results")
    parser.add_argument("--name", default="service", help="results file names: NAME.json, NAME.md")
    parser.add_argument("--label", help="what code runs, when not this checkout (default: its git commit)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    try:
        import locust  # noqa: F401
    except ImportError:
        raise SystemExit("locust is missing: .venv/bin/pip install -e '.[bench]'") from None

    rng = random.Random(6)
    pool = query_pool(rng)
    status = status_lines(pool, 4000, rng)
    match = match_lines(pool, 2000, rng)
    work = Path(tempfile.mkdtemp(prefix="redline-bench-service-"))
    server = Server(work / "home", args.workers)
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    load = os.getloadavg()
    phases: dict[str, dict[str, Any]] = {}
    rss_trace: list[dict[str, Any]] = []
    try:
        key = server.create_key()
        server.start()
        url = server.url
        # just after start, before any warm-up request: each worker loaded the saved name index while starting
        cold = f"/match, {args.rate:g}/s, just after start"
        with accounting(server) as record:
            record.update(run_locust(url, match, key, args.rate, args.cold_requests, args.users, work, "match-cold"))
        phases[cold] = record
        print(f"{cold}: p99 {record['latency_ms']['p99']} ms", file=sys.stderr)
        run_wrk(url, status, key, 3000, 4, work, "warmup-status")
        run_wrk(url, match, key, 2000, 4, work, "warmup-match")
        pids = server.workers_pids()
        rss_before = {str(pid): rss_mib(pid) for pid in pids}
        rss_trace.append({"after": "warm-up", "requests": 0, **rss_before})
        served = 0

        def phase(name: str, run: Any) -> None:
            nonlocal served
            with accounting(server) as record:
                record.update(run())
            phases[name] = record
            served += record["requests"]
            rss_trace.append({"after": name, "requests": served, **{str(p): rss_mib(p) for p in pids}})
            print(f"{name}: {record['requests_per_second']} req/s, p99 {record['latency_ms']['p99']} ms, "
                  f"{record['non2xx']} non-2xx, {record['socket_errors']} socket errors", file=sys.stderr)  # fmt: skip

        floor = ["GET\t/healthz"]
        n, c = args.saturation_requests, args.connections
        phase("/healthz, saturation (floor)", lambda: run_wrk(url, floor, key, n // 3, c, work, "healthz"))
        phase("/status, saturation", lambda: run_wrk(url, status, key, n, c, work, "status-sat"))
        unique = unique_status_lines(n // 6, rng)
        phase(
            "/status, saturation, never-repeated queries",
            lambda: run_wrk(url, unique, key, len(unique), c, work, "status-unique"),
        )
        phase("/match, saturation", lambda: run_wrk(url, match, key, n // 2, c, work, "match-sat"))
        paced = args.paced_requests
        phase(
            f"/status, {args.rate:g}/s",
            lambda: run_locust(url, status, key, args.rate, paced, args.users, work, "status-paced"),
        )
        phase(
            f"/match, {args.rate:g}/s",
            lambda: run_locust(url, match, key, args.rate, paced // 2, args.users, work, "match-paced"),
        )
        rest = max(0, args.memory_requests - served)
        if rest:
            mixed = [line for trio in zip(status[::2], match, status[1::2], strict=False) for line in trio]
            phase("/status + /match mixed (memory)", lambda: run_wrk(url, mixed, key, rest, c, work, "mixed"))
        if server.workers_pids() != pids:
            raise SystemExit(f"a worker was replaced during the run ({pids} -> {server.workers_pids()})")
        rss_after = {str(pid): rss_mib(pid) for pid in pids}
    finally:
        server.stop()
    paced_status = phases[f"/status, {args.rate:g}/s"]
    match_targets = {
        name: {
            "p99_ms": phases[name]["latency_ms"]["p99"],
            "p50_ms": phases[name]["latency_ms"]["p50"],
            "rate": phases[name]["requests_per_second"],
            "met": phases[name]["latency_ms"]["p99"] < 50.0
            and phases[name]["non2xx"] + phases[name]["socket_errors"] == 0
            and phases[name]["requests_per_second"] >= 0.95 * args.rate,
        }
        for name in (f"/match, {args.rate:g}/s, just after start", f"/match, {args.rate:g}/s")
    }
    result = {
        "started_at": started_at,
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_at_start": [round(x, 2) for x in load],
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        },
        "code": args.label or code_version(),
        "workers": args.workers,
        "database": "sqlite",
        "distinct_status_requests": len(set(status)),
        "distinct_match_requests": len(set(match)),
        "phases": phases,
        "memory": {
            "requests_between": served,
            "rss_before_mib": rss_before,
            "rss_after_mib": rss_after,
            "trace": rss_trace,
        },
        "match_targets": match_targets,
        "target": {
            "rate": args.rate,
            "p99_ms": 50.0,
            "measured_rate": paced_status["requests_per_second"],
            "measured_p99_ms": paced_status["latency_ms"]["p99"],
            "measured_errors": paced_status["non2xx"] + paced_status["socket_errors"],
            "met": paced_status["latency_ms"]["p99"] < 50.0
            and paced_status["non2xx"] + paced_status["socket_errors"] == 0
            and paced_status["requests_per_second"] >= 0.95 * args.rate,
        },
    }
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / f"{args.name}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")
    (args.output / f"{args.name}.md").write_text(markdown(result), "utf-8")
    print(markdown(result))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
