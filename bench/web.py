"""Load on the reading room: `prinkipo serve` on 127.0.0.1 under a load generator on this machine.

    python bench/web.py                         ingest ../shared/corpus/mia-html into a temp archive
    python bench/web.py --db archive.db         use an archive already built
    python bench/web.py --duration 20 --connections 32

Scenarios (each URL list is fixed by a seed; requests cycle through it):

* ``/api/documents/{id}`` over 200 documents, 32 connections (target ≥ 500 requests/s, p95 ≤ 50 ms)
* ``/documents/{id}`` (the HTML page) over the same documents (target p95 ≤ 150 ms)
* ``/search?q=…&filter=…`` faceted search pages over 20 queries (target p95 ≤ 150 ms)

Each scenario runs with the readers' response cache on (every URL requested once first, so the
load is served from the cache) and off (every request computed: the honest cost). With the cache
on, the first request of each URL is also timed on one connection ("cold": computed, then kept).

The load generator is wrk (Debian's, with a Lua script that cycles the URLs and prints p50/p95/p99)
when it is installed, else a small asyncio HTTP/1.1 keep-alive client. Loopback only, bounded by
``--duration``. Prints one table; "errors" counts connection errors, timeouts and any status that
is not 200; "cpu ms" is the server's CPU time (user + system, all its processes) per request, the
figure to compare on a busy machine, where req/s and latencies depend on what else runs; "load"
is the machine's 1-minute load average when the scenario started.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "mia-html"
QUERIES = [
    "revolution",
    "Lenin",
    "trade unions",
    '"permanent revolution"',
    "strike",
    "bourgeoisie",
    "Kautsky",
    "war",
    "peasants",
    "imperialism",
    "Trotsky",
    "Paris Commune",
    "dictatorship proletariat",
    "soviet*",
    "party congress",
    "capital",
    "Bolsheviks",
    "Engels",
    "democracy",
    "Moscow",
]
LUA = r"""
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local i = math.random(#paths)
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %.3f %.3f %.3f %.3f\n", summary.requests,
    summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_archive(corpus: Path, db: Path) -> float:
    started = time.perf_counter()
    exe = Path(sys.executable).parent / "prinkipo"
    subprocess.run([str(exe), "ingest", str(corpus), "--db", str(db), "--no-progress"], check=True)
    return time.perf_counter() - started


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its children, from /proc (0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own + sum(server_cpu(int(c)) for c in children)


def start_server(db: Path, port: int, cache: bool, workers: int) -> subprocess.Popen[bytes]:
    exe = Path(sys.executable).parent / "prinkipo"
    more = ["--workers", str(workers)] if workers != 1 else []  # (older servers lack it)
    proc = subprocess.Popen(
        [str(exe), "serve", "--db", str(db), "--port", str(port), *more],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PRINKIPO_WEB_CACHE": "1" if cache else "0"},
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/overview", timeout=5)
            return proc
        except httpx.TransportError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise SystemExit("the server did not start") from None
            time.sleep(0.3)


def run_wrk(base: str, paths: list[str], seconds: int, connections: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        lua, listing = Path(tmp) / "bench.lua", Path(tmp) / "paths.txt"
        lua.write_text(LUA)
        listing.write_text("\n".join(paths) + "\n")
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                str(lua),
                base,
            ],
            env={**os.environ, "BENCH_PATHS": str(listing)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    n, us, errors, p50, p95, p99, worst = line.split()[1:]
    return {
        "requests": int(n),
        "rps": int(n) / (int(us) / 1e6),
        "errors": int(errors),
        "p50": float(p50),
        "p95": float(p95),
        "p99": float(p99),
        "max": float(worst),
    }


async def _client(host: str, port: int, paths: list[str], stop: float, lat: list[float]) -> int:
    errors = 0
    reader, writer = await asyncio.open_connection(host, port)
    i = random.randrange(len(paths))
    while time.perf_counter() < stop:
        i = (i + 1) % len(paths)
        t = time.perf_counter()
        writer.write(f"GET {paths[i]} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = next(
            int(h.split(b":", 1)[1])
            for h in head.split(b"\r\n")
            if h.lower().startswith(b"content-length:")
        )
        await reader.readexactly(length)
        lat.append((time.perf_counter() - t) * 1000)
        errors += status != 200
    writer.close()
    return errors


def run_python(base: str, paths: list[str], seconds: int, connections: int) -> dict[str, float]:
    host, port = base.split("//")[1].split(":")
    lat: list[float] = []

    async def main() -> int:
        stop = time.perf_counter() + seconds
        done = await asyncio.gather(
            *(_client(host, int(port), paths, stop, lat) for _ in range(connections))
        )
        return sum(done)

    started = time.perf_counter()
    errors = asyncio.run(main())
    elapsed = time.perf_counter() - started
    q = statistics.quantiles(lat, n=100, method="inclusive") if len(lat) > 1 else [0.0] * 99
    return {
        "requests": len(lat),
        "rps": len(lat) / elapsed,
        "errors": errors,
        "p50": q[49],
        "p95": q[94],
        "p99": q[98],
        "max": max(lat, default=0.0),
    }


def cold_pass(base: str, paths: list[str]) -> dict[str, float]:
    """Every URL once, one at a time: with the cache on, each is computed and then kept."""
    lat = []
    errors = 0
    with httpx.Client(base_url=base, timeout=60) as client:
        for p in paths:
            t = time.perf_counter()
            errors += client.get(p).status_code != 200
            lat.append((time.perf_counter() - t) * 1000)
    q = statistics.quantiles(lat, n=100, method="inclusive") if len(lat) > 1 else [lat[0]] * 99
    total = sum(lat) / 1000
    return {
        "requests": len(lat),
        "rps": len(lat) / total if total else 0.0,
        "errors": errors,
        "p50": q[49],
        "p95": q[94],
        "p99": q[98],
        "max": max(lat),
    }


def _scenarios(base: str) -> tuple[int, list[tuple[str, list[str], float, float | None]]]:
    total = httpx.get(base + "/api/documents?limit=1", timeout=30).json()["total"]
    listing = httpx.get(f"{base}/api/documents?limit=1000", timeout=60).json()["items"]
    rng = random.Random(9)
    sample = rng.sample([d["id"] for d in listing], min(200, len(listing)))
    facets = ["decade=1910s", "decade=1920s", "genre=article", "language=en"]
    search = [
        "/search?" + str(httpx.QueryParams({"q": q, "filter": rng.choice(facets)}))
        if n % 2
        else "/search?" + str(httpx.QueryParams({"q": q}))
        for n, q in enumerate(QUERIES)
    ]
    return total, [
        ("/api/documents/{id}", [f"/api/documents/{i}" for i in sample], 50.0, 500.0),
        ("/documents/{id} (HTML)", [f"/documents/{i}" for i in sample], 150.0, None),
        ("/search faceted (HTML)", search, 150.0, None),
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--db", type=Path, help="an archive already built (default: ingest --corpus)")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--duration", type=int, default=15, help="seconds per scenario")
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--python", action="store_true", help="use the Python load generator")
    ap.add_argument("--workers", type=int, default=1, help="prinkipo serve --workers (default 1)")
    ap.add_argument(
        "--cache",
        choices=["both", "on", "off"],
        default="both",
        help="the readers' response cache (PRINKIPO_WEB_CACHE): measure with it, without, or both",
    )
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="prinkipo-bench-web-"))
    try:
        db = args.db
        if db is None:
            db = tmp / "archive.db"
            print(f"ingesting {args.corpus} … ({build_archive(args.corpus, db):.0f} s)")
        use_wrk = shutil.which("wrk") is not None and not args.python
        runner = run_wrk if use_wrk else run_python
        rows = []
        total = 0
        for cache in {"both": [True, False], "on": [True], "off": [False]}[args.cache]:
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            server = start_server(db, port, cache, args.workers)
            try:
                total, scenarios = _scenarios(base)
                for name, paths, _, _ in scenarios:
                    load = os.getloadavg()[0]
                    c0 = server_cpu(server.pid)
                    r = cold_pass(base, paths)  # with the cache on: computed once, then kept
                    r["cpu"] = (server_cpu(server.pid) - c0) * 1000 / max(1, r["requests"])
                    if cache:
                        rows.append(
                            (f"{name}, cold, 1 conn.", r, None, None, r["errors"] == 0, load)
                        )
                for name, paths, p95_target, rps_target in scenarios:
                    load = os.getloadavg()[0]
                    c0 = server_cpu(server.pid)
                    r = runner(base, paths, args.duration, args.connections)
                    r["cpu"] = (server_cpu(server.pid) - c0) * 1000 / max(1, r["requests"])
                    ok = r["p95"] <= p95_target and (rps_target is None or r["rps"] >= rps_target)
                    label = f"{name}{'' if cache else ', no cache'}"
                    rows.append((label, r, p95_target, rps_target, ok and r["errors"] == 0, load))
            finally:
                server.terminate()
                server.wait(timeout=10)
        gen = "wrk 2 threads" if use_wrk else "python asyncio"
        print(
            f"\nprinkipo reading room under load: {total} documents,"
            f" {args.connections} connections, {args.duration} s each, load generator {gen},"
            f" {args.workers} server worker(s), {os.cpu_count()} CPUs (shared)\n"
        )
        print(
            f"{'scenario':<40}{'req/s':>7}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'max ms':>8}"
            f"{'errors':>7}{'requests':>9}{'cpu ms':>7}{'load':>6}  target"
        )
        for name, r, p95_target, rps_target, ok, load in rows:
            target = (
                "(none)"
                if p95_target is None
                else f"p95 ≤ {p95_target:.0f} ms"
                + (f", ≥ {rps_target:.0f}/s" if rps_target else "")
                + f": {'met' if ok else 'NOT met'}"
            )
            print(
                f"{name:<40}{r['rps']:>7.0f}{r['p50']:>8.1f}{r['p95']:>8.1f}{r['p99']:>8.1f}"
                f"{r['max']:>8.1f}{r['errors']:>7}{r['requests']:>9}{r['cpu']:>7.2f}{load:>6.1f}"
                f"  {target}"
            )
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
