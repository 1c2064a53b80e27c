"""Throughput of the real ``kronika serve`` under load (issue 15 item 10; not a test).

    .venv/bin/python benchmarks/bench_server.py [--events 100000] [--db PATH] [--clients 50]
        [--requests 5000] [--repeat 3] [--distinct] [--serve-args "..."]

Builds (or reuses, with ``--db`` of an existing file) a kronika file of synthetic events with
the generator of benchmarks/bench_store.py (realistic countries, codes, dates, places and
evidence sentences; ``Store.prepare`` as an ingest leaves it), starts ``python -m kronika.cli
serve`` on a free loopback port, and runs ``--clients`` concurrent keep-alive clients (threads,
one ``http.client`` connection each) over the usual API routes, round robin, until
``--requests`` requests are answered. Prints requests/s, p50/p95/p99 latency and the number of
answers that were not 200, per run and per route. The target: at least 500 requests/s with a
p95 under 300 ms at 50 clients. The clients share the machine with the server (loopback).
"""

from __future__ import annotations

import argparse
import http.client
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import ROOT  # noqa: E402


def routes(db: Path) -> list[str]:
    """The usual API routes, with an article and an actor that exist."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        aids = [r[0] for r in con.execute("SELECT id FROM articles ORDER BY id LIMIT 20").fetchall()]
    finally:
        con.close()
    out = ["/api/health", "/api/events?limit=50", "/api/events?limit=50&country=FRA",
           "/api/events?limit=20&root=14&order=-date", "/api/actors", "/api/actors?limit=20&q=FRA",
           "/api/stats?actor=country:USA&partner=country:BLR", "/api/stats?country=BLR", "/api/locations?limit=200"]
    # not the unfiltered /api/stats: it lists every day-dated report as a point (11 MB at 100,000 events)
    out += [f"/api/articles/{a}" for a in aids[:3]]
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int, extra: list[str]) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "kronika.cli", "serve", "--db", str(db), "--port", str(port)]
                            + extra, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    t0 = time.monotonic()
    while time.monotonic() - t0 < 60:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/api/health")
            if c.getresponse().status == 200:
                c.close()
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not answer within 60 s")


def load(port: int, urls: list[str], clients: int, total: int, distinct: bool = False) -> dict:
    """``clients`` keep-alive clients until ``total`` requests are answered (``distinct``: each
    a question never asked before, an unknown parameter ``n=<i>`` making it new)."""
    lock = threading.Lock()
    next_i = [0]
    lat: list[tuple[str, float, int]] = []

    def client() -> None:
        con = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        while True:
            with lock:
                i = next_i[0]
                next_i[0] += 1
            if i >= total:
                break
            url = urls[i % len(urls)]
            if distinct:
                url += ("&" if "?" in url else "?") + f"n={i}-{time.monotonic_ns()}"
            t = time.perf_counter()
            try:
                con.request("GET", url)
                r = con.getresponse()
                r.read()
                status = r.status
                if r.getheader("connection", "").lower() == "close":
                    con.close()
                    con = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            except (OSError, http.client.HTTPException):
                status = 0
                con.close()
                con = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            mine.append((url, time.perf_counter() - t, status))
        con.close()
        with lock:
            lat.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t0
    return {"wall": wall, "lat": lat}


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] * 1000


def report(res: dict, per_route: bool) -> dict:
    lat = res["lat"]
    ts = [x[1] for x in lat]
    bad = sum(1 for x in lat if x[2] != 200)
    out = {"rps": len(lat) / res["wall"], "p50": pct(ts, 0.5), "p95": pct(ts, 0.95), "p99": pct(ts, 0.99),
           "non200": bad, "n": len(lat)}
    print(f"  {out['n']} requests in {res['wall']:.1f} s: {out['rps']:.0f} requests/s, p50 {out['p50']:.0f} ms, "
          f"p95 {out['p95']:.0f} ms, p99 {out['p99']:.0f} ms, {bad} not 200", flush=True)
    if per_route:
        by: dict[str, list[float]] = {}
        for url, t, _s in lat:
            by.setdefault(url.split("n=")[0].rstrip("?&"), []).append(t)
        for url, xs in by.items():
            print(f"    {url[:52]:52} p50 {pct(xs, 0.5):7.1f} ms  p95 {pct(xs, 0.95):7.1f} ms")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--db", type=Path, help="store file (built when absent)")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=3, help="runs (the machine is shared: give the range)")
    ap.add_argument("--serve-args", default="", help="extra arguments of `kronika serve`")
    ap.add_argument("--per-route", action="store_true")
    ap.add_argument("--distinct", action="store_true", help="every request a new question (no cache hit)")
    args = ap.parse_args()
    tmp = None
    db = args.db
    if db is None:
        tmp = tempfile.TemporaryDirectory(prefix="kronika-serve-")
        db = Path(tmp.name) / "store.duckdb"
    if not db.exists():
        from bench_store import build

        from kronika.store import Store

        print(f"building {args.events:,} events in {db}", flush=True)
        secs, n_art = build(db, args.events)
        Store(db).prepare()
        print(f"built in {secs:.0f} s, {n_art:,} articles", flush=True)
    urls = routes(db)
    port = free_port()
    proc = start_server(db, port, shlex.split(args.serve_args))
    try:
        load(port, urls, args.clients, min(500, args.requests))  # warm: caches, connections
        print(f"{args.clients} clients, {args.requests} {'distinct ' if args.distinct else ''}requests over "
              f"{len(urls)} routes, "
              f"serve {args.serve_args or '(defaults)'}")
        runs = [report(load(port, urls, args.clients, args.requests, args.distinct), args.per_route and k == 0)
                for k in range(args.repeat)]
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    rps = [r["rps"] for r in runs]
    p95 = [r["p95"] for r in runs]
    print(f"range over {len(runs)} runs: {min(rps):.0f}-{max(rps):.0f} requests/s, p95 {min(p95):.0f}-{max(p95):.0f} ms, "
          f"median {statistics.median(rps):.0f} requests/s; not 200: {sum(r['non200'] for r in runs)}")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
